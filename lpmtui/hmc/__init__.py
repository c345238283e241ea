"""The HMC command line: record format, command builders, parsers and errors (stdlib only)."""
