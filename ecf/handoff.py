"""Handing the interpreter between threads sooner while two of them share one piece of work.

CPython lets one thread run Python at a time and, when another asks for it, hands it over only after a switch interval
(5 ms by default). A thread that lets go of it often -- zlib compressing a sheet between blocks of output -- then waits
up to that long every time it wants it back, while the busy thread goes on alone, and the two take as long as one
doing both. For the span of such work the interval is made a fraction of a millisecond: the processor time spent is
the same, the waiting goes. (Tried on the terminal UI's loading thread too: no sooner on screen, so not used there.)
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

HANDOFF_SECONDS = 0.0002
_state = {"active": 0, "saved": 0.0}
_lock = threading.Lock()


@contextmanager
def quick_handoff() -> Iterator[None]:
    """The switch interval shortened while the block runs, put back as it was when the last such block in the
    process ends (they may overlap: an export started while the screen loads)."""
    with _lock:
        if _state["active"] == 0:
            _state["saved"] = sys.getswitchinterval()
            sys.setswitchinterval(min(HANDOFF_SECONDS, _state["saved"]))
        _state["active"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["active"] -= 1
            if _state["active"] == 0:
                sys.setswitchinterval(_state["saved"])
