"""The Drift Groups tab: one row per repeated change, opening on its places."""

from __future__ import annotations

import pytest

from parity_gui.engine import compare
from parity_gui.ui.models.groups import DriftGroupModel
from parity_gui.ui.window import MainWindow
from tests.engine.test_groups import fleet
from tests.gui.conftest import wait_for_comparison

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_the_drift_group_model_passes_the_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = DriftGroupModel()
    model.set_comparison(compare(*fleet(12)))
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(DriftGroupModel(), force_py=True)


def test_a_group_row_opens_on_its_places_and_a_place_is_selected_in_the_panes(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, window, lambda: window.show_environments(list(fleet(12))))
    assert window.bottom.tabText(1) == "Drift Groups (2)"
    model = window.groups.model
    top = model.index(0, 0)
    assert top.data() == "~ /services/*/image/tag"
    assert model.index(0, 1).data() == "11 places" and model.index(0, 2).data() == "dev: 1.4.2  ·  prod: 1.5.0"
    assert model.rowCount(top) == 11
    place = model.index(2, 0, top)
    assert place.data() == "/services/svc-03/image/tag"
    window.groups.view.setCurrentIndex(place)
    assert window.pair.current_path() == ("services", "svc-03", "image", "tag")
