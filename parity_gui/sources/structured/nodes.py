"""What every structured-format reader returns, and where an offset is in a text."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from parity_gui.core.tree import Diagnostic
from parity_gui.sources.yamlfile import YNode

_NEWLINE = re.compile("\n")


@dataclass(frozen=True, slots=True)
class Parsed:
    """A structured file read: its documents (one, except in multi-document YAML) and warnings."""

    documents: tuple[YNode | None, ...]
    diagnostics: tuple[Diagnostic, ...] = ()


class Lines:
    """Line and column (1-based) of character offsets in one text, by binary search."""

    def __init__(self, content: str) -> None:
        self.starts = [0]
        self.starts += [m.end() for m in _NEWLINE.finditer(content)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1
