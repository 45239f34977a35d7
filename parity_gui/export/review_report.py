"""The review of a change (:mod:`parity_gui.engine.review`) as JSON, Markdown (a pull-request comment)
and SARIF.

JSON (``parity.review/v1``)::

    {"schema": "parity.review/v1",
     "base": {"revision": "main", "commit": "9f1c…"},
     "environments": ["dev", "staging", "prod"],
     "summary": {"new": 2, "resolved": 1, "changed": 0, "failing": 1,
                 "changed_environments": ["prod"]},
     "drift": {"new": [DRIFT…], "resolved": [DRIFT…],
               "changed": [{"before": DRIFT, "after": DRIFT}…]},
     "changes": {"prod": REPORT, …}}

``DRIFT`` is a drift entry of the comparison report (``parity.report/v1``); ``changes`` holds,
for each environment, the whole comparison report of it at the base against it now. The
Markdown comment starts with one summary sentence and a table of counts; every list is folded
(``<details>``) under it. SARIF lists the new and changed drift between environments as results;
resolved drift is not a finding.
"""

from __future__ import annotations

import json
from typing import Any

from parity_gui.core.secrets import Masking
from parity_gui.engine.review import EnvironmentChange, MovedDrift, Movement, Review
from parity_gui.export import json_report, sarif
from parity_gui.export.markdown import code, text

SCHEMA = "parity.review/v1"


def report(found: Review, *, reveal_secrets: bool = False) -> dict[str, Any]:
    """The review as plain data, ready for ``json.dumps``."""
    masking = _masking(found, reveal_secrets)
    moved = {m.value: [_moved_json(d, masking, reveal_secrets) for d in found.of(m)] for m in Movement}
    return {
        "schema": SCHEMA,
        "base": {"revision": found.base, "commit": found.commit},
        "environments": list(found.names),
        "summary": {
            **{m.value: len(found.of(m)) for m in Movement},
            "failing": len(found.failing),
            "changed_environments": changed_environments(found),
        },
        "drift": moved,
        "changes": {
            c.name: json_report.report(c.comparison, reveal_secrets=reveal_secrets) for c in found.changes
        },
    }


def _masking(found: Review, reveal_secrets: bool) -> Masking | None:
    if reveal_secrets or found.after is None or found.before is None:
        return None
    environments = (*found.before.environments, *found.after.environments)
    return Masking.for_report(found.after, environments)


def _moved_json(moved: MovedDrift, masking: Masking | None, reveal: bool) -> dict[str, Any]:
    def entry(drift: Any) -> dict[str, Any] | None:
        return None if drift is None else json_report.drift_json(drift, reveal, masking)

    if moved.movement is Movement.CHANGED:
        return {"before": entry(moved.before), "after": entry(moved.after), "fails": moved.fails}
    return {**(entry(moved.drift) or {}), "fails": moved.fails}


def changed_environments(found: Review) -> list[str]:
    """The environments the change does something to."""
    return [c.name for c in found.changes if c.comparison.drifts]


def render_json(found: Review, *, reveal_secrets: bool = False) -> str:
    return json.dumps(report(found, reveal_secrets=reveal_secrets), indent=2, ensure_ascii=False) + "\n"


# --- Markdown ---------------------------------------------------------------------------------


def render_markdown(found: Review, *, reveal_secrets: bool = False) -> str:
    """A pull-request comment: the summary first, every detail folded."""
    data = report(found, reveal_secrets=reveal_secrets)
    summary = data["summary"]
    lines = [f"### parity review against `{found.base}`", "", summary_sentence(found), ""]
    lines += ["| between environments | drift |", "|---|---:|"]
    lines += [f"| {m.value} | {summary[m.value]} |" for m in Movement]
    lines += [f"| **fails the check** | **{summary['failing']}** |", ""]
    names = list(found.names)
    for movement in Movement:
        entries = data["drift"][movement.value]
        if entries:
            lines += _folded(f"{movement.value.capitalize()} drift between environments ({len(entries)})",
                             _moved_table(entries, names, movement))
    for change in found.changes:
        count = len(change.comparison.drifts)
        if count:
            lines += _folded(f"What the change does to {change.name} ({count})", _change_table(change, data))
    return "\n".join(lines).rstrip() + "\n"


def summary_sentence(found: Review) -> str:
    """One sentence for the top of a comment or the end of the text output."""
    new, resolved, changed = (len(found.of(m)) for m in Movement)
    touched = changed_environments(found)
    what = f"changes {', '.join(touched)}" if touched else "changes no environment"
    if found.after is None:
        return f"The change {what}."
    failing = len(found.failing)
    verdict = (f"**{failing} new unexpected drift** between environments" if failing
               else "no new unexpected drift between environments")
    return (f"The change {what}, with {verdict} ({new} new, {resolved} resolved, {changed} changed "
            f"against {found.names[0]}).")


def _folded(title: str, body: list[str]) -> list[str]:
    return ["<details>", f"<summary>{text(title)}</summary>", "", *body, "", "</details>", ""]


def _moved_table(entries: list[dict[str, Any]], names: list[str], movement: Movement) -> list[str]:
    header = "| | Severity | Path | " + " | ".join(text(n) for n in names) + " | Why |"
    lines = [header, "|" + "---|" * (len(names) + 4)]
    for entry in entries:
        shown = entry["after"] if movement is Movement.CHANGED else entry
        mark = "✗" if entry.get("fails") else ("✓" if movement is Movement.RESOLVED else "·")
        values = " | ".join(_value(v) for v in shown["values"])
        before = ""
        if movement is Movement.CHANGED and entry["before"] is not None:
            before = " (was " + ", ".join(_value(v) for v in entry["before"]["values"]) + ")"
        lines.append(f"| {mark} | {shown['severity']} | {code(shown['path'])} | {values} | "
                     f"{text(shown['explanation'])}{before} |")
    return lines


def _change_table(change: EnvironmentChange, data: dict[str, Any]) -> list[str]:
    names = [e.name for e in change.comparison.environments]
    lines = ["| Severity | Path | " + " | ".join(text(n) for n in names) + " |", "|" + "---|" * (len(names) + 2)]
    for entry in data["changes"][change.name]["drift"]:
        values = " | ".join(_value(v) for v in entry["values"])
        lines.append(f"| {entry['severity']} | {code(entry['path'])} | {values} |")
    return lines


def _value(value: Any) -> str:
    if value is None:
        return "(absent)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return code(text[:120] + ("…" if len(text) > 120 else ""))


# --- SARIF ---------------------------------------------------------------------------------------


def render_sarif(found: Review, *, reveal_secrets: bool = False) -> str:
    """New and changed drift between environments as SARIF results (``baselineState`` new or
    updated); with a single environment, what the change does to it."""
    if found.after is None:
        comparison = found.changes[0].comparison
        return sarif.render(comparison, reveal_secrets=reveal_secrets)
    reported = {id(m.after): m.movement for m in found.moved if m.after is not None}
    log = sarif.report(found.after, reveal_secrets=reveal_secrets, keep=lambda d: id(d) in reported)
    states = {Movement.NEW: "new", Movement.CHANGED: "updated"}
    kept = [d for d in found.after.drifts if id(d) in reported and not d.expected and not d.known]
    for result, drift in zip(log["runs"][0]["results"], kept, strict=True):
        result["baselineState"] = states[reported[id(drift)]]
    log["runs"][0]["properties"]["review"] = {"base": found.base, "commit": found.commit,
                                              "resolved": len(found.of(Movement.RESOLVED))}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
