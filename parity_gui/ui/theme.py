"""The one place that decides how drift looks: colours, glyphs and icons, light and dark.

Every widget asks this module; none hard-codes a colour. Drift is never told by colour alone:
each kind has a glyph (``~`` changed, ``+`` added, ``−`` removed) and each severity a shape
(triangle critical, diamond high, rounded square medium, circle low, hollow circle info), so a
colour-blind reader and a greyscale screenshot read the same thing.

The palette follows the system colour scheme (Qt's ``QStyleHints.colorScheme``) and switches
when the system does; ``PARITY_THEME=light|dark`` forces one (useful for screenshots).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap, QPolygonF

from parity_gui.core.drift import DriftKind, Severity

GLYPHS = {DriftKind.CHANGED: "~", DriftKind.ADDED: "+", DriftKind.REMOVED: "−"}
KIND_WORDS = {DriftKind.CHANGED: "changed", DriftKind.ADDED: "added", DriftKind.REMOVED: "removed"}


@dataclass(frozen=True)
class Palette:
    """The colours of one scheme, as ``#rrggbb`` strings."""

    dark: bool
    window: str
    base: str
    alternate: str
    text: str
    muted: str
    border: str
    highlight: str
    highlight_text: str
    link: str
    placeholder: str
    search: str
    expected: str
    error: str
    severities: dict[Severity, str]
    tint_alpha: int  #: how strongly a drift row is tinted (0–255)
    changed: str = "#f59e0b"  #: marks the part that changed inside a long value
    diff_added: str = "#1a7f37"  #: ``+`` lines of a patch preview
    diff_removed: str = "#cf222e"  #: ``-`` lines of a patch preview
    diff_hunk: str = "#8250df"  #: ``@@`` lines and file headers of a patch preview


LIGHT = Palette(
    dark=False,
    window="#f3f4f6",
    base="#ffffff",
    alternate="#f7f8fa",
    text="#1f2328",
    muted="#6b7280",
    border="#d0d7de",
    highlight="#2f6feb",
    highlight_text="#ffffff",
    link="#0b62d6",
    placeholder="#c3c8cf",
    search="#ffe066",
    expected="#8b949e",
    error="#b42318",
    severities={
        Severity.CRITICAL: "#c4161c",
        Severity.HIGH: "#e3620b",
        Severity.MEDIUM: "#b7860b",
        Severity.LOW: "#2f7de1",
        Severity.INFO: "#6e7781",
    },
    tint_alpha=40,
    changed="#f59e0b",
)

DARK = Palette(
    dark=True,
    window="#1e2127",
    base="#16181d",
    alternate="#1b1e24",
    text="#e6e8eb",
    muted="#98a1ad",
    border="#3a3f48",
    highlight="#3b73d9",
    highlight_text="#ffffff",
    link="#6cb6ff",
    placeholder="#4a505a",
    search="#8a6d00",
    expected="#7d8590",
    error="#ff7b72",
    severities={
        Severity.CRITICAL: "#ff5a5f",
        Severity.HIGH: "#ff9548",
        Severity.MEDIUM: "#e3b341",
        Severity.LOW: "#58a6ff",
        Severity.INFO: "#9aa5b1",
    },
    tint_alpha=62,
    changed="#d97706",
    diff_added="#56d364",
    diff_removed="#ff7b72",
    diff_hunk="#d2a8ff",
)


class Theme:
    """The palette in use and the brushes and icons drawn from it."""

    def __init__(self, palette: Palette) -> None:
        self.palette = palette

    # --- colours -------------------------------------------------------------------------
    def color(self, name: str) -> QColor:
        return QColor(getattr(self.palette, name))

    def severity_color(self, severity: Severity, expected: bool = False) -> QColor:
        return QColor(self.palette.expected if expected else self.palette.severities[severity])

    def tint(self, severity: Severity, expected: bool = False, strength: float = 1.0) -> QBrush:
        """The background of a drift row: the severity colour, faint."""
        color = self.severity_color(severity, expected)
        color.setAlpha(int(self.palette.tint_alpha * strength * (0.6 if expected else 1.0)))
        return QBrush(color)

    def placeholder(self) -> QBrush:
        """Where one side lacks a path: a hatched gap, as in Meld."""
        return QBrush(QColor(self.palette.placeholder), Qt.BrushStyle.BDiagPattern)

    def search_brush(self) -> QBrush:
        return QBrush(QColor(self.palette.search))

    def changed_brush(self) -> QBrush:
        """Behind the part of a long value that changed (the text stays readable through it)."""
        color = QColor(self.palette.changed)
        color.setAlpha(110)
        return QBrush(color)

    # --- icons ---------------------------------------------------------------------------
    def drift_icon(self, kind: DriftKind, severity: Severity, expected: bool = False) -> QIcon:
        return _drift_icon(self.palette.dark, kind, severity, expected)

    def severity_icon(self, severity: Severity) -> QIcon:
        return _drift_icon(self.palette.dark, None, severity, False)

    # --- application palette -----------------------------------------------------------------
    def qpalette(self) -> QPalette:
        p = self.palette
        roles = {
            QPalette.ColorRole.Window: p.window,
            QPalette.ColorRole.WindowText: p.text,
            QPalette.ColorRole.Base: p.base,
            QPalette.ColorRole.AlternateBase: p.alternate,
            QPalette.ColorRole.Text: p.text,
            QPalette.ColorRole.Button: p.window,
            QPalette.ColorRole.ButtonText: p.text,
            QPalette.ColorRole.Highlight: p.highlight,
            QPalette.ColorRole.HighlightedText: p.highlight_text,
            QPalette.ColorRole.Link: p.link,
            QPalette.ColorRole.ToolTipBase: p.base,
            QPalette.ColorRole.ToolTipText: p.text,
            QPalette.ColorRole.PlaceholderText: p.muted,
            QPalette.ColorRole.Mid: p.border,
        }
        palette = QPalette()
        for role, value in roles.items():
            palette.setColor(role, QColor(value))
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(p.muted))
        return palette

    def stylesheet(self) -> str:
        """Small touches the palette cannot express: header cards, badges, the error page."""
        p = self.palette
        return f"""
        QFrame#EnvironmentHeader {{ background: {p.base}; border: 1px solid {p.border}; border-radius: 6px; }}
        QLabel#EnvName {{ font-size: 11pt; font-weight: 600; }}
        QLabel#EnvSpec, QLabel#EnvSources, QLabel#Muted {{ color: {p.muted}; }}
        QLabel#StatePill {{ border-radius: 8px; padding: 1px 8px; color: {p.highlight_text}; }}
        QToolButton#WarningsBadge {{ color: {p.severities[Severity.MEDIUM]}; font-weight: 600; border: none; }}
        QToolButton#WarningsBadge::menu-indicator, QToolButton#OpenButton::menu-indicator {{ image: none; width: 0; }}
        QFrame#ErrorPage {{ background: {p.base}; border: 1px solid {p.border}; }}
        QLabel#ErrorTitle {{ font-size: 12pt; font-weight: 600; color: {p.error}; }}
        QLabel#DetailTitle {{ font-size: 10.5pt; font-weight: 600; }}
        QFrame#DetailPanel {{ background: {p.base}; border-top: 1px solid {p.border}; }}
        QTreeView {{ border: 1px solid {p.border}; }}
        QStatusBar QLabel {{ padding: 0 4px; }}
        """


def state_color(theme: Theme, state: str) -> str:
    """The pill colour of a header state (loading, loaded, failed, cancelled, empty)."""
    p = theme.palette
    return {"loading": p.highlight, "loaded": "#2da44e", "failed": p.error}.get(state, p.muted)


def _shape(severity: Severity, rect: QRectF) -> QPolygonF | None:
    c, r = rect.center(), rect.width() / 2
    if severity is Severity.CRITICAL:
        return QPolygonF([QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y() + r * 0.8),
                          QPointF(c.x() - r, c.y() + r * 0.8)])
    if severity is Severity.HIGH:
        return QPolygonF([QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y()), QPointF(c.x(), c.y() + r),
                          QPointF(c.x() - r, c.y())])
    return None


@lru_cache(maxsize=128)
def _drift_icon(dark: bool, kind: DriftKind | None, severity: Severity, expected: bool) -> QIcon:
    palette = DARK if dark else LIGHT
    icon = QIcon()
    for size in (16, 32):
        icon.addPixmap(_draw_icon(palette, kind, severity, expected, size))
    return icon


def _draw_icon(palette: Palette, kind: DriftKind | None, severity: Severity, expected: bool, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    color = QColor(palette.expected if expected else palette.severities[severity])
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(1, 1, size - 2, size - 2)
    hollow = severity is Severity.INFO
    painter.setPen(QPen(color, size / 10) if hollow else Qt.PenStyle.NoPen)
    painter.setBrush(Qt.BrushStyle.NoBrush if hollow else QBrush(color))
    polygon = _shape(severity, rect)
    if polygon is not None:
        painter.drawPolygon(polygon)
    elif severity is Severity.MEDIUM:
        painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), size / 5, size / 5)
    else:
        painter.drawEllipse(rect.adjusted(0.5, 0.5, -0.5, -0.5))
    if kind is not None:
        box = rect.adjusted(0, size / 6, 0, 0) if severity is Severity.CRITICAL else rect
        _draw_glyph(painter, GLYPHS[kind], QColor(color if hollow else "#ffffff"), box, size)
    painter.end()
    return pixmap


def _draw_glyph(painter: QPainter, glyph: str, color: QColor, rect: QRectF, size: int) -> None:
    font = QFont("DejaVu Sans")
    font.setPixelSize(int(size * 0.8))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(rect.adjusted(0, -size / 16, 0, -size / 16), Qt.AlignmentFlag.AlignCenter, glyph)


def system_is_dark() -> bool:
    forced = os.environ.get("PARITY_THEME", "").lower()
    if forced in ("light", "dark"):
        return forced == "dark"
    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() is Qt.ColorScheme.Dark


class _Current:
    """The theme in use; widgets and models ask :func:`current` each time they paint."""

    theme: Theme | None = None


def current() -> Theme:
    """The theme in use (follows the system scheme until :func:`apply` picks again)."""
    if _Current.theme is None:
        _Current.theme = Theme(DARK if system_is_dark() else LIGHT)
    return _Current.theme


def apply(app: QGuiApplication) -> Theme:
    """Pick the palette for the system scheme and install it on the application."""
    chosen = _Current.theme = Theme(DARK if system_is_dark() else LIGHT)
    app.setPalette(chosen.qpalette())
    if hasattr(app, "setStyleSheet"):
        app.setStyleSheet(chosen.stylesheet())
    return chosen
