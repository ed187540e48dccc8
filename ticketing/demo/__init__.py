"""Demo data for `make run` and the benches: tickets through the real workflow, demo accounts."""
