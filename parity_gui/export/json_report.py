"""The JSON report: a stable, documented contract (``parity.report/v1``) for other tools.

::

    {"schema": "parity.report/v1",
     "environments": [{"name": "dev", "spec": "…", "sources": [...]}, …],
     "baseline": "dev",
     "summary": {"drift": 7, "by_severity": {"critical": 1, …}, "by_kind": {"changed": 5, …},
                 "expected": 1, "known": 0, "context": 0},
     "drift": [{"path": "/services/db/image/tag", "kind": "changed", "severity": "high",
                "rule": "image-version-drift", "explanation": "…", "expected": false,
                "baseline": false, "reason": null, "detail": null,
                "values": ["14.7", "13"],
                "origins": [{"file": "compose.yml", "line": 12, "column": 12}, …]}],
     "warnings": [{"file": "…", "line": 3, "message": "…", "environment": "dev"}]}

``values`` and ``origins`` hold one entry per environment in the order of ``environments``;
``null`` where the path is absent. ``summary.drift`` and ``by_*`` count unexpected drift;
``expected`` counts drift declared expected (listed too, with ``"expected": true``), and
``known`` drift an earlier report given with ``--baseline`` already had (listed too, with
``"baseline": true``; see :mod:`parity_gui.app.known`).
``warnings`` name the environment they concern, or ``null`` for the comparison itself. Secret
values are masked (``"•••••• [3fa2c1d9]"``: equal secrets carry equal tags within one report,
and the tags' key is drawn afresh for each report) and so are credentials inside other values
and messages, unless the caller asks to reveal them; a report that shows them in clear carries
``"notice"`` saying so as its second key.
"""

from __future__ import annotations

import json
from typing import Any

from parity_gui.core.drift import Drift
from parity_gui.core.secrets import REVEALED_NOTICE, Masking, mask_text, mask_value
from parity_gui.core.tree import MISSING
from parity_gui.engine.comparison import Comparison

SCHEMA = "parity.report/v1"


def report(comparison: Comparison, *, reveal_secrets: bool = False) -> dict[str, Any]:
    """The report as plain data, ready for ``json.dumps``."""
    summary = comparison.summary()
    masking = None if reveal_secrets else Masking.for_report(comparison, comparison.environments)
    notice = {"notice": REVEALED_NOTICE} if masking is None else {}
    return {
        "schema": SCHEMA,
        **notice,
        "environments": [
            {"name": e.name, "spec": e.spec, "sources": list(e.sources), "failed": e.failed}
            for e in comparison.environments
        ],
        "baseline": comparison.baseline.name,
        "summary": {
            "drift": summary.drift,
            "by_severity": {s.value: n for s, n in summary.by_severity.items()},
            "by_kind": {k.value: n for k, n in summary.by_kind.items()},
            "expected": summary.expected,
            "known": summary.known,
            "context": summary.context,
        },
        "drift": [drift_json(d, reveal_secrets, masking) for d in comparison.drifts],
        "warnings": [
            _warning(w.to_json(), e.name, masking) for e in comparison.environments for w in e.diagnostics
        ] + [_warning(w.to_json(), None, masking) for w in comparison.warnings],
    }


def _warning(entry: dict[str, Any], environment: str | None, masking: Masking | None) -> dict[str, Any]:
    if masking is not None:  # a file name can be a URL that a path clean-up took for a file
        entry["message"] = mask_text(str(entry["message"]), masking)
        if entry.get("file"):
            entry["file"] = mask_text(str(entry["file"]), masking)
    return {**entry, "environment": environment}


def drift_json(drift: Drift, reveal_secrets: bool = False, masking: Masking | None = None) -> dict[str, Any]:
    """One drift record; ``masking`` adds what the whole comparison knows to be secret."""
    if not reveal_secrets and masking is None:
        masking = Masking()
    detail = drift.detail if masking is None or drift.detail is None else mask_text(drift.detail, masking)
    return {
        "path": drift.pointer,
        "kind": drift.kind.value,
        "severity": drift.severity.value,
        "rule": drift.rule,
        "explanation": drift.explanation,
        "expected": drift.expected,
        "baseline": drift.known,
        "reason": drift.reason,
        "detail": detail,
        "values": [shown_value(drift, v, reveal_secrets, masking) for v in drift.values],
        "origins": [o.to_json() if o is not None else None for o in drift.origins],
    }


def shown_value(drift: Drift, value: Any, reveal_secrets: bool, masking: Masking | None = None) -> Any:
    if value is MISSING:
        return None
    return value if reveal_secrets else mask_value(drift.path, value, masking or Masking())


def render(comparison: Comparison, *, reveal_secrets: bool = False) -> str:
    return json.dumps(report(comparison, reveal_secrets=reveal_secrets), indent=2, ensure_ascii=False) + "\n"
