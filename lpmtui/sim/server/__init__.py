"""The simulated HMCs over SSH: per-HMC servers, the jump host, logins, faults."""
