"""The service layer: one set of use cases that the CLI and the terminal UI both call."""
