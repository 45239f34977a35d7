"""The text report printed by ``parity compare``: drift grouped by service, with file:line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from parity_gui.core.drift import Drift, Severity
from parity_gui.core.pointer import readable
from parity_gui.core.printable import printable
from parity_gui.core.secrets import REVEALED_NOTICE, Masking, mask_text, mask_value, secret_status
from parity_gui.core.tree import MISSING
from parity_gui.engine.comparison import Comparison
from parity_gui.engine.groups import DriftGroup, drift_groups
from parity_gui.export.sections import load_errors

_COLOURS = {
    Severity.CRITICAL: "\033[1;97;41m",
    Severity.HIGH: "\033[1;31m",
    Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m",
    Severity.INFO: "\033[2m",
}
_GLYPHS = {"changed": "~", "added": "+", "removed": "-"}
_RESET, _DIM, _BOLD = "\033[0m", "\033[2m", "\033[1m"


class Style:
    """ANSI styling, or none at all when the output is not a terminal."""

    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def paint(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.colour else text

    def severity(self, severity: Severity) -> str:
        return self.paint(f"{severity.value.upper():<8}", _COLOURS[severity])

    def dim(self, text: str) -> str:
        return self.paint(text, _DIM)

    def bold(self, text: str) -> str:
        return self.paint(text, _BOLD)


def render(comparison: Comparison, *, colour: bool = False, reveal_secrets: bool = False) -> str:
    """The report; secrets masked with this report's tags unless ``reveal_secrets`` (then the
    report starts by saying so)."""
    style = Style(colour)
    masking = None if reveal_secrets else Masking.for_report(comparison, comparison.environments)
    lines = [REVEALED_NOTICE] if masking is None else []
    lines += [_heading(comparison, style), ""]
    width = max((len(printable(e.name)) for e in comparison.environments), default=4)
    same = drift_groups(comparison.drifts)
    grouped = {id(d) for g in same for d in g.members}
    for found in same:
        lines += _group_lines(found, comparison, width=width, style=style, masking=masking)
    groups: dict[tuple[str, ...], list[Drift]] = {}
    for drift in comparison.drifts:
        if id(drift) not in grouped:
            groups.setdefault(drift.path[:2], []).append(drift)
    for group, drifts in groups.items():
        lines.append(style.bold(printable("/" + readable(group))))
        for drift in drifts:
            lines += _drift_lines(drift, comparison, group, width=width, style=style, masking=masking)
        lines.append("")
    lines += _warnings(comparison, masking)
    lines.append(_summary_line(comparison, style))
    return "\n".join(lines) + "\n"


def _heading(comparison: Comparison, style: Style) -> str:
    sides = " vs ".join(
        f"{style.bold(printable(e.name))} ({printable(e.spec)})" + (" FAILED TO LOAD" if e.failed else "")
        for e in comparison.environments
    )
    return f"parity: {sides}"


def _drift_lines(
    drift: Drift, comparison: Comparison, group: tuple[str, ...], *, width: int, style: Style, masking: Masking | None
) -> list[str]:
    relative = printable(readable(drift.path[len(group):]) or "(whole entry)")
    marker = _GLYPHS[drift.kind.value]
    expected = style.dim(f"  expected: {printable(str(drift.reason))}") if drift.expected else ""
    if drift.known and not drift.expected:
        expected = style.dim("  known: in the baseline report")
    head = f"  {style.severity(drift.severity)} {marker} {relative}  {style.dim(drift.rule)}{expected}"
    status = None if masking is None else secret_status(drift.path, drift.values, masking)
    lines = [head, f"      {style.dim(printable(drift.explanation))}" + (f" {status}" if status else "")]
    for env, value, origin in zip(comparison.environments, drift.values, drift.origins, strict=True):
        shown = "(failed to load)" if env.failed else printable(_value_text(drift, value, masking))
        where = style.dim(f"  {printable(str(origin))}") if origin is not None else ""
        lines.append(f"      {printable(env.name):<{width}}  {shown}{where}")
    if drift.detail:
        detail = drift.detail if masking is None else mask_text(drift.detail, masking)
        lines.append(f"      {style.dim(printable(detail))}")
    return lines


#: How many of a group's places are named in its line.
NAMED_PLACES = 8


def _group_lines(
    group: DriftGroup, comparison: Comparison, *, width: int, style: Style, masking: Masking | None
) -> list[str]:
    """One block for the same change in many places: the pattern, the change once, the places."""
    first = group.members[0]
    count = len(group.members)
    expected = style.dim(f"  expected: {printable(str(first.reason))}") if group.expected else ""
    lines = [
        style.bold(printable(f"/{readable(group.pattern)}")) + style.dim(f"  same change in {count} places"),
        f"  {style.severity(group.severity)} {_GLYPHS[group.kind.value]} {style.dim(first.rule)}{expected}",
        *_drift_lines(replace(first, origins=(None,) * len(first.origins)), comparison, (), width=width,
                      style=style, masking=masking)[1:],
    ]
    names = ", ".join(group.entities[:NAMED_PLACES]) + (f", … ({count - NAMED_PLACES} more)"
                                                         if count > NAMED_PLACES else "")
    lines.append(f"      {style.dim('in')} {printable(names)}")
    return [*lines, ""]


def _value_text(drift: Drift, value: Any, masking: Masking | None) -> str:
    if value is MISSING:
        return "(absent)"
    shown = value if masking is None else mask_value(drift.path, value, masking)
    if isinstance(shown, str):
        return json.dumps(shown, ensure_ascii=False) if shown == "" or shown != shown.strip() else shown
    text = json.dumps(shown, ensure_ascii=False, default=str)
    return text if len(text) <= 100 else text[:97] + "…"


def _warnings(comparison: Comparison, masking: Masking | None) -> list[str]:
    lines = [f"{w.level.value}: {e.name}: {w}" for e in comparison.environments for w in e.diagnostics]
    lines += [f"{w.level.value}: {w}" for w in comparison.warnings]
    if masking is not None:
        lines = [mask_text(line, masking) for line in lines]
    return [*(printable(line) for line in lines), ""] if lines else []


def _summary_line(comparison: Comparison, style: Style) -> str:
    summary = comparison.summary()
    errors = load_errors(comparison)
    if errors:
        said = "error" if errors == 1 else "errors"
        counts = _counts((s.value, n) for s, n in summary.by_severity.items())
        found = f"{summary.drift} drift" + (f" ({counts})" if counts else "")
        return style.bold(f"Incomplete: {errors} {said} while loading (above); {found} in what loaded.")
    if not summary.drift and not summary.expected and not summary.known:
        if summary.context:
            return f"No drift where both sides can speak; {summary.context} outside shared coverage (not counted)."
        return "No drift."
    counts = _counts((s.value, n) for s, n in summary.by_severity.items())
    text = (f"{summary.drift} new drift" if summary.known else f"{summary.drift} drift") + (
        f" ({counts})" if counts else "")
    if summary.expected:
        text += f", {summary.expected} expected"
    if summary.known:
        text += f", {summary.known} known (in the baseline report)"
    if summary.context:
        text += f", {summary.context} outside shared coverage (not counted)"
    return style.bold(text + ".")


def _counts(pairs: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{n} {name}" for name, n in pairs if n)
