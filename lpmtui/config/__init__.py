"""Configuration: YAML -> frozen Settings; each error is one line naming file, line and key."""
