"""TOML read with the line, column and span of every value.

:mod:`tomllib` reads the values (and refuses invalid files, a key defined twice included, with
the line and column it names); it keeps no positions, so a linear scan of the same text finds
where each key is written: table headers (``[server]``, ``[[products]]`` with their running
count), ``key = value`` lines with bare, quoted and dotted keys, and the extent of each value
(strings of all four kinds, arrays and inline tables over several lines, comments skipped).
A value inside an array or an inline table has the position of the key that holds it. Dates
and times compare as the text TOML defines for them (ISO 8601, ``1979-05-27T07:32:00-08:00``).
"""

from __future__ import annotations

import datetime
import re
import tomllib
from typing import Any

from parity_gui.errors import LimitExceeded, ParseError
from parity_gui.sources.structured.nodes import Lines, Parsed
from parity_gui.sources.text import Text
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq

#: A key path; items of an array of tables are numbered (``("products", 1, "name")``).
KeyPath = tuple[str | int, ...]


def parse_toml(text: Text) -> Parsed:
    try:
        values = tomllib.loads(text.content)
    except tomllib.TOMLDecodeError as e:
        raise _error(e, text) from None
    except RecursionError:
        raise LimitExceeded("TOML nests too deep to read", file=text.display) from None
    except ValueError as e:
        raise _long_integer(text, e) from None
    scan = _Scan(text.content)
    scan.run()
    try:
        return Parsed((_Build(text.content, scan).table(values, (), (1, 1)) if values else None,))
    except _OutOfRange as e:
        raise ParseError("invalid TOML: an integer outside the 64-bit range (TOML integers are 64-bit)",
                         file=text.display, line=e.line, column=e.column) from None


class _OutOfRange(Exception):
    """An integer that TOML 1.0.0 ("Integer") requires to be refused: it does not fit 64 bits
    (``0x`` followed by a thousand ``f``; tomllib reads it all the same)."""

    def __init__(self, line: int, column: int) -> None:
        super().__init__(line, column)
        self.line, self.column = line, column


def _error(error: tomllib.TOMLDecodeError, text: Text) -> ParseError:
    message = str(error)
    line = column = None
    head, _, where = message.rpartition(" (at line ")
    if head and where.endswith(")"):
        numbers = where[:-1].split(", column ")
        if len(numbers) == 2 and all(n.isdigit() for n in numbers):
            message, line, column = head, int(numbers[0]), int(numbers[1])
    return ParseError(f"invalid TOML: {message}", file=text.display, line=line, column=column)


_DIGITS = re.compile(r"[0-9_]+")


def _long_integer(text: Text, error: ValueError) -> ParseError:
    """The error for an integer of more digits than Python converts (4,300): TOML 1.0.0,
    "Integer": one that cannot be represented losslessly in 64 bits must be an error."""
    found = next((m for m in _DIGITS.finditer(text.content) if len(m.group()) > 4300), None)
    if found is None:
        return ParseError(f"invalid TOML: {str(error).splitlines()[0][:200]}", file=text.display)
    line, column = Lines(text.content).position(found.start())
    return ParseError("invalid TOML: an integer of more than 4,300 digits (TOML integers are 64-bit)",
                      file=text.display, line=line, column=column)


class _Scan:
    """Where each key and table is written (see the module docstring)."""

    def __init__(self, content: str) -> None:
        self.content = content
        self.lines = Lines(content)
        self.keys: dict[KeyPath, tuple[int, int, int, int]] = {}  # path → line, column, start, end
        self.tables: dict[KeyPath, tuple[int, int]] = {}
        self.counts: dict[tuple[str, ...], int] = {}

    def run(self) -> None:
        table: KeyPath = ()
        pos, size = 0, len(self.content)
        while pos < size:
            pos = self.skip_blank(pos, newlines=True)
            if pos >= size:
                break
            char = self.content[pos]
            if char == "#":
                pos = self.line_end(pos)
            elif char == "[":
                table, pos = self.header(pos)
            else:
                pos = self.pair(pos, table)

    def header(self, pos: int) -> tuple[KeyPath, int]:
        where = self.lines.position(pos)
        many = self.content.startswith("[[", pos)
        keys, pos = self.key(self.skip_blank(pos + (2 if many else 1)))
        pos = self.content.index("]", pos) + (2 if many else 1)
        path = self.numbered(keys)
        if many:
            index = self.counts.get(tuple(keys), -1) + 1
            self.counts[tuple(keys)] = index
            self.tables.setdefault(path, where)
            path = (*path, index)
        self.tables[path] = where
        return path, self.line_end(pos)

    def numbered(self, keys: list[str]) -> KeyPath:
        """``a.b`` with the current item number after each array of tables on the way."""
        path: list[str | int] = []
        for i, key in enumerate(keys):
            path.append(key)
            count = self.counts.get(tuple(keys[:i + 1]))
            if count is not None and i + 1 < len(keys):
                path.append(count)
        return tuple(path)

    def pair(self, pos: int, table: KeyPath) -> int:
        where = self.lines.position(pos)
        keys, pos = self.key(pos)
        pos = self.skip_blank(self.skip_blank(pos) + 1)  # past '='
        end = self.value_end(pos)
        self.keys[(*table, *keys)] = (*where, pos, end)
        return end

    def key(self, pos: int) -> tuple[list[str], int]:
        keys: list[str] = []
        while True:
            pos = self.skip_blank(pos)
            char = self.content[pos]
            if char in "\"'":
                end = self.string_end(pos)
                keys.append(tomllib.loads(f"k = {self.content[pos:end]}")["k"])
            else:
                end = pos
                while end < len(self.content) and (self.content[end].isalnum() or self.content[end] in "_-"):
                    end += 1
                keys.append(self.content[pos:end])
            pos = self.skip_blank(end)
            if self.content[pos:pos + 1] != ".":
                return keys, pos
            pos += 1

    def value_end(self, pos: int) -> int:
        char = self.content[pos:pos + 1]
        if char in ("\"", "'"):
            return self.string_end(pos)
        if char in ("[", "{"):
            return self.bracket_end(pos)
        end = pos
        while end < len(self.content) and self.content[end] not in "#,]}\r\n":
            end += 1
        return len(self.content[pos:end].rstrip()) + pos

    def bracket_end(self, pos: int) -> int:
        depth = 0
        while pos < len(self.content):
            char = self.content[pos]
            if char in "\"'":
                pos = self.string_end(pos)
                continue
            if char == "#":
                pos = self.line_end(pos)
                continue
            depth += 1 if char in "[{" else -1 if char in "]}" else 0
            pos += 1
            if depth == 0:
                return pos
        return pos

    def string_end(self, pos: int) -> int:
        quote = self.content[pos]
        triple = self.content.startswith(quote * 3, pos)
        pos += 3 if triple else 1
        while pos < len(self.content):
            char = self.content[pos]
            if char == "\\" and quote == '"':
                pos += 2
            elif char == quote and (not triple or self.content.startswith(quote * 3, pos)):
                if not triple:
                    return pos + 1
                end = pos + 3
                while self.content[end:end + 1] == quote and end < pos + 5:
                    end += 1  # up to two quotes of the content may touch the closing ones
                return end
            else:
                pos += 1
        return pos

    def skip_blank(self, pos: int, *, newlines: bool = False) -> int:
        blanks = " \t\r\n" if newlines else " \t"
        while pos < len(self.content) and self.content[pos] in blanks:
            pos += 1
        return pos

    def line_end(self, pos: int) -> int:
        end = self.content.find("\n", pos)
        return len(self.content) if end < 0 else end + 1


class _Build:
    """tomllib's values as nodes placed where :class:`_Scan` found them."""

    def __init__(self, content: str, scan: _Scan) -> None:
        self.content = content
        self.scan = scan

    def table(self, values: dict[str, Any], path: KeyPath, where: tuple[int, int]) -> YMap:
        node = YMap(where[0], where[1], -1, -1, None)
        for key, value in values.items():
            child = (*path, key)
            found = self.scan.keys.get(child)
            place = found[:2] if found else self.scan.tables.get(child, where)
            node[key] = self.value(value, child, place)
            node.key_positions[key] = place
        return node

    def value(self, value: Any, path: KeyPath, where: tuple[int, int]) -> YNode:
        if isinstance(value, dict):
            return self.table(value, path, self.scan.tables.get(path, where))
        if isinstance(value, list):
            node = YSeq(where[0], where[1], -1, -1, None)
            for i, item in enumerate(value):
                node.append(self.value(item, (*path, i), self.scan.tables.get((*path, i), where)))
            return node
        found = self.scan.keys.get(path)
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            raise _OutOfRange(*(self.scan.lines.position(found[2]) if found else where))
        if isinstance(value, datetime.date | datetime.time):
            value = value.isoformat()
        if found is None:
            return Scalar(value, str(value), where[0], where[1], -1, -1)
        line, column = self.scan.lines.position(found[2])
        raw = self.content[found[2]:found[3]]
        return Scalar(value, raw, line, column, found[2], found[3], None, raw[:1] in "\"'")
