"""Reloading when a source file is saved: a file watcher over every file the environments were
read from, debounced, since a save often touches a file several times (and editors that save by
replacing a file drop it from the watch until it is watched again after the reload)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from parity_gui.core.tree import Environment

#: How long after a source file's last change the window reloads.
RELOAD_DELAY_MS = 400


class SourceWatch(QObject):
    """Says :attr:`changed` once a watched file has stopped changing, while :attr:`enabled`."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._file_changed)
        self.timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self.timer.timeout.connect(self.changed)
        self.enabled = True

    def watch(self, base: Path, environments: Iterable[Environment]) -> None:
        """Watch exactly the files ``environments`` were read from (relative to ``base``)."""
        wanted = {str((base / source).resolve()) for env in environments for source in env.sources
                  if not source.startswith("docker://")}
        wanted = {file for file in wanted if Path(file).is_file()}
        watched = set(self.watcher.files())
        if watched - wanted:
            self.watcher.removePaths(sorted(watched - wanted))
        if wanted - watched:
            self.watcher.addPaths(sorted(wanted - watched))

    def later(self) -> None:
        """Say it again a little later (the window was busy)."""
        self.timer.start()

    def _file_changed(self, _file: str) -> None:
        if self.enabled:
            self.timer.start()
