"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every call of a method that
returns nothing, and the process dies with ``Fatal Python error: none_dealloc`` after a few
thousand calls. The lock pins 6.11.3; this test keeps an upgrade from bringing the crash back."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication, QLabel, QWidget
    app = QApplication([])
    widget, label = QWidget(), QLabel()
    for i in range(200_000):
        widget.resize(100 + i % 7, 80)
        label.setText("x")
    print("survived", sys.getrefcount(None) > 0)
    """
)


def test_two_hundred_thousand_qt_calls_that_return_nothing_do_not_abort() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "survived True" in done.stdout


def test_the_pinned_pyside_is_installed() -> None:
    from importlib.metadata import version

    assert version("PySide6-Essentials") == "6.11.3"
