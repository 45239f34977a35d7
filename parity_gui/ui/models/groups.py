"""The drift groups as a Qt tree model: one row per group (the same change in many places),
opening on one row per place. Read-only; built from the engine's groups, never from view rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from parity_gui.core.pointer import readable
from parity_gui.engine.comparison import Comparison
from parity_gui.engine.groups import DriftGroup, drift_groups
from parity_gui.ui import theme
from parity_gui.ui.models.aligned import Roles
from parity_gui.ui.models.values import masking_of, one_line, shown_text

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Change", "Places", "Values")


class DriftGroupModel(QAbstractItemModel):
    """Groups at the top level (internal id 0), their members below (internal id = group row + 1)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.groups: list[DriftGroup] = []

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self.groups = drift_groups(comparison.drifts) if comparison is not None else []
        self.endResetModel()

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(HEADERS) or not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: AnyIndex | None = None) -> Any:
        if child is None:
            return super().parent()
        if not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(child.internalId()) - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.groups[parent.row()].members)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.comparison is None:
            return None
        member = int(index.internalId())
        group = self.groups[member - 1] if member else self.groups[index.row()]
        drift = group.members[index.row()] if member else group.members[0]
        if role == Roles.PATH:
            return drift.path
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            return theme.current().drift_icon(group.kind, group.severity, group.expected)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if member:
            return "/" + readable(drift.path) if index.column() == 0 else None
        return self._group_text(group, index.column())

    def _group_text(self, group: DriftGroup, column: int) -> str:
        if column == 0:
            return f"{theme.GLYPHS[group.kind]} /{readable(group.pattern)}"
        if column == 1:
            return f"{len(group.members)} places"
        comparison = self.comparison
        assert comparison is not None
        first = group.members[0]
        masking = masking_of(comparison)
        texts = [f"{env.name}: {shown_text(env, first.path, value, reveal=False, masking=masking) or '(absent)'}"
                 for env, value in zip(comparison.environments, first.values, strict=True)]
        return one_line("  ·  ".join(texts))
