"""A 10 ms heartbeat on the event loop: the longest gap between beats is the worst stall a user felt.

Used by the responsiveness test and ``bench/gui.py``; it only observes.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer


class Heartbeat(QObject):
    """Beats every ``interval_ms`` while running and remembers the longest gap, in seconds."""

    def __init__(self, interval_ms: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self._beat)
        self.last = 0.0
        self.longest = 0.0

    def start(self) -> None:
        self.longest = 0.0
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        """Stop and return the longest stall (gap between beats, or since the last beat)."""
        self._beat()
        self.timer.stop()
        return self.longest

    def _beat(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now
