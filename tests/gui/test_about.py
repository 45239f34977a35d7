"""The app knows itself: the About dialog names its version, licence and the libraries in use."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from parity_gui import __version__
from parity_gui.ui.about import AboutDialog, library_versions
from parity_gui.ui.window import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_the_dialog_shows_the_version_the_command_line_reports(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.findChild(QLabel, "AboutText").text()
    cli = subprocess.run([sys.executable, "-m", "parity_gui.cli.main", "--version"], capture_output=True,
                         text=True, check=True, timeout=60).stdout.split()[-1]
    assert f"parity {__version__}" in text and cli == __version__ == version("parity-gui")
    assert "Licence: MIT" in text
    for name, number in library_versions():
        assert f"{name}</td><td>&nbsp;&nbsp;{number}" in text


def test_library_versions_name_qt_pyside_and_the_sources_libraries() -> None:
    names = dict(library_versions())
    assert set(names) == {"Qt", "PySide6", "docker SDK", "deepdiff", "python-hcl2", "PyYAML"}
    assert names["PySide6"] == "6.11.3" and names["deepdiff"] == version("deepdiff")


def test_the_help_menu_opens_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    seen = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog)
        if dialog is not None:
            dialog.close()

    QTimer.singleShot(50, close_it)
    window.acts["about"].trigger()
    assert isinstance(seen[0], AboutDialog)
