"""The `ecf` command: a thin layer over the services that adds argument parsing and formatting."""
