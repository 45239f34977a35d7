"""A comparison whose environments failed to load in part is never summed up as "No drift" in
the status bar: it says the load was incomplete, unmistakably."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QLabel

from parity_gui.app.compare import compare_environments
from parity_gui.core.options import CompareOptions
from parity_gui.sources import registry
from parity_gui.ui.status import SummaryBar

COMPOSE = """\
# storefront
services:
  web:
    image: "nginx:${NGINX_TAG:-1.27}"
"""


def _project(folder: Path) -> None:
    """dev/dev.yml beside a .env that is a named pipe, and prod.yml elsewhere: read, it would block forever, so
    it is refused with an error and the rest of dev still loads."""
    (folder / "dev").mkdir()
    (folder / "dev" / "dev.yml").write_text(COMPOSE)
    os.mkfifo(folder / "dev" / ".env")
    (folder / "prod.yml").write_text(COMPOSE.replace("${NGINX_TAG:-1.27}", "1.27"))


def test_a_partial_load_shows_incomplete_not_no_drift(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _project(tmp_path)
    dev = registry.load("dev/dev.yml", base=tmp_path)
    prod = registry.load("prod.yml", base=tmp_path)
    assert dev.errors and "named pipe" in dev.errors[0].message
    bar = SummaryBar()
    qtbot.addWidget(bar)
    bar.show_summary(compare_environments([dev, prod], CompareOptions()))
    shown = " ".join(label.text() for label in bar.labels if isinstance(label, QLabel))
    assert "Incomplete: 1 error while loading" in shown
    assert "No drift" not in shown


def test_a_screenshot_of_a_partial_load_exits_2(tmp_path: Path) -> None:
    _project(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from parity_gui.ui.main import main; sys.exit(main())",
         "--screenshot", str(tmp_path / "shot.png"), "--size", "640x480",
         str(tmp_path / "dev" / "dev.yml"), str(tmp_path / "prod.yml")],
        capture_output=True, text=True, timeout=110, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)},
    )
    assert done.returncode == 2
    assert "incomplete: 1 error(s) while loading" in done.stderr
