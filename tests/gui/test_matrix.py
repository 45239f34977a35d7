"""View → Matrix: one row per path, one value column per environment, marked against the baseline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from parity_gui.engine import compare
from parity_gui.ui.models import AlignedTreeModel, DriftIndex
from parity_gui.ui.models.aligned import value_column
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


def test_the_matrix_window_shows_key_and_values_and_a_chosen_row_is_selected_in_the_panes(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, window, lambda: window.show_environments(list(shop_pair())))
    window.acts["matrix"].trigger()
    matrix = window.matrix
    assert matrix is not None and matrix.isVisible()
    shown = [c for c in range(matrix.model.columnCount()) if not matrix.view.isColumnHidden(c)]
    assert shown == [0, 1, 3]
    tag = matrix.model.mapFromSource(window.model.index_for_path(("services", "web", "image", "tag")))
    matrix.view.setCurrentIndex(tag)
    assert window.pair.current_path() == ("services", "web", "image", "tag")
    matrix.close()
