"""Benchmarks and synthetic data (not run by `make test`). See README.md and shared PERFORMANCE.md."""
