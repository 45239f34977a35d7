"""How a value reads in a cell: the resolved value, with what was written beside it, masked
when it is a secret.

Decision: a cell shows the value the environment resolves to (``14.7``, ``3``), not the
expression that produced it (``var.db_engine_version``, ``$HEALTHCHECK_RETRIES``): two sides
written alike but resolving apart are what drift is about. The text as written, when it reads
otherwise, is shown dimmed beside the value and in the tooltip.

Pure Python (no Qt), shared by the tree model, the detail panel and search, so that what a user
can find is exactly what they can see: a masked secret is never matched by its clear text.
"""

from __future__ import annotations

import json
from typing import Any

from parity_gui.core.pointer import Path
from parity_gui.core.secrets import NO_MASKING, Masking, is_secret_path, mask_text, mask_value
from parity_gui.core.tree import MISSING, Environment
from parity_gui.engine.comparison import Comparison

#: Longest text a cell shows; the detail panel shows values in full.
CELL_LIMIT = 300


def normalised_text(value: Any) -> str:
    """A normalised value as JSON-like text: ``true``, ``null``, ``90``, ``["a", "b"]``."""
    if value is MISSING:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def masking_of(comparison: Comparison | None) -> Masking:
    """The comparison's masking: the same tags on screen, in saved reports and on the clipboard,
    and Terraform variables declared ``sensitive`` hidden wherever their values appear."""
    if comparison is None:
        return NO_MASKING
    return Masking.for_report(comparison, comparison.environments)


def shown_text(env: Environment, path: Path, value: Any, *, reveal: bool, masking: Masking = NO_MASKING) -> str:
    """The resolved text of ``value`` at ``path`` in ``env``, masked unless revealed."""
    if value is MISSING or isinstance(value, dict):
        return ""
    if not reveal and is_secret_path(path, masking):
        return normalised_text(mask_value(path, value, masking))
    text = normalised_text(value)
    return text if reveal else mask_text(text, masking)


def written_text(
    env: Environment, path: Path, value: Any, *, reveal: bool, masking: Masking = NO_MASKING
) -> str | None:
    """What the source wrote for ``value`` (``$HEALTHCHECK_RETRIES``, ``(default)``) when it reads
    otherwise than the resolved value; None when they read the same. Masked unless revealed."""
    raw = env.raw.get(path)
    if raw is None or value is MISSING or isinstance(value, dict):
        return None
    if raw == normalised_text(value):
        return None
    if not reveal and is_secret_path(path, masking):
        return None  # how a secret was written says nothing the masked value does not
    if reveal:
        return raw
    shown = mask_text(raw, masking)
    return None if shown == mask_text(normalised_text(value), masking) else shown


#: Values at least this long get the part that changed marked inside them.
LONG_VALUE = 12


def changed_span(text: str, other: str) -> tuple[int, int] | None:
    """Where ``text`` differs from ``other`` (start, end), when ``text`` is long and only part of
    it changed: the common head and tail are cut away. None when there is nothing to mark."""
    if len(text) < LONG_VALUE or not other or text == other:
        return None
    limit = min(len(text), len(other))
    start = 0
    while start < limit and text[start] == other[start]:
        start += 1
    end = 0
    while end < limit - start and text[-1 - end] == other[-1 - end]:
        end += 1
    span = (start, len(text) - end)
    return span if span != (0, len(text)) and span[0] < span[1] else None


def shown_normalised(path: Path, value: Any, *, reveal: bool, masking: Masking = NO_MASKING) -> str:
    """The normalised value for a tooltip or the detail panel, masked unless revealed."""
    if value is MISSING:
        return "(absent)"
    shown = value if reveal else mask_value(path, value, masking)
    if isinstance(shown, dict | list):
        return json.dumps(shown, ensure_ascii=False, indent=2, default=str)
    return normalised_text(shown)


def one_line(text: str) -> str:
    """A cell's text: first line of a multi-line value marked with ``⏎``, capped in length."""
    if "\n" in text:
        first, _, rest = text.partition("\n")
        text = f"{first} ⏎ {rest.strip().splitlines()[0] if rest.strip() else ''}".rstrip() + " …"
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


def is_secret(path: Path, masking: Masking = NO_MASKING) -> bool:
    return is_secret_path(path, masking)
