"""The Textual console: the only package that imports textual (lazily, from cli.py)."""
