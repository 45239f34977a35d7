"""Three or more environments side by side: one pane each, the baseline first, per-pane counts."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from parity_gui.ui import main as gui_main
from parity_gui.ui.models.aligned import key_column, value_column
from parity_gui.ui.window import MainWindow
from tests.gui.conftest import wait_for_comparison

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

PROJECT = """\
baseline = "prod"

[environments.dev]
files = ["compose.yml", "compose.dev.yml"]

[environments.staging]
files = ["compose.yml", "compose.staging.yml"]

[environments.prod]
files = ["compose.yml", "compose.prod.yml"]
"""

COMPOSE = """\
services:
  web:
    image: ghcr.io/acme/shop-web:2.4.0
    environment:
      LOG_LEVEL: info
  cache:
    image: redis:7.2
"""


def repository(root: Path) -> Path:
    root.mkdir()
    (root / ".parity.toml").write_text(PROJECT)
    (root / "compose.yml").write_text(COMPOSE)
    (root / "compose.dev.yml").write_text(
        "services:\n  web:\n    image: ghcr.io/acme/shop-web:2.5.0-rc1\n    environment:\n      LOG_LEVEL: debug\n")
    (root / "compose.staging.yml").write_text("services:\n  web:\n    image: ghcr.io/acme/shop-web:2.5.0-rc1\n")
    (root / "compose.prod.yml").write_text("services:\n  web:\n    deploy:\n      replicas: 3\n")
    return root


def open_three(qtbot, window: MainWindow, root: Path) -> None:  # type: ignore[no-untyped-def]
    window.base = root
    args = gui_main.build_parser().parse_args(["dev", "staging", "prod"])
    wait_for_comparison(qtbot, window, lambda: window.load_pair(gui_main.sides_from(args, previous=[])))


def test_three_environments_open_in_three_aligned_panes_baseline_first(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    open_three(qtbot, window, repository(tmp_path / "shop"))
    assert len(window.sides) == 3
    assert window.comparison is not None and window.comparison.names == ("prod", "dev", "staging")
    assert [panel.header.name.full for panel in window.sides] == ["prod", "dev", "staging"]
    assert [panel.header.state for panel in window.sides] == ["loaded"] * 3
    window.select_path(("services", "web", "image", "tag"))
    index = window.current_index()
    assert [index.siblingAtColumn(value_column(i)).data() for i in range(3)] == ["2.4.0", "2.5.0-rc1", "2.5.0-rc1"]
    tops = {panel.tree.visualRect(index.siblingAtColumn(key_column(side))).top()
            for side, panel in enumerate(window.sides)}
    assert len(tops) == 1 and tops.pop() > 0
    counts = [panel.header.counts.text() for panel in window.sides]
    assert counts[0] == "baseline"
    assert counts[1].startswith("3 drift vs prod") and counts[2].startswith("2 drift vs prod")
    assert len(window.detail.rows) == 3


def test_any_pane_can_become_the_baseline_move_or_close(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    open_three(qtbot, window, repository(tmp_path / "shop"))
    wait_for_comparison(qtbot, window, lambda: window.make_baseline(2))
    assert window.comparison is not None and window.comparison.names == ("staging", "prod", "dev")
    assert window.sides[0].header.counts.text() == "baseline"
    wait_for_comparison(qtbot, window, lambda: window.move_pane(1, 2))
    assert window.comparison.names == ("staging", "dev", "prod")  # type: ignore[union-attr]
    wait_for_comparison(qtbot, window, lambda: window.close_pane(1))
    assert window.comparison.names == ("staging", "prod")  # type: ignore[union-attr]
    assert len(window.sides) == 2 and len(window.pair.views) == 2
    window.add_environment()
    assert len(window.sides) == 3 and window.sides[2].header.name.full == "Pane 3"
    with qtbot.waitSignal(window.comparison_shown, timeout=20_000):
        window.load(2, "dev")
    assert window.comparison.names == ("staging", "prod", "dev")  # type: ignore[union-attr]
    window.close_pane(0)  # fine with three panes; two always stay
    qtbot.waitUntil(lambda: not window.busy, timeout=20_000)
    window.close_pane(0)
    assert len(window.sides) == 2


def test_with_no_names_the_app_opens_every_environment_of_the_project_here(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window.base = repository(tmp_path / "shop")
    window.prefer_project(None)
    wait_for_comparison(qtbot, window, lambda: window.start([("dev", "/nowhere/a.yml"), ("prod", "/nowhere/b.yml")]))
    assert window.comparison is not None and window.comparison.names == ("prod", "dev", "staging")


def test_without_a_project_here_the_app_opens_what_it_was_given(qtbot, window, tmp_path, gui_data) -> None:  # type: ignore[no-untyped-def]
    window.base = tmp_path
    window.prefer_project(gui_data)
    wait_for_comparison(qtbot, window, lambda: window.start(
        [("dev", "docker-compose.yml"), ("prod", "docker-compose.yml+docker-compose.prod.yml")]))
    assert window.base == gui_data
    assert [panel.header.state for panel in window.sides] == ["loaded", "loaded"]


def test_a_hidden_environment_leaves_the_comparison_and_comes_back_as_it_was(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from parity_gui.ui import actions

    open_three(qtbot, window, repository(tmp_path / "shop"))
    dev = window.states[1]
    wait_for_comparison(qtbot, window, lambda: window.hide_pane(1))
    assert window.comparison is not None and window.comparison.names == ("prod", "staging")
    assert len(window.sides) == 2 and window.hidden == [dev]
    menu = actions.QMenu()
    actions._fill_pane_menu(window, 0, menu)
    assert "Show dev" in [a.text() for a in menu.actions()]
    wait_for_comparison(qtbot, window, lambda: window.show_hidden(0))
    assert window.comparison.names == ("prod", "staging", "dev")  # type: ignore[union-attr]
    assert window.states[2] is dev and window.sides[2].header.state == "loaded" and not window.hidden


def _held_loads(monkeypatch) -> dict[str, threading.Event]:  # type: ignore[no-untyped-def]
    """Loads that wait until the test releases them, one event per environment name."""
    from parity_gui.ui import window as window_module

    real = window_module.load_environment
    gates: dict[str, threading.Event] = {name: threading.Event() for name in ("dev", "staging", "prod")}

    def held(spec, name, base, cancelled=None):  # type: ignore[no-untyped-def]
        gates[spec].wait(10)
        return real(spec, name, base, cancelled)

    monkeypatch.setattr(window_module, "load_environment", held)
    return gates


@pytest.mark.parametrize("take", ["hide_pane", "close_pane"])
def test_an_environment_taken_out_while_the_others_load_leaves_each_in_its_own_pane(  # type: ignore[no-untyped-def]
        qtbot, window, tmp_path, monkeypatch, take) -> None:
    window.base = repository(tmp_path / "shop")
    gates = _held_loads(monkeypatch)
    args = gui_main.build_parser().parse_args(["dev", "staging", "prod"])
    window.load_pair(gui_main.sides_from(args, previous=[]))  # prod (the baseline), dev, staging
    assert [s.spec for s in window.states] == ["prod", "dev", "staging"] and all(s.loading for s in window.states)
    getattr(window, take)(0)  # prod goes while all three still load: dev and staging move up
    assert [s.spec for s in window.states] == ["dev", "staging"]
    with qtbot.waitSignal(window.comparison_shown, timeout=10_000):
        for gate in gates.values():
            gate.set()
    qtbot.waitUntil(lambda: not window.busy, timeout=10_000)
    assert [s.env.name if s.env else None for s in window.states] == ["dev", "staging"]
    assert [panel.header.name.full for panel in window.sides] == ["dev", "staging"]
    assert window.comparison is not None and window.comparison.names == ("dev", "staging")
    if take == "hide_pane":  # hidden while it loaded: it loads again when it comes back
        wait_for_comparison(qtbot, window, lambda: window.show_hidden(0))
        assert window.comparison is not None and window.comparison.names == ("dev", "staging", "prod")


def test_a_wildcard_with_no_docker_context_says_so_in_its_pane(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker"))  # no context stored there
    window.base = repository(tmp_path / "shop")
    with qtbot.waitSignal(window.side_settled, timeout=10_000):
        window.load_pair([(None, "prod"), (None, "docker://*/shop")])
    qtbot.waitUntil(lambda: not window.busy, timeout=10_000)
    assert [s.spec for s in window.states] == ["prod", "docker://*/shop"]
    failure = window.states[1].failure
    assert failure is not None and "no Docker contexts are stored" in failure.message
    assert window.sides[1].page.message.text() == failure.message
