"""JSON read with the line, column and span of every value.

The standard library's reader keeps no positions, so this is a small scanner of its own
(RFC 8259), with two allowances that real configuration files rely on: ``//`` and ``/* */``
comments and trailing commas, as .NET's ``appsettings.json``, ``tsconfig.json`` and VS Code
settings use them. Strings and numbers are decoded by :mod:`json` itself. A key written twice
in one object is a warning naming both lines, and the last value wins (as ``JSON.parse`` and
Python's :func:`json.loads` do). Nesting deeper than :data:`MAX_DEPTH` is refused.
"""

from __future__ import annotations

import json
import re

from parity_gui.core.tree import Diagnostic
from parity_gui.errors import LimitExceeded, ParseError
from parity_gui.sources.structured.nodes import Lines, Parsed, well_formed
from parity_gui.sources.text import Text
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq

MAX_DEPTH = 256
_BLANK = re.compile(r"(?:[ \t\r\n]|//[^\n]*|/\*(?:[^*]|\*(?!/))*\*/)*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_WORDS = {"true": True, "false": False, "null": None}


def parse_json(text: Text) -> Parsed:
    """The JSON document in ``text`` (None when the file is empty or only comments)."""
    scanner = _Scanner(text)
    start = scanner.blank(0)
    if start == len(text.content):
        return Parsed((None,))
    node, end = scanner.value(start, 1)
    end = scanner.blank(end)
    if end != len(text.content):
        raise scanner.error("unexpected text after the JSON value", end)
    return Parsed((node,), tuple(scanner.diagnostics))


def _decoded(token: str) -> str | int | float:
    """A string or number token's value; a lone surrogate in a string becomes U+FFFD, and a number
    of more digits than Python converts (4,300) stays the text it is written as."""
    if token.startswith('"'):
        return well_formed(json.loads(token))
    try:
        number: int | float = json.loads(token)
    except ValueError:
        return token
    return number


class _Scanner:
    def __init__(self, text: Text) -> None:
        self.text = text
        self.content = text.content
        self.lines = Lines(text.content)
        self.diagnostics: list[Diagnostic] = []

    def blank(self, pos: int) -> int:
        match = _BLANK.match(self.content, pos)
        return match.end() if match else pos

    def value(self, pos: int, depth: int) -> tuple[YNode, int]:
        if depth > MAX_DEPTH:
            raise self.error(f"JSON nests deeper than {MAX_DEPTH} levels", pos, LimitExceeded)
        first = self.content[pos:pos + 1]
        if first == "{":
            return self.object(pos, depth)
        if first == "[":
            return self.array(pos, depth)
        return self.scalar(pos)

    def scalar(self, pos: int) -> tuple[Scalar, int]:
        for pattern in (_STRING, _NUMBER):
            match = pattern.match(self.content, pos)
            if match:
                return self.make(_decoded(match.group()), pos, match.end()), match.end()
        for word, value in _WORDS.items():
            if self.content.startswith(word, pos):
                return self.make(value, pos, pos + len(word)), pos + len(word)
        if self.content[pos:pos + 1] == '"':
            raise self.error("unterminated string, or a control character or bad escape in it", pos)
        raise self.error("expected a JSON value", pos)

    def make(self, value: str | int | float | bool | None, start: int, end: int) -> Scalar:
        line, column = self.lines.position(start)
        raw = self.content[start:end]
        return Scalar(value, raw, line, column, start, end, None, raw.startswith('"'))

    def object(self, pos: int, depth: int) -> tuple[YMap, int]:
        line, column = self.lines.position(pos)
        node = YMap(line, column, pos, pos, None)
        pos = self.blank(pos + 1)
        while self.content[pos:pos + 1] != "}":
            match = _STRING.match(self.content, pos)
            if not match:
                raise self.error("expected a key in double quotes or '}'", pos)
            key = well_formed(json.loads(match.group()))
            where = self.lines.position(pos)
            pos = self.blank(match.end())
            if self.content[pos:pos + 1] != ":":
                raise self.error("expected ':' after the key", pos)
            value, pos = self.value(self.blank(pos + 1), depth + 1)
            self.put(node, key, value, where)
            pos = self.separator(self.blank(pos), "}")
        node.end = pos + 1
        return node, pos + 1

    def put(self, node: YMap, key: str, value: YNode, where: tuple[int, int]) -> None:
        if key in node:
            first = node.key_positions[key][0]
            self.diagnostics.append(Diagnostic(
                f"duplicate key '{key}' (first at line {first}); the last one is used",
                self.text.display, where[0], where[1]))
            del node[key]
        node[key] = value
        node.key_positions[key] = where

    def array(self, pos: int, depth: int) -> tuple[YSeq, int]:
        line, column = self.lines.position(pos)
        node = YSeq(line, column, pos, pos, None)
        pos = self.blank(pos + 1)
        while self.content[pos:pos + 1] != "]":
            item, pos = self.value(pos, depth + 1)
            node.append(item)
            pos = self.separator(self.blank(pos), "]")
        node.end = pos + 1
        return node, pos + 1

    def separator(self, pos: int, closing: str) -> int:
        """Past a ``,`` (a trailing one too) to the next item or the closing bracket."""
        here = self.content[pos:pos + 1]
        if here == ",":
            return self.blank(pos + 1)
        if here == closing:
            return pos
        raise self.error(f"expected ',' or '{closing}'", pos)

    def error(self, message: str, pos: int, kind: type[ParseError] = ParseError) -> ParseError:
        line, column = self.lines.position(min(pos, len(self.content)))
        found = self.content[pos:pos + 1]
        detail = f" (found {found!r})" if found else " (found the end of the file)"
        return kind(message + detail, file=self.text.display, line=line, column=column)
