"""The Drift Groups tab: the same change in many places, one row each, opening on its places;
choosing a place selects it in the panes."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QVBoxLayout, QWidget

from parity_gui.engine.comparison import Comparison
from parity_gui.ui.models.aligned import Roles
from parity_gui.ui.models.groups import DriftGroupModel


class DriftGroupsPanel(QWidget):
    """A tree of drift groups; :attr:`path_chosen` tells which place (or group) was chosen."""

    path_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = DriftGroupModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.view.header().resizeSection(0, 360)
        self.view.header().resizeSection(1, 90)
        self.view.selectionModel().currentRowChanged.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.model.set_comparison(comparison)

    @property
    def count(self) -> int:
        return len(self.model.groups)

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.path_chosen.emit(current.data(Roles.PATH))
