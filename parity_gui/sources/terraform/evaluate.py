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

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from parity_gui.sources.terraform.hcl import Expression, Syntax

MAX_DEPTH = 100
#: Characters (or list items) evaluation may produce for one value, and for a whole module:
#: past them, the value stays the expression as written, so locals that repeat each other
#: (``b = "${local.a}${local.a}"``, eight levels deep) cannot grow into hundreds of megabytes.
MAX_VALUE_SIZE = 1_000_000
MAX_MODULE_SIZE = 10_000_000


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
    """Evaluates the expressions of one module against its known variables and locals.

    ``instance`` carries ``each.key``/``each.value``/``count.index`` while one instance of a
    ``for_each`` or ``count`` block is evaluated (see :meth:`for_instance`), and ``workspace`` is
    ``terraform.workspace`` when the environment names one.
    """

    def __init__(
        self,
        variables: Mapping[str, Any],
        local_expressions: Mapping[str, Expression],
        *,
        workspace: str | None = None,
    ) -> None:
        self.variables = variables
        self.local_expressions = local_expressions
        self.workspace = workspace
        self.instance: dict[str, Any] = {}
        self._locals: dict[str, Any] = {}
        self._evaluating: set[str] = set()
        self._document = ""
        self._depth = 0
        self._produced = 0

    def for_instance(self, **instance: Any) -> Evaluator:
        """This evaluator with ``each``/``count`` bound for one instance of a block (the
        module's locals, already evaluated, are shared)."""
        other = Evaluator(self.variables, self.local_expressions, workspace=self.workspace)
        other._locals, other._evaluating = self._locals, self._evaluating
        other.instance = instance
        return other

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

    def _eval(self, node: Syntax) -> Any:
        kind = node[0]
        if kind == "lit":
            return node[1]
        handler = _HANDLERS.get(kind)
        if handler is None or self._depth >= MAX_DEPTH:
            return self._unknown(node)
        self._depth += 1
        try:
            return handler(self, node)
        finally:
            self._depth -= 1

    def _list(self, node: Syntax) -> list[Any]:
        return [self._eval(item) for item in node[3]]

    def _bounded(self, value: Any, node: Syntax) -> Any:
        """``value``, or the expression as written when it is larger than evaluation may make."""
        size = len(value) if isinstance(value, str | list | dict) else 0
        self._produced += size
        if size > MAX_VALUE_SIZE or self._produced > MAX_MODULE_SIZE:
            return self._unknown(node)
        return value

    def _unknown(self, node: Syntax) -> Unknown:
        if node[0] == "raw" and node[3] is not None:
            return Unknown(node[3])
        start, end = node[1], node[2]
        return Unknown(self._document[start:end].strip() if start >= 0 else "")

    def _conditional(self, node: Syntax) -> Any:
        chosen = self._eval(node[3])
        if not isinstance(chosen, bool):
            return self._unknown(node)
        return self._eval(node[4] if chosen else node[5])

    def _binary_op(self, node: Syntax) -> Any:
        operator, left, right = node[3], self._eval(node[4]), self._eval(node[5])
        if not (is_known(left) and is_known(right)):
            return self._unknown(node)
        try:
            return _OPERATORS[operator](left, right)
        except (TypeError, ZeroDivisionError, KeyError):
            return self._unknown(node)

    def _unary_op(self, node: Syntax) -> Any:
        operator, operand = node[3], self._eval(node[4])
        if operator == "!" and isinstance(operand, bool):
            return not operand
        if operator == "-" and _is_number(operand):
            return -operand
        return self._unknown(node)

    def _template(self, node: Syntax) -> Any:
        """A quoted string or heredoc: literal parts and ``${…}`` values joined as text."""
        parts = node[3]
        if len(parts) == 1 and not isinstance(parts[0], str):
            return self._eval(parts[0])
        values = [p if isinstance(p, str) else self._eval(p) for p in parts]
        if not all(isinstance(v, str) or (is_known(v) and _is_scalar(v)) for v in values):
            return Unknown(self._template_text(node))
        return self._bounded("".join(_to_text(v) for v in values), node)

    def _template_text(self, node: Syntax) -> str:
        if len(node) > 4:  # a heredoc keeps its body
            return str(node[4])
        start, end = node[1], node[2]
        return self._document[start + 1 : end - 1] if start >= 0 else ""

    def _object(self, node: Syntax) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node, *_ in node[3]:
            key = self._eval(key_node)
            result[_to_text(key) if is_known(key) and _is_scalar(key) else str(plain(key))] = self._eval(value_node)
        return result

    def _reference(self, node: Syntax) -> Any:
        root, steps = node[3], node[4]
        if not steps:
            return self._unknown(node)
        value = self._root(root, steps[0])
        for step in steps[1:]:
            value = self._step(value, step)
            if isinstance(value, Unknown):
                break
        return self._unknown(node) if isinstance(value, Unknown) else value

    def _root(self, root: str, first: tuple[str, Any]) -> Any:
        kind, name = first
        if kind != "a":
            return Unknown(root)
        if root == "var":
            return self.variables.get(name, Unknown(name))
        if root == "local":
            return self.local(name)
        if root in ("each", "count") and f"{root}.{name}" in self.instance:
            return self.instance[f"{root}.{name}"]
        if root == "terraform" and name == "workspace" and self.workspace is not None:
            return self.workspace
        return Unknown(root)

    def _step(self, base: Any, step: tuple[str, Any]) -> Any:
        kind, what = step
        key = what if kind == "a" else self._eval(what)
        if isinstance(base, dict) and isinstance(key, str) and key in base:
            return base[key]
        if isinstance(base, list) and _is_number(key) and 0 <= int(key) < len(base):
            return base[int(key)]
        return Unknown("")

    def _function(self, node: Syntax) -> Any:
        name, arguments, spread = node[3], node[4], node[5]
        values = [self._eval(a) for a in arguments]
        function = FUNCTIONS.get(name)
        if function is None or spread or not all(is_known(v) for v in values):
            return self._unknown(node)
        try:
            return self._bounded(function(*values), node)
        except (TypeError, ValueError, KeyError, IndexError, StopIteration, AttributeError):
            return self._unknown(node)


#: The evaluator's method for each kind of syntax node (``lit`` is answered inline).
_HANDLERS: dict[str, Callable[[Evaluator, Syntax], Any]] = {
    "tpl": Evaluator._template,
    "list": Evaluator._list,
    "obj": Evaluator._object,
    "ref": Evaluator._reference,
    "call": Evaluator._function,
    "cond": Evaluator._conditional,
    "bin": Evaluator._binary_op,
    "un": Evaluator._unary_op,
}


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
