"""Rows stay level across panes, whatever each pane's first row holds."""

from __future__ import annotations

import pytest

from parity_gui.core.tree import Environment
from parity_gui.ui.models.aligned import key_column
from parity_gui.ui.window import MainWindow
from tests.gui.conftest import wait_for_comparison

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def one_sided_first_row() -> list[Environment]:
    """dev builds an image (``/images``) that prod lacks, and it sorts first: dev's first row
    carries a drift icon, prod's first row is a placeholder."""
    web = {"image": {"repository": "ghcr.io/acme/web", "tag": "2.3.1"},
           "environment": {f"SETTING_{k:02d}": f"v{k}" for k in range(40)}}
    dev = {"images": {"migrate": {"base": "python:3.12-slim", "user": "app"}}, "services": {"web": web}}
    prod_web = {**web, "image": {"repository": "ghcr.io/acme/web", "tag": "2.4.0"}}
    prod = {"services": {"web": prod_web}}
    return [Environment("dev", "dev.yml", tree=dev), Environment("prod", "prod.yml", tree=prod)]


def test_row_tops_are_equal_across_panes_when_one_sides_first_row_is_one_sided(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, window, lambda: window.show_environments(one_sided_first_row()))
    window.reveal_drift(None)
    window.expand_paths([("services",), ("services", "web"), ("services", "web", "environment")])
    left, right = (s.tree for s in window.sides)
    for view in (left, right):
        view.executeDelayedItemsLayout()
    index = left.indexAt(left.viewport().rect().topLeft())
    checked = 0
    while index.isValid() and checked < 40:
        left_rect = left.visualRect(index.siblingAtColumn(key_column(0)))
        right_rect = right.visualRect(index.siblingAtColumn(key_column(1)))
        assert (left_rect.top(), left_rect.height()) == (right_rect.top(), right_rect.height()), index.data()
        index = left.indexBelow(index)
        checked += 1
    assert checked >= 20
    assert left.model().index(0, key_column(0)).data() == "images"
    assert left.model().index(0, key_column(1)).data() is None  # prod's first row is a placeholder
