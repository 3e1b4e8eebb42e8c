"""Text from a file or a database made safe to print: no terminal control or escape sequences, no Rich markup.

A cell, header, sheet or file name may hold ESC sequences (clear the screen, set the title, write the clipboard) or
Rich markup (`[/]` crashes the printer, `[link=…]` makes a live link). What reaches a terminal or the TUI goes
through `shown`; what is stored is kept as given."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (U+009B is a one-character CSI), and the bidi overrides that
# reorder what a line appears to say.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def plain(text: object) -> str:
    """Control characters shown as visible placeholders (ESC as '\\x1b'), so nothing is hidden or obeyed."""
    value = str(text)
    if _CONTROLS.search(value) is None:
        return value
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else "\ufffd", value)


def shown(text: object) -> str:
    """`plain`, with Rich markup escaped: for a string Rich will parse as markup."""
    from rich.markup import escape

    return escape(plain(text))
