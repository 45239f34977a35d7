"""HTTP GET requests to a Docker engine over a stream (its unix socket, a plain TCP port, or
``ssh`` running ``docker system dial-stdio``), read the way dockerd answers them.

dockerd answers a GET with a status line, a few headers and a body of known length, in chunks,
or (rarely) until it closes the connection; :class:`Connection` reads exactly that: no
redirects, no informational answers, no compression, no proxies. Anything else it meets is a
:class:`BrokenAnswer`, never a guess.

Time is bounded by the load's watch (:mod:`~parity_gui.sources.docker.watch`); bytes by an
:class:`Allowance`: one answer's body may hold at most ``per_answer`` bytes and all the answers
of one load at most ``per_load``, so an engine sending a body of 10 GB, or chunks without end,
is stopped when it passes the cap (a declared length or chunk size over it, before reading),
however fast it sends.

:class:`EngineConnections` keeps a few connections open between requests: idle ones wait on a
last-in-first-out stack, one that failed in any way is closed, never reused, and once the pool
is closed each busy connection is closed as soon as its request ends. Every connection is made
in the thread that asks, so a :class:`~parity_gui.sources.docker.watch.LoadWatch` attached there
sees it and can shut it down.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable

#: The longest status or header line accepted, in bytes.
LONGEST_LINE = 65536
#: The most header lines accepted in one answer.
MOST_HEADERS = 100
#: The largest body of one answer (a container inspect is a few KB; the list of 10,000
#: containers about 15 MB). Override with ``PARITY_DOCKER_ANSWER_MB``.
ANSWER_BYTES = 32 * 2**20
#: The most bytes all the answers of one load may hold (about 5,000 containers inspected).
#: Override with ``PARITY_DOCKER_LOAD_MB``.
LOAD_BYTES = 64 * 2**20
#: Bytes of answer per JSON value allowed: parsed, a value costs up to about 70 bytes of memory
#: (an empty list ``[]`` is 3 bytes of JSON), so the values of a load are capped too, at one per
#: this many bytes of its cap (a real inspect has one per 25 bytes or so).
BYTES_PER_VALUE = 16
#: How much of a body is read at once.
PIECE_BYTES = 2**20

#: One answer: its status, the status's reason phrase and the whole body.
Answer = tuple[int, str, bytes]


class BrokenAnswer(ConnectionError):
    """The engine's answer ended early or is not HTTP as dockerd writes it."""


class AnswerTooLarge(BrokenAnswer):
    """An answer, or all the answers of a load, would pass the byte cap."""


class Allowance:
    """The bytes one load may read: ``per_answer`` in one body, ``per_load`` in all (thread-safe)."""

    def __init__(self, per_answer: int = ANSWER_BYTES, per_load: int = LOAD_BYTES) -> None:
        self.per_answer = per_answer
        self.per_load = per_load
        self.used = 0
        self.values = 0
        self.lock = threading.Lock()

    @classmethod
    def from_environment(cls) -> Allowance:
        """The caps, raised or lowered by ``PARITY_DOCKER_ANSWER_MB`` and ``PARITY_DOCKER_LOAD_MB``."""
        return cls(_megabytes("PARITY_DOCKER_ANSWER_MB", ANSWER_BYTES), _megabytes("PARITY_DOCKER_LOAD_MB", LOAD_BYTES))

    def take(self, size: int, body_so_far: int) -> None:
        """Account for ``size`` more bytes of a body already ``body_so_far`` long, or refuse them."""
        if body_so_far + size > self.per_answer:
            raise AnswerTooLarge(
                f"an answer larger than {_mb(self.per_answer)} (the cap per answer; "
                "set PARITY_DOCKER_ANSWER_MB to raise it)"
            )
        with self.lock:
            if self.used + size > self.per_load:
                raise AnswerTooLarge(
                    f"the answers passed {_mb(self.per_load)} in all (the cap per load; "
                    "set PARITY_DOCKER_LOAD_MB to raise it)"
                )
            self.used += size

    def take_values(self, answer: bytes) -> None:
        """Account for the JSON values in ``answer`` (counted from its commas and brackets, an
        upper bound), or refuse them before they are parsed."""
        count = answer.count(b",") + answer.count(b"[") + answer.count(b"{") + 1
        most = self.per_load // BYTES_PER_VALUE
        with self.lock:
            if self.values + count > most:
                raise AnswerTooLarge(
                    f"the answers hold more than {most:,} JSON values in all (the cap per load; "
                    "set PARITY_DOCKER_LOAD_MB to raise it)"
                )
            self.values += count


def _megabytes(variable: str, default: int) -> int:
    """``variable`` as a whole number of megabytes (1 to 999,999), else ``default`` bytes."""
    configured = os.environ.get(variable, "")
    valid = configured.isascii() and configured.isdigit() and len(configured) <= 6 and int(configured) > 0
    return int(configured) * 2**20 if valid else default


def _mb(size: int) -> str:
    return f"{size / 2**20:g} MB"


class EngineConnections:
    """GET requests on connections made by ``dial``; at most ``keep`` idle ones are kept.

    Any number of threads may ask at once, each on a connection of its own; with ``most``, at
    most that many connections are open at once and the other threads wait their turn (for
    connections that are costly to open, such as one ssh process each).
    """

    def __init__(self, dial: Callable[[], Connection], *, keep: int, most: int | None = None) -> None:
        self.dial = dial
        self.keep = keep
        self.idle: list[Connection] = []
        self.closed = False
        self.lock = threading.Lock()
        self.turns = threading.BoundedSemaphore(most) if most else None

    def get(self, target: str) -> Answer:
        """``GET target`` (a path with its query): the answer, whatever its status."""
        if self.turns is None:
            return self._get(target)
        with self.turns:
            return self._get(target)

    def _get(self, target: str) -> Answer:
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
        return self.dial()

    def _give_back(self, connection: Connection) -> None:
        """Keep ``connection`` for the next request, unless it cannot serve one or the pool closed."""
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


class UnixSocket(EngineConnections):
    """GET requests to the engine listening on the unix socket ``path``.

    ``timeout`` bounds each connect, send and read; ``allowance`` the bytes read.
    """

    def __init__(self, path: str, *, timeout: float, keep: int, allowance: Allowance | None = None) -> None:
        self.path = path
        bytes_allowed = allowance or Allowance()
        super().__init__(lambda: Connection(unix_socket(path, timeout), bytes_allowed), keep=keep)


def unix_socket(path: str, timeout: float) -> socket.socket:
    """A stream socket connected to ``path`` (each connect, send and read bounded by ``timeout``)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(path)
    except BaseException:
        sock.close()
        raise
    return sock


def tcp_socket(address: tuple[str, int], timeout: float) -> socket.socket:
    """A TCP connection to ``(host, port)`` (each connect, send and read bounded by ``timeout``)."""
    sock = socket.create_connection(address, timeout)
    sock.settimeout(timeout)
    return sock


class Connection:
    """One HTTP/1.1 connection over a connected stream socket, asking one GET at a time."""

    def __init__(self, sock: socket.socket, allowance: Allowance) -> None:
        self.sock = sock
        self.allowance = allowance
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
        body = bytearray()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            self._chunks(body)
        elif "content-length" in headers:
            self._exactly(_length(headers["content-length"], 10, "body length"), body)
        elif status not in (204, 304):
            self.reusable = False
            self._until_closed(body)
        return bytes(body)

    def _chunks(self, body: bytearray) -> None:
        """A chunked body: chunk extensions are ignored, trailer lines skipped."""
        while size := _length(self._line().split(b";")[0].strip().decode("latin-1"), 16, "chunk size"):
            self._exactly(size, body)
            self._line()
        while self._line().strip():
            pass

    def _exactly(self, size: int, body: bytearray) -> None:
        """Append exactly ``size`` bytes to ``body``; refused at once when they would pass a cap."""
        self.allowance.take(size, len(body))
        while size:
            piece = self.answers.read(min(size, PIECE_BYTES))
            if not piece:
                raise BrokenAnswer("the engine's answer ended early")
            body += piece
            size -= len(piece)

    def _until_closed(self, body: bytearray) -> None:
        while piece := self.answers.read1(PIECE_BYTES):
            self.allowance.take(len(piece), len(body))
            body += piece

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


_DIGITS = {10: frozenset("0123456789"), 16: frozenset("0123456789abcdefABCDEF")}


def _length(text: str, base: int, what: str) -> int:
    """A body length (decimal) or chunk size (hexadecimal ``base``), digits only as HTTP writes
    them (no sign, ``0x``, ``_`` or spaces); a bad one is a BrokenAnswer, a huge one too large."""
    if not text or not set(text) <= _DIGITS[base]:
        raise BrokenAnswer(f"a {what} that is not a {'decimal' if base == 10 else 'hexadecimal'} number: {text[:20]!r}")
    if len(text) > 15:
        raise AnswerTooLarge(f"a {what} of {len(text)} digits, far over the cap per answer")
    return int(text, base)
