"""The `ecf` command: a thin layer over the services that adds argument parsing and formatting."""

import sys
from types import TracebackType

_previous = sys.excepthook


def _interrupted_while_starting(kind: type[BaseException], value: BaseException, trace: TracebackType | None) -> None:
    """Ctrl-C before `run()` has its own handler (while the command's modules load): one line, exit 130, no
    traceback. Any other uncaught exception goes to the hook there was."""
    if issubclass(kind, KeyboardInterrupt):
        sys.stderr.write("Interrupted.\n")
        sys.stderr.flush()
        import os

        os._exit(130)
    _previous(kind, value, trace)


sys.excepthook = _interrupted_while_starting
