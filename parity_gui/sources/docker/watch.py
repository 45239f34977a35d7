"""A wall-clock deadline, a per-request time limit and cancellation for reading a Docker engine.

docker-py's ``timeout`` bounds each socket read, not a call: an engine that trickles one byte a
second answers every read in time and never finishes. So a load runs in worker threads under a
:class:`LoadWatch`, and the calling thread watches the clock. Every socket a watched thread
connects is remembered (through the interpreter's ``socket.connect`` audit event, so it works
for unix sockets, TCP and TLS alike) and closed when the load ends; when the deadline passes, a
request runs longer than its limit, or the user cancels, the watch shuts those sockets down,
which wakes every blocked read at once.
The load then fails with the reason, promptly, instead of hanging.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

POLL_SECONDS = 0.02
#: How long stopped workers get to notice their sockets are gone before the caller moves on.
GRACE_SECONDS = 2.0

_local = threading.local()
_hook_lock = threading.Lock()
_hook_installed = False


class Stopped(Exception):
    """A watched read was stopped; ``reason`` says why (deadline, slow request, cancelled)."""

    def __init__(self, reason: str, *, cancelled: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cancelled = cancelled


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect":
        watch_socket(args[0])


def watch_socket(sock: socket.socket) -> None:
    """Put ``sock`` under the watch of the calling thread, if it has one.

    Sockets a thread connects are watched already; one made otherwise (a ``socketpair`` whose
    other end a subprocess holds) is handed over with this.
    """
    watch = getattr(_local, "watch", None)
    if watch is not None:
        watch.adopt(sock)


def _install_hook() -> None:
    global _hook_installed  # noqa: PLW0603 - one process-wide hook, installed once
    with _hook_lock:
        if not _hook_installed:
            sys.addaudithook(_audit)
            _hook_installed = True


class LoadWatch:
    """Bounds one load: ``deadline`` seconds in all, ``request_limit`` seconds per request."""

    def __init__(self, deadline: float, request_limit: float, cancel: threading.Event | None = None) -> None:
        self.deadline = deadline
        self.request_limit = request_limit
        self.cancel = cancel or threading.Event()
        self.started = time.monotonic()
        self.stopped: Stopped | None = None
        self._sockets: list[socket.socket] = []
        self._requests: dict[int, tuple[str, float]] = {}
        self._lock = threading.Lock()
        _install_hook()

    # --- in worker threads ---------------------------------------------------------------

    def attach(self) -> None:
        """Watch the sockets the calling thread connects from now on."""
        _local.watch = self

    def adopt(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
        if self.stopped is not None:
            _shut(sock)

    @contextlib.contextmanager
    def request(self, what: str) -> Iterator[None]:
        """Time one request (``what`` names it in the error when it runs too long)."""
        if self.stopped is not None:
            raise self.stopped
        key = threading.get_ident()
        with self._lock:
            self._requests[key] = (what, time.monotonic())
        try:
            yield
        finally:
            with self._lock:
                self._requests.pop(key, None)
        if self.stopped is not None:
            raise self.stopped

    # --- in the calling thread -----------------------------------------------------------

    def run(self, work: Callable[[], T]) -> T:
        """Run ``work`` in a watched thread; return its result or raise :class:`Stopped`."""
        outcome: dict[str, Any] = {}

        def body() -> None:
            self.attach()
            try:
                outcome["value"] = work()
            except BaseException as e:  # handed to the calling thread below
                outcome["error"] = e

        worker = threading.Thread(target=body, name="docker-load", daemon=True)
        worker.start()
        try:
            self._wait(worker)
        finally:
            self._close_all()
        if self.stopped is not None:
            raise self.stopped
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]  # type: ignore[no-any-return]

    def _wait(self, worker: threading.Thread) -> None:
        while worker.is_alive():
            worker.join(POLL_SECONDS)
            reason = self.why_stop()
            if reason is not None and worker.is_alive():
                self.stop(reason)
                worker.join(GRACE_SECONDS)
                return

    def _close_all(self) -> None:
        """Close every socket the load opened, whatever state its client was left in."""
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            sock.close()

    def why_stop(self) -> Stopped | None:
        """The reason to stop now, if there is one (of slow requests, the one asked first)."""
        if self.cancel.is_set():
            return Stopped("cancelled", cancelled=True)
        now = time.monotonic()
        if now - self.started > self.deadline:
            return Stopped(f"no complete answer within {self.deadline:g}s")
        with self._lock:
            running = sorted(self._requests.values(), key=lambda request: request[1])
        for what, began in running:
            if now - began > self.request_limit:
                return Stopped(f"{what} got no complete answer within {self.request_limit:g}s")
        return None

    def stop(self, reason: Stopped) -> None:
        """Stop the load: every socket it opened is shut down, waking blocked reads."""
        self.stopped = reason
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
