"""The composition root: transport, fleet and migration manager for a console (no Textual)."""
