"""View → Matrix: one row per path, one value column per environment, marked against the baseline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from parity_gui.engine import compare
from parity_gui.ui.models import AlignedTreeModel, DriftIndex
from parity_gui.ui.models.aligned import Roles, value_column
from parity_gui.ui.models.matrix import MatrixModel
from tests.gui.conftest import shop_pair, wait_for_comparison

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")]


def matrix_of_shop() -> tuple[MatrixModel, AlignedTreeModel]:
    comparison = compare(*shop_pair())
    source = AlignedTreeModel()
    source.set_comparison(comparison, DriftIndex(comparison))
    matrix = MatrixModel()
    matrix.setSourceModel(source)
    return matrix, source


def test_the_matrix_model_passes_the_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    matrix, _source = matrix_of_shop()
    qtmodeltester.check(matrix, force_py=True)


def test_each_cell_is_marked_against_the_baseline_and_every_path_has_its_key() -> None:
    matrix, source = matrix_of_shop()
    worker = matrix.mapFromSource(source.index_for_path(("services", "worker")))
    assert worker.data() == "worker"  # only prod has it: the key still reads
    tag = matrix.mapFromSource(source.index_for_path(("services", "web", "image", "tag")))
    assert tag.siblingAtColumn(value_column(0)).data(Qt.ItemDataRole.DecorationRole) is None
    assert tag.siblingAtColumn(value_column(1)).data(Qt.ItemDataRole.DecorationRole) is not None
    same = matrix.mapFromSource(source.index_for_path(("services", "cache", "image", "tag")))
    assert same.siblingAtColumn(value_column(1)).data(Qt.ItemDataRole.DecorationRole) is None
    assert matrix.headerData(value_column(0), Qt.Orientation.Horizontal) == "dev (baseline)"
    assert matrix.headerData(value_column(1), Qt.Orientation.Horizontal) == "prod"


def test_the_matrix_shows_in_place_of_the_panes_and_a_row_chosen_there_is_selected_in_them(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, window, lambda: window.show_environments(list(shop_pair())))
    window.acts["matrix"].trigger()
    matrix = window.matrix
    assert matrix is not None and matrix.isVisible() and window.acts["matrix"].isChecked()
    assert not window.sides[0].tree.isVisible()  # in place of the panes, in the main window
    shown = [c for c in range(matrix.model.columnCount()) if not matrix.view.isColumnHidden(c)]
    assert shown == [0, 1, 3]
    tag = matrix.model.mapFromSource(window.model.index_for_path(("services", "web", "image", "tag")))
    matrix.view.setCurrentIndex(tag)
    assert window.pair.current_path() == ("services", "web", "image", "tag")
    window.acts["matrix"].trigger()  # back to the panes, on the row chosen in the matrix
    assert window.sides[0].tree.isVisible() and not matrix.isVisible()
    assert not window.acts["matrix"].isChecked()
    assert window.sides[0].tree.currentIndex().data(Roles.PATH) == ("services", "web", "image", "tag")


def test_switching_to_the_matrix_keeps_the_selection_and_follows_the_panes(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, window, lambda: window.show_environments(list(shop_pair())))
    window.select_path(("services", "web", "environment"))
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # the shortcut
    matrix = window.matrix
    assert matrix is not None and matrix.isVisible()
    assert matrix.view.currentIndex().data(Roles.PATH) == ("services", "web", "environment")
    window.acts["next"].trigger()  # F8 in the matrix: the next drift, selected in both
    path = window.pair.current_path()
    assert path != ("services", "web", "environment")
    assert matrix.view.currentIndex().data(Roles.PATH) == path
    assert matrix.model.rowCount() == window.model.rowCount()  # every row, as the panes without a filter
