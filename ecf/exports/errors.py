"""What an export can fail with, apart from the writers (so a command that never exports need not load them)."""


class ExportError(Exception):
    """The workbook cannot be written where asked: says why, and nothing is left half-written."""
