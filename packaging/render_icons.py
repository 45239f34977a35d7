"""Render the application icon's PNG sizes from its SVG: ``python packaging/render_icons.py``.

The SVG ``resources/icons/parity.svg`` is the one drawing; the PNGs beside it, in the
freedesktop ``hicolor`` layout (``resources/icons/hicolor/<N>x<N>/apps/<app id>.png``), are
rendered from it with Qt's SVG renderer and committed, so that launchers and window managers
that cannot read SVG (and the PyInstaller bundle) have sharp pixels at every common size.
Run it again after changing the SVG; the packaging tests fail while the PNGs are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

REPO = Path(__file__).resolve().parent.parent
ICONS = REPO / "resources" / "icons"
SVG = ICONS / "parity.svg"
#: The application's id: the desktop entry, the AppStream component and the icon all carry it.
APP_ID = "io.github.paritygui.Parity"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int, icons: Path = ICONS) -> Path:
    """Where the PNG of one size lives in the hicolor layout."""
    return icons / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn on a transparent square of ``size`` pixels (a QGuiApplication must exist)."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG drawing")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def render_all(svg: Path = SVG, icons: Path = ICONS) -> list[Path]:
    """Write every PNG size; returns the files written."""
    written = []
    for size in SIZES:
        target = png_path(size, icons)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(svg, size).save(str(target), "PNG"):  # type: ignore[call-overload]  # stubs want bytes
            raise OSError(f"{target}: could not write the PNG")
        written.append(target)
    return written


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for path in render_all():
        print(path.relative_to(REPO))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
