"""HCL files as blocks and attributes with their lines: the one seam to python-hcl2.

python-hcl2 parses HCL into a Lark parse tree that carries the line and column of every node;
this module turns that tree into :class:`HclBody` (attributes and blocks in file order) whose
expressions stay unevaluated parse nodes, so :mod:`terraform_eval` can evaluate what is knowable
and keep the written text of the rest. Parse failures (including the ``RuntimeError`` and
``RecursionError`` python-hcl2 can raise on hostile input) become :class:`ParseError` with the
file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import hcl2
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from parity_gui.errors import LimitExceeded, ParseError
from parity_gui.sources.nesting import check_hcl_depth

HclTree = Tree[Token]
Node = HclTree | Token


@dataclass(frozen=True)
class Expression:
    """An attribute's value as written: its parse node, its source text, and where it is."""

    node: Node
    text: str
    line: int
    column: int
    document: str = field(repr=False, compare=False, default="")  #: the whole file's text


@dataclass(frozen=True)
class HclAttribute:
    name: str
    value: Expression
    line: int
    column: int


@dataclass
class HclBlock:
    """A block such as ``resource "aws_instance" "web" { … }``: type, labels and body."""

    type: str
    labels: tuple[str, ...]
    body: HclBody
    line: int
    column: int


@dataclass
class HclBody:
    attributes: list[HclAttribute] = field(default_factory=list)
    blocks: list[HclBlock] = field(default_factory=list)


@dataclass(frozen=True)
class HclFile:
    display: str
    text: str
    body: HclBody


def parse_hcl(text: str, display: str) -> HclFile:
    """Parse HCL text; raise :class:`ParseError` with file and line on a syntax error."""
    check_hcl_depth(text, display)
    tree = _parse_tree(text, display)
    reader = _Reader(text, display)
    return HclFile(display, text, reader.body(_child(tree, "body")))


def _parse_tree(text: str, display: str) -> HclTree:
    try:
        tree: HclTree = hcl2.parses_to_tree(text)
    except UnexpectedInput as e:
        raise ParseError(_syntax_message(e, text), file=display, line=e.line, column=e.column) from e
    except RecursionError as e:
        raise LimitExceeded("HCL nesting is too deep to read", file=display) from e
    except (LarkError, RuntimeError, ValueError) as e:
        raise ParseError(f"HCL syntax error: {_first_line(str(e))}", file=display) from e
    return tree


def _syntax_message(error: UnexpectedInput, text: str) -> str:
    lines = text.splitlines()
    line = lines[error.line - 1] if 0 < error.line <= len(lines) else ""
    if "{{" in line or "{%" in line:
        return "looks like a template ({{ … }} / {% … %}), not HCL; render it first"
    if isinstance(error, UnexpectedEOF):
        return "HCL syntax error: the file ends in the middle of a block or value"
    if isinstance(error, UnexpectedCharacters):
        return f"HCL syntax error: unexpected character {error.char!r}"
    token = getattr(error, "token", None)
    if token is None or token.type == "$END":
        return "HCL syntax error: the file ends in the middle of a block or value"
    written = _first_line(str(token.value)).strip()
    if written and not any(c.isalnum() for c in written):
        return f"HCL syntax error: unexpected {written[:10]!r}"
    return "HCL syntax error: unexpected text here"  # not echoed: it may be a secret


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0]


def _child(tree: HclTree, data: str) -> HclTree:
    return next(c for c in tree.children if isinstance(c, Tree) and c.data == data)


def subtrees(node: Node) -> list[HclTree]:
    """The child parse nodes that are rules, skipping punctuation, newlines and comments."""
    if not isinstance(node, Tree):
        return []
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def tokens(node: Node) -> list[Token]:
    if not isinstance(node, Tree):
        return []
    return [c for c in node.children if isinstance(c, Token)]


def name_of(node: Node) -> str:
    """The name an ``identifier``, ``keyword`` or ``literal_value`` node spells."""
    if isinstance(node, Token):
        return str(node.value)
    if node.data == "string":
        return string_literal(node)
    found = [str(t.value) for t in node.scan_values(lambda v: isinstance(v, Token))]
    return "".join(found)


def string_literal(node: HclTree) -> str:
    """The characters of a quoted string whose parts are plain text (a block label)."""
    parts: list[str] = []
    for part in subtrees(node):
        parts.extend(str(t.value) for t in tokens(part))
    return unescape("".join(parts))


def unescape(text: str) -> str:
    """Resolve the escapes of a quoted HCL string (``\\n``, ``\\"``, ``\\u00e9``)."""
    return hcl2.utils.process_escape_sequences(text)


def position(node: Node) -> tuple[int, int]:
    if isinstance(node, Token):
        return node.line or 0, node.column or 0
    return node.meta.line, node.meta.column


class _Reader:
    def __init__(self, text: str, display: str) -> None:
        self.text = text
        self.display = display

    def body(self, tree: HclTree) -> HclBody:
        """A block's content; an argument set twice in one block is an error, as in Terraform."""
        body = HclBody()
        lines: dict[str, int] = {}
        for item in subtrees(tree):
            if item.data == "attribute":
                attribute = self.attribute(item)
                self.check_unique(attribute, lines)
                body.attributes.append(attribute)
            elif item.data == "block":
                body.blocks.append(self.block(item))
        return body

    def check_unique(self, attribute: HclAttribute, lines: dict[str, int]) -> None:
        first = lines.setdefault(attribute.name, attribute.line)
        if first != attribute.line:
            raise ParseError(f"'{attribute.name}' is set twice (first at line {first}); Terraform refuses this",
                             file=self.display, line=attribute.line, column=attribute.column)

    def attribute(self, tree: HclTree) -> HclAttribute:
        name_node, value_node = tree.children[0], tree.children[-1]
        line, column = position(tree)
        return HclAttribute(name_of(name_node), self.expression(value_node), line, column)

    def block(self, tree: HclTree) -> HclBlock:
        parts = subtrees(tree)
        body = next(p for p in reversed(parts) if p.data == "body")
        names = [name_of(p) for p in parts if p is not body]
        line, column = position(tree)
        return HclBlock(names[0], tuple(names[1:]), self.body(body), line, column)

    def expression(self, node: Node) -> Expression:
        line, column = position(node)
        return Expression(node, self.source(node), line, column, self.text)

    def source(self, node: Node) -> str:
        return source_text(self.text, node)


def source_text(text: str, node: Node) -> str:
    """The text ``node`` was parsed from, as the user wrote it."""
    if isinstance(node, Token):
        return str(node.value)
    meta: Any = node.meta
    if getattr(meta, "empty", True):
        return ""
    return text[meta.start_pos : meta.end_pos].strip()
