"""Text is text: a string from a file, the database or a rules file is shown as the characters it holds, never as
instructions to the terminal (escape sequences) or to Rich (markup). It is stored as given; only the showing is safe.
"""

from __future__ import annotations

import re

from rich.markup import escape
from rich.text import Text

# ESC-introduced sequences as terminals read them: CSI (colours, clear screen), OSC (window title, clipboard,
# hyperlinks) up to BEL or ST, DCS/SOS/PM/APC strings, and two-character escapes; and their 8-bit C1 forms.
_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
)
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
# Controls, surrogates, non-characters, and the bidirectional overrides that make text read other than it is stored.
_UNSHOWABLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\u2028\u2029]+")


def clean(value: object) -> str:
    """One line of text safe for a terminal: escape sequences and control characters removed, line breaks and tabs
    as one space. Ordinary text (nearly all of it) comes back unchanged without a regular expression being run."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():
        return text
    return _UNSHOWABLE.sub("", _LINE_BREAKS.sub(" ", _SEQUENCES.sub("", text)))


def clean_block(value: object) -> str:
    """Several lines (a rules file, a profile): as `clean`, but line breaks and tabs are kept."""
    text = value if isinstance(value, str) else str(value)
    lines = _SEQUENCES.sub("", text).replace("\r\n", "\n").split("\n")
    return "\n".join(_UNSHOWABLE.sub("", line.replace("\t", "    ")) for line in lines)


def markup(value: object) -> str:
    """Data to put inside a Rich markup string (a message with [bold] around it): cleaned, and its brackets
    escaped so `[/]` or `[link=…]` in a name are shown, not obeyed."""
    return escape(clean(value))


def plain(value: object) -> Text:
    """A cell or a line for the terminal UI: cleaned, and a Text, so neither Rich nor Textual reads markup in it."""
    return Text(clean(value), end="")
