"""Text from files and engines made safe to show: control characters become visible escapes.

A service name holding a newline must not start a fake report line, and an escape sequence in a
value must not reach the terminal (it could recolour, hide or rewrite what is shown). Every
human-facing output (the text report, Markdown, HTML, error lines) passes user text through
:func:`printable`. It is one ``str.translate`` over a fixed table: linear in the text.
"""

from __future__ import annotations

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: C0 controls, DEL, C1 controls, the line and paragraph separators and the bidirectional
#: overrides and isolates (which can make text read in another order than it is stored).
_CONTROLS = [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F),
             *range(0x2066, 0x206A)]


def _escape(code: int) -> str:
    char = chr(code)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_TABLE = {code: _escape(code) for code in _CONTROLS}
_TABLE_KEEPING_LINES = {code: text for code, text in _TABLE.items() if chr(code) not in "\n\t"}


def printable(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``,
    ``\\u202e``); ``keep_lines`` leaves newlines and tabs as they are (for text whose lines are
    its own, such as a multi-line message already laid out)."""
    return text.translate(_TABLE_KEEPING_LINES if keep_lines else _TABLE)
