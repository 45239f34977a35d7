"""``ssh://`` contexts, through a real sshd on 127.0.0.1 and the real ssh client (:mod:`tests.docker.sshd`).

parity reaches an SSH endpoint as the docker CLI does (docker/cli ``cli/connhelper``: ``ssh …
-- HOST docker system dial-stdio``, HTTP over the pipe). The key the tests log in with carries
``DOCKER_HOST`` in its ``authorized_keys`` options, so every session reaches the private engine
of the suite, or a fake one a test starts; never another engine.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from parity_gui.errors import DockerUnavailable
from parity_gui.sources.docker.ssh import _Complaint, parse_ssh_url
from parity_gui.sources.registry import load
from tests.docker.conftest import started
from tests.docker.engine import PrivateEngine, write_context
from tests.docker.fakes import ENDLESS_CHUNKS, engine_answering, fake_engine
from tests.docker.sshd import SSHDCannotStart, SSHServer, start_sshd
from tests.hostile.conftest import within_memory

WITHIN = 5.0


def _started(keys: dict[str, dict[str, str]]) -> SSHServer:
    return started(lambda: start_sshd(keys), SSHDCannotStart, "the private sshd")


@pytest.fixture(scope="session")
def sshd(engine: PrivateEngine) -> Iterator[SSHServer]:
    """sshd whose key ``engine`` logs in to sessions that reach the private engine."""
    server = _started({"engine": {"DOCKER_HOST": engine.host, "DOCKER_CONFIG": str(engine.config_dir)}})
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def remote(sshd: SSHServer, clean_docker_client: Path, monkeypatch: pytest.MonkeyPatch) -> SSHServer:
    """A context ``remote`` reaching the private engine over ssh, logging in with key ``engine``."""
    monkeypatch.setenv("PATH", f"{sshd.bin('engine')}:/usr/bin:/bin")
    write_context(clean_docker_client, "remote", sshd.url(), description="the build host, over ssh")
    return sshd


def leaves(spec: str) -> dict[tuple[str, ...], object]:
    return dict(load(spec).leaves())


def test_an_ssh_context_reads_the_same_project_as_the_engine_socket(
    remote: SSHServer, engine: PrivateEngine, shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    over_ssh = load("docker://remote/shop")
    monkeypatch.setenv("DOCKER_HOST", engine.host)
    assert dict(over_ssh.leaves()) == leaves("docker://default/shop")
    assert over_ssh.get(("services", "web", "image", "tag")) == "1.4"
    origin = over_ssh.origin(("engine", "api_version"))
    assert origin is not None and origin.context == "remote"


def test_an_ssh_context_names_the_socket_path_on_the_remote_host(
    remote: SSHServer, engine: PrivateEngine, clean_docker_client: Path
) -> None:
    write_context(clean_docker_client, "by-path", remote.url(str(engine.socket)))
    assert load("docker://by-path").get(("engine", "os")) == "linux"


def test_a_key_the_server_does_not_know_is_refused_with_what_ssh_said(
    remote: SSHServer, clean_docker_client: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stranger = tmp_path / "bin"
    stranger.mkdir()
    (stranger / "ssh").write_text(f'#!/bin/sh\nexec /usr/bin/ssh -F {remote.root / "ssh_config"} -i /dev/null "$@"\n')
    (stranger / "ssh").chmod(0o755)
    monkeypatch.setenv("PATH", f"{stranger}:/usr/bin:/bin")
    began = time.monotonic()
    with pytest.raises(DockerUnavailable) as caught:
        load("docker://remote")
    assert str(caught.value).startswith(
        f"context 'remote' ({remote.url()}, chosen by the spec docker://remote): "
        "cannot reach the engine over ssh: ssh exited with status 255: "
    )
    assert "Permission denied (publickey)" in str(caught.value)
    assert time.monotonic() - began < WITHIN


def test_a_remote_docker_that_cannot_reach_its_engine_is_reported(
    remote: SSHServer, clean_docker_client: Path, tmp_path: Path
) -> None:
    write_context(clean_docker_client, "no-engine", remote.url(f"{tmp_path}/missing.sock"))
    with pytest.raises(DockerUnavailable) as caught:
        load("docker://no-engine")
    message = str(caught.value)
    assert message.startswith(f"context 'no-engine' ({remote.url(f'{tmp_path}/missing.sock')}, chosen by")
    assert "cannot reach the engine over ssh: ssh exited with status 1: " in message
    assert f"{tmp_path}/missing.sock" in message.split("status 1: ")[1]


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("ssh://deploy:hunter2@127.0.0.1", "a password in an ssh:// address is not supported; use a key"),
        ("ssh://127.0.0.1:70000", "the port in 'ssh://127.0.0.1:70000' is not a number from 1 to 65535"),
        ("ssh://127.0.0.1/run/docker.sock;reboot", "the socket path '/run/docker.sock;reboot' may hold only"),
        ("ssh://-oProxyCommand=id", "'ssh://-oProxyCommand=id' names no host"),
    ],
)
def test_an_ssh_address_parity_cannot_use_safely_is_refused_before_running_ssh(
    address: str, reason: str, clean_docker_client: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no ssh at all: nothing may be run
    write_context(clean_docker_client, "odd", address)
    with pytest.raises(DockerUnavailable) as caught:
        load("docker://odd")
    assert str(caught.value).startswith(f"context 'odd' ({address}, chosen by the spec docker://odd): {reason}")


def test_the_byte_cap_holds_over_ssh(clean_docker_client: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with fake_engine(engine_answering({"/version": ENDLESS_CHUNKS})) as path:
        server = _started({"fake": {"DOCKER_HOST": f"unix://{path}"}})
        try:
            monkeypatch.setenv("PATH", f"{server.bin('fake')}:/usr/bin:/bin")
            write_context(clean_docker_client, "endless", server.url())
            began = time.monotonic()
            failed = within_memory(lambda: _failure("docker://endless"))
        finally:
            server.stop()
    assert failed.endswith("the engine's answer is too large: an answer larger than 32 MB (the cap per answer; "
                           "set PARITY_DOCKER_ANSWER_MB to raise it)")
    assert time.monotonic() - began < WITHIN


def _failure(spec: str) -> str:
    with pytest.raises(DockerUnavailable) as caught:
        load(spec)
    return str(caught.value)


def test_the_address_patterns_stay_linear_on_long_hostile_addresses() -> None:
    """The socket-path pattern and the control-character filter over 200,000 characters."""
    hostile = [
        "ssh://build-1/" + "a/" * 100_000 + ";",
        "ssh://build-1/" + "-" * 199_999 + "$",
        "ssh://" + "@" * 200_000,
    ]
    for address in hostile:
        began = time.monotonic()
        with pytest.raises(ValueError, match=r"may hold only|names no host"):
            parse_ssh_url(address)
        assert time.monotonic() - began < 0.5
    complaint = _Complaint(io.BytesIO(b"\x1b[31m" * 40_000 + b"\nPermission denied\x07\n"))
    complaint.join(5)
    assert complaint.last_line() == "Permission denied?"
