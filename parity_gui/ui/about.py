"""The About dialog: what this copy of parity is, under which licence, built on which libraries.

The version comes from the installed package's metadata, the same source as ``parity --version``
and the wheel's own metadata; the library versions are those actually loaded or installed.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from parity_gui import __version__

#: (name shown, distribution name) of the libraries parity stands on.
LIBRARIES = (
    ("docker SDK", "docker"),
    ("deepdiff", "deepdiff"),
    ("python-hcl2", "python-hcl2"),
    ("PyYAML", "PyYAML"),
)
LICENCE = "MIT"


def library_versions() -> list[tuple[str, str]]:
    """(library, version) for Qt, PySide6 and every library of :data:`LIBRARIES`."""
    found = [("Qt", qVersion()), ("PySide6", pyside_version)]
    for shown, distribution in LIBRARIES:
        try:
            found.append((shown, version(distribution)))
        except PackageNotFoundError:
            found.append((shown, "not installed"))
    return found


def about_html() -> str:
    rows = "".join(f"<tr><td>{name}</td><td>&nbsp;&nbsp;{number}</td></tr>" for name, number in library_versions())
    return (
        f"<h2>parity {__version__}</h2>"
        "<p>How far apart are your environments? parity compares compose projects, Dockerfiles, "
        "Terraform, <code>.env</code> files and live Docker engines, shows where they drift and "
        "writes the patch that closes the gap.</p>"
        f"<p>Licence: {LICENCE}</p>"
        f"<p>Built on:</p><table>{rows}</table>"
    )


class AboutDialog(QDialog):
    """A small modal dialog with :func:`about_html` and a Close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About parity")
        text = QLabel(about_html())
        text.setObjectName("AboutText")
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
