"""The status bar's drift summary: counts by severity, each with its icon and word."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from parity_gui.core.drift import Severity
from parity_gui.engine.comparison import Comparison
from parity_gui.export.sections import load_errors
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
        self.show_message("Nothing compared yet")

    def _clear(self) -> None:
        for label in self.labels:
            label.deleteLater()
        self.labels = []

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

    def show_summary(self, comparison: Comparison) -> None:
        self._clear()
        summary = comparison.summary()
        errors = load_errors(comparison)
        if errors:  # never "No drift" about what did not load
            self._add(f"<b>⚠ Incomplete: {errors} error{'s' if errors != 1 else ''} while loading</b>",
                      tip="Part of an environment failed to load (see its errors); that part was not compared")
        if not summary.drift and not summary.expected and not errors:
            self._add("No drift", tip="Every path both sides cover is the same")
        elif summary.drift or summary.expected:
            self._add(f"<b>{summary.drift} drift</b>")
        for severity, count in summary.by_severity.items():
            if count:
                self._add(f"{count} {severity.value}", severity, f"{count} unexpected {severity.value} drift")
        if summary.expected:
            self._add(f"· {summary.expected} expected", tip="Declared expected in the project file; never fails")
        warnings = getattr(comparison, "warnings", [])
        if warnings:
            self._add(f"· ⚠ {len(warnings)} project warning{'s' if len(warnings) != 1 else ''}",
                      tip="\n".join(str(w) for w in warnings))
        if summary.context:
            self._add(f"· {summary.context} outside shared coverage",
                      tip="Differences where not every environment can speak: shown greyed, not counted")
