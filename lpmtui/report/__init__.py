"""The report of a maintenance window (``lpmtui report``): model from the records, renderers."""
