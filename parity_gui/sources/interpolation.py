"""``${VAR}`` interpolation as docker compose does it, in one pass over the text.

Forms: ``$VAR``, ``${VAR}``, ``${VAR:-default}`` (unset or empty → default), ``${VAR-default}``
(unset → default), ``${VAR:?message}`` / ``${VAR?message}`` (required), ``${VAR:+alt}`` /
``${VAR+alt}`` (alternative when set), defaults that hold references themselves
(``${A:-${B:-x}}``, ``${A:-$B}``) and ``$$`` for a literal ``$``. A ``$`` before anything else
(``$1``, ``$ ``, a trailing ``$``) stays as written, like compose.

The text is read once: a default that is not used is scanned but never evaluated, and a value
that comes from ``lookup`` is inserted as is, never read again for references, so the time is
linear in the text and the result. A result longer than ``max_length`` is refused, so a small
file cannot expand to gigabytes through variables that repeat each other.

What the caller reports is returned as :class:`Substitution` records: an unset variable
without default reads as empty and is marked ``missing``; a required variable that is missing
reads as empty and carries compose's message. Syntax errors raise :class:`ParseError` without
a file or line; the caller, who knows where the text came from, adds them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from parity_gui.errors import LimitExceeded, ParseError

_NAME = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_OPERATOR = re.compile(r":?[-+?]")
_BRACED_STOP = re.compile(r"[${}]")
#: Defaults inside defaults deeper than this are refused (each level is a nested call).
MAX_NESTING = 64


@dataclass(frozen=True, slots=True)
class Substitution:
    """What happened to one ``$`` reference: its variable, where it was, and what to report."""

    name: str
    offset: int  #: index of the ``$`` in the interpolated text
    missing: bool  #: unset (or empty for ``:?``) and nothing supplied a value
    message: str | None  #: compose's error text for a required variable, else None


def interpolate(
    text: str, lookup: Callable[[str], str | None], *, max_length: int = 1_000_000
) -> tuple[str, list[Substitution]]:
    """``text`` with its references replaced, and a record of each reference evaluated."""
    if "$" not in text:
        if len(text) > max_length:
            raise _too_long(max_length)
        return text, []
    run = _Run(text, lookup, max_length)
    result, _ = run.section(0, live=True, depth=0)
    return result, run.substitutions


def _too_long(max_length: int) -> LimitExceeded:
    return LimitExceeded(f"interpolation result is longer than {max_length} characters")


class _Run:
    """One interpolation of one text: the scanner's position state and what it found."""

    def __init__(self, text: str, lookup: Callable[[str], str | None], max_length: int) -> None:
        self.text = text
        self.lookup = lookup
        self.max_length = max_length
        self.substitutions: list[Substitution] = []

    def section(self, pos: int, *, live: bool, depth: int) -> tuple[str, int]:
        """Read from ``pos`` to the end (depth 0) or to the ``}`` closing a default.

        Returns the value (empty when not ``live``) and the position after what was read.
        """
        text, pieces, length, braces = self.text, [], 0, 0
        while True:
            stop = self.next_stop(pos, depth)
            if stop < 0:
                if depth:
                    return "", -1
                stop = len(text)
            if live and stop > pos:
                pieces.append(text[pos:stop])
                length += stop - pos
            if stop == len(text):
                return "".join(pieces), stop
            char = text[stop]
            if char == "$":
                value, pos = self.reference(stop, live=live, depth=depth)
            else:
                braces += 1 if char == "{" else -1
                if braces < 0:
                    return "".join(pieces), stop + 1
                value, pos = char, stop + 1
            if live and value:
                pieces.append(value)
                length += len(value)
            if length > self.max_length:
                raise _too_long(self.max_length)

    def next_stop(self, pos: int, depth: int) -> int:
        if not depth:
            return self.text.find("$", pos)
        found = _BRACED_STOP.search(self.text, pos)
        return found.start() if found else -1

    def reference(self, start: int, *, live: bool, depth: int) -> tuple[str, int]:
        """The value of the reference whose ``$`` is at ``start``, and the position after it."""
        text = self.text
        after = text[start + 1:start + 2]
        if after == "$":
            return "$", start + 2
        if after == "{":
            return self.braced(start, live=live, depth=depth)
        name = _NAME.match(text, start + 1)
        if name is None:
            return "$", start + 1
        return self.plain(name.group(), start, live), name.end()

    def plain(self, name: str, start: int, live: bool) -> str:
        if not live:
            return ""
        value = self.lookup(name)
        self.substitutions.append(Substitution(name, start, value is None, None))
        return value or ""

    def braced(self, start: int, *, live: bool, depth: int) -> tuple[str, int]:
        text = self.text
        name_match = _NAME.match(text, start + 2)
        if name_match is None:
            raise self.invalid(start)
        name, pos = name_match.group(), name_match.end()
        if text.startswith("}", pos):
            return self.plain(name, start, live), pos + 1
        operator = _OPERATOR.match(text, pos)
        if operator is None:
            raise self.invalid(start)
        if depth >= MAX_NESTING:
            raise LimitExceeded(f"interpolation nests deeper than {MAX_NESTING} levels")
        op = operator.group()
        value = self.lookup(name) if live else None
        wanted = live and _argument_used(op, value)
        argument, end = self.section(operator.end(), live=wanted, depth=depth + 1)
        if end < 0:
            raise ParseError(f"unclosed '${{' in '${{{name}{op}…'")
        if live:
            return self.apply(op, name, value, argument, start), end
        return "", end

    def apply(self, op: str, name: str, value: str | None, argument: str, start: int) -> str:
        """The result of ``${name<op>argument}`` for a variable whose value is ``value``."""
        used = _argument_used(op, value)
        if op.endswith("?") and used:
            message = f"required variable {name} is missing a value"
            message += f": {argument}" if argument else ""
            self.substitutions.append(Substitution(name, start, True, message))
            return ""
        self.substitutions.append(Substitution(name, start, False, None))
        if used:
            return argument
        return "" if op.endswith("+") else value or ""

    def invalid(self, start: int) -> ParseError:
        if "}" not in self.text[start:]:
            name = _NAME.match(self.text, start + 2)
            shown = name.group() if name else ""
            return ParseError(f"unclosed '${{' in '${{{shown}…'")
        end = self.text.find("}", start)
        snippet = self.text[start:end + 1]
        if len(snippet) > 40 or "\n" in snippet:
            snippet = snippet[:40].split("\n")[0] + "…"
        return ParseError(f"invalid interpolation format '{snippet}'")


def _argument_used(op: str, value: str | None) -> bool:
    """Whether ``${VAR<op>argument}`` takes its argument, given the variable's value."""
    if op in (":-", ":?"):
        return not value
    if op in ("-", "?"):
        return value is None
    if op == ":+":
        return bool(value)
    return value is not None  # "+"
