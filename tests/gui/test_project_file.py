"""Which ``.parity.toml`` the app obeys, and its baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parity_gui.ui.window import MainWindow
from tests.gui.conftest import wait_for_comparison

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

PROJECT = """\
# the shop's environments
baseline = "prod"   # reports name prod as the reference

[environments.dev]
files = ["compose.yml", "compose.dev.yml"]

[environments.prod]
files = ["compose.yml", "compose.prod.yml"]

[[expected]]
path = "/services/*/image/tag"
reason = "dev runs the release candidate"
"""

COMPOSE = """\
services:
  web:
    image: ghcr.io/acme/shop-web:${WEB_TAG:-2.4.0}
    restart: unless-stopped
"""


def repository(root: Path) -> Path:
    root.mkdir()
    (root / ".parity.toml").write_text(PROJECT)
    (root / "compose.yml").write_text(COMPOSE)
    (root / "compose.dev.yml").write_text("services:\n  web:\n    image: ghcr.io/acme/shop-web:2.5.0-rc1\n")
    (root / "compose.prod.yml").write_text("services:\n  web:\n    restart: always\n")
    return root


def tag_drift(window: MainWindow):  # type: ignore[no-untyped-def]
    assert window.comparison is not None
    return window.comparison.drift_at(("services", "web", "image", "tag"))


def test_the_project_file_applies_to_files_inside_its_folder(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = repository(tmp_path / "shop")
    window.base = root
    wait_for_comparison(qtbot, window, lambda: window.load_pair(
        [(None, "compose.yml+compose.prod.yml"), (None, "compose.yml+compose.dev.yml")]))
    drift = tag_drift(window)
    assert drift is not None and drift.expected and drift.reason == "dev runs the release candidate"


def test_the_project_file_does_not_apply_to_unrelated_files(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = repository(tmp_path / "shop")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.yml").write_text("services:\n  web:\n    image: ghcr.io/acme/shop-web:2.4.0\n")
    (elsewhere / "b.yml").write_text("services:\n  web:\n    image: ghcr.io/acme/shop-web:2.5.0\n")
    window.base = root  # started inside the repository, comparing files from elsewhere
    wait_for_comparison(qtbot, window, lambda: window.load_pair(
        [(None, str(elsewhere / "a.yml")), (None, str(elsewhere / "b.yml"))]))
    drift = tag_drift(window)
    assert drift is not None and not drift.expected


def test_the_projects_baseline_comes_first_and_the_report_names_it(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = repository(tmp_path / "shop")
    window.base = root
    wait_for_comparison(qtbot, window, lambda: window.load_pair([("dev", "dev"), ("prod", "prod")]))
    assert window.comparison is not None and window.comparison.names == ("prod", "dev")
    assert [panel.header.name.full for panel in window.sides] == ["prod", "dev"]
    from parity_gui.app.export import format_for, save_report

    report = tmp_path / "report.json"
    save_report(window.comparison, format_for(report), report)
    assert json.loads(report.read_text())["baseline"] == "prod"
