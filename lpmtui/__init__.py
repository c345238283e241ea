"""lpmtui: a terminal console for IBM PowerVM Live Partition Mobility."""

__version__ = "0.1.0"
