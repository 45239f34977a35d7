"""``parity-gui --screenshot``: a PNG of the requested size, and exit 2 when a side fails to load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.gui


def run_gui(tmp_path: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PARITY_"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run([sys.executable, "-m", "parity_gui", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_the_screenshot_command_writes_a_png_of_the_requested_size(tmp_path: Path, gui_data: Path) -> None:
    shot = tmp_path / "shot.png"
    done = run_gui(tmp_path, "--screenshot", str(shot), "--size", "1000x700", "docker-compose.yml",
                   "docker-compose.yml+docker-compose.prod.yml", cwd=gui_data)
    assert done.returncode == 0, done.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1000, 700)
    assert shot.stat().st_size > 10_000
    assert not (tmp_path / "config").exists()  # a screenshot leaves no settings behind


def test_the_screenshot_command_exits_2_when_a_side_fails_to_load(tmp_path: Path, gui_data: Path) -> None:
    shot = tmp_path / "shot.png"
    done = run_gui(tmp_path, "--screenshot", str(shot), "docker-compose.yml", "broken-compose.yml", cwd=gui_data)
    assert done.returncode == 2
    assert "broken-compose.yml:5:1" in done.stderr
    assert QImage(str(shot)).width() == 1400  # the error is in the picture too


def test_without_a_display_the_screenshot_renders_offscreen(tmp_path: Path, gui_data: Path) -> None:
    shot = tmp_path / "shot.png"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "PARITY_")) and k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "parity_gui", "--screenshot", str(shot), "--size", "1024x640",
                           "docker-compose.yml", "docker-compose.yml+docker-compose.prod.yml"], cwd=gui_data, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert QImage(str(shot)).width() == 1024


def test_a_bad_size_is_refused_with_a_usage_error(tmp_path: Path, gui_data: Path) -> None:
    done = run_gui(tmp_path, "--screenshot", str(tmp_path / "x.png"), "--size", "big", cwd=gui_data)
    assert done.returncode == 2 and "1400x900" in done.stderr


def test_the_window_starts_without_importing_the_source_libraries() -> None:
    code = ("import sys, parity_gui.ui.main, parity_gui.ui.window; "
            "print(sorted(m for m in ('docker', 'deepdiff', 'hcl2', 'yaml', 'dockerfile') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.strip() == "[]"
