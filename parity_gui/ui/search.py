"""Search by key or value (Ctrl+F): the find bar and the search that feeds it.

Each comparison gets a :class:`SearchIndex` once, built in a worker when Find is first used: one
long string holding, row by row in display order, the key and each environment's value as shown
(masked, so a secret is never found by its clear text) and as written. A search is then
``str.find`` over that string — C speed — mapped back to rows with a binary search, a slice
at a time from a zero-length timer so the window keeps painting even at a million rows.
"""

from __future__ import annotations

import bisect
import time
from array import array
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from parity_gui.core.pointer import Path, from_pointer, to_pointer
from parity_gui.core.secrets import is_secret_path, mask_text
from parity_gui.engine.comparison import Comparison, child_keys, child_values
from parity_gui.ui.models.values import masking_of, normalised_text, shown_text
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


class SearchIndex:
    """What every row shows, as one searchable string (see the module's docstring)."""

    def __init__(self, comparison: Comparison, *, build: bool = True) -> None:
        self.comparison = comparison
        self.starts: array[int] = array("q")
        self.text = ""
        self.pointer_starts: array[int] = array("q")
        self.pointers = ""
        if build:
            for _ in self.building():
                pass

    def building(self, step: int = 256) -> Iterator[None]:
        """Build the index, pausing (yielding) every ``step`` rows, so that the window can build
        it a slice at a time between paints."""
        comparison = self.comparison
        masking = masking_of(comparison)
        masked: dict[str, str] = {}  # most values repeat across environments: mask each text once

        def shown(text: str) -> str:
            known = masked.get(text)
            if known is None:
                known = masked[text] = mask_text(text, masking)
            return known

        rows: list[str] = []  # the rows since the last chunk
        pointers: list[str] = []
        text_chunks: list[str] = []
        pointer_chunks: list[str] = []

        def chunk() -> None:
            text_chunks.append("\n".join(rows) + "\n")
            pointer_chunks.append("\n".join(pointers) + "\n")
            rows.clear()
            pointers.clear()

        # where each row (and pointer) starts once joined with line breaks, counted as they come:
        # a pass over a million rows at the end would stall the window for a tenth of a second
        starts, pointer_starts = array("q"), array("q")
        offset = pointer_offset = 0
        for count, (path, values) in enumerate(aligned_walk(comparison)):
            parts = [path[-1]]
            secret = is_secret_path(path, masking)
            for env, value in zip(comparison.environments, values, strict=True):
                if isinstance(value, dict):
                    continue
                if secret:
                    parts.append(shown_text(env, path, value, reveal=False, masking=masking))
                    continue
                text = normalised_text(value)
                parts.append(shown(text))
                raw = env.raw.get(path)
                if raw is not None and raw != text:
                    parts.append(shown(raw))
            row, pointer = "\t".join(parts).replace("\n", " ").casefold(), to_pointer(path)
            rows.append(row)
            pointers.append(pointer)
            starts.append(offset)
            pointer_starts.append(pointer_offset)
            offset += len(row) + 1
            pointer_offset += len(pointer) + 1
            if count % step == 0:
                chunk()
                yield
        if rows:
            chunk()
        # Decision: two long strings and two arrays of offsets, not a million row objects, so
        # that the garbage collector has nothing more to walk while the window runs. They are
        # joined from a few thousand chunks joined along the way: joining a million rows at
        # once held the window for a tenth of a second per string.
        self.starts = starts
        self.text = "".join(text_chunks) if text_chunks else "\n"
        yield
        self.pointer_starts = pointer_starts
        self.pointers = "".join(pointer_chunks) if pointer_chunks else "\n"

    def __len__(self) -> int:
        return len(self.starts)

    def path(self, row: int) -> Path:
        start = self.pointer_starts[row]
        return from_pointer(self.pointers[start:self.pointers.index("\n", start)])

    def matches(self, needle: str) -> Iterator[Path]:
        """The paths whose row contains ``needle`` (case-insensitive), in display order."""
        needle = needle.casefold()
        if not needle or "\n" in needle:
            return
        position = self.text.find(needle)
        while position != -1:
            row = bisect.bisect_right(self.starts, position) - 1
            yield self.path(row)
            following = self.starts[row + 1] if row + 1 < len(self.starts) else len(self.text)
            position = self.text.find(needle, following)


class IndexBuilder(QObject):
    """Builds a comparison's :class:`SearchIndex` on the GUI thread, a slice at a time from a
    zero-length timer (at most :data:`SLICE_SECONDS` each).

    Decision: not in a worker thread — a pure-Python build in a thread competes with the window
    for the interpreter lock and stalls it for longer than slices do.
    """

    built = Signal(object)  #: the finished SearchIndex

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, interval=0)
        self.timer.timeout.connect(self._slice)
        self.index: SearchIndex | None = None
        self.steps: Iterator[None] | None = None

    def start(self, comparison: Comparison) -> None:
        self.index = SearchIndex(comparison, build=False)
        self.steps = self.index.building()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.index = self.steps = None

    @property
    def comparison(self) -> Comparison | None:
        return self.index.comparison if self.index is not None else None

    def _slice(self) -> None:
        deadline = time.perf_counter() + SLICE_SECONDS
        assert self.steps is not None
        for _ in self.steps:
            if time.perf_counter() > deadline:
                return
        self.timer.stop()
        index, self.index, self.steps = self.index, None, None
        self.built.emit(index)


class Search(QObject):
    """One search at a time over a comparison's index; a new one replaces the running one. A
    search asked for before the index is ready runs as soon as it is."""

    finished = Signal(list)  #: matching paths in display order

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, interval=0)
        self.timer.timeout.connect(self._slice)
        self.walk: Iterator[Path] | None = None
        self.index: SearchIndex | None = None
        self.pending: str | None = None
        self.text = ""
        self.found: list[Path] = []

    def set_index(self, index: SearchIndex | None) -> None:
        """The index of the comparison on screen (None while it is being built)."""
        self.index = index
        if index is not None and self.pending is not None:
            text, self.pending = self.pending, None
            self.start(text)

    def start(self, text: str) -> None:
        self.timer.stop()
        self.text = text
        self.found = []
        if not text:
            self.pending = None
            self.finished.emit([])
            return
        if self.index is None:
            self.pending = text
            return
        self.walk = self.index.matches(text)
        self.timer.start()

    @property
    def running(self) -> bool:
        return self.timer.isActive() or self.pending is not None

    def _slice(self) -> None:
        deadline = time.perf_counter() + SLICE_SECONDS
        assert self.walk is not None
        for count, path in enumerate(self.walk):
            self.found.append(path)
            if count % 1024 == 0 and time.perf_counter() > deadline:
                return
        self.timer.stop()
        self.finished.emit(self.found)


class FindBar(QWidget):
    """The find bar under the trees: text, match count, previous/next, close (Esc)."""

    search_changed = Signal(str)
    opened = Signal()
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
        self.opened.emit()
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
