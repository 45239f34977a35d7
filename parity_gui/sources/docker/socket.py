"""HTTP GET requests over a Docker engine's unix socket, read the way dockerd answers them.

dockerd answers a GET with a status line, a few headers and a body of known length, in chunks,
or (rarely) until it closes the connection; :class:`Connection` reads exactly that: no
redirects, no informational answers, no compression, no proxies. Anything else it meets is a
:class:`BrokenAnswer`, never a guess.

:class:`UnixSocket` keeps a few connections open between requests: idle ones wait on a
last-in-first-out stack, one that failed in any way is closed, never reused, and once the socket
is closed each busy connection is closed as soon as its request ends. Every socket is connected
in the thread that asks, so a :class:`~parity_gui.sources.docker.watch.LoadWatch` attached there
sees it and can shut it down.
"""

from __future__ import annotations

import socket
import threading

#: The longest status or header line accepted, in bytes.
LONGEST_LINE = 65536
#: The most header lines accepted in one answer.
MOST_HEADERS = 100

#: One answer: its status, the status's reason phrase and the whole body.
Answer = tuple[int, str, bytes]


class BrokenAnswer(ConnectionError):
    """The engine's answer ended early or is not HTTP as dockerd writes it."""


class UnixSocket:
    """GET requests to the engine listening on ``path``.

    ``timeout`` bounds each connect, send and read; at most ``keep`` idle connections are kept.
    Any number of threads may ask at once, each on a connection of its own.
    """

    def __init__(self, path: str, *, timeout: float, keep: int) -> None:
        self.path = path
        self.timeout = timeout
        self.keep = keep
        self.idle: list[Connection] = []
        self.closed = False
        self.lock = threading.Lock()

    def get(self, target: str) -> Answer:
        """``GET target`` (a path with its query): the answer, whatever its status."""
        connection = self._borrow()
        try:
            answer = connection.get(target)
        except BaseException:
            connection.close()
            raise
        self._give_back(connection)
        return answer

    def _borrow(self) -> Connection:
        with self.lock:
            if self.idle:
                return self.idle.pop()
        return Connection(self.path, self.timeout)

    def _give_back(self, connection: Connection) -> None:
        """Keep ``connection`` for the next request, unless it cannot serve one or the socket closed."""
        with self.lock:
            keep = connection.reusable and not self.closed and len(self.idle) < self.keep
            if keep:
                self.idle.append(connection)
        if not keep:
            connection.close()

    def close(self) -> None:
        """Close the idle connections, and each busy one as soon as its request ends."""
        with self.lock:
            self.closed = True
            idle, self.idle = self.idle, []
        for connection in idle:
            connection.close()


class Connection:
    """One HTTP/1.1 connection to a unix socket, asking one GET at a time."""

    def __init__(self, path: str, timeout: float) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.sock.settimeout(timeout)
            self.sock.connect(path)
        except BaseException:
            self.sock.close()
            raise
        self.answers = self.sock.makefile("rb")
        self.reusable = True

    def get(self, target: str) -> Answer:
        """``GET target``: the status, its reason phrase and the whole body."""
        request = b"GET %s HTTP/1.1\r\nHost: docker\r\nAccept: application/json\r\n\r\n" % target.encode("ascii")
        self.sock.sendall(request)
        status, reason = _status_line(self._line())
        headers = self._headers()
        if headers.get("connection", "").lower() == "close":
            self.reusable = False
        return status, reason, self._body(status, headers)

    def _line(self) -> bytes:
        line = self.answers.readline(LONGEST_LINE + 1)
        if len(line) > LONGEST_LINE:
            raise BrokenAnswer(f"a line longer than {LONGEST_LINE} bytes")
        if not line.endswith(b"\n"):
            raise BrokenAnswer("the engine's answer ended early")
        return line

    def _headers(self) -> dict[str, str]:
        """The header lines, by lower-case name (a repeated name keeps its last value)."""
        headers: dict[str, str] = {}
        for _ in range(MOST_HEADERS):
            line = self._line().strip()
            if not line:
                return headers
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        raise BrokenAnswer(f"more than {MOST_HEADERS} header lines")

    def _body(self, status: int, headers: dict[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._chunks()
        if "content-length" in headers:
            return self._exactly(_length(headers["content-length"], 10))
        if status in (204, 304):
            return b""
        self.reusable = False
        return self.answers.read()

    def _chunks(self) -> bytes:
        """A chunked body: chunk extensions are ignored, trailer lines skipped."""
        parts = []
        while size := _length(self._line().split(b";")[0].strip().decode("latin-1"), 16):
            parts.append(self._exactly(size))
            self._line()
        while self._line().strip():
            pass
        return b"".join(parts)

    def _exactly(self, size: int) -> bytes:
        data = self.answers.read(size)
        if len(data) != size:
            raise BrokenAnswer("the engine's answer ended early")
        return data

    def close(self) -> None:
        self.reusable = False
        self.answers.close()
        self.sock.close()


def _status_line(line: bytes) -> tuple[int, str]:
    version, _, rest = line.decode("latin-1").strip().partition(" ")
    code, _, reason = rest.partition(" ")
    if not version.startswith("HTTP/1.") or not (len(code) == 3 and code.isdigit()):
        raise BrokenAnswer(f"not an HTTP answer: {line[:60]!r}")
    return int(code), reason


def _length(text: str, base: int) -> int:
    """A body or chunk length (decimal or hexadecimal ``base``); a bad one is a BrokenAnswer."""
    try:
        value = int(text, base)
    except ValueError:
        value = -1
    if value < 0:
        raise BrokenAnswer(f"a length that is not a number: {text[:20]!r}")
    return value
