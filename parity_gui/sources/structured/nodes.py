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


_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """``text`` with escaped UTF-16 surrogates made whole: a pair (``\\ud83d\\ude00``, as a
    ``.properties`` file may spell one character) becomes its character, and a lone one becomes
    U+FFFD, as Go's ``encoding/json`` and Java's UTF-8 encoder write it. A lone surrogate cannot
    be written out as UTF-8, so it must not reach a report."""
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
