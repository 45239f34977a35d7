"""HCL files as blocks and attributes with their lines: the one seam to python-hcl2.

python-hcl2 parses HCL into a Lark parse tree. This module compiles that tree, once, into plain
tuples (:data:`Syntax`) that hold only what evaluation needs: literals already as values,
references as a root and steps, templates as their parts, and for everything else the span of
source text it was written as. Lark objects never leave this module, and the compiled form is
what :mod:`parity_gui.sources.terraform.cache` keeps on disk: tuples of strings and numbers load
with :mod:`marshal` an order of magnitude faster than the parse they replace.

Parse failures (including the ``RuntimeError`` and ``RecursionError`` python-hcl2 can raise on
hostile input) become :class:`ParseError` with the file and line.

A syntax node is ``(kind, start, end, *payload)``; ``start``/``end`` are character offsets of the
text it was written as (``-1`` when it has none of its own, inside a heredoc's template). A
literal is only ``("lit", value)``: it is never shown as an expression, so it needs no span.

=========  =========================================================================
``lit``    ``value``: a literal; lists and objects of literals are folded into one
``tpl``    ``parts``: literal strings and nodes (``"app-${var.env}"``, heredocs)
``list``   ``items``
``obj``    ``((key, value), …)``: a key is a ``lit`` for names and quoted strings (unfolded, each
           element is ``(key, value, key start, value start, value end)``)
``ref``    ``root, steps``: ``var.tags["x"]`` is ``"var", (("a", "tags"), ("i", node))``
``call``   ``name, arguments, spread``
``cond``   ``condition, when_true, when_false``
``bin``    ``operator, left, right``
``un``     ``operator, operand``
``raw``    ``text or None``: only Terraform knows (for expressions, splats, directives)
=========  =========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import hcl2
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from parity_gui.errors import LimitExceeded, ParseError
from parity_gui.sources.nesting import check_hcl_depth

#: A compiled expression (see the module docstring): nested tuples of plain values.
Syntax = tuple[Any, ...]
_Lark = Tree[Token]
_Node = _Lark | Token
#: Tokens that only punctuate: dropped when compiling.
_PUNCTUATION = {"DBLQUOTE", "EQ", "DOT", "LBRACE", "RBRACE", "LSQB", "RSQB", "COMMA", "COLON", "LPAR", "RPAR"}
_REFERENCE_TERMS = {"get_attr_expr_term", "index_expr_term", "expr_term"}


@dataclass(frozen=True)
class Expression:
    """An attribute's value as written: its compiled syntax, source text, and where it is."""

    node: Syntax
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


#: A body as stored: ``(attributes, blocks)``; an attribute is ``(name, line, column, start,
#: end, value line, value column, syntax)`` and a block ``(type, labels, line, column, body)``.
CompiledBody = tuple[tuple[Any, ...], tuple[Any, ...]]


def parse_hcl(text: str, display: str, *, fold: bool = True) -> HclFile:
    """Parse HCL text; raise :class:`ParseError` with file and line on a syntax error."""
    return file_from_compiled(compile_hcl(text, display, fold=fold), text, display)


def compile_hcl(text: str, display: str, *, fold: bool = True) -> CompiledBody:
    """Parse ``text`` and compile it into the plain form :func:`file_from_compiled` reads.

    ``fold`` turns lists and objects of literals into one literal; without it every element
    keeps its own node and span (a ``.tf.json`` file's objects are blocks, read key by key)."""
    check_hcl_depth(text, display)
    tree = _parse_tree(text, display)
    return _Compiler(text, fold=fold).body(_child(tree, "body"))


def file_from_compiled(compiled: CompiledBody, text: str, display: str) -> HclFile:
    """The :class:`HclFile` a compiled body describes."""
    return HclFile(display, text, _Builder(text, display).body(compiled))


def _parse_tree(text: str, display: str) -> _Lark:
    try:
        tree: _Lark = hcl2.parses_to_tree(text)
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


def _child(tree: _Lark, data: str) -> _Lark:
    return next(c for c in tree.children if isinstance(c, Tree) and c.data == data)


def _subtrees(node: _Node) -> list[_Lark]:
    """The child parse nodes that are rules, skipping punctuation, newlines and comments."""
    if not isinstance(node, Tree):
        return []
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _tokens(node: _Node) -> list[Token]:
    if not isinstance(node, Tree):
        return []
    return [c for c in node.children if isinstance(c, Token) and c.type not in _PUNCTUATION]


def _integer(digits: str) -> int | str:
    """An integer literal's value; one of more digits than Python converts (4,300) stays the
    text it is written as (Terraform's numbers have arbitrary precision)."""
    try:
        return int(digits)
    except ValueError:
        return digits


def _name_of(node: _Node) -> str:
    """The name an ``identifier``, ``keyword`` or ``literal_value`` node spells."""
    if isinstance(node, Token):
        return str(node.value)
    if node.data == "string":
        return _string_literal(node)
    return "".join(str(t.value) for t in node.scan_values(lambda v: isinstance(v, Token)))


def _string_literal(node: _Lark) -> str:
    """The characters of a quoted string whose parts are plain text (a block label)."""
    parts: list[str] = []
    for part in _subtrees(node):
        parts.extend(str(t.value) for t in _tokens(part))
    return unescape("".join(parts))


def unescape(text: str) -> str:
    """Resolve the escapes of a quoted HCL string (``\\n``, ``\\"``, ``\\u00e9``)."""
    return hcl2.utils.process_escape_sequences(text)


def _span(node: _Node) -> tuple[int, int]:
    if isinstance(node, Token):
        return node.start_pos or 0, node.end_pos or 0
    meta: Any = node.meta
    if getattr(meta, "empty", True):
        return -1, -1
    return meta.start_pos, meta.end_pos


def _position(node: _Node) -> tuple[int, int]:
    if isinstance(node, Token):
        return node.line or 0, node.column or 0
    return node.meta.line, node.meta.column


class _Compiler:
    """Lark parse tree → plain tuples (see the module docstring)."""

    def __init__(self, text: str, *, fold: bool = True) -> None:
        self.text = text
        self.fold = fold
        self.handlers = {
            "expr_term": self.term,
            "conditional": self.conditional,
            "binary_op": self.binary,
            "unary_op": self.unary,
            "int_lit": lambda n: self.lit(n, _integer(_name_of(n))),
            "float_lit": lambda n: self.lit(n, float(_name_of(n))),
            "literal_value": lambda n: self.lit(n, {"true": True, "false": False, "null": None}[_name_of(n)]),
            "string": self.string,
            "tuple": self.sequence,
            "object": self.object,
            "identifier": self.raw,
            "get_attr_expr_term": self.reference,
            "index_expr_term": self.reference,
            "full_splat_expr_term": self.raw,
            "attr_splat_expr_term": self.raw,
            "function_call": self.call,
            "heredoc_template": self.heredoc,
            "heredoc_template_trim": self.heredoc,
        }

    def body(self, tree: _Lark) -> CompiledBody:
        attributes: list[tuple[Any, ...]] = []
        blocks: list[tuple[Any, ...]] = []
        for item in _subtrees(tree):
            if item.data == "attribute":
                attributes.append(self.attribute(item))
            elif item.data == "block":
                blocks.append(self.block(item))
        return tuple(attributes), tuple(blocks)

    def attribute(self, tree: _Lark) -> tuple[Any, ...]:
        name_node, value_node = tree.children[0], tree.children[-1]
        line, column = _position(tree)
        start, end = _span(value_node)
        value_line, value_column = _position(value_node)
        return (_name_of(name_node), line, column, start, end, value_line, value_column, self.expr(value_node))

    def block(self, tree: _Lark) -> tuple[Any, ...]:
        parts = _subtrees(tree)
        body = next(p for p in reversed(parts) if p.data == "body")
        names = [_name_of(p) for p in parts if p is not body]
        line, column = _position(tree)
        return (names[0], tuple(names[1:]), line, column, self.body(body))

    def expr(self, node: _Node) -> Syntax:
        if isinstance(node, Token):
            return self.raw(node)
        handler = self.handlers.get(node.data)
        return handler(node) if handler else self.raw(node)

    def raw(self, node: _Node, text: str | None = None) -> Syntax:
        return (*_with_span("raw", node), text)

    def lit(self, node: _Node, value: Any) -> Syntax:
        return ("lit", value)  # a literal needs no span: it is never shown as an expression

    def term(self, node: _Lark) -> Syntax:
        inner = _subtrees(node)
        return self.expr(inner[0]) if len(inner) == 1 else self.raw(node)

    def conditional(self, node: _Lark) -> Syntax:
        condition, when_true, when_false = _subtrees(node)
        return (*_with_span("cond", node), self.expr(condition), self.expr(when_true), self.expr(when_false))

    def binary(self, node: _Lark) -> Syntax:
        left, term = _subtrees(node)[:2]
        operator, right = _subtrees(term)[:2]
        return (*_with_span("bin", node), _name_of(operator), self.expr(left), self.expr(right))

    def unary(self, node: _Lark) -> Syntax:
        operator = str(node.children[0].value) if isinstance(node.children[0], Token) else "?"
        return (*_with_span("un", node), operator, self.expr(_subtrees(node)[0]))

    def string(self, node: _Lark) -> Syntax:
        parts: list[Any] = []
        for part in _subtrees(node):
            inner = part.children[0]
            if isinstance(inner, Token):
                parts.append(_string_chars(inner))
            elif inner.data == "interpolation":
                parts.append(self.expr(_subtrees(inner)[0]))
            else:  # a template directive (%{ if … }): only Terraform evaluates those
                start, end = _span(node)
                return ("raw", start, end, self.text[start + 1 : end - 1])
        if all(isinstance(part, str) for part in parts):
            return self.lit(node, "".join(parts))
        return (*_with_span("tpl", node), tuple(parts))

    def sequence(self, node: _Lark) -> Syntax:
        items = tuple(self.expr(i) for i in _subtrees(node))
        if self.fold and all(item[0] == "lit" for item in items):  # folded: evaluation has nothing to do
            return self.lit(node, [item[1] for item in items])
        return (*_with_span("list", node), items)

    def object(self, node: _Lark) -> Syntax:
        elements: list[tuple[Any, ...]] = []
        for element in _subtrees(node):
            key_node, value_node = _subtrees(element)[:2]
            pair = (self.object_key(key_node), self.expr(value_node))
            # unfolded (a .tf.json file's blocks), each element also keeps where its key and value are
            elements.append(pair if self.fold else (*pair, _span(key_node)[0], *_span(value_node)))
        if self.fold and all(k[0] == "lit" and isinstance(k[1], str) and v[0] == "lit" for k, v in elements):
            return self.lit(node, {k[1]: v[1] for k, v in elements})
        return (*_with_span("obj", node), tuple(elements))

    def object_key(self, node: _Lark) -> Syntax:
        inner = _subtrees(node)
        target = inner[0] if inner else node
        if target.data == "expr_term" and _subtrees(target) and _subtrees(target)[0].data == "identifier":
            return self.lit(target, _name_of(_subtrees(target)[0]))
        if target.data == "keyword":
            return self.lit(target, _name_of(target))
        return self.expr(target)

    def reference(self, node: _Lark) -> Syntax:
        """``var.a.b["c"]``: a root name and steps; anything else in the chain stays raw."""
        steps: list[tuple[str, Any]] = []
        current: _Node = node
        while isinstance(current, Tree) and current.data in _REFERENCE_TERMS:
            inner = _subtrees(current)
            if current.data == "expr_term":
                if len(inner) != 1:
                    return self.raw(node)
                if inner[0].data == "identifier":
                    return (*_with_span("ref", node), _name_of(inner[0]), tuple(reversed(steps)))
                current = inner[0]
                continue
            base, step = inner[:2]
            steps.append(self.step(step))
            current = base
        return self.raw(node)

    def step(self, node: _Lark) -> tuple[str, Any]:
        if node.data == "get_attr":
            return ("a", _name_of(_subtrees(node)[0]))
        if node.data == "short_index":
            return ("i", ("lit", int(_name_of(node.children[-1]))))
        return ("i", self.expr(_subtrees(node)[0]))

    def call(self, node: _Lark) -> Syntax:
        parts = _subtrees(node)
        arguments = [p for p in parts if p.data == "arguments"]
        names = [p for p in parts if p.data != "arguments"]
        values = tuple(self.expr(a) for a in _subtrees(arguments[0])) if arguments else ()
        spread = any(str(t.value) == "..." for a in arguments for t in _tokens(a))
        name = "::".join(_name_of(n) for n in names)
        return (*_with_span("call", node), name, values, spread)

    def heredoc(self, node: _Lark) -> Syntax:
        """A heredoc is a template: its ``${…}`` parts compile like a quoted string's."""
        body = heredoc_body(_name_of(node.children[0]))
        pieces = template_pieces(body)
        if pieces is None:
            return self.raw(node, body)
        parts: list[Any] = []
        for piece in pieces:
            parts.append(piece if isinstance(piece, str) else _template_expression(piece.text))
        return (*_with_span("tpl", node), tuple(parts), body)


def _with_span(kind: str, node: _Node) -> tuple[str, int, int]:
    start, end = _span(node)
    return kind, start, end


def _template_expression(text: str) -> Syntax:
    """An expression written inside a heredoc's ``${…}``, compiled on its own; it has no span
    in the file, so what it cannot evaluate is shown as written inside the braces."""
    document = f"value = {text}\n"
    try:
        tree = _parse_tree(document, "(template)")
    except (ParseError, LimitExceeded):
        return ("raw", -1, -1, text)
    body = _Compiler(document).body(_child(tree, "body"))
    compiled: Syntax = _without_spans(body[0][0][-1], text)
    return compiled


def _without_spans(node: Any, text: str) -> Any:
    if is_syntax(node):
        if node[0] == "raw":
            return ("raw", -1, -1, node[3] if node[3] is not None else text)
        return (node[0], -1, -1, *(_without_spans(p, text) for p in node[3:]))
    if isinstance(node, tuple):
        return tuple(_without_spans(p, text) for p in node)
    return node


_KINDS = {"lit", "tpl", "list", "obj", "ref", "call", "cond", "bin", "un", "raw"}


def is_syntax(node: Any) -> bool:
    """Whether ``node`` is a syntax node rather than a tuple of parts, items or steps."""
    return (
        isinstance(node, tuple)
        and len(node) >= 3
        and node[0] in _KINDS
        and isinstance(node[1], int)
        and isinstance(node[2], int)
    )


def _string_chars(token: Token) -> str:
    text = str(token.value)
    if token.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
        return text[1:]
    return unescape(text)


@dataclass(frozen=True, slots=True)
class TemplatePiece:
    """The text of one ``${…}`` in a template."""

    text: str


def template_pieces(body: str) -> list[str | TemplatePiece] | None:
    """Literal text and ``${…}`` expression texts of a template, or None for directives
    (``%{ if … }``) and unbalanced braces, which stay as written."""
    pieces: list[str | TemplatePiece] = []
    position = 0
    index = 0
    while True:
        found = _next_opening(body, index)
        if found is None:
            break
        start, kind = found
        if kind == "%":
            return None
        end = _closing_brace(body, start + 2)
        if end is None:
            return None
        pieces.append(_literal_text(body[position:start]))
        pieces.append(TemplatePiece(body[start + 2 : end].strip()))
        position = index = end + 1
    pieces.append(_literal_text(body[position:]))
    return pieces


def _next_opening(body: str, index: int) -> tuple[int, str] | None:
    """The next ``${`` or ``%{`` that is not escaped (``$${``, ``%%{``), from ``index``."""
    while True:
        dollar, percent = body.find("${", index), body.find("%{", index)
        candidates = [i for i in (dollar, percent) if i >= 0]
        if not candidates:
            return None
        at = min(candidates)
        if at > 0 and body[at - 1] == body[at]:
            index = at + 2
            continue
        return at, body[at]


def _literal_text(text: str) -> str:
    return text.replace("$${", "${").replace("%%{", "%{")


def _closing_brace(text: str, start: int) -> int | None:
    depth, quoted, index = 1, False, start
    while index < len(text):
        char = text[index]
        if quoted and char == "\\":
            index += 2
            continue
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "{":
            depth += 1
        elif not quoted and char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def heredoc_body(token: str) -> str:
    """The text between a heredoc's markers; ``<<-`` strips the common indentation."""
    first, _, rest = token.partition("\n")
    lines = rest.rstrip("\r\n").split("\n")[:-1]
    lines = [line.rstrip("\r") for line in lines]
    if first.startswith("<<-"):
        indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
        cut = min(indents, default=0)
        lines = [line[cut:] for line in lines]
    return "".join(line + "\n" for line in lines)


class _Builder:
    """Compiled body → :class:`HclBody`, checking that no argument is set twice in a block."""

    def __init__(self, text: str, display: str) -> None:
        self.text = text
        self.display = display

    def body(self, compiled: CompiledBody) -> HclBody:
        attributes, blocks = compiled
        body = HclBody()
        lines: dict[str, int] = {}
        for name, line, column, start, end, value_line, value_column, syntax in attributes:
            first = lines.setdefault(name, line)
            if first != line:
                raise ParseError(
                    f"'{name}' is set twice (first at line {first}); Terraform refuses this",
                    file=self.display,
                    line=line,
                    column=column,
                )
            text = self.text[start:end].strip() if start >= 0 else ""
            value = Expression(syntax, text, value_line, value_column, self.text)
            body.attributes.append(HclAttribute(name, value, line, column))
        for kind, labels, line, column, inner in blocks:
            body.blocks.append(HclBlock(kind, tuple(labels), self.body(inner), line, column))
        return body
