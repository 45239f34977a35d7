"""Fixing structured files (YAML, JSON, TOML, INI, ``.properties``): a value replaced in place.

Only a value that is written as one scalar is edited: its own characters are replaced and
everything else in the file (comments, indentation, key order, quoting of other values, line
endings) stays byte for byte. The new value is written the way the format and the old value's
style allow:

* YAML keeps a plain value plain when the new text would read back as the same string
  (``true``, ``8080`` or ``a: b`` would not), a single-quoted one single-quoted, and otherwise
  writes a double-quoted string; a block scalar (``|``, ``>``) or a value over several lines is
  left to the user;
* JSON writes JSON; TOML keeps a literal string literal when it can, writes dates bare when the
  old value was a bare date (as the reference writes it), and has no ``null`` to write;
* INI writes the text as is (one line, no surrounding blanks); ``.properties`` escapes what
  ``Properties.load`` would read differently (backslashes, line breaks, a leading blank).

A key the target lacks or has in excess, a list, and a value inside an inline array are not
edited: the patch lists them as not fixed, with the reason.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable
from datetime import date, time
from typing import Any

from parity_gui.core.tree import Environment, TreeBuilder
from parity_gui.export.patch.edits import Span
from parity_gui.export.patch.model import Action, Change, Unfixable, Workspace
from parity_gui.sources.registry import SpecFile, choose_kind
from parity_gui.sources.structured.formats import FORMATS
from parity_gui.sources.structured.load import parse
from parity_gui.sources.structured.tree import StructuredTree
from parity_gui.sources.yamlfile import Scalar, resolve_plain

Scalars = str | int | float | bool | None


def plan_structured(work: Workspace, target: Environment, change: Change, reference: Environment) -> None:
    """Plan ``change`` (a path under ``/files``) as an edit of the value where it is written."""
    if change.action is not Action.SET:
        raise Unfixable("parity edits values already written in structured files; "
                        f"{'add' if change.action is Action.ADD else 'remove'} this by hand")
    value = change.written(change.path, change.new)
    if isinstance(value, dict | list) or isinstance(change.old, dict | list):
        raise Unfixable("this is a list or a mapping, not one value; edit it by hand")
    origin = target.origins.get(change.path)
    if origin is None or origin.file is None:
        raise Unfixable("parity does not know which file sets this value")
    form = _format_of(work, origin.file, change.path[1])
    scalar = _scalar_at(work, origin.file, form, change)
    date = reference.raw.get(change.path, "")
    text = date if form == "toml" and _same_date(date, value) else WRITERS[form](value, scalar)
    work.edit(origin.file, Span(scalar.start, scalar.end, text, change.pointer))


def _format_of(work: Workspace, display: str, key: str) -> str:
    kind = choose_kind(SpecFile(work.disk_path(display), display)).kind.name
    if kind in FORMATS:
        return kind
    if key in FORMATS:
        return key
    raise Unfixable(f"cannot tell which format {display} is written in")


def _scalar_at(work: Workspace, display: str, form: str, change: Change) -> Scalar:
    """The value at the change's path as written in the file now."""
    located = StructuredTree(TreeBuilder(), display)
    located.add_documents(change.path[:2], parse(work.text(display), form).documents)
    scalar = located.scalars.get(change.path)
    if scalar is None or scalar.start < 0:
        raise Unfixable("the value is not written on its own in the file (inside a list or an "
                        "inline table); edit it by hand")
    return scalar


# --- writing one value in each format ---------------------------------------------------------


def _number(value: int | float, infinite: tuple[str, str, str]) -> str:
    if isinstance(value, float) and (math.isinf(value) or math.isnan(value)):
        return infinite[2] if math.isnan(value) else infinite[0] if value > 0 else infinite[1]
    return repr(value)


_YAML_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


def write_yaml(value: Scalars, scalar: Scalar) -> str:
    if scalar.raw[:1] in ("|", ">") or "\n" in scalar.raw:
        raise Unfixable("the value is written over several lines (a block scalar); edit it by hand")
    if value is None or isinstance(value, bool):
        return "null" if value is None else str(value).lower()
    if isinstance(value, int | float):
        return _number(value, (".inf", "-.inf", ".nan"))
    if scalar.raw[:1] == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if not scalar.quoted and _plain_safe(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _plain_safe(text: str) -> bool:
    """Whether ``text`` written plain reads back as the same string, in block or flow context."""
    return (bool(text) and text == text.strip() and resolve_plain(text) == text and type(resolve_plain(text)) is str
            and text[0] not in _YAML_INDICATORS and not any(c in text for c in ",[]{}\n\t")
            and ": " not in text and " #" not in text and not text.endswith(":"))


def write_json(value: Scalars, scalar: Scalar) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        raise Unfixable("JSON has no way to write infinity or NaN")
    return json.dumps(value, ensure_ascii=False)


def write_toml(value: Scalars, scalar: Scalar) -> str:
    if value is None:
        raise Unfixable("TOML has no null: remove the key by hand")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return _number(value, ("inf", "-inf", "nan"))
    if not scalar.quoted and _is_toml_date(value):
        return value
    if scalar.raw.startswith("'") and not any(c in value for c in "'\n\r"):
        return f"'{value}'"
    return json.dumps(value, ensure_ascii=False)


def _is_toml_date(text: str) -> bool:
    return _toml_date(text) is not None


def _same_date(raw: str, value: Scalars) -> bool:
    """Whether ``raw`` is a TOML date (as the reference writes it) for ``value``."""
    parsed = _toml_date(raw)
    return parsed is not None and parsed.isoformat() == value


def _toml_date(text: str) -> date | time | None:
    if not text or "\n" in text:
        return None
    try:
        parsed = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return None
    return parsed if isinstance(parsed, date | time) else None


def write_ini(value: Scalars, scalar: Scalar) -> str:
    if "\n" in scalar.raw:
        raise Unfixable("the value continues over several lines; edit it by hand")
    text = _text(value)
    if "\n" in text or text != text.strip():
        raise Unfixable("an INI value cannot hold line breaks or surrounding blanks")
    return text


_PROPERTIES_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f"}


def write_properties(value: Scalars, scalar: Scalar) -> str:
    text = "".join(_PROPERTIES_ESCAPES.get(c, c) for c in _text(value))
    return "\\" + text if text[:1] in (" ", "\f") else text


def _text(value: Scalars) -> str:
    if value is None:
        raise Unfixable("the reference has no value here; edit it by hand")
    return str(value).lower() if isinstance(value, bool) else str(value)


WRITERS: dict[str, Callable[[Any, Scalar], str]] = {
    "yaml": write_yaml,
    "json": write_json,
    "toml": write_toml,
    "ini": write_ini,
    "properties": write_properties,
}
