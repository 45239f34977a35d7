"""Engines that are missing, mute, slow, refuse us or are mis-named: a clear error, in time.

A real engine cannot be made to accept a request and never answer, trickle its answer a byte at
a time, cut an answer short or frame it every way HTTP allows, so those faults use a small fake
socket server (:mod:`tests.docker.fakes`); everything else is real.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from parity_gui.errors import Cancelled, DockerUnavailable
from parity_gui.sources.docker.engine import load_docker
from parity_gui.sources.registry import load
from tests.conftest import REPO
from tests.docker.engine import PrivateEngine, free_port, write_context
from tests.docker.fakes import Behaviour, fake_engine, framed, requests_on

WITHIN = 5.0


def never_answers(conn: socket.socket, done: threading.Event) -> None:
    with conn:
        conn.recv(65536)
        done.wait(30)


def trickles(conn: socket.socket, done: threading.Event) -> None:
    """Answer one byte at a time, a few per second: every read succeeds, the answer never ends."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    body = b'{"ApiVersion": "1.41", "Version": "' + b"9" * 100000
    with conn:
        conn.recv(65536)
        for byte in head + body:
            if done.wait(0.25):
                return
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                return


ANSWERS = {
    "/version": (b'{"Version": "20.10.24", "ApiVersion": "1.41", "Os": "linux", "Arch": "amd64"}', "length"),
    "/containers/json?all=1": (b"[]", "chunks"),
    "/v1.41/info": (b'{"ID": "FAKE", "OperatingSystem": "Debian GNU/Linux 12", "Driver": "vfs"}', "until closed"),
    "/v1.41/networks": (b'[{"Name": "backend", "Id": "n1", "Driver": "bridge", "Internal": true}]', "chunks"),
    "/v1.41/volumes": (b'{"Volumes": [{"Name": "pgdata", "Driver": "local"}]}', "length"),
}


def answers_in_every_framing(conn: socket.socket, done: threading.Event) -> None:
    with conn:
        for path in requests_on(conn):
            body, how = ANSWERS[path]
            conn.sendall(framed(body, how))
            if how == "until closed":
                return


def hangs_up_mid_answer(conn: socket.socket, done: threading.Event) -> None:
    with conn:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"ApiVersion\": ")


def speaks_another_protocol(conn: socket.socket, done: threading.Event) -> None:
    with conn:
        conn.recv(65536)
        conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")


def fails_inside(conn: socket.socket, done: threading.Event) -> None:
    body = b'{"message": "write /var/lib/docker/engine.db: no space left on device"}\n'
    with conn:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))


def test_answers_by_length_in_chunks_and_until_the_connection_ends_are_all_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with fake_engine(answers_in_every_framing) as path:
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        live = load_docker("docker://", "engine")
    assert live.get(("engine", "version")) == "20.10.24"
    assert live.get(("engine", "operating_system")) == "Debian GNU/Linux 12"
    assert live.get(("networks", "backend")) == {"internal": True}
    assert live.get(("volumes", "pgdata")) == {}


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        (hangs_up_mid_answer, "the engine's answer could not be read: the engine's answer ended early"),
        (speaks_another_protocol, "the engine's answer could not be read: not an HTTP answer: b'SSH-2.0-OpenSSH_9.2p1"),
        (fails_inside, "GET /version failed: write /var/lib/docker/engine.db: no space left on device"),
    ],
)
def test_an_answer_that_is_cut_short_not_http_or_an_error_is_reported_with_the_engine(
    behaviour: Behaviour, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fake_engine(behaviour) as path:
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        message, took = failure("docker://")
    assert message.startswith(f"context 'default' (unix://{path}, chosen by DOCKER_HOST): {reason}")
    assert took < WITHIN


def failure(spec: str) -> tuple[str, float]:
    began = time.monotonic()
    with pytest.raises(DockerUnavailable) as caught:
        load(spec)
    return str(caught.value), time.monotonic() - began


def test_no_socket_names_the_context_the_endpoint_and_docker_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/missing.sock")
    message, took = failure("docker://")
    assert message == (
        f"context 'default' (unix://{tmp_path}/missing.sock, chosen by DOCKER_HOST): "
        "cannot reach the engine: No such file or directory"
    )
    assert took < WITHIN


def test_a_tcp_port_nobody_listens_on_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    host = f"tcp://127.0.0.1:{free_port()}"
    monkeypatch.setenv("DOCKER_HOST", host)
    message, took = failure("docker://")
    assert message == (
        f"context 'default' ({host}, chosen by DOCKER_HOST): cannot reach the engine: Connection refused"
    )
    assert took < WITHIN


def test_a_socket_that_accepts_and_never_answers_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    with fake_engine(never_answers) as path:
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        message, took = failure("docker://")
    assert message.startswith(f"context 'default' (unix://{path}, chosen by DOCKER_HOST): ")
    assert "within 4s" in message
    assert took < WITHIN


def test_an_engine_trickling_a_byte_at_a_time_is_stopped_by_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with fake_engine(trickles) as path:
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        message, took = failure("docker://")
    assert message == (
        f"context 'default' (unix://{path}, chosen by DOCKER_HOST): GET /version got no complete answer within 4s"
    )
    assert took < WITHIN


def test_a_load_can_be_cancelled_while_the_engine_trickles(monkeypatch: pytest.MonkeyPatch) -> None:
    cancel = threading.Event()
    with fake_engine(trickles) as path:
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        threading.Timer(0.3, cancel.set).start()
        began = time.monotonic()
        with pytest.raises(Cancelled, match="loading docker:// was cancelled"):
            load_docker("docker://", "engine", cancel=cancel)
    assert time.monotonic() - began < 1.5


def test_permission_denied_on_the_socket_is_reported(engine: PrivateEngine) -> None:
    script = (
        "from parity_gui.sources.registry import load\n"
        "from parity_gui.errors import DockerUnavailable\n"
        "try:\n    load('docker://')\n"
        "except DockerUnavailable as e:\n    print(e)\n"
    )
    unprivileged = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    done = subprocess.run(
        [*unprivileged, sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={"DOCKER_HOST": engine.host, "HOME": "/nonexistent", "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip() == (
        f"context 'default' ({engine.host}, chosen by DOCKER_HOST): cannot reach the engine: Permission denied"
    ), done.stderr


def test_a_context_name_that_does_not_exist_is_an_error_not_the_local_socket(
    clean_docker_client: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_CONTEXT", "staging")
    message, took = failure("docker://")
    assert "Docker context 'staging' (chosen by DOCKER_CONTEXT) does not exist" in message
    assert took < WITHIN


def test_a_corrupt_context_is_an_error_naming_its_file(clean_docker_client: Path) -> None:
    meta = write_context(clean_docker_client, "prod", "tcp://10.1.2.3:2376")
    meta.write_text('{"Name": "prod", "Endpoints": ')
    with pytest.raises(DockerUnavailable) as caught:
        load("docker://prod/shop")
    assert caught.value.file == str(meta)
    assert "chosen by the spec docker://prod" in str(caught.value)


def test_a_project_that_is_not_on_the_engine_lists_the_ones_that_are(on_engine: PrivateEngine, shop: Path) -> None:
    with pytest.raises(Exception, match=r"no container of compose project 'shoop' \(projects there: .*shop"):
        load("docker://default/shoop")
