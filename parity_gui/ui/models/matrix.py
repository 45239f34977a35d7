"""The comparison as a matrix: rows are paths, one value column per environment, each cell
marked against the baseline (``~`` changed, ``+`` only here, ``−`` missing here).

A thin proxy over :class:`AlignedTreeModel` (the same rows, the same columns): it only names
the key column after the path itself — present in some environment even when the baseline lacks
it — and puts on every value cell that differs from the baseline the drift's glyph and severity
icon. The matrix view shows the first key column and every value column.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt

from parity_gui.core.drift import DriftKind
from parity_gui.engine.comparison import AlignedNode
from parity_gui.ui import theme
from parity_gui.ui.models.aligned import Roles, side_of, value_column

AnyIndex = QModelIndex | QPersistentModelIndex


class MatrixModel(QIdentityProxyModel):
    """See the module docstring."""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: AlignedNode | None = super().data(index, Roles.NODE)
        if node is None:
            return super().data(index, role)
        column = index.column()
        if column == 0 and not node.present(0):
            return self._key_absent_from_baseline(index, node, role)
        if column % 2 and role == Qt.ItemDataRole.DecorationRole:
            return self._mark(node, side_of(column))
        return super().data(index, role)

    def _key_absent_from_baseline(self, index: AnyIndex, node: AlignedNode, role: int) -> Any:
        """The key column where the baseline lacks the path: the key, shown as the others show it."""
        if role == Qt.ItemDataRole.DisplayRole:
            return node.key
        if role in (Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole):
            present = next((side for side in range(len(node.values)) if node.present(side)), 0)
            return super().data(index.sibling(index.row(), 2 * present), role)
        return super().data(index, role)

    @staticmethod
    def _mark(node: AlignedNode, side: int) -> Any:
        drift = node.drift
        if side == 0 or drift is None or node.values[side] == node.values[0]:
            return None
        if not node.present(0):
            kind = DriftKind.ADDED
        elif not node.present(side):
            kind = DriftKind.REMOVED
        else:
            kind = DriftKind.CHANGED
        return theme.current().drift_icon(kind, drift.severity, drift.expected)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            source = self.sourceModel()
            comparison = getattr(source, "comparison", None)
            if section == 0:
                return "Key"
            if section % 2 and comparison is not None and side_of(section) < len(comparison.environments):
                name = comparison.environments[side_of(section)].name
                return f"{name} (baseline)" if side_of(section) == 0 else name
        return super().headerData(section, orientation, role)


def matrix_columns(environments: int) -> list[int]:
    """The columns a matrix view shows: the key, then each environment's value."""
    return [0, *(value_column(side) for side in range(environments))]
