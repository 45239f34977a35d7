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

    def add(self, span: Span) -> bool:
        """Plan ``span``; False (and nothing planned) when it overlaps one already planned.

        The very same edit planned twice (two services sharing one anchored value) is kept once.
        """
        for other in self.spans:
            if (other.start, other.end, other.new) == (span.start, span.end, span.new):
                return True
            if _overlap(span, other):
                return False
        self.spans.append(span)
        return True

    def result(self) -> bytes:
        """The file's bytes with every planned edit applied."""
        content = self.text.content
        pieces: list[str] = []
        position = 0
        for span in sorted(self.spans, key=lambda s: (s.start, s.end)):  # stable: planned order
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
        merged: list[list[int]] = []
        for span in sorted(self.spans, key=lambda s: (s.start, s.end)):
            first = lines.line_of(span.start) - 1
            starts_line = span.start == lines.starts[first] if first < len(lines.starts) else True
            end = first if span.start == span.end and starts_line else lines.line_of(max(span.end - 1, span.start))
            if merged and first <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([first, end])
        return tuple((first, end, self._new_lines(lines, first, end)) for first, end in merged)

    def _new_lines(self, lines: Lines, first: int, end: int) -> int:
        """How many lines the old lines ``first:end`` become once the spans inside are applied."""
        low = lines.starts[first] if first < len(lines.starts) else len(lines.content)
        high = lines.starts[end] if end < len(lines.starts) else len(lines.content)
        pieces: list[str] = []
        position = low
        for span in sorted(self.spans, key=lambda s: (s.start, s.end)):
            if low <= span.start <= high and span.end <= high and (span.start < high or span.start == span.end):
                pieces += [lines.content[position:span.start], span.new]
                position = span.end
        text = "".join([*pieces, lines.content[position:high]])
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
