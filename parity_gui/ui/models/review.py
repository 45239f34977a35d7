"""The table of a reviewed change: one row per drift between environments that the change moved.

Columns: how it moved (``+ new``, ``✓ resolved``, ``~ changed``), its severity (the theme's
shape and colour, with the word), the path, one column per environment (``before → after`` when
a changed drift's value moved, else the value on the side that has the drift), and whether it
fails the review or is expected or known. Every value is masked as the rest of the window masks
it; one masking serves the whole review, so a secret that did not change shows the same tag
before and after.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from parity_gui.core.drift import Drift
from parity_gui.core.pointer import Path, readable
from parity_gui.core.secrets import NO_MASKING, Masking
from parity_gui.engine.review import MovedDrift, Movement, Review
from parity_gui.ui import theme
from parity_gui.ui.models.values import one_line, shown_normalised

#: The words of each movement, with a glyph so that it never rests on colour alone.
MOVEMENT_WORDS = {Movement.NEW: "+ new", Movement.RESOLVED: "✓ resolved", Movement.CHANGED: "~ changed"}
#: The palette colour of each movement: new drift reads as a removal would, resolved as an addition.
MOVEMENT_COLOURS = {Movement.NEW: "diff_removed", Movement.RESOLVED: "diff_added", Movement.CHANGED: "diff_hunk"}
FIXED_COLUMNS = ("Drift", "Severity", "Path")
PATH_ROLE = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex


def review_masking(found: Review) -> Masking:
    """One masking for every value of the review (before and after)."""
    environments = [*(found.before.environments if found.before else []),
                    *(found.after.environments if found.after else [])]
    return Masking.for_report(found, environments) if environments else NO_MASKING


def status_of(moved: MovedDrift) -> str:
    """``fails`` when the change adds it unexpectedly; else ``expected``, ``known`` or nothing."""
    if moved.fails:
        return "fails"
    drift = moved.drift
    return "known" if drift.known else ("expected" if drift.expected else "")


def value_text(moved: MovedDrift, column: int, masking: Masking) -> str:
    """What environment ``column`` holds at the drift's path, before → after when it moved."""
    path = moved.drift.path

    def shown(drift: Drift | None) -> str | None:
        if drift is None:
            return None
        return one_line(shown_normalised(path, drift.values[column], reveal=False, masking=masking))

    then, now = shown(moved.before), shown(moved.after)
    if then is not None and now is not None and then != now:
        return f"{then} → {now}"
    return now if now is not None else (then or "")


class ReviewModel(QAbstractTableModel):
    """The moved drift of one :class:`Review`, or nothing."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.review: Review | None = None
        self.rows: tuple[MovedDrift, ...] = ()
        self.masking: Masking = NO_MASKING

    def set_review(self, found: Review | None) -> None:
        self.beginResetModel()
        self.review = found
        self.rows = found.moved if found is not None else ()
        self.masking = review_masking(found) if found is not None else NO_MASKING
        self.endResetModel()

    @property
    def names(self) -> tuple[str, ...]:
        return self.review.names if self.review is not None and self.review.after is not None else ()

    def path_at(self, row: int) -> Path | None:
        return self.rows[row].drift.path if 0 <= row < len(self.rows) else None

    # --- QAbstractItemModel ----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED_COLUMNS) + len(self.names) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (*FIXED_COLUMNS, *self.names, "Review")
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        moved = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(moved, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(moved, column)
        if role == PATH_ROLE:
            return moved.drift.path
        return self._look(moved, column, role)

    @staticmethod
    def _look(moved: MovedDrift, column: int, role: int) -> Any:
        """The movement's colour and the severity's shape and colour (each beside its word)."""
        current = theme.current()
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return current.color(MOVEMENT_COLOURS[moved.movement])
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return current.severity_color(moved.drift.severity, moved.drift.expected)
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return current.severity_icon(moved.drift.severity)
        return None

    def _text(self, moved: MovedDrift, column: int) -> str:
        drift = moved.drift
        if column == 0:
            return MOVEMENT_WORDS[moved.movement]
        if column == 1:
            return drift.severity.value
        if column == 2:
            return "/" + readable(drift.path)
        if column - len(FIXED_COLUMNS) < len(self.names):
            return value_text(moved, column - len(FIXED_COLUMNS), self.masking)
        return status_of(moved)

    def _tip(self, moved: MovedDrift, column: int) -> str:
        drift = moved.drift
        if column in (1, 2):
            return f"{drift.rule}: {drift.explanation}"
        if column == self.columnCount() - 1 and drift.reason:
            return f"expected: {drift.reason}"
        return self._text(moved, column)
