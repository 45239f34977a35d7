"""The table of a reviewed change: one row per drift between environments that the change moved.

Columns: how it moved (``+ new``, ``✓ resolved``, ``~ changed``), its severity (the theme's
shape and colour, with the word), the path, one column per environment (``before → after`` when
a changed drift's value moved, else the value on the side that has the drift), and whether it
fails the review or is expected or known. Every value is masked as the rest of the window masks
it; one masking serves the whole review, so a secret that did not change shows the same tag
before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from parity_gui.core.pointer import Path, readable
from parity_gui.core.secrets import NO_MASKING, Masking
from parity_gui.core.tree import MISSING
from parity_gui.engine.comparison import Comparison
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


#: The order rows are listed in: what fails the review first, then new, changed and resolved drift.
ORDER = {Movement.NEW: 1, Movement.CHANGED: 2, Movement.RESOLVED: 3}


def in_review_order(moved: tuple[MovedDrift, ...]) -> tuple[MovedDrift, ...]:
    """``moved`` with what needs a reviewer's eye first, in path order within each group."""
    return tuple(sorted(moved, key=lambda m: (0 if m.fails else ORDER[m.movement])))


def status_of(moved: MovedDrift) -> str:
    """``fails`` when the change adds it unexpectedly; else ``expected``, ``known`` or nothing."""
    if moved.fails:
        return "fails"
    drift = moved.drift
    return "known" if drift.known else ("expected" if drift.expected else "")


def values_of(found: Review, moved: MovedDrift, masking: Masking) -> tuple[str, ...]:
    """What each environment holds at the drift's path: ``before → after`` where it moved.

    A drift only on one side of the change (new or resolved) still has values on the other:
    they are read from that side's comparison, so a resolved drift shows how it was resolved.
    """
    path = moved.drift.path
    before = moved.before.values if moved.before is not None else _values_at(found.before, path, found.names)
    after = moved.after.values if moved.after is not None else _values_at(found.after, path, found.names)
    texts = []
    for then, now in zip(before, after, strict=True):
        old, new = (one_line(shown_normalised(path, v, reveal=False, masking=masking)) for v in (then, now))
        texts.append(new if old == new else f"{old} → {new}")
    return tuple(texts)


def _values_at(comparison: Comparison | None, path: Path, names: tuple[str, ...]) -> tuple[Any, ...]:
    node = comparison.node(path) if comparison is not None else None
    return node.values if node is not None else (MISSING,) * len(names)


@dataclass(frozen=True)
class ReviewTable:
    """A review laid out for the table: its rows in review order and each row's values, masked.

    Made in the worker that ran the review (masking walks every value), never on the GUI thread.
    """

    review: Review
    rows: tuple[MovedDrift, ...]
    values: tuple[tuple[str, ...], ...]


def tabulate(found: Review) -> ReviewTable:
    masking = review_masking(found)
    rows = in_review_order(found.moved)
    return ReviewTable(found, rows, tuple(values_of(found, m, masking) for m in rows))


class ReviewModel(QAbstractTableModel):
    """The moved drift of one :class:`Review` (laid out by :func:`tabulate`), or nothing."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.review: Review | None = None
        self.rows: tuple[MovedDrift, ...] = ()
        self.values: tuple[tuple[str, ...], ...] = ()

    def set_table(self, table: ReviewTable | None) -> None:
        self.beginResetModel()
        self.review = table.review if table is not None else None
        self.rows = table.rows if table is not None else ()
        self.values = table.values if table is not None else ()
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
            return self._text(index.row(), column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(index.row(), column)
        if role == PATH_ROLE:
            return moved.drift.path
        return self._look(moved, column, role)

    def _look(self, moved: MovedDrift, column: int, role: int) -> Any:
        """The movement's colour, the severity's shape and colour, and ``fails`` in the error
        colour (each beside its word)."""
        current = theme.current()
        if role == Qt.ItemDataRole.DecorationRole:
            return current.severity_icon(moved.drift.severity) if column == 1 else None
        if role != Qt.ItemDataRole.ForegroundRole:
            return None
        if column == 0:
            return current.color(MOVEMENT_COLOURS[moved.movement])
        if column == 1:
            return current.severity_color(moved.drift.severity, moved.drift.expected)
        if column == self.columnCount() - 1:
            return current.color("error" if moved.fails else "muted")
        return None

    def _text(self, row: int, column: int) -> str:
        moved = self.rows[row]
        drift = moved.drift
        if column == 0:
            return MOVEMENT_WORDS[moved.movement]
        if column == 1:
            return drift.severity.value
        if column == 2:
            return "/" + readable(drift.path)
        if column - len(FIXED_COLUMNS) < len(self.names):
            return self.values[row][column - len(FIXED_COLUMNS)]
        return status_of(moved)

    def _tip(self, row: int, column: int) -> str:
        drift = self.rows[row].drift
        if column in (1, 2):
            return f"{drift.rule}: {drift.explanation}"
        if column == self.columnCount() - 1 and drift.reason:
            return f"expected: {drift.reason}"
        return self._text(row, column)
