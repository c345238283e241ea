"""What lpmtui writes locally: the journal, the audit log and the log file."""
