"""Pages of the pillars app: the registry and the quarterly aid."""
