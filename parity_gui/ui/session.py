"""What the app remembers between runs, with QSettings: recent environments, the last pair
opened, and the window's geometry and splitters.

The organisation and application names are set before any settings are read, so QSettings has
a real place to write (``~/.config/parity/parity-gui.conf`` on Linux). Tests hand the window a
settings object on a file of their own and never touch the user's.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

ORGANISATION = "parity"
APPLICATION = "parity-gui"
RECENT_LIMIT = 12


def name_application() -> None:
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)


class Session:
    """Typed access to the settings the window keeps."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings if settings is not None else QSettings()

    def recent(self) -> list[str]:
        """Recently opened specs, most recent first."""
        value = self.settings.value("recent/specs", [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def add_recent(self, spec: str) -> None:
        specs = [spec, *(s for s in self.recent() if s != spec)][:RECENT_LIMIT]
        self.settings.setValue("recent/specs", specs)

    def last_pair(self) -> list[tuple[str | None, str | None]]:
        """(name, spec) of each side when the app last closed; empty when never run."""
        sides = []
        for side in (0, 1):
            spec = self.settings.value(f"session/side{side}/spec")
            name = self.settings.value(f"session/side{side}/name")
            sides.append((str(name) if name else None, str(spec) if spec else None))
        return sides if any(spec for _, spec in sides) else []

    def save_pair(self, sides: list[tuple[str | None, str | None]]) -> None:
        for side, (name, spec) in enumerate(sides):
            self.settings.setValue(f"session/side{side}/spec", spec or "")
            self.settings.setValue(f"session/side{side}/name", name or "")

    def blob(self, key: str) -> QByteArray | None:
        value = self.settings.value(f"window/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_blob(self, key: str, value: QByteArray) -> None:
        self.settings.setValue(f"window/{key}", value)

    def sync(self) -> None:
        self.settings.sync()
