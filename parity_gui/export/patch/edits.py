"""Edits to a file's original text at spans the parsers located; nothing else is touched.

A :class:`Span` replaces characters ``start:end`` of the decoded text (the BOM excluded) with new
text. The file is written back by re-encoding the unchanged pieces exactly as they were decoded
(strict decoding is lossless), with the BOM in front, so every byte outside the edited spans is
the byte that was there: comments, blank lines, CRLF, tabs, the final newline or its absence.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from parity_gui.errors import ExportError
from parity_gui.sources.text import Text


@dataclass(frozen=True, slots=True)
class Span:
    """Replace ``text.content[start:end]`` with ``new`` (an insertion when start == end)."""

    start: int
    end: int
    new: str
    why: str = ""  #: the pointer this edit serves, for messages


@dataclass
class FileEdits:
    """The edits planned for one file, kept apart so two never overlap."""

    text: Text
    spans: list[Span] = field(default_factory=list)
    _order: list[tuple[int, int, int]] = field(default_factory=list)  #: (start, end, index), sorted

    def add(self, span: Span) -> bool:
        """Plan ``span``; False (and nothing planned) when it overlaps one already planned.

        The very same edit planned twice (two services sharing one anchored value) is kept once.
        Only the neighbours in offset order are checked, so planning stays fast on big files.
        """
        at = bisect.bisect_left(self._order, (span.start, span.end, len(self.spans)))
        for _, _, index in self._order[max(at - 1, 0):at + 1]:
            other = self.spans[index]
            if (other.start, other.end, other.new) == (span.start, span.end, span.new):
                return True
            if _overlap(span, other):
                return False
        if at > 1 and _overlap(span, self.spans[self._order[at - 2][2]]):
            return False
        self._order.insert(at, (span.start, span.end, len(self.spans)))
        self.spans.append(span)
        return True

    def ordered(self) -> list[Span]:
        """The spans by offset; insertions at one place in the order they were planned."""
        return [self.spans[index] for _, _, index in self._order]

    def result(self) -> bytes:
        """The file's bytes with every planned edit applied."""
        content = self.text.content
        pieces: list[str] = []
        position = 0
        for span in self.ordered():
            if span.start < position:
                raise ExportError(f"two edits overlap at character {span.start}", file=self.text.display)
            pieces += [content[position:span.start], span.new]
            position = span.end
        pieces.append(content[position:])
        return self.text.bom + "".join(pieces).encode(self.text.encoding)


    def regions(self) -> tuple[tuple[int, int, int], ...]:
        """The changed lines: ``(first, end, new_count)`` per region, old lines ``first:end``
        (0-based) becoming ``new_count`` lines. Computed from the spans, so a diff needs no
        matching of lines (which is quadratic on files with many repeated lines)."""
        lines = Lines(self.text.content)
        groups: list[tuple[int, int, list[Span]]] = []
        for span in self.ordered():
            first, end = _line_range(lines, span)
            if groups and first <= groups[-1][1]:
                groups[-1] = (groups[-1][0], max(groups[-1][1], end), [*groups[-1][2], span])
            else:
                groups.append((first, end, [span]))
        return tuple((first, end, _new_line_count(lines, first, end, spans)) for first, end, spans in groups)


def _line_range(lines: Lines, span: Span) -> tuple[int, int]:
    """The old lines (0-based, end exclusive) a span touches; none for an insertion at a line start."""
    first = lines.line_of(span.start) - 1
    at_line_start = first >= len(lines.starts) or span.start == lines.starts[first]
    if span.start == span.end and at_line_start:
        return first, first
    return first, lines.line_of(max(span.end - 1, span.start))


def _new_line_count(lines: Lines, first: int, end: int, spans: list[Span]) -> int:
    """How many lines the old lines ``first:end`` become with ``spans`` applied."""
    content = lines.content
    low = lines.starts[first] if first < len(lines.starts) else len(content)
    high = lines.starts[end] if end < len(lines.starts) else len(content)
    pieces: list[str] = []
    position = low
    for span in spans:
        pieces += [content[position:span.start], span.new]
        position = span.end
    text = "".join([*pieces, content[position:high]])
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


def _overlap(a: Span, b: Span) -> bool:
    """Two edits touch the same characters (insertions at one place do not: they go in the
    order they were planned)."""
    return a.start < b.end and b.start < a.end


class Lines:
    """Line starts of a text, to turn 1-based line and column into offsets and back."""

    def __init__(self, content: str) -> None:
        self.content = content
        self.starts = [0]
        self.starts += [i + 1 for i, c in enumerate(content) if c == "\n"]

    def offset(self, line: int, column: int) -> int:
        """The offset of 1-based ``line`` and ``column`` (characters)."""
        if not 1 <= line <= len(self.starts):
            raise ExportError(f"line {line} is past the end of the file")
        return self.starts[line - 1] + column - 1

    def line_of(self, offset: int) -> int:
        """The 1-based line holding ``offset``."""
        return bisect.bisect_right(self.starts, offset)

    def line_start(self, offset: int) -> int:
        return self.starts[self.line_of(offset) - 1]

    def line_end(self, offset: int) -> int:
        """The offset just after the ``\\n`` ending the line of ``offset`` (or the end of text)."""
        line = self.line_of(offset)
        return self.starts[line] if line < len(self.starts) else len(self.content)

    def newline(self) -> str:
        """The text's line ending: CRLF when its first line ends so."""
        first = self.content.find("\n")
        return "\r\n" if first > 0 and self.content[first - 1] == "\r" else "\n"
