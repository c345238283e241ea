"""SSH to HMCs: explicit jump chains, shared bastions, strict host keys, channels, credentials."""
