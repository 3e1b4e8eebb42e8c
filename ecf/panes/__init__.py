"""The terminal UI's panes, one module each; `tui.py` puts them together. Panes only show what services return."""
