"""``file:line`` links open the user's editor at the line, or say why nothing opened."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from parity_gui.ui.editor import editor_command
from parity_gui.ui.window import MainWindow
from tests.gui.conftest import shop_pair, wait_for_comparison

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.mark.parametrize(("editor", "expected"), [
    ("code --wait", ["code", "--wait", "-g", "/r/compose.yml:12"]),
    ("/opt/pycharm/bin/pycharm.sh", ["/opt/pycharm/bin/pycharm.sh", "--line", "12", "/r/compose.yml"]),
    ("idea", ["idea", "--line", "12", "/r/compose.yml"]),
    ("subl", ["subl", "/r/compose.yml:12"]),
    ("kate", ["kate", "-l", "12", "/r/compose.yml"]),
    ("gvim", ["gvim", "+12", "/r/compose.yml"]),
    ("emacsclient -c", ["emacsclient", "-c", "+12", "/r/compose.yml"]),
    ("nvim", ["xterm", "-e", "nvim", "+12", "/r/compose.yml"]),
    ("my-editor", ["my-editor", "/r/compose.yml"]),
])
def test_each_editor_is_told_the_line_its_own_way(editor: str, expected: list[str]) -> None:
    assert editor_command("/r/compose.yml", 12, {"VISUAL": editor, "TERMINAL": "xterm"}) == expected


def test_visual_wins_over_editor_and_no_editor_means_the_desktop_default() -> None:
    assert editor_command("/r/a.env", 3, {"VISUAL": "code", "EDITOR": "vi"}) == ["code", "-g", "/r/a.env:3"]
    assert editor_command("/r/a.env", 3, {}) is None


def fake_code(folder: Path) -> Path:
    """An executable called ``code`` that writes down the arguments it was started with."""
    script = folder / "code"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {folder / "args.txt"}\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_a_detail_origin_link_opens_the_editor_at_the_line(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    compose = tmp_path / "compose.prod.yml"
    compose.write_text("services:\n  web:\n    image: ghcr.io/acme/shop-web:2.4.0\n")
    monkeypatch.setenv("VISUAL", str(fake_code(tmp_path)))
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.chdir(tmp_path)
    wait_for_comparison(qtbot, window, lambda: window.show_environments(list(shop_pair())))
    window.select_path(("services", "web", "image", "tag"))
    origin = window.detail.rows[1][2]
    assert "compose.prod.yml:3" in origin.text()
    link = origin.text().split('"')[1]
    origin.linkActivated.emit(link)
    written = tmp_path / "args.txt"
    qtbot.waitUntil(lambda: written.exists() and written.read_text().endswith("\n"), timeout=5000)
    assert written.read_text().split() == ["-g", f"{compose}:3"]


def test_nothing_opened_is_said_in_the_status_bar(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from parity_gui.ui.side import link_for, open_link

    open_link(link_for(str(tmp_path / "gone.yml"), 7), window.detail)
    assert "gone.yml" in window.statusBar().currentMessage()
    assert "no longer there" in window.statusBar().currentMessage()
