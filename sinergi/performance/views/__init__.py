"""Pages of the performance app (see achievements, plan, reports)."""
