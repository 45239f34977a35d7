"""``--baseline REPORT.json``: drift an earlier report already had is known, and fails no check.

A repository that already drifts can adopt parity in CI: save a JSON report once
(``parity compare --format json -o parity-baseline.json``), commit it, and pass it with
``--baseline``. Drift found again is marked ``"baseline": true`` in JSON and "known" in the text
and the app; only new drift sets the exit code.

What makes two drifts "the same", decided here:

* the environments compared (by name, in order), the path and the kind (changed, added,
  removed), and the values in every environment — a tag that moved on since the report
  (``14.7`` → ``15.2`` against dev's ``13``) is new drift, not known drift;
* a secret's value is never compared, nor anything reversible made from it: reports mask
  secrets with tags that differ from report to report, so secrets match by which environments
  hold the same secret and which differ (the pattern of equal tags within the drift), besides
  path and kind.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parity_gui.core.secrets import Masking
from parity_gui.core.tree import MISSING
from parity_gui.engine.comparison import Comparison
from parity_gui.errors import SourceError
from parity_gui.export import json_report
from parity_gui.sources.text import read_text

_MASK = "••••••"
Key = tuple[Any, ...]


def read_baseline(path: Path) -> set[Key]:
    """The drift of an earlier JSON report, as keys :func:`mark_known` matches on."""
    shown = str(path)
    text = read_text(path, shown).content
    try:
        report = json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(f"not a JSON report: {e.msg}", file=shown, line=e.lineno) from e
    if not isinstance(report, dict) or report.get("schema") != json_report.SCHEMA:
        raise SourceError(f"not a parity JSON report (its schema is not {json_report.SCHEMA})", file=shown)
    names = tuple(str(e.get("name")) for e in report.get("environments", []) if isinstance(e, dict))
    entries = report.get("drift", [])
    if not isinstance(entries, list):
        raise SourceError("the report's drift is not a list", file=shown)
    return {_key(names, entry) for entry in entries if isinstance(entry, dict)}


def mark_known(comparison: Comparison, known: set[Key]) -> int:
    """Mark the comparison's drift that ``known`` holds; how many were marked."""
    masking = Masking.for_report(comparison, comparison.environments)
    names = comparison.names
    return comparison.mark_known(lambda d: _key(names, json_report.drift_json(d, masking=masking)) in known)


def _key(names: Sequence[str], entry: dict[str, Any]) -> Key:
    values = entry.get("values", [])
    return (tuple(names), entry.get("path"), entry.get("kind"), _values_key(values if isinstance(values, list) else []))


def _values_key(values: list[Any]) -> tuple[str, ...]:
    """The values as matched: exact for plain values, for secrets only which are equal."""
    tags: dict[str, int] = {}
    key = []
    for value in values:
        if isinstance(value, str) and value.startswith(_MASK):
            key.append(f"secret#{tags.setdefault(value, len(tags))}")
        elif value is None or value is MISSING:
            key.append("absent")
        else:
            key.append(json.dumps(_unmasked_shape(value), sort_keys=True, ensure_ascii=False, default=str))
    return tuple(key)


def _unmasked_shape(value: Any) -> Any:
    """``value`` with every masked secret inside it (a map of settings) reduced to "secret"."""
    if isinstance(value, str) and value.startswith(_MASK):
        return "secret"
    if isinstance(value, dict):
        return {k: _unmasked_shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unmasked_shape(v) for v in value]
    return value
