"""Command-line subcommands (each imported lazily by lpmtui.__main__)."""
