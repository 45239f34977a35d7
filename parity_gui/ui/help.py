"""Help → Keyboard Shortcuts and Legend: every key the window answers, and what each glyph,
icon and colour means. The shortcuts are read from the window's own actions, so the list cannot
drift from what the keys do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parity_gui.core.drift import DriftKind, Severity
from parity_gui.ui import theme

if TYPE_CHECKING:
    from parity_gui.ui.window import MainWindow

#: Keys that belong to a widget rather than an action of the window.
OTHER_KEYS = (
    ("Enter / Shift+Enter", "next / previous match, in the find bar"),
    ("Esc", "close the find bar"),
    ("← → / + −", "collapse or expand the selected branch, as in any tree"),
)

SEVERITY_WORDS = {
    Severity.CRITICAL: "critical: another kind of service (postgres vs mysql), a backing service missing",
    Severity.HIGH: "high: a service only on one side, a major or minor version apart, a floating tag",
    Severity.MEDIUM: "medium: a setting that changes behaviour (environment, ports, volumes, command)",
    Severity.LOW: "low: labels and other settings that change little",
    Severity.INFO: "info: worth knowing, nothing more",
}


def shortcut_rows(window: MainWindow) -> list[tuple[str, str]]:
    """(keys, what they do) for every action of ``window`` that has keys, then the widgets' keys."""
    rows = []
    for action in window.acts.values():
        keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
        if keys:
            rows.append((keys, action.text().replace("&", "").strip("…").lstrip("⇄↻▲▼ ")))
    return rows + list(OTHER_KEYS)


class HelpDialog(QDialog):
    """Two tabs: the keyboard shortcuts, and the legend of glyphs and colours."""

    def __init__(self, window: MainWindow, tab: int = 0) -> None:
        super().__init__(window)
        self.setWindowTitle("parity — keyboard shortcuts and legend")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._shortcuts(window), "Keyboard Shortcuts")
        self.tabs.addTab(self._legend(), "Legend")
        self.tabs.setCurrentIndex(tab)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(640, 520)

    @staticmethod
    def _shortcuts(window: MainWindow) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        for row, (keys, does) in enumerate(shortcut_rows(window)):
            key = QLabel(f"<b>{keys}</b>")
            key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(key, row, 0)
            grid.addWidget(QLabel(does), row, 1)
        grid.setRowStretch(grid.rowCount(), 1)
        grid.setColumnStretch(1, 1)
        return page

    @staticmethod
    def _legend() -> QWidget:
        current = theme.current()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<b>Severity</b> — a shape and a colour, never the colour alone"))
        for severity in Severity:
            layout.addLayout(_icon_row(current.severity_icon(severity), SEVERITY_WORDS[severity]))
        layout.addWidget(QLabel("<b>Kind</b> — against the baseline, the first pane"))
        for kind, word in ((DriftKind.CHANGED, "changed: both have it, with other values"),
                           (DriftKind.ADDED, "added: this environment has it, the baseline does not"),
                           (DriftKind.REMOVED, "removed: the baseline has it, this environment does not")):
            layout.addLayout(_icon_row(current.drift_icon(kind, Severity.MEDIUM), f"{theme.GLYPHS[kind]}  {word}"))
        layout.addWidget(QLabel("<b>Rows</b>"))
        for text in (
            "hatched: this environment lacks the path (the rows stay level across panes)",
            "grey: expected drift (declared in .parity.toml, with its reason); never fails a check",
            "italic: outside what every environment covers, shown but not counted",
            "a numbered pill on a branch: unexpected drift below it, coloured by the worst",
            "a marked stretch inside a long value: the part that differs from the baseline",
            "dimmed text after a value: the value as written (an expression, a default)",
        ):
            layout.addWidget(QLabel(f"•  {text}"))
        layout.addStretch(1)
        return page


def _icon_row(icon: object, text: str) -> QHBoxLayout:
    row = QHBoxLayout()
    mark = QLabel()
    mark.setPixmap(icon.pixmap(16, 16))  # type: ignore[attr-defined]
    row.addWidget(mark)
    row.addWidget(QLabel(text), 1)
    return row


def show_help(window: MainWindow, tab: int = 0) -> HelpDialog:
    dialog = HelpDialog(window, tab)
    dialog.open()
    return dialog
