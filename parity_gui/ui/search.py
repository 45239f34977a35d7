"""Search by key or value (Ctrl+F): the find bar and the search that feeds it.

The search walks the environments' plain trees (not the view's rows, which are built lazily)
in display order, a slice at a time from a zero-length timer, so the window keeps painting
while a million rows are searched. It matches what a user can see: the key, or the value's
text as shown — a masked secret is never found by its clear text.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from parity_gui.core.pointer import Path
from parity_gui.engine.comparison import Comparison, child_keys, child_values
from parity_gui.ui.models.values import masking_of, shown_text
from parity_gui.ui.widgets import configure

#: How long one slice of the search may hold the event loop.
SLICE_SECONDS = 0.02


def aligned_walk(comparison: Comparison) -> Iterator[tuple[Path, tuple[Any, ...]]]:
    """Every (path, values) of the aligned tree in display order, without building nodes."""
    stack: list[tuple[Path, tuple[Any, ...]]] = [((), tuple(e.tree for e in comparison.environments))]
    while stack:
        path, values = stack.pop()
        if path:
            yield path, values
        keys = child_keys(values)
        stack.extend(((*path, key), child_values(values, key)) for key in reversed(keys))


class Search(QObject):
    """One search at a time over a comparison; a new one replaces the running one."""

    finished = Signal(list)  #: matching paths in display order

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, interval=0)
        self.timer.timeout.connect(self._slice)
        self.walk: Iterator[tuple[Path, tuple[Any, ...]]] | None = None
        self.comparison: Comparison | None = None
        self.text = ""
        self.revealed: set[Path] = set()
        self.found: list[Path] = []

    def start(self, comparison: Comparison | None, text: str, revealed: set[Path]) -> None:
        self.timer.stop()
        self.text = text.casefold()
        self.found = []
        if comparison is None or not self.text:
            self.finished.emit([])
            return
        self.comparison = comparison
        self.revealed = set(revealed)
        self.walk = aligned_walk(comparison)
        self.timer.start()

    @property
    def running(self) -> bool:
        return self.timer.isActive()

    def _slice(self) -> None:
        deadline = time.perf_counter() + SLICE_SECONDS
        assert self.walk is not None
        for count, (path, values) in enumerate(self.walk):
            if self._matches(path, values):
                self.found.append(path)
            if count % 256 == 0 and time.perf_counter() > deadline:
                return
        self.timer.stop()
        self.finished.emit(self.found)

    def _matches(self, path: Path, values: tuple[Any, ...]) -> bool:
        if self.text in path[-1].casefold():
            return True
        environments = self.comparison.environments  # type: ignore[union-attr]
        reveal = path in self.revealed
        masking = masking_of(self.comparison)
        return any(
            not isinstance(value, dict)
            and self.text in shown_text(env, path, value, reveal=reveal, masking=masking).casefold()
            for env, value in zip(environments, values, strict=True)
        )


class FindBar(QWidget):
    """The find bar under the trees: text, match count, previous/next, close (Esc)."""

    search_changed = Signal(str)
    next_requested = Signal()
    previous_requested = Signal()
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit(placeholderText="Find key or value…", clearButtonEnabled=True)
        self.count = configure(QLabel(), objectName="Muted")
        self.debounce = QTimer(self, singleShot=True, interval=150)
        self.debounce.timeout.connect(lambda: self.search_changed.emit(self.field.text()))
        self.field.textChanged.connect(lambda _: self.debounce.start())
        self.field.returnPressed.connect(self.next_requested)
        QShortcut(QKeySequence("Shift+Return"), self.field, self.previous_requested.emit)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        for text, tip, signal in (("▲", "Previous match (Shift+Enter)", self.previous_requested),
                                  ("▼", "Next match (Enter)", self.next_requested)):
            button = configure(QToolButton(), text=text, toolTip=tip, autoRaise=True)
            button.clicked.connect(signal)
            layout.addWidget(button)
        close = configure(QToolButton(), text="✕", toolTip="Close (Esc)", autoRaise=True)
        close.clicked.connect(self.close_bar)
        layout.addWidget(close)

    def open_bar(self) -> None:
        self.setVisible(True)
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.setVisible(False)
        self.closed.emit()

    def show_count(self, position: int | None, total: int, searching: bool) -> None:
        if searching:
            self.count.setText("searching…")
        elif not self.field.text():
            self.count.setText("")
        elif total == 0:
            self.count.setText("no match")
        else:
            where = f"{position + 1} of " if position is not None else ""
            self.count.setText(f"{where}{total} match{'es' if total != 1 else ''}")
