"""The detail panel: everything about the selected row.

It shows the path as a JSON Pointer to copy, the verdict (severity, kind, the rule that rated it
and its explanation), whether the drift is expected and why, and for each environment the value
in full with its origin: a clickable ``file:line`` for files, or the Docker context, container id
and inspect attribute for live sources. Secret values stay masked until revealed, one by one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from parity_gui.core.drift import Drift, DriftKind, Severity
from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path, to_pointer
from parity_gui.core.secrets import Masking
from parity_gui.engine.comparison import AlignedNode, Comparison
from parity_gui.ui import theme
from parity_gui.ui.models.values import changed_span, is_secret, masking_of, shown_normalised, written_text
from parity_gui.ui.side import link_for, open_link, short_path
from parity_gui.ui.theme import GLYPHS
from parity_gui.ui.widgets import configure

FULL_LIMIT = 20000


class DetailPanel(QFrame):
    """What the selected row holds in every environment, and why it matters."""

    reveal_toggled = Signal(object, int, bool)  #: path, environment, reveal

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DetailPanel")
        self.comparison: Comparison | None = None
        self.node: AlignedNode | None = None
        self.revealed: set[tuple[Path, int]] = set()  #: (path, environment) shown in clear
        self.icon = QLabel()
        self.pointer = QLineEdit(readOnly=True, placeholderText="Select a row to see its details")
        self.pointer.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.copy = QPushButton("Copy pointer")
        self.copy.clicked.connect(self.copy_pointer)
        self.verdict = _wrapping("DetailTitle")
        self.explanation = _wrapping("")
        self.expectation = _wrapping("Muted")
        self.values = QHBoxLayout()
        self.values.setSpacing(12)
        self.boxes: list[QWidget] = []
        self.rows: list[tuple[QLabel, QPlainTextEdit, QLabel, QPushButton]] = []
        self._lay_out()
        self.show_node(None)

    def _lay_out(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.icon)
        head.addWidget(self.pointer, 1)
        head.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(head)
        for widget in (self.verdict, self.explanation, self.expectation):
            layout.addWidget(widget)
        layout.addLayout(self.values, 1)

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.comparison = comparison
        self.revealed.clear()
        count = len(comparison.environments) if comparison else 0
        if count != len(self.rows):  # the same environments again keep their columns
            self._build_rows(count)
        self.show_node(None)

    def _build_rows(self, count: int) -> None:
        """One column per environment, side by side like the trees: name, origin, value."""
        for box in self.boxes:
            box.deleteLater()
        self.boxes, self.rows = [], []
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for _ in range(count):
            name = configure(QLabel(), objectName="DetailTitle")
            value = QPlainTextEdit(readOnly=True)
            value.setFont(mono)
            value.setMinimumHeight(40)
            value.setMaximumHeight(120)
            origin = QLabel(textInteractionFlags=Qt.TextInteractionFlag.TextBrowserInteraction)
            origin.linkActivated.connect(lambda link: open_link(link, self))
            origin.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            reveal = configure(QPushButton("Reveal"), checkable=True, toolTip="Show this secret value in clear")
            reveal.toggled.connect(partial(self._reveal, len(self.rows)))
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            head = QHBoxLayout()
            head.addWidget(name)
            head.addWidget(origin, 1)
            head.addWidget(reveal)
            column.addLayout(head)
            column.addWidget(value, 1)
            self.values.addWidget(box, 1)
            self.boxes.append(box)
            self.rows.append((name, value, origin, reveal))

    # --- showing a node --------------------------------------------------------------------
    def show_node(self, node: AlignedNode | None) -> None:
        """Show ``node`` (None clears the panel)."""
        self.node = node
        self.pointer.setText(to_pointer(node.path) if node else "")
        self.copy.setEnabled(node is not None)
        drift = node.enclosing_drift if node else None
        self._show_verdict(node, drift)
        for side, row in enumerate(self.rows):
            self._show_value(side, row, node, drift)
        layout = self.layout()
        if layout is not None:  # in a short window the panel scrolls instead of squeezing its values
            self.setMinimumHeight(layout.sizeHint().height())

    def _show_verdict(self, node: AlignedNode | None, drift: Drift | None) -> None:
        current = theme.current()
        self.icon.clear()
        self.expectation.clear()
        if node is None:
            self.verdict.setText("")
            self.explanation.setText("")
            return
        context = self.comparison.context_at(node.path) if self.comparison else None
        below = self.comparison.drifts_under(node.path) if self.comparison and node.is_branch else ()
        if drift is None and below:
            worst = min(below, key=lambda d: d.severity.rank).severity
            self.icon.setPixmap(current.severity_icon(worst).pixmap(20, 20))
            self.verdict.setText(below_headline(below))
            self.explanation.setText(top_items(below, node.path))
            return
        if drift is None:
            self.verdict.setText("No drift here" if context is None else "Outside shared coverage")
            self.explanation.setText(_no_drift_text(node, context))
            return
        self.icon.setPixmap(current.drift_icon(drift.kind, drift.severity, drift.expected).pixmap(20, 20))
        inside = "" if drift.path == node.path else f" (inside {to_pointer(drift.path)})"
        self.verdict.setText(f"{drift.severity.value.upper()} · {drift.kind.value}{inside} · rule {drift.rule}")
        self.explanation.setText(drift.explanation + (f"\n{drift.detail}" if drift.detail else ""))
        self.expectation.setText(f"Expected: {drift.reason}" if drift.expected else "Not expected: this drift counts.")

    def _show_value(
        self, side: int, row: tuple[QLabel, QPlainTextEdit, QLabel, QPushButton], node: AlignedNode | None,
        drift: Drift | None,
    ) -> None:
        name, value, origin, reveal = row
        env = self.comparison.environments[side] if self.comparison else None
        name.setText(env.name if env else "")
        if node is None or env is None:
            value.setPlainText("")
            origin.setText("")
            reveal.setVisible(False)
            return
        shown = (node.path, side) in self.revealed
        masking = masking_of(self.comparison)
        value.setPlainText(_full_text(env, node, side, shown, masking))
        self._mark_change(side, value, node, drift)
        origin.setText(_origin_html(env.origin(node.path) if node.present(side) else None))
        reveal.setVisible(node.present(side) and is_secret(node.path, masking) and not node.is_branch)
        reveal.blockSignals(True)
        reveal.setChecked(shown)
        reveal.setText("Hide" if shown else "Reveal")
        reveal.blockSignals(False)

    def _mark_change(self, side: int, box: QPlainTextEdit, node: AlignedNode, drift: Drift | None) -> None:
        """Mark the part of a long value that differs from the baseline's (the baseline's against
        the next environment's)."""
        box.setExtraSelections([])
        if drift is None or drift.path != node.path or node.is_branch or not node.present(side):
            return
        other = 1 if side == 0 else 0
        if other >= len(self.rows) or not node.present(other):
            return
        masking = masking_of(self.comparison)
        mine, theirs = (_first_line(shown_normalised(node.path, node.values[i], reveal=(node.path, i) in self.revealed,
                                                     masking=masking)) for i in (side, other))
        span = changed_span(mine, theirs)
        if span is None:
            return
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(theme.current().changed_brush())
        cursor = box.textCursor()
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        box.setExtraSelections([selection])

    def _reveal(self, side: int, on: bool) -> None:
        if self.node is None:
            return
        (self.revealed.add if on else self.revealed.discard)((self.node.path, side))
        self.reveal_toggled.emit(self.node.path, side, on)
        self.show_node(self.node)

    def copy_pointer(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None and self.node is not None:
            clipboard.setText(to_pointer(self.node.path))


def _full_text(env: object, node: AlignedNode, side: int, reveal: bool, masking: Masking) -> str:
    value = node.values[side]
    if not node.present(side):
        return "(absent)"
    if node.is_branch:
        text = shown_normalised(node.path, value, reveal=reveal, masking=masking)
    else:
        text = shown_normalised(node.path, value, reveal=reveal, masking=masking)
        written = written_text(env, node.path, value, reveal=reveal, masking=masking)  # type: ignore[arg-type]
        if written is not None:
            text += f"\n(as written: {written})"
    return text if len(text) <= FULL_LIMIT else text[:FULL_LIMIT] + "\n… (cut; export a report for the rest)"


#: How many of the worst drifts below a branch its detail lists.
TOP_ITEMS = 5


def below_headline(below: Sequence[Drift]) -> str:
    """``12 drift below · 1 critical, 3 high, 8 medium · 9 changed, 3 added · 2 expected``."""
    unexpected = [d for d in below if not d.expected]
    parts = [f"{len(unexpected)} drift below"]
    severities = Counter(d.severity for d in unexpected)
    kinds = Counter(d.kind for d in unexpected)
    if severities:
        parts.append(", ".join(f"{severities[s]} {s.value}" for s in Severity if severities[s]))
        parts.append(", ".join(f"{kinds[k]} {k.value}" for k in DriftKind if kinds[k]))
    expected = len(below) - len(unexpected)
    if expected:
        parts.append(f"{expected} expected")
    return " · ".join(parts)


def top_items(below: Sequence[Drift], under: Path) -> str:
    """The worst few drifts below ``under``, one a line, their paths relative to it."""
    worst = sorted(below, key=lambda d: (d.expected, d.severity.rank))[:TOP_ITEMS]
    lines = [f"{GLYPHS[d.kind]} {d.severity.value:<8} {to_pointer(d.path[len(under):])}: {d.explanation}"
             for d in worst]
    if len(below) > len(worst):
        lines.append(f"… and {len(below) - len(worst)} more (Alt+Down goes through them)")
    return "\n".join(lines)


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def _origin_html(origin: Origin | None) -> str:
    if origin is None:
        return ""
    if origin.file is not None:
        return f'<a href="{link_for(origin.file, origin.line)}">{short_path(str(origin))}</a>'
    # the id of whatever the engine described: a container, a swarm service, an image, a network,
    # a volume or the engine itself (an origin does not say which, so neither does this)
    parts = [f"context {origin.context}" if origin.context else "", f"id {origin.object_id}"
             if origin.object_id else "", origin.attribute or ""]
    return " · ".join(p for p in parts if p) or str(origin)


def _no_drift_text(node: AlignedNode, context: Drift | None) -> str:
    if context is not None:
        return "The environments differ here, but not every one of them covers this path, so it is not counted."
    present = sum(1 for i in range(len(node.values)) if node.present(i))
    return "Same in every environment." if present == len(node.values) else ""


def _wrapping(name: str) -> QLabel:
    label = QLabel(wordWrap=True, textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label
