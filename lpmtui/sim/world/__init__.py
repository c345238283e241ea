"""The simulated fleet's state: model, loading from YAML, in-flight migrations."""
