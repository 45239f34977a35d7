"""The overview ruler beside the panes: a map of where the drift is, like Meld's.

Each drift is a small mark in its severity's shape and colour (from the theme), at its place in
the comparison's display order; a click selects the nearest drift, a hover names it. Drift the
severity filter leaves out is not drawn. Positions come with the drift index, worked out in the
worker that compared, so painting only looks them up.

The marks are drawn once into a pixmap (again only when the marks, the severity filter, the size
or the theme change); a paint then copies it. While a worker holds the interpreter (a big
comparison being built), every call from Python into Qt waits for its turn, so a paint of ten
thousand marks one by one would stall the window; one copy does not.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QPoint, QRect, QSize, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QToolTip, QWidget

from parity_gui.core.drift import Drift, Severity
from parity_gui.core.pointer import readable
from parity_gui.ui import theme
from parity_gui.ui.models.index import ALL_SEVERITIES, severity_bit
from parity_gui.ui.theme import Theme

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
        self.picture: QPixmap | None = None
        self.picture_key: tuple[object, ...] = ()

    def sizeHint(self) -> QSize:
        return QSize(WIDTH, 200)

    def set_marks(self, marks: list[tuple[float, Drift]]) -> None:
        """Show these (position, drift) marks, sorted from top to bottom (:attr:`DriftIndex.marks`)."""
        self.marks = marks
        self.picture = None
        self.update()

    def set_severities(self, mask: int) -> None:
        if mask != self.severities:  # the drift filter alone changes nothing here
            self.severities = mask
            self.picture = None
            self.update()

    def _shown(self) -> list[tuple[float, Drift]]:
        if self.severities == ALL_SEVERITIES:
            return self.marks
        return [m for m in self.marks if severity_bit(m[1].severity) & self.severities]

    def _room(self) -> int:
        """How many pixel rows a mark's top can take (position 0 to 1 maps onto them)."""
        return max(1, self.height() - MARK)

    def _y(self, position: float) -> int:
        return int(position * self._room())

    def paintEvent(self, event: QPaintEvent) -> None:
        current = theme.current()
        key = (self.width(), self.height(), self.devicePixelRatioF(), current.palette)
        if self.picture is None or key != self.picture_key:
            self.picture, self.picture_key = self._draw(current), key
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self.picture)
        painter.end()

    def _draw(self, current: Theme) -> QPixmap:
        """The ruler as a pixmap of this widget's size: the background and every shown mark."""
        ratio = self.devicePixelRatioF()
        picture = QPixmap(max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)))
        picture.setDevicePixelRatio(ratio)
        picture.fill(current.color("alternate"))
        painter = QPainter(picture)
        room = self._room()  # asked once: each call into Qt may wait for a worker's turn
        ranks = {severity: severity.rank for severity in Severity}
        drawn: set[tuple[int, int]] = set()  # one mark per pixel row and severity is enough to see
        for position, drift in self._shown():
            mark = (int(position * room), ranks[drift.severity])
            if mark in drawn:
                continue
            drawn.add(mark)
            icon = current.drift_icon(drift.kind, drift.severity, drift.expected)
            icon.paint(painter, QRect((WIDTH - MARK) // 2, mark[0], MARK, MARK))
        painter.end()
        return picture

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
