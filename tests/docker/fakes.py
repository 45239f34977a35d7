"""A fake engine on a unix socket or TCP, for faults and framings a real dockerd cannot be made to
produce: answers cut short, in odd framings, endless, huge or of the wrong shape."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

#: Handles one accepted connection; the event is set when the test ends.
Behaviour = Callable[[socket.socket, threading.Event], None]


@contextlib.contextmanager
def fake_engine(behaviour: Behaviour) -> Iterator[Path]:
    """A unix socket whose every connection is handled by ``behaviour`` until the test ends."""
    folder = Path(tempfile.mkdtemp(prefix="fake-", dir="/tmp"))
    path = folder / "docker.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    try:
        with _serving(server, behaviour):
            yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def fake_tcp_engine(behaviour: Behaviour, tls: ssl.SSLContext | None = None) -> Iterator[str]:
    """Like :func:`fake_engine`, on a free port of 127.0.0.1 (with TLS when given a server
    context): yields ``tcp://127.0.0.1:PORT``."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    if tls is not None:
        behaviour = _over_tls(behaviour, tls)
    with _serving(server, behaviour):
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"


def _over_tls(behaviour: Behaviour, tls: ssl.SSLContext) -> Behaviour:
    return lambda conn, done: behaviour(tls.wrap_socket(conn, server_side=True), done)


@contextlib.contextmanager
def _serving(server: socket.socket, behaviour: Behaviour) -> Iterator[None]:
    """Hand each connection ``server`` accepts to ``behaviour`` in a thread of its own."""
    server.listen(128)  # as many as parity's inspections in flight, and more
    server.settimeout(0.1)
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=_quietly, args=(behaviour, conn, done), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(2)
        server.close()


def _quietly(behaviour: Behaviour, conn: socket.socket, done: threading.Event) -> None:
    """Run ``behaviour``; the client hanging up on it (parity stops reading once a load has
    failed) ends it like the end of the test."""
    with contextlib.suppress(OSError):
        behaviour(conn, done)


def requests_on(conn: socket.socket) -> Iterator[str]:
    """The path of each request a client sends on ``conn``, until it hangs up."""
    pending = b""
    while True:
        while b"\r\n\r\n" not in pending:
            chunk = conn.recv(65536)
            if not chunk:
                return
            pending += chunk
        head, _, pending = pending.partition(b"\r\n\r\n")
        yield head.split(b" ")[1].decode()


def framed(body: bytes, how: str) -> bytes:
    """A 200 answer carrying ``body`` framed ``how``: length, chunks, or until the connection ends."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    if how == "length":
        return head + b"Content-Length: %d\r\n\r\n" % len(body) + body
    if how == "chunks":
        pieces = [body[i : i + 7] for i in range(0, len(body), 7)]
        chunks = b"".join(b"%x;name=value\r\n%s\r\n" % (len(p), p) for p in pieces)
        return head + b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\nX-Trailer: yes\r\n\r\n"
    return head + b"Connection: close\r\n\r\n" + body


GIGABYTE = 2**30

#: Writes the whole answer to one request.
Answer = Callable[[socket.socket, threading.Event], None]


def body(data: bytes) -> Answer:
    return lambda conn, done: conn.sendall(framed(data, "length"))


def endless(head: bytes, piece: bytes) -> Answer:
    """``head``, then ``piece`` again and again until the client hangs up."""

    def answer(conn: socket.socket, done: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + head + b"\r\n")
        while not done.is_set():
            conn.sendall(piece)

    return answer


MEGABYTE_OF_SPACES = b" " * 2**20
TEN_GIGABYTES_DECLARED = endless(b"Content-Length: %d\r\n" % (10 * GIGABYTE), MEGABYTE_OF_SPACES)
TEN_GIGABYTES_UNTIL_CLOSED = endless(b"Connection: close\r\n", MEGABYTE_OF_SPACES)
ENDLESS_CHUNKS = endless(b"Transfer-Encoding: chunked\r\n", b"%x\r\n%s\r\n" % (2**20, MEGABYTE_OF_SPACES))


def chunk_size(line: bytes) -> Answer:
    return lambda conn, done: conn.sendall(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + line + b"\r\n{}\r\n0\r\n\r\n"
    )


VERSION = b'{"Version": "20.10.24", "ApiVersion": "1.41", "Os": "linux", "Arch": "amd64"}'
NOT_FOUND = b'HTTP/1.1 404 Not Found\r\nContent-Length: 29\r\n\r\n{"message": "page not found"}'
QUIET = {
    "/_ping": body(b"OK"),  # the docker CLI's dial-stdio asks it first
    "/version": body(VERSION),
    "/containers/json?all=1": body(b"[]"),
    "/v1.41/info": body(b'{"ID": "FAKE", "OperatingSystem": "Debian GNU/Linux 12"}'),
    "/v1.41/networks": body(b"[]"),
    "/v1.41/volumes": body(b'{"Volumes": []}'),
}


def engine_answering(changed: Mapping[str, Answer]) -> Behaviour:
    """An engine with no containers, except that the paths in ``changed`` (or starting with one
    ending in ``/``) are answered so; other paths are not found."""
    routes = {**QUIET, **changed}

    def behaviour(conn: socket.socket, done: threading.Event) -> None:
        with conn:
            try:
                for path in requests_on(conn):
                    prefix = next((p for p in routes if p.endswith("/") and path.startswith(p)), path)
                    routes.get(prefix, lambda conn, done: conn.sendall(NOT_FOUND))(conn, done)
            except OSError:
                return

    return behaviour


def inspect_of(megabytes: float, entry: bytes = b'"NOTE=' + b"x" * 1000 + b'"') -> Answer:
    """A container inspect of about ``megabytes``, as a container with a huge environment has
    (``Env`` holds ``entry`` again and again)."""
    count = int(megabytes * 2**20 / (len(entry) + 1))
    config = b'{"Id": "c", "Name": "/web", "Config": {"Env": [' + b",".join([entry] * count) + b"]}}"
    return body(config)


def listing_of(count: int) -> bytes:
    """A container list of ``count`` entries, as sparse as an engine may send it (7 MB for 200,000)."""
    return b"[" + b",".join(b'{"Id": "c%d", "Names": ["/web-%d"]}' % (n, n) for n in range(count)) + b"]"
