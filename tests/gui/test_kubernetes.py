"""The window on Kubernetes environments: two kustomize overlays (rendered by the real kubectl)
open side by side, and the model over a compose file against an overlay passes Qt's tester."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.engine import compare
from parity_gui.sources.registry import load_local
from parity_gui.ui.models import AlignedTreeModel, DriftIndex
from parity_gui.ui.window import MainWindow
from tests.gui.conftest import wait_for_comparison

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

SHOP = Path(__file__).resolve().parents[1] / "data" / "kubernetes" / "shop"


def test_two_overlays_open_side_by_side(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sides = [("staging", str(SHOP / "k8s/overlays/staging")), ("production", str(SHOP / "k8s/overlays/production"))]
    wait_for_comparison(qtbot, window, lambda: window.load_pair(sides), timeout=60_000)
    assert [s.header.state for s in window.sides] == ["loaded", "loaded"]
    assert window.comparison is not None and window.comparison.summary().drift == 11
    assert window.pair.current_path() == ("kubernetes", "ConfigMap", "app-config", "data", "LOG_LEVEL")


def test_compose_against_an_overlay_passes_the_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    comparison = compare(load_local("docker-compose.yml", "compose", SHOP),
                         load_local("k8s/overlays/production", "production", SHOP))
    model = AlignedTreeModel()
    model.set_comparison(comparison, DriftIndex(comparison))
    qtmodeltester.check(model, force_py=True)
