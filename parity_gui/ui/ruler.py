"""The overview ruler beside the panes: a map of where the drift is, like Meld's.

Each drift is a small mark in its severity's shape and colour (from the theme), at its place in
the comparison's display order; a click selects the nearest drift, a hover names it. Drift the
severity filter leaves out is not drawn. Positions come with the drift index, worked out in the
worker that compared, so painting only looks them up.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QPoint, QRect, QSize, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

from parity_gui.core.drift import Drift
from parity_gui.core.pointer import readable
from parity_gui.ui import theme
from parity_gui.ui.models.index import ALL_SEVERITIES, severity_bit

WIDTH = 14
MARK = 8


class OverviewRuler(QWidget):
    """Drift marks from top to bottom; :attr:`drift_chosen` carries the clicked drift's path."""

    drift_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedWidth(WIDTH)
        self.setMouseTracking(True)
        self.setToolTip("Where the drift is: click a mark to go there")
        self.marks: list[tuple[float, Drift]] = []
        self.severities = ALL_SEVERITIES

    def sizeHint(self) -> QSize:
        return QSize(WIDTH, 200)

    def set_marks(self, drifts: tuple[Drift, ...], positions: list[float]) -> None:
        self.marks = sorted(zip(positions, drifts, strict=True), key=lambda mark: mark[0])
        self.update()

    def set_severities(self, mask: int) -> None:
        self.severities = mask
        self.update()

    def _shown(self) -> list[tuple[float, Drift]]:
        if self.severities == ALL_SEVERITIES:
            return self.marks
        return [m for m in self.marks if severity_bit(m[1].severity) & self.severities]

    def _y(self, position: float) -> int:
        room = max(1, self.height() - MARK)
        return int(position * room)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        current = theme.current()
        painter.fillRect(self.rect(), current.color("alternate"))
        last_y: dict[int, int] = {}  # one mark per pixel row and severity is enough to see
        for position, drift in self._shown():
            y = self._y(position)
            if last_y.get(drift.severity.rank) == y:
                continue
            last_y[drift.severity.rank] = y
            icon = current.drift_icon(drift.kind, drift.severity, drift.expected)
            icon.paint(painter, QRect((WIDTH - MARK) // 2, y, MARK, MARK))
        painter.end()

    def nearest(self, y: int) -> Drift | None:
        """The drift whose mark is nearest to ``y`` (pixels from the top)."""
        shown = self._shown()
        if not shown:
            return None
        ys = [self._y(p) for p, _ in shown]
        at = bisect.bisect_left(ys, y)
        candidates = [i for i in (at - 1, at) if 0 <= i < len(shown)]
        best = min(candidates, key=lambda i: abs(ys[i] - y))
        return shown[best][1]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        drift = self.nearest(int(event.position().y()))
        if drift is not None:
            self.drift_chosen.emit(drift.path)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        drift = self.nearest(int(event.position().y()))
        if drift is not None:
            text = f"{theme.GLYPHS[drift.kind]} {drift.severity.value}: /{readable(drift.path)}"
            QToolTip.showText(self.mapToGlobal(QPoint(0, int(event.position().y()))), text, self)
