"""The PNG icons are the SVG drawing, rendered: a changed SVG without re-rendered PNGs fails here."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from tests.packaging.builds import REPO

pytestmark = pytest.mark.gui


def render_icons() -> ModuleType:
    """``packaging/render_icons.py``, the script that renders the PNGs, loaded as a module."""
    spec = importlib.util.spec_from_file_location("render_icons", REPO / "packaging" / "render_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.usefixtures("qapp")
def test_every_png_icon_is_the_svg_rendered_at_its_size() -> None:
    from PySide6.QtGui import QImage

    script = render_icons()
    for size in script.SIZES:
        committed = QImage(str(script.png_path(size))).convertToFormat(QImage.Format.Format_ARGB32)
        assert committed == script.render(script.SVG, size), f"{script.png_path(size)} is stale: run {script.__file__}"
