"""Start, watch, stop and recover migrations: the manager and its collaborators."""
