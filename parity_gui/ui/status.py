"""The status bar's drift summary: counts by severity, each with its icon and word."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from parity_gui.core.drift import Severity
from parity_gui.core.tree import Diagnostic, Level
from parity_gui.engine.comparison import Comparison
from parity_gui.ui import theme
from parity_gui.ui.widgets import configure


class SummaryBar(QWidget):
    """``◆ 2 high  ■ 5 medium  ● 1 low · 1 expected · 3 not compared`` — or a plain message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(4, 0, 4, 0)
        self.layout_.setSpacing(6)
        self.layout_.addStretch(1)
        self.labels: list[QLabel] = []
        self.position: QLabel | None = None
        self.show_message("Nothing compared yet")

    def _clear(self) -> None:
        for label in self.labels:
            label.deleteLater()
        self.labels = []
        self.position = None

    def _add(self, text: str, severity: Severity | None = None, tip: str = "") -> None:
        if severity is not None:
            icon = QLabel()
            icon.setPixmap(theme.current().severity_icon(severity).pixmap(14, 14))
            self.layout_.insertWidget(self.layout_.count() - 1, icon)
            self.labels.append(icon)
        label = configure(QLabel(text), toolTip=tip)
        self.layout_.insertWidget(self.layout_.count() - 1, label)
        self.labels.append(label)

    def show_message(self, text: str) -> None:
        self._clear()
        self._add(text)

    def show_summary(self, comparison: Comparison, min_severity: Severity | None = None) -> None:
        """The counts; with a severity chosen, only drift at it or worse is counted, and the
        first figure says how much of the whole that is (``7 of 35 drift · high and above``)."""
        self._clear()
        summary = comparison.summary()
        shown = {s: n for s, n in summary.by_severity.items() if min_severity is None or s.rank <= min_severity.rank}
        if not summary.drift and not summary.expected:
            self._add("No drift", tip="Every path both sides cover is the same")
        elif min_severity is not None:
            self._add(f"<b>{sum(shown.values())} of {summary.drift} drift</b> · {min_severity.value} and above",
                      tip="The severity box narrows what is counted, shown and stepped through")
        else:
            self._add(f"<b>{summary.drift} drift</b>")
        for severity, count in shown.items():
            if count:
                self._add(f"{count} {severity.value}", severity, f"{count} unexpected {severity.value} drift")
        if summary.expected:
            self._add(f"· {summary.expected} expected", tip="Declared expected in the project file; never fails")
        notes = getattr(comparison, "warnings", [])
        if notes:
            self._add(f"· {level_counts(notes)}", tip="\n".join(str(w) for w in notes))
        if summary.context:
            self._add(f"· {summary.context} outside shared coverage",
                      tip="Differences where not every environment can speak: shown greyed, not counted")
        self.position = configure(QLabel(""), objectName="Muted")
        self.layout_.insertWidget(self.layout_.count() - 1, self.position)
        self.labels.append(self.position)

    def show_position(self, position: int | None, total: int, expected: bool = False) -> None:
        """``drift 3 of 35`` beside the counts: where the selected drift stands among the
        unexpected ones (``expected, after drift 3 of 35`` on an expected one)."""
        if self.position is None:
            return
        if position is None or not total:
            self.position.setText("")
        elif expected:
            self.position.setText(f"· expected drift, after {position} of {total}")
        else:
            self.position.setText(f"· drift {position} of {total}")


def level_counts(diagnostics: Sequence[Diagnostic]) -> str:
    """``✖ 1 error · ⚠ 2 warnings · 1 note``: diagnostics counted under their own level's name."""
    counts = Counter(d.level for d in diagnostics)
    marks = {Level.ERROR: "✖ ", Level.WARNING: "⚠ ", Level.NOTE: ""}
    return " · ".join(f"{marks[level]}{counts[level]} {level.value}{'s' if counts[level] != 1 else ''}"
                      for level in Level if counts[level])


def against_baseline(comparison: Comparison, side: int) -> tuple[str, str]:
    """What a pane's header says of its environment: ``baseline``, or how much unexpected drift
    sets it apart from the baseline (``12 drift vs prod · 1 critical``), with a tooltip by severity."""
    baseline = comparison.names[0]
    if side == 0:
        return "baseline", "Every other environment is compared with this one"
    apart = Counter(d.severity for d in comparison.unexpected if d.values[side] != d.values[0])
    total = sum(apart.values())
    if not total:
        return f"same as {baseline}", f"No unexpected drift between {comparison.names[side]} and {baseline}"
    worst = min(apart, key=lambda s: s.rank)
    tip = ", ".join(f"{apart[s]} {s.value}" for s in Severity if apart[s])
    return f"{total} drift vs {baseline} · worst {worst.value}", tip
