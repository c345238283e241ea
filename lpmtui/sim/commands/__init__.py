"""The simulated HMC's restricted shell and its commands."""
