"""Pieces of `bench.nlu_pipelines` that Rasa must import by name (components, the timed CLI)."""
