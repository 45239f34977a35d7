"""Drift grouped the way a reviewer reads it: by service, image, Terraform address or section.

Markdown and HTML reports are built from these rows, which are themselves built from the JSON
report (:func:`parity_gui.export.json_report.report`), so every format shows the same values,
masked the same way, with the same origins.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from parity_gui.core.drift import Drift, DriftKind, Severity
from parity_gui.core.pointer import to_pointer
from parity_gui.core.secrets import REVEALED_NOTICE
from parity_gui.core.tree import MISSING
from parity_gui.engine.comparison import Comparison
from parity_gui.export import json_report

#: A glyph per severity, so a report never relies on colour alone: the shapes the GUI draws
#: (triangle critical, diamond high, square medium, circle low, hollow circle info).
SEVERITY_GLYPHS = {
    Severity.CRITICAL: "▲",
    Severity.HIGH: "◆",
    Severity.MEDIUM: "■",
    Severity.LOW: "●",
    Severity.INFO: "○",
}
#: A glyph per kind, as the text report prints them.
KIND_GLYPHS = {DriftKind.CHANGED: "~", DriftKind.ADDED: "+", DriftKind.REMOVED: "−"}
#: What a cell shows for a path an environment does not have.
ABSENT = "(absent)"

_GROUPED = {"services": "service", "images": "image", "infrastructure": "Terraform", "networks": "network",
            "volumes": "volume", "files": "file"}


@dataclass(frozen=True, slots=True)
class Row:
    """One drift as a report shows it: display text per environment, and the JSON entry."""

    drift: Drift
    entry: dict[str, Any]  #: the drift's entry in the JSON report
    cells: tuple[str, ...]  #: the value shown for each environment (masked unless revealed)
    places: tuple[str, ...]  #: ``file:line`` (or live attribute) for each environment, "" if none

    @property
    def why(self) -> str:
        """The rule's explanation, with what changed inside a list when known."""
        detail = self.entry.get("detail")
        return f"{self.entry['explanation']} ({detail})" if detail else str(self.entry["explanation"])

    @property
    def relative_pointer(self) -> str:
        """The path inside its section (``/image/tag`` in service ``db``)."""
        depth = len(section_key(self.drift.path))
        return to_pointer(self.drift.path[depth:]) or "/"


@dataclass(frozen=True, slots=True)
class Section:
    """Drift under one service, image, Terraform address or top-level section."""

    key: tuple[str, ...]
    title: str
    rows: tuple[Row, ...]

    @property
    def worst(self) -> Severity:
        return min((r.drift.severity for r in self.rows), key=lambda s: s.rank)


def section_key(path: Sequence[str]) -> tuple[str, ...]:
    """``/services/db/image/tag`` → ``("services", "db")``; ``/variables/X`` → ``("variables",)``."""
    if len(path) >= 2 and path[0] in _GROUPED:
        return (path[0], path[1])
    return tuple(path[:1])


def section_title(key: tuple[str, ...]) -> str:
    if len(key) == 2:
        return f"{_GROUPED[key[0]]} {key[1]}"
    return key[0] if key else "(root)"


@dataclass(frozen=True, slots=True)
class Shown:
    """A comparison as the human-readable reports show it: the JSON report's (masked) data,
    grouped, with its warnings as lines and the notice a revealing report starts with."""

    report: dict[str, Any]
    sections: list[Section]
    warnings: list[tuple[str, str, str]]  #: (environment or "comparison", "file:line:column", message)
    notice: str | None


def shown(comparison: Comparison, *, reveal_secrets: bool = False) -> Shown:
    """Build every report from one JSON report, so all formats mask and say the same."""
    report = json_report.report(comparison, reveal_secrets=reveal_secrets)
    warnings = [(w.get("environment") or "comparison", _where(w), str(w["message"])) for w in report["warnings"]]
    notice = report.get("notice") or (REVEALED_NOTICE if reveal_secrets else None)
    return Shown(report, sections(comparison, report), warnings, notice)


def sections(comparison: Comparison, report: dict[str, Any]) -> list[Section]:
    """Every drift grouped by section in display order (rows from ``report``'s entries)."""
    groups: dict[tuple[str, ...], list[Row]] = {}
    for drift, entry in zip(comparison.drifts, report["drift"], strict=True):
        groups.setdefault(section_key(drift.path), []).append(row(drift, entry))
    return [Section(key, section_title(key), tuple(rows)) for key, rows in groups.items()]


def _where(warning: dict[str, Any]) -> str:
    return ":".join(str(warning[k]) for k in ("file", "line", "column") if warning.get(k) is not None)


def row(drift: Drift, entry: dict[str, Any]) -> Row:
    cells = tuple(
        show(value) if original is not MISSING else ABSENT
        for value, original in zip(entry["values"], drift.values, strict=True)
    )
    places = tuple(place(o) for o in entry["origins"])
    return Row(drift, entry, cells, places)


def show(value: Any) -> str:
    """A value as one line of text: strings as they are, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), sort_keys=False)


def place(origin: dict[str, Any] | None) -> str:
    """An origin from the JSON report as ``file:line`` (or ``context/object attribute`` when live)."""
    if not origin:
        return ""
    if "file" in origin:
        return f"{origin['file']}:{origin['line']}" if origin.get("line") else str(origin["file"])
    parts = [str(origin[k]) for k in ("context", "object_id") if k in origin]
    text = "/".join(parts)
    return f"{text} {origin['attribute']}".strip() if "attribute" in origin else text


def headline(comparison: Comparison) -> str:
    """One sentence: how much unexpected drift between which environments."""
    count = len(comparison.unexpected)
    names = ", ".join(comparison.names[1:])
    noun = "drift" if count == 1 else "drifts"
    errors = load_errors(comparison)
    if errors:
        said = "error" if errors == 1 else "errors"
        return (f"Incomplete: {errors} {said} while loading; {count} unexpected {noun} between "
                f"{comparison.baseline.name} (baseline) and {names} in what loaded")
    if count == 0:
        return f"No unexpected drift between {comparison.baseline.name} (baseline) and {names}"
    return f"{count} unexpected {noun} between {comparison.baseline.name} (baseline) and {names}"


def load_errors(comparison: Comparison) -> int:
    """How many errors loading the environments met: a comparison with any is incomplete, and
    never reported as "no drift"."""
    return sum(len(env.errors) for env in comparison.environments)


def declared_expectations(comparison: Comparison) -> list[tuple[str, str, str]]:
    """The expected differences the comparison was made with: pattern, reason, where declared."""
    return [(e.glob.pattern, e.reason, e.source or "") for e in comparison.options.expected]
