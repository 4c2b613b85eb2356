"""Pages of the staff app: staff records, the SKP and its months, compliance (split by topic)."""
