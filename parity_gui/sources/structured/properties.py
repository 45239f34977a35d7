"""Java ``.properties`` files read as ``java.util.Properties.load`` reads them, with positions.

* A natural line ending in an odd number of backslashes continues on the next line, whose
  leading blanks are dropped; ``#`` or ``!`` first on a line makes it a comment.
* The key ends at the first unescaped ``=``, ``:`` or blank; blanks, then one ``=`` or ``:``,
  then blanks separate it from the value.
* Escapes: ``\\t \\n \\r \\f``, ``\\uXXXX``, and a backslash before any other character stands
  for that character (``\\=``, ``\\:``, ``\\ ``, ``\\\\``).
* Keys stay whole (``spring.datasource.url`` is one key, not a path): dots mean nothing to
  ``Properties``. A key set twice is a warning naming both lines; the last value wins.
"""

from __future__ import annotations

from parity_gui.core.tree import Diagnostic
from parity_gui.errors import ParseError
from parity_gui.sources.structured.nodes import Lines, Parsed, well_formed
from parity_gui.sources.text import Text
from parity_gui.sources.yamlfile import Scalar, YMap

_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}
_SEPARATORS = "=: \t\f"


def parse_properties(text: Text) -> Parsed:
    content = text.content
    lines = Lines(content)
    root = YMap(1, 1, 0, len(content), None)
    diagnostics: list[Diagnostic] = []
    for start, end in _logical_lines(content):
        key, value_start = _key(content, start, end, text)
        value = _unescape(content, value_start, end, text)
        line, column = lines.position(start)
        at = lines.position(value_start)
        if key in root:
            first = root.key_positions[key][0]
            diagnostics.append(Diagnostic(f"duplicate key '{key}' (first at line {first}); the last one is used",
                                          text.display, line, column))
            del root[key]
        root[key] = Scalar(value, content[value_start:end], at[0], at[1], value_start, end)
        root.key_positions[key] = (line, column)
    return Parsed((root if root else None,), tuple(diagnostics))


def _logical_lines(content: str) -> list[tuple[int, int]]:
    """The span of each logical line that is not blank or a comment (continuations joined)."""
    spans: list[tuple[int, int]] = []
    pos, size = 0, len(content)
    while pos < size:
        while pos < size and content[pos] in " \t\f\r\n":
            pos += 1
        if pos >= size:
            break
        end = _natural_end(content, pos)
        if content[pos] in "#!":
            pos = end + 1
            continue
        start = pos
        while end < size and _continues(content, end):
            end = _natural_end(content, content.find("\n", end) + 1 or size)
        spans.append((start, end))
        pos = end + 1
    return spans


def _natural_end(content: str, pos: int) -> int:
    """Where the natural line at ``pos`` ends (before its ``\\r`` or ``\\n``)."""
    newline = content.find("\n", pos)
    end = len(content) if newline < 0 else newline
    return end - 1 if end > pos and content[end - 1] == "\r" else end


def _continues(content: str, end: int) -> bool:
    count = 0
    while end - count - 1 >= 0 and content[end - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _key(content: str, start: int, end: int, text: Text) -> tuple[str, int]:
    """The key of the logical line ``start:end`` and where its value starts."""
    key, pos = _read(content, start, end, text, _SEPARATORS)
    while pos < end and content[pos] in " \t\f":
        pos += 1
    if pos < end and content[pos] in "=:":
        pos += 1
        while pos < end and content[pos] in " \t\f":
            pos += 1
    return key, pos


def _unescape(content: str, start: int, end: int, text: Text) -> str:
    return _read(content, start, end, text, "")[0]


def _read(content: str, start: int, end: int, text: Text, stops: str) -> tuple[str, int]:
    """The unescaped text from ``start`` up to ``end`` or an unescaped character of ``stops``."""
    pos, chars = start, []
    while pos < end and content[pos] not in stops:
        if content[pos] == "\\":
            escaped, pos = _escape(content, pos, end, text)
            chars.append(escaped)
        else:
            chars.append(content[pos])
            pos += 1
    return well_formed("".join(chars)), pos


def _escape(content: str, pos: int, end: int, text: Text) -> tuple[str, int]:
    """The character a backslash at ``pos`` stands for, and where reading goes on."""
    following = content[pos + 1:pos + 2]
    if pos + 1 >= end or following in "\r\n":
        after = content.find("\n", pos + 1) + 1 if following in "\r\n" and pos + 1 < end else end
        while after < end and content[after] in " \t\f":
            after += 1  # a continuation line's leading blanks are dropped
        return "", after
    if following == "u":
        digits = content[pos + 2:pos + 6]
        if len(digits) < 4 or not all(c in "0123456789abcdefABCDEF" for c in digits):
            line = content.count("\n", 0, pos) + 1
            raise ParseError("malformed \\uXXXX escape", file=text.display, line=line)
        return chr(int(digits, 16)), pos + 6
    return _ESCAPES.get(following, following), pos + 2
