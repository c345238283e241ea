"""Collectors per HMC and the merged fleet snapshot."""
