"""Evaluating Terraform expressions as far as a reader can without running Terraform.

Known: literals (strings without their quotes and with escapes resolved, numbers, booleans,
null, lists, objects), ``var.NAME`` when the variable's value is known (from tfvars or its
default), ``local.NAME`` when the local can be evaluated, string templates over known values
(``"app-${var.environment}"``), conditionals with a known condition, comparisons, arithmetic,
logic, indexing into known values, heredocs (templates like strings; ``<<-`` indentation
stripped) and a handful of pure functions (:data:`FUNCTIONS`).

Anything else (resource attributes, ``for`` expressions, splats, unknown functions, variables
without a value) becomes :class:`Unknown` carrying the expression's text as written, without a
``${…}`` wrapper; the tree then shows that text, so two environments that write the same
expression still compare equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from lark import Token

from parity_gui.errors import ParityError
from parity_gui.sources.terraform.hcl import (
    Expression,
    HclTree,
    Node,
    name_of,
    parse_hcl,
    source_text,
    subtrees,
    tokens,
    unescape,
)

MAX_DEPTH = 100
#: Characters (or list items) evaluation may produce for one value, and for a whole module:
#: past them, the value stays the expression as written, so locals that repeat each other
#: (``b = "${local.a}${local.a}"``, eight levels deep) cannot grow into hundreds of megabytes.
MAX_VALUE_SIZE = 1_000_000
MAX_MODULE_SIZE = 10_000_000
_INTERPOLATION = re.compile(r"(?<!\$)\$\{|(?<!%)%\{")


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value only Terraform itself would know, kept as the text that computes it."""

    text: str


def is_known(value: Any) -> bool:
    """True when ``value`` holds no :class:`Unknown` anywhere inside."""
    if isinstance(value, Unknown):
        return False
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    return True


def plain(value: Any) -> Any:
    """A value for the canonical tree: unknowns become their text; lists of objects become
    maps keyed by position (the tree holds no lists of mappings)."""
    if isinstance(value, Unknown):
        return value.text
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [plain(v) for v in value]
        if any(isinstance(v, dict) for v in items):
            return {str(i): v for i, v in enumerate(items)}
        return items
    return value


def _to_text(value: Any) -> str:
    """A known scalar as Terraform writes it in a string; null and collections have no text."""
    if value is None or isinstance(value, dict | list):
        raise TypeError("only strings, numbers and booleans convert to text")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(text: str) -> int | float:
    return float(text) if any(c in text for c in ".eE") else int(text)


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise KeyError(key)


def _coalesce(*values: Any) -> Any:
    return next(v for v in values if v is not None and v != "")


def _join(separator: str, items: list[Any]) -> str:
    return separator.join(_to_text(i) for i in items)


#: Terraform functions evaluated when all their arguments are known.
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "upper": lambda s: s.upper(),
    "lower": lambda s: s.lower(),
    "trimspace": lambda s: s.strip(),
    "length": len,
    "min": min,
    "max": max,
    "lookup": _lookup,
    "coalesce": _coalesce,
    "join": _join,
    "concat": lambda *lists: [x for items in lists for x in items],
    "contains": lambda items, v: v in items,
    "merge": lambda *maps: {k: v for m in maps for k, v in m.items()},
    "tostring": _to_text,
    "tonumber": lambda v: _number(str(v)),
}


class Evaluator:
    """Evaluates the expressions of one module against its known variables and locals."""

    def __init__(self, variables: Mapping[str, Any], local_expressions: Mapping[str, Expression]):
        self.variables = variables
        self.local_expressions = local_expressions
        self._locals: dict[str, Any] = {}
        self._evaluating: set[str] = set()
        self._document = ""
        self._depth = 0
        self._produced = 0
        self._handlers: dict[str, Callable[[HclTree], Any]] = {
            "expr_term": self._expr_term,
            "conditional": self._conditional,
            "binary_op": self._binary_op,
            "unary_op": self._unary_op,
            "int_lit": lambda n: int(name_of(n)),
            "float_lit": lambda n: float(name_of(n)),
            "literal_value": self._literal,
            "string": self._string,
            "tuple": self._tuple,
            "object": self._object,
            "identifier": lambda n: Unknown(name_of(n)),
            "get_attr_expr_term": self._get_attr,
            "index_expr_term": self._index,
            "function_call": self._function,
            "heredoc_template": self._heredoc,
            "heredoc_template_trim": self._heredoc,
        }

    def value(self, expression: Expression) -> Any:
        """The value of ``expression``, with :class:`Unknown` where it cannot be known."""
        saved = self._document
        self._document = expression.document
        try:
            return self._eval(expression.node)
        finally:
            self._document = saved

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        expression = self.local_expressions.get(name)
        if expression is None or name in self._evaluating:
            return Unknown(f"local.{name}")
        self._evaluating.add(name)
        try:
            result = self.value(expression)
        finally:
            self._evaluating.discard(name)
        self._locals[name] = result
        return result

    def _eval(self, node: Node) -> Any:
        if isinstance(node, Token):
            return Unknown(str(node.value))
        handler = self._handlers.get(node.data)
        if handler is None or self._depth >= MAX_DEPTH:
            return self._unknown(node)
        self._depth += 1
        try:
            return handler(node)
        finally:
            self._depth -= 1

    def _bounded(self, value: Any, node: Node) -> Any:
        """``value``, or the expression as written when it is larger than evaluation may make."""
        size = len(value) if isinstance(value, str | list | dict) else 0
        self._produced += size
        if size > MAX_VALUE_SIZE or self._produced > MAX_MODULE_SIZE:
            return self._unknown(node)
        return value

    def _unknown(self, node: Node) -> Unknown:
        return Unknown(source_text(self._document, node))

    def _expr_term(self, node: HclTree) -> Any:
        inner = subtrees(node)
        return self._eval(inner[0]) if len(inner) == 1 else self._unknown(node)

    def _literal(self, node: HclTree) -> Any:
        return {"true": True, "false": False, "null": None}[name_of(node)]

    def _conditional(self, node: HclTree) -> Any:
        condition, when_true, when_false = subtrees(node)
        chosen = self._eval(condition)
        if not isinstance(chosen, bool):
            return self._unknown(node)
        return self._eval(when_true if chosen else when_false)

    def _binary_op(self, node: HclTree) -> Any:
        left_node, term = subtrees(node)[:2]
        operator_node, right_node = subtrees(term)[:2]
        operator = name_of(operator_node)
        left, right = self._eval(left_node), self._eval(right_node)
        if not (is_known(left) and is_known(right)):
            return self._unknown(node)
        try:
            return _OPERATORS[operator](left, right)
        except (TypeError, ZeroDivisionError, KeyError):
            return self._unknown(node)

    def _unary_op(self, node: HclTree) -> Any:
        operator = str(tokens(node)[0].value)
        operand = self._eval(subtrees(node)[0])
        if operator == "!" and isinstance(operand, bool):
            return not operand
        if operator == "-" and _is_number(operand):
            return -operand
        return self._unknown(node)

    def _string(self, node: HclTree) -> Any:
        pieces = [self._string_part(part) for part in subtrees(node)]
        if len(pieces) == 1 and isinstance(pieces[0], _Interpolated):
            return pieces[0].value
        values = [p.value if isinstance(p, _Interpolated) else p for p in pieces]
        if not all(isinstance(v, str) or (is_known(v) and _is_scalar(v)) for v in values):
            return Unknown(source_text(self._document, node)[1:-1])
        return self._bounded("".join(_to_text(v) for v in values), node)

    def _string_part(self, part: HclTree) -> Any:
        inner = part.children[0]
        if isinstance(inner, Token):
            return _string_chars(inner)
        if inner.data == "interpolation":
            return _Interpolated(self._eval(subtrees(inner)[0]))
        return Unknown(source_text(self._document, inner))

    def _tuple(self, node: HclTree) -> list[Any]:
        return [self._eval(item) for item in subtrees(node)]

    def _object(self, node: HclTree) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for element in subtrees(node):
            key_node, value_node = subtrees(element)[:2]
            result[self._object_key(key_node)] = self._eval(value_node)
        return result

    def _object_key(self, node: HclTree) -> str:
        inner = subtrees(node)
        target = inner[0] if inner else node
        if target.data == "expr_term" and subtrees(target)[0].data == "identifier":
            return name_of(subtrees(target)[0])
        if target.data == "keyword":
            return name_of(target)
        key = self._eval(target)
        return _to_text(key) if is_known(key) and _is_scalar(key) else plain(key)

    def _get_attr(self, node: HclTree) -> Any:
        base_node, attribute = subtrees(node)[:2]
        name = name_of(subtrees(attribute)[0])
        root = _root_identifier(base_node)
        if root == "var":
            return self.variables[name] if name in self.variables else self._unknown(node)
        if root == "local":
            value = self.local(name)
            return value if not isinstance(value, Unknown) else self._unknown(node)
        base = self._eval(base_node)
        if isinstance(base, dict) and name in base:
            return base[name]
        return self._unknown(node)

    def _index(self, node: HclTree) -> Any:
        base_node, index_node = subtrees(node)[:2]
        base = self._eval(base_node)
        if index_node.data == "short_index":
            key: Any = int(str(tokens(index_node)[-1].value))
        else:
            key = self._eval(subtrees(index_node)[0])
        if isinstance(base, dict) and isinstance(key, str) and key in base:
            return base[key]
        if isinstance(base, list) and _is_number(key) and 0 <= int(key) < len(base):
            return base[int(key)]
        return self._unknown(node)

    def _function(self, node: HclTree) -> Any:
        parts = subtrees(node)
        name = name_of(parts[0])
        arguments = [p for p in parts if p.data == "arguments"]
        values = [self._eval(a) for a in subtrees(arguments[0])] if arguments else []
        function = FUNCTIONS.get(name)
        spread = any(str(t.value) == "..." for a in arguments for t in tokens(a))
        if function is None or spread or len(parts) > 2 or not all(is_known(v) for v in values):
            return self._unknown(node)
        try:
            return self._bounded(function(*values), node)
        except (TypeError, ValueError, KeyError, IndexError, StopIteration, AttributeError):
            return self._unknown(node)

    def _heredoc(self, node: HclTree) -> Any:
        """A heredoc is a template: its ``${…}`` parts are evaluated like a quoted string's."""
        body = heredoc_body(str(tokens(node)[0].value))
        if not _INTERPOLATION.search(body):
            return body.replace("$${", "${").replace("%%{", "%{")
        pieces = template_pieces(body)
        if pieces is None:
            return Unknown(body)
        values = [self._interpolate(p) if isinstance(p, _Interpolated) else p for p in pieces]
        if not all(isinstance(v, str) or (is_known(v) and _is_scalar(v)) for v in values):
            return Unknown(body)
        return self._bounded("".join(_to_text(v) for v in values), node)

    def _interpolate(self, piece: _Interpolated) -> Any:
        try:
            parsed = parse_hcl(f"value = {piece.value}\n", "(template)")
        except ParityError:
            return Unknown(piece.value)
        return self.value(parsed.body.attributes[0].value)


@dataclass(frozen=True, slots=True)
class _Interpolated:
    value: Any


def template_pieces(body: str) -> list[Any] | None:
    """Literal text and ``${…}`` expression texts of a template, or None for directives
    (``%{ if … }``) and unbalanced braces, which stay as written."""
    pieces: list[Any] = []
    position = 0
    for match in _INTERPOLATION.finditer(body):
        if match.group().startswith("%"):
            return None
        end = _closing_brace(body, match.end())
        if end is None:
            return None
        pieces.append(body[position : match.start()].replace("$${", "${").replace("%%{", "%{"))
        pieces.append(_Interpolated(body[match.end() : end].strip()))
        position = end + 1
    pieces.append(body[position:].replace("$${", "${").replace("%%{", "%{"))
    return pieces


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


def _string_chars(token: Token) -> str:
    text = str(token.value)
    if token.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
        return text[1:]
    return unescape(text)


def _root_identifier(node: HclTree) -> str | None:
    inner = subtrees(node)
    if node.data == "expr_term" and len(inner) == 1 and inner[0].data == "identifier":
        return name_of(inner[0])
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _arithmetic(function: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(left: Any, right: Any) -> Any:
        if not (_is_number(left) and _is_number(right)):
            raise TypeError("arithmetic needs numbers")
        return function(left, right)

    return apply


def _logic(function: Callable[[bool, bool], bool]) -> Callable[[Any, Any], bool]:
    def apply(left: Any, right: Any) -> bool:
        if not (isinstance(left, bool) and isinstance(right, bool)):
            raise TypeError("logic needs booleans")
        return function(left, right)

    return apply


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda a, b: (type(a) is type(b) and a == b) or (_is_number(a) and _is_number(b) and a == b),
    "!=": lambda a, b: not _OPERATORS["=="](a, b),
    "<": _arithmetic(lambda a, b: a < b),
    ">": _arithmetic(lambda a, b: a > b),
    "<=": _arithmetic(lambda a, b: a <= b),
    ">=": _arithmetic(lambda a, b: a >= b),
    "+": _arithmetic(lambda a, b: a + b),
    "-": _arithmetic(lambda a, b: a - b),
    "*": _arithmetic(lambda a, b: a * b),
    "/": _arithmetic(lambda a, b: a / b),
    "%": _arithmetic(lambda a, b: a % b),
    "&&": _logic(lambda a, b: a and b),
    "||": _logic(lambda a, b: a or b),
}
