"""Drift looks the same to everyone: a glyph per kind and a shape per severity, not colour alone."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from parity_gui.core.drift import DriftKind, Severity
from parity_gui.ui import theme

pytestmark = pytest.mark.gui


def grey(icon) -> QImage:  # type: ignore[no-untyped-def]
    return icon.pixmap(32, 32).toImage().convertToFormat(QImage.Format.Format_Grayscale8)


def test_every_severity_has_its_own_shape_even_in_greyscale() -> None:
    current = theme.Theme(theme.LIGHT)
    images = [grey(current.drift_icon(DriftKind.CHANGED, s)) for s in Severity]
    assert len({bytes(image.constBits()) for image in images}) == len(Severity)


def test_every_kind_has_its_own_glyph_even_in_greyscale() -> None:
    current = theme.Theme(theme.LIGHT)
    images = [grey(current.drift_icon(kind, Severity.HIGH)) for kind in DriftKind]
    assert len({bytes(image.constBits()) for image in images}) == len(DriftKind)
    assert set(theme.GLYPHS.values()) == {"~", "+", "−"}


def test_dark_and_light_palettes_differ_and_can_be_forced(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PARITY_THEME", "dark")
    assert theme.system_is_dark()
    monkeypatch.setenv("PARITY_THEME", "light")
    assert not theme.system_is_dark()
    assert theme.DARK.base != theme.LIGHT.base
    assert set(theme.DARK.severities) == set(theme.LIGHT.severities) == set(Severity)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_switching_to_dark_redraws_the_window_in_the_dark_palette(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from tests.gui.conftest import shop_pair, wait_for_comparison

    wait_for_comparison(qtbot, window, lambda: window.show_environments(list(shop_pair())))
    monkeypatch.setenv("PARITY_THEME", "dark")
    app = QApplication.instance()
    theme.apply(app)
    window.restyle()
    assert theme.current().palette.dark
    assert app.palette().base().color().name() == theme.DARK.base
    monkeypatch.setenv("PARITY_THEME", "light")
    theme.apply(app)
    assert app.palette().base().color().name() == theme.LIGHT.base
