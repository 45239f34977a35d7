"""Writing a value into YAML text in the style the file already uses.

A plain scalar stays plain when the new text reads back as the same string (or the same kind of
value the old one was); otherwise it is double-quoted. A single- or double-quoted scalar keeps
its quotes. Nothing else of the document is rewritten.
"""

from __future__ import annotations

import json
import re
from typing import Any

from parity_gui.sources.yamlfile import Scalar, resolve_plain

#: Text that may stand unquoted as a plain scalar in block context.
_PLAIN_SAFE = re.compile(
    r"^(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`]|[-?:](?=[^\s,\[\]{}]))"  # a first character that starts no syntax
    r"(?:[^:#]|:(?!\s)|(?<!\s)#)*(?<![\s:])$"  # no ": " or " #" inside, no blank or colon at the end
)


#: Words YAML 1.1 readers take for booleans: kept quoted so every tool reads a string.
_YAML11 = frozenset({"y", "yes", "n", "no", "on", "off"})


def value_text(value: Any) -> str:
    """A canonical leaf as the text a user would write (``True`` → ``true``, ``None`` → "")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value)


def is_plain_safe(text: str) -> bool:
    """True when ``text`` can be written as a plain scalar and reads back as written."""
    return bool(text) and "\n" not in text and "\r" not in text and bool(_PLAIN_SAFE.match(text))


def double_quoted(text: str) -> str:
    """YAML double-quoted form (JSON's escapes are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def scalar_text(new: str, old: Scalar | None, *, keep_type: bool = False) -> str:
    """``new`` written where ``old`` was, in ``old``'s quoting style.

    ``keep_type``: the setting reads a number or boolean (``replicas: 3``), so a plain scalar may
    resolve to one; otherwise the value is text and must read back as a string.
    """
    style = (old.raw[:1] if old is not None and old.quoted else "") or ""
    if style == "'" and "\n" not in new:
        return single_quoted(new)
    if style == '"':
        return double_quoted(new)
    if style in ("|", ">"):
        return double_quoted(new)
    if is_plain_safe(new) and (keep_type or (isinstance(resolve_plain(new), str) and new.lower() not in _YAML11)):
        return new
    if new == "" and old is not None and not old.quoted and old.value is None:
        return ""
    return double_quoted(new)


def flow_list(words: list[Any]) -> str:
    """``["a", "b"]``: a list written on one line."""
    return "[" + ", ".join(double_quoted(value_text(w)) for w in words) + "]"
