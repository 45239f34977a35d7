"""What the app remembers between runs, with QSettings: recent environments, the last pair
opened, and the window's geometry and splitters.

Environments are remembered as absolute specs with the folder of the project file they came
from (an environment named in a ``.parity.toml`` is remembered by its name and that folder), so
they open the same from whichever folder the app is started in.

The organisation and application names are set before any settings are read, so QSettings has
a real place to write (``~/.config/parity/parity-gui.conf`` on Linux). Tests hand the window a
settings object on a file of their own and never touch the user's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings

ORGANISATION = "parity"
APPLICATION = "parity-gui"
RECENT_LIMIT = 12


def name_application() -> None:
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)


@dataclass(frozen=True)
class Remembered:
    """One environment as remembered: a spec (absolute) or a project environment's name, the
    folder of the project file it came from, and the name it was shown under."""

    spec: str
    project: str | None = None
    name: str | None = None

    def to_text(self) -> str:
        return json.dumps({"spec": self.spec, "project": self.project, "name": self.name})

    @classmethod
    def from_text(cls, text: str) -> Remembered:
        """Read an entry; a plain spec (as older versions stored them) is read as it is."""
        try:
            data = json.loads(text)
        except ValueError:
            return cls(text)
        if not isinstance(data, dict) or not isinstance(data.get("spec"), str):
            return cls(text)
        project, name = data.get("project"), data.get("name")
        return cls(data["spec"], project if isinstance(project, str) else None, name if isinstance(name, str) else None)

    @property
    def label(self) -> str:
        return f"{self.spec} — {self.project}" if self.project else self.spec


class Session:
    """Typed access to the settings the window keeps."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings if settings is not None else QSettings()

    def recent(self) -> list[Remembered]:
        """Recently opened environments, most recent first."""
        value = self.settings.value("recent/environments", [])
        texts = [value] if isinstance(value, str) else [str(v) for v in value] if isinstance(value, list) else []
        return [Remembered.from_text(text) for text in texts]

    def add_recent(self, entry: Remembered) -> None:
        entry = Remembered(entry.spec, entry.project)  # the same environment under another name is one entry
        entries = [entry, *(e for e in self.recent() if e != entry)][:RECENT_LIMIT]
        self.settings.setValue("recent/environments", [e.to_text() for e in entries])

    def last_pair(self) -> list[Remembered | None]:
        """What each pane held when the app last closed (None for an empty pane); empty when never run."""
        value = self.settings.value("session/panes", [])
        texts = [value] if isinstance(value, str) else [str(v) for v in value] if isinstance(value, list) else []
        panes = [Remembered.from_text(text) if text else None for text in texts]
        return panes if any(panes) else []

    def save_pair(self, panes: list[Remembered | None]) -> None:
        self.settings.setValue("session/panes", [p.to_text() if p else "" for p in panes])

    def blob(self, key: str) -> QByteArray | None:
        value = self.settings.value(f"window/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_blob(self, key: str, value: QByteArray) -> None:
        self.settings.setValue(f"window/{key}", value)

    def sync(self) -> None:
        self.settings.sync()
