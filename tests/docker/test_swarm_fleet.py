"""Fleets: the same stack on several swarm engines, reached through contexts in a temporary
``DOCKER_CONFIG``, compared N-way (``docker://a/shop docker://b/shop``, ``docker://*/shop``).

Three engines at most run at once (the session's and two of this module's), each in a network
namespace of its own.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from parity_gui.app.compare import request_for, run
from parity_gui.cli.main import main
from parity_gui.core.drift import DriftKind
from parity_gui.core.tree import MISSING
from parity_gui.errors import OptionsError
from parity_gui.sources.docker.engine import REQUEST_SECONDS
from tests.docker.conftest import started
from tests.docker.engine import EngineCannotStart, write_context
from tests.docker.swarm import SwarmEngine, start_swarm


@pytest.fixture(scope="module")
def second(swarm: SwarmEngine) -> Iterator[SwarmEngine]:
    """A second manager running the shop stack and the edge stack (as the session's does)."""
    engine = started(start_swarm, EngineCannotStart, "a second swarm engine")
    try:
        folder = engine.stack_folder("shop")
        engine.deploy("shop", folder / "stack.yml")
        engine.deploy("edge", folder / "edge.yml")
        swarm.deploy("edge", swarm.stack_folder("shop") / "edge.yml")
        yield engine
    finally:
        engine.stop()


@pytest.fixture(scope="module")
def third(second: SwarmEngine) -> Iterator[SwarmEngine]:
    """A third manager with the shop stack only; the last test of the module stops it."""
    engine = started(start_swarm, EngineCannotStart, "a third swarm engine")
    try:
        engine.deploy("shop", engine.stack_folder("shop") / "stack.yml")
        yield engine
    finally:
        engine.stop()


@pytest.fixture
def contexts(clean_docker_client: Path, swarm: SwarmEngine, second: SwarmEngine, third: SwarmEngine) -> Path:
    """Contexts a, b and c for the three engines, in the test's own ``DOCKER_CONFIG``."""
    for name, engine in (("a", swarm), ("b", second), ("c", third)):
        write_context(clean_docker_client, name, engine.host, description=f"swarm {name}")
    return clean_docker_client


def test_two_engines_running_the_same_stack_show_no_drift(contexts: Path) -> None:
    comparison = run(request_for(["docker://a/shop", "docker://b/shop"]))
    assert [e.failed for e in comparison.environments] == [False, False]
    assert list(comparison.drifts) == []


def test_every_context_of_a_wildcard_loads_and_replica_drift_is_found(contexts: Path, third: SwarmEngine) -> None:
    third.docker("service", "scale", "--detach", "shop_worker=2")
    try:
        comparison = run(request_for(["docker://*/shop"]))
        assert [e.spec for e in comparison.environments] == ["docker://a/shop", "docker://b/shop", "docker://c/shop"]
        found = {(d.path, d.kind): d.values for d in comparison.drifts}
        assert found == {(("services", "worker", "deploy", "replicas"), DriftKind.CHANGED): (1, 1, 2)}
        assert comparison.drifts[0].rule == "fleet-replica-drift"
    finally:
        third.docker("service", "scale", "--detach", "shop_worker=1")


def test_a_wildcard_leaves_out_the_engines_without_the_stack(contexts: Path) -> None:
    comparison = run(request_for(["docker://*/edge"]))
    assert [e.spec for e in comparison.environments] == ["docker://a/edge", "docker://b/edge"]
    notes = [str(d) for d in comparison.environments[0].diagnostics]
    assert any("docker://c/edge is left out" in n and "compose project or swarm stack 'edge'" in n for n in notes)
    assert list(comparison.drifts) == []


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_desktop_app_opens_a_wildcard_one_pane_per_engine_leaving_out_those_without_it(  # type: ignore[no-untyped-def]
        qtbot, contexts: Path, tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from parity_gui.ui.main import build_parser, sides_from
    from parity_gui.ui.session import Session
    from parity_gui.ui.window import MainWindow

    window = MainWindow(Session(QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)), base=tmp_path)
    window.persist = False
    qtbot.addWidget(window)
    window.show()
    sides = sides_from(build_parser().parse_args(["docker://*/edge"]), previous=[])
    with qtbot.waitSignal(window.comparison_shown, timeout=60_000):
        window.load_pair(sides)  # as `parity-gui 'docker://*/edge'` does
    qtbot.waitUntil(lambda: not window.busy, timeout=60_000)
    assert [s.spec for s in window.states] == ["docker://a/edge", "docker://b/edge"]  # c runs no edge
    assert [panel.header.name.full for panel in window.sides] == ["a/edge", "b/edge"]
    comparison = window.comparison
    assert comparison is not None and list(comparison.drifts) == []
    notes = [str(w) for w in comparison.warnings]
    assert any("docker://c/edge is left out" in n and "'edge'" in n for n in notes)
    assert any("1 note" in label.text() for label in window.summary.labels)  # the status bar says so
    with qtbot.waitSignal(window.comparison_shown, timeout=60_000):
        window.load(1, "docker://*/shop")  # from the Open menu: every engine runs shop
    qtbot.waitUntil(lambda: not window.busy, timeout=60_000)
    assert [s.spec for s in window.states] == ["docker://a/edge", "docker://a/shop", "docker://b/shop",
                                               "docker://c/shop"]


def test_a_wildcard_matching_no_context_is_an_error(clean_docker_client: Path) -> None:
    with pytest.raises(OptionsError, match="no Docker contexts are stored"):
        request_for(["docker://*/shop"])


def test_an_engine_that_stops_answering_is_a_failed_column_within_its_deadline(
    contexts: Path, third: SwarmEngine
) -> None:
    """The third engine is frozen (SIGSTOP: its socket accepts, nothing answers): its column fails
    after the per-request limit, and the other two compare meanwhile."""
    os.kill(third.engine.process.pid, signal.SIGSTOP)
    began = time.monotonic()
    try:
        comparison = run(request_for(["docker://a/shop", "docker://b/shop", "docker://c/shop"]))
    finally:
        os.kill(third.engine.process.pid, signal.SIGCONT)
    assert time.monotonic() - began < REQUEST_SECONDS * 3
    assert [e.failed for e in comparison.environments] == [False, False, True]
    assert f"answer within {REQUEST_SECONDS:g}s" in str(comparison.environments[2].errors[0])
    assert list(comparison.drifts) == []


def test_a_stopped_engine_is_a_failed_column_and_the_rest_compare(
    contexts: Path, third: SwarmEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    """Last in the module: it stops the third engine."""
    third.engine.stop()
    comparison = run(request_for(["docker://a/shop", "docker://b/shop", "docker://c/shop"]))
    failed = comparison.environments[2]
    assert failed.failed and "context 'c'" in str(failed.errors[0])
    assert not comparison.environments[0].failed and not comparison.environments[1].failed
    assert list(comparison.drifts) == []
    assert comparison.environments[0].get(("services", "web")) is not MISSING
    code = main(["compare", "docker://a/shop", "docker://b/shop", "docker://c/shop"])
    out = capsys.readouterr().out
    assert code == 2
    assert "FAILED TO LOAD" in out and "Incomplete: 1 error while loading" in out


def test_the_json_report_marks_the_failed_column(contexts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Runs after the third engine was stopped (the test above)."""
    code = main(["compare", "--format", "json", "docker://a/shop", "docker://b/shop", "docker://c/shop"])
    report = json.loads(capsys.readouterr().out)
    assert code == 2
    assert [e["failed"] for e in report["environments"]] == [False, False, True]
    errors = [w for w in report["warnings"] if w.get("level") == "error"]
    assert [w["environment"] for w in errors] == ["docker://c/shop"]
