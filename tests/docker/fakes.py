"""A fake engine on a unix socket, for faults and framings a real dockerd cannot be made to produce."""

from __future__ import annotations

import contextlib
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
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
def fake_tcp_engine(behaviour: Behaviour) -> Iterator[str]:
    """Like :func:`fake_engine`, on a free port of 127.0.0.1: yields ``tcp://127.0.0.1:PORT``."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    with _serving(server, behaviour):
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"


@contextlib.contextmanager
def _serving(server: socket.socket, behaviour: Behaviour) -> Iterator[None]:
    """Hand each connection ``server`` accepts to ``behaviour`` in a thread of its own."""
    server.listen(16)
    server.settimeout(0.1)
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=behaviour, args=(conn, done), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(2)
        server.close()


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
