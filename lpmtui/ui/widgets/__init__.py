"""Widgets of the dashboard: header, frame tree, partition table, detail pane, command log."""
