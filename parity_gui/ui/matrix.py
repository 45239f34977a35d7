"""View → Matrix: the comparison as one table — a row per path, a value column per environment,
each cell marked against the baseline — in a window of its own beside the panes.

Decision: the panes stay the main view (they keep each environment's tree, header and errors);
the matrix reads every environment's value of a row at a glance. Choosing a row in the matrix
selects it in the panes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QDialog, QHeaderView, QTreeView, QVBoxLayout

from parity_gui.ui.models.aligned import Roles
from parity_gui.ui.models.matrix import MatrixModel, matrix_columns
from parity_gui.ui.trees import DriftDelegate

if TYPE_CHECKING:
    from parity_gui.ui.window import MainWindow


class MatrixWindow(QDialog):
    """The matrix over the window's comparison model (it follows new comparisons by itself)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("parity — matrix")
        self.setModal(False)
        self.window_ = window
        self.model = MatrixModel(self)
        self.model.setSourceModel(window.model)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setItemDelegate(DriftDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAllColumnsShowFocus(True)
        self.view.selectionModel().currentRowChanged.connect(self._chosen)
        self.model.modelReset.connect(self.show_columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view)
        self.show_columns()
        self.resize(1100, 640)

    def show_columns(self) -> None:
        """The key and one value column per environment; open where the panes are open."""
        count = self.model.columnCount()
        shown = matrix_columns(count // 2)
        for column in range(count):
            self.view.setColumnHidden(column, column not in shown)
        header = self.view.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 300)
        for column in shown[1:]:
            header.resizeSection(column, 220)
        for path in sorted(self.window_.pair.expanded, key=len):
            index = self.model.mapFromSource(self.window_.model.index_for_path(path))
            if index.isValid():
                self.view.expand(index)

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and self.isVisible():
            self.window_.select_path(current.data(Roles.PATH))


def show_matrix(window: MainWindow) -> MatrixWindow:
    matrix = window.matrix if isinstance(window.matrix, MatrixWindow) else MatrixWindow(window)
    window.matrix = matrix
    matrix.show_columns()
    matrix.show()
    matrix.raise_()
    return matrix


__all__ = ["MatrixWindow", "show_matrix"]
