"""One environment's canonical tree as text, JSON or YAML, each value with its origin.

What ``parity show`` prints: ``docker compose config`` for every kind parity reads, so a user
can see exactly what was understood — the normalised values, where each was written (file and
line, or the container it was read from) and which ones parity filled in as defaults.

Secret values are masked (tags match equal secrets within one output) unless asked otherwise,
and then the output starts by saying so. Text and YAML escape control characters, bidirectional
overrides and line separators in keys, values and file names (``\\x1b``, ``\\u202e``), so a
hostile file cannot rewrite the terminal or forge lines; JSON escapes them as JSON does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path, to_pointer
from parity_gui.core.secrets import REVEALED_NOTICE, Masking, mask_text, mask_value
from parity_gui.core.tree import Environment

SCHEMA = "parity.show/v1"
FORMATS = ("text", "json", "yaml")
#: Raw text the loaders give values they filled in themselves (compose defaults, implied tags).
FILLED_IN = frozenset({"(default)", "(implied)"})

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_YAML_WORDS = frozenset({"y", "yes", "n", "no", "on", "off", "true", "false", "null", "~"})


@dataclass(frozen=True, slots=True)
class Line:
    """One node of the tree as shown: where it is, its (masked) value, where it came from."""

    path: Path
    value: Any  #: a leaf value (None for a branch: its children follow as lines)
    origin: Origin | None
    filled_in: bool
    is_branch: bool = False


def escape(text: str) -> str:
    r"""``text`` with every character that could steer a terminal written as an escape
    (``\x1b``, ``\u202e``); a backslash before one stays as it was."""
    return _UNSAFE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def lines(env: Environment, masking: Masking | None) -> Iterator[Line]:
    """Every node of ``env`` in tree order, values masked unless ``masking`` is None."""
    stack: list[tuple[Path, Any]] = [((key,), value) for key, value in reversed(env.tree.items())]
    while stack:
        path, value = stack.pop()
        own = env.origins.get(path)
        raw = env.raw.get(path)
        if isinstance(value, dict) and value:
            yield Line(path, None, own, False, is_branch=True)
            stack.extend(((*path, k), v) for k, v in reversed(value.items()))
            continue
        shown = value if masking is None else mask_value(path, value, masking)
        yield Line(path, shown, own or env.origin(path), raw in FILLED_IN)


def render(env: Environment, fmt: str, *, reveal_secrets: bool = False) -> str:
    """``env`` in ``fmt`` (one of :data:`FORMATS`)."""
    masking = None if reveal_secrets else Masking.of([env])
    renderers = {"text": render_text, "json": render_json, "yaml": render_yaml}
    return renderers[fmt](env, masking)


def _warnings(env: Environment, masking: Masking | None) -> list[str]:
    texts = [f"{d.level.value}: {d}" for d in env.diagnostics]
    return [t if masking is None else mask_text(t, masking) for t in texts]


def render_text(env: Environment, masking: Masking | None) -> str:
    out = [REVEALED_NOTICE] if masking is None else []
    out.append(escape(f"parity: {env.name} ({env.spec})"))
    if env.sources:
        out.append(escape("read: " + ", ".join(env.sources)))
    out.append("")
    out += _tree(env, masking, key=escape, value=_text_value, branch="{key}", where="  ({where})")
    out += ["", *(escape(w) for w in _warnings(env, masking))] if env.diagnostics else []
    return "\n".join(out).rstrip("\n") + "\n"


def _tree(
    env: Environment, masking: Masking | None, *, key: Callable[[str], str], value: Callable[[Any], str],
    branch: str, where: str,
) -> list[str]:
    """One line per node, indented by depth: ``branch`` for a branch, ``key: value`` and the
    ``where`` note (origin, default) for a leaf."""
    out = []
    for line in lines(env, masking):
        indent = "  " * (len(line.path) - 1)
        name = key(line.path[-1])
        if line.is_branch:
            out.append(indent + branch.format(key=name))
            continue
        place = _where(line)
        out.append(f"{indent}{name}: {value(line.value)}" + (where.format(where=place) if place else ""))
    return out


def _where(line: Line) -> str:
    where = escape(str(line.origin)) if line.origin is not None else ""
    if line.filled_in:
        where = f"{where}, default" if where else "default"
    return where


def _text_value(value: Any) -> str:
    if isinstance(value, str):
        plain = value != "" and value == value.strip() and not value.startswith(('"', "[", "{"))
        return escape(value) if plain and not _reads_as_other(value) else escape(json.dumps(value, ensure_ascii=False))
    return escape(json.dumps(value, ensure_ascii=False, default=str))


def _reads_as_other(text: str) -> bool:
    """True when bare ``text`` would read as a number, a flag or null (so it is shown quoted)."""
    try:
        return not isinstance(json.loads(text), str)
    except ValueError:
        return False


def render_json(env: Environment, masking: Masking | None) -> str:
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "environment": {"name": env.name, "spec": env.spec, "sources": list(env.sources)},
        "secrets": "revealed" if masking is None else "masked",
        "tree": env.tree if masking is None else mask_value((), env.tree, masking),
        "origins": {},
        "defaults": [],
        "warnings": [
            {**d.to_json(), "message": d.message if masking is None else mask_text(d.message, masking)}
            for d in env.diagnostics
        ],
    }
    for line in lines(env, masking):
        pointer = to_pointer(line.path)
        if line.origin is not None:
            document["origins"][pointer] = line.origin.to_json()
        if line.filled_in:
            document["defaults"].append(pointer)
    if masking is None:
        document["notice"] = REVEALED_NOTICE
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


def render_yaml(env: Environment, masking: Masking | None) -> str:
    out = [f"# {REVEALED_NOTICE}"] if masking is None else []
    out.append(f"# parity show: {escape(env.name)} ({escape(env.spec)})")
    out += [f"# {escape(w)}" for w in _warnings(env, masking)]
    out += _tree(env, masking, key=_yaml_key, value=_yaml_scalar, branch="{key}:", where="  # {where}")
    return "\n".join(out) + "\n"


def _yaml_key(key: str) -> str:
    plain = _PLAIN_KEY.fullmatch(key) is not None and key.lower() not in _YAML_WORDS
    return key if plain else _yaml_quoted(key)


def _yaml_scalar(value: Any) -> str:
    """A flow scalar YAML reads back as ``value`` (strings double-quoted, escapes as YAML's)."""
    if isinstance(value, str):
        return _yaml_quoted(value)
    return escape(json.dumps(value, ensure_ascii=False, default=str))  # numbers, bools, null, lists, {}


def _yaml_quoted(text: str) -> str:
    return escape(json.dumps(text, ensure_ascii=False))
