"""Setting a widget's Qt properties by name in one call, where constructors take none."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import QObject

W = TypeVar("W", bound=QObject)


def configure(widget: W, **properties: Any) -> W:
    """``configure(QLabel("x"), objectName="Muted", toolTip="…")``: set each Qt property, return the widget."""
    for name, value in properties.items():
        if not widget.setProperty(name, value) and widget.property(name) != value:
            raise AttributeError(f"{type(widget).__name__} has no property {name!r}")
    return widget
