"""View → Matrix: the comparison as one table — a row per path, a value column per environment,
each cell marked against the baseline — shown in place of the panes, and back (``Ctrl+M``).

Decision: the matrix takes the panes' place in the main window (a switch, as for two panes side
by side or a matrix of N); the ruler, the find bar, the details and the status bar stay. The
selection is one: a row chosen in the matrix is selected in the panes, and the matrix opens on
the panes' selection, so switching back and forth keeps the row. The matrix shows every row, as
the panes do without a filter; the only-drift filter applies to the panes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QVBoxLayout, QWidget

from parity_gui.core.pointer import Path
from parity_gui.ui.models.aligned import Roles
from parity_gui.ui.models.matrix import MatrixModel, matrix_columns
from parity_gui.ui.trees import DriftDelegate

if TYPE_CHECKING:
    from parity_gui.ui.window import MainWindow


class MatrixView(QWidget):
    """The matrix over the window's comparison model (it follows new comparisons by itself)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.switching = False
        self.model = MatrixModel(self)
        self.model.setSourceModel(window.model)
        self.view = QTreeView()
        self.view.setObjectName("MatrixTree")
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setItemDelegate(DriftDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAllColumnsShowFocus(True)
        self.view.selectionModel().currentRowChanged.connect(self._chosen)
        self.model.modelReset.connect(self.show_columns)
        window.pair.current_path_changed.connect(self.select)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

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

    def select(self, path: Path | None) -> None:
        """Make the row at ``path`` current here too (the panes' selection moved)."""
        if path is None or not self.isVisible():
            return
        index = self.model.mapFromSource(self.window_.model.index_for_path(path))
        if index.isValid() and index != self.view.currentIndex():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and self.isVisible() and not self.switching:
            path = current.data(Roles.PATH)
            if path != self.window_.pair.current_path():
                self.window_.select_path(path)


def show_matrix(window: MainWindow, shown: bool = True) -> MatrixView | None:
    """Show the matrix in place of the panes (or the panes again), on the same selected row."""
    if shown and window.matrix is None:
        window.matrix = MatrixView(window)
        window.views.addWidget(window.matrix)
    matrix, current = window.matrix, window.pair.current_path()
    if shown and matrix is not None:
        matrix.switching = True  # the view makes its first row current when shown: not a choice
        try:
            window.views.setCurrentWidget(matrix)
            matrix.show_columns()
        finally:
            matrix.switching = False
        matrix.select(current)
        matrix.view.setFocus()
    else:
        window.views.setCurrentWidget(window.side_splitter)
        window.pair.lead.setFocus()
    window.acts["matrix"].setChecked(shown)
    return matrix


__all__ = ["MatrixView", "show_matrix"]
