"""Mapping profiles: the model, applying one to a sheet, the built-in ones, and drafting one from a file."""
