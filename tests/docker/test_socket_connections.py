"""Requests over an engine's unix socket reuse a few connections, and never one that cannot serve."""

from __future__ import annotations

import json
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from parity_gui.sources.docker.socket import BrokenAnswer, UnixSocket
from tests.docker.fakes import Behaviour, fake_engine, framed, requests_on

PING = b'{"ApiVersion": "1.41"}'


class Accepted:
    """Counts the connections a fake engine accepts, and how many of them the client closed."""

    def __init__(self) -> None:
        self.opened = 0
        self.hung_up = 0
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)

    def serving(self, how: str, ready: threading.Event | None = None) -> Behaviour:
        """Answer every request ``how`` (see :func:`framed`), after ``ready`` when given."""

        def behaviour(conn: socket.socket, done: threading.Event) -> None:
            with self.lock:
                self.opened += 1
            with conn:
                for _ in requests_on(conn):
                    if ready is not None:
                        ready.wait(5)
                    conn.sendall(framed(PING, how))
                    if how == "until closed":
                        return
            with self.lock:
                self.hung_up += 1
                self.changed.notify_all()

        return behaviour

    def until_hung_up(self, count: int, within: float = 2.0) -> int:
        """How many connections the client closed, once ``count`` did or ``within`` seconds passed."""
        with self.lock:
            self.changed.wait_for(lambda: self.hung_up >= count, within)
            return self.hung_up


def test_requests_one_after_another_share_one_connection() -> None:
    accepted = Accepted()
    with fake_engine(accepted.serving("chunks")) as path:
        engine = UnixSocket(str(path), timeout=2, keep=4)
        answers = [engine.get(f"/v1.41/containers/web-{n}/json") for n in range(5)]
        engine.close()
    assert [(status, json.loads(body)) for status, _, body in answers] == [(200, {"ApiVersion": "1.41"})] * 5
    assert accepted.opened == 1


def test_an_answer_that_ends_with_the_connection_is_read_whole_and_the_next_request_reconnects() -> None:
    accepted = Accepted()
    with fake_engine(accepted.serving("until closed")) as path:
        engine = UnixSocket(str(path), timeout=2, keep=4)
        bodies = [engine.get("/version")[2] for _ in range(3)]
        engine.close()
    assert bodies == [PING] * 3
    assert accepted.opened == 3


def test_at_most_keep_connections_wait_for_the_next_request() -> None:
    accepted = Accepted()
    ready = threading.Event()
    with fake_engine(accepted.serving("length", ready)) as path:
        engine = UnixSocket(str(path), timeout=2, keep=2)
        with ThreadPoolExecutor(6) as pool:
            asked = [pool.submit(engine.get, "/version") for _ in range(6)]
            threading.Timer(0.2, ready.set).start()
            assert all(f.result()[0] == 200 for f in asked)
        assert len(engine.idle) == 2
        engine.close()
    assert accepted.opened == 6


def test_a_request_still_running_when_the_socket_closes_closes_its_connection_after() -> None:
    accepted = Accepted()
    ready = threading.Event()
    with fake_engine(accepted.serving("length", ready)) as path:
        engine = UnixSocket(str(path), timeout=2, keep=4)
        with ThreadPoolExecutor(1) as pool:
            running = pool.submit(engine.get, "/info")
            engine.close()
            ready.set()
            assert running.result()[2] == PING
        assert engine.idle == []
        assert accepted.until_hung_up(1) == 1


def test_a_header_line_without_end_is_refused() -> None:
    def endless_header(conn: socket.socket, done: threading.Event) -> None:
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 70000 + b"\r\n\r\n")

    with fake_engine(endless_header) as path:
        engine = UnixSocket(str(path), timeout=2, keep=4)
        with pytest.raises(BrokenAnswer, match="a line longer than 65536 bytes"):
            engine.get("/version")
        assert engine.idle == []
