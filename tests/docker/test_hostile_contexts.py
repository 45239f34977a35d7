"""Context files that are devices, pipes or nonsense: an error at once, never a read without end
and never a silent fall-back to another engine.

The docker CLI's context store and ``config.json`` are laid out as ``docker context create``
writes them (docker/cli ``cli/context/store``: ``contexts/meta/<sha256(name)>/meta.json``,
``contexts/tls/<sha256(name)>/docker/{ca,cert,key}.pem``). The docker CLI warns about an
unreadable ``config.json`` and goes on with the default engine; parity refuses instead (see
the README's live Docker section).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from parity_gui.errors import DockerUnavailable
from parity_gui.sources.docker.contexts import context_hash
from parity_gui.sources.registry import load
from tests.docker.engine import PrivateEngine, write_context

WITHIN = 5.0
NOT_REGULAR = "is not a regular file (a pipe, socket or device); refusing to read it"


def failure_in_time(spec: str) -> str:
    """The error loading ``spec``; fails the test when loading takes more than :data:`WITHIN`."""
    outcome: dict[str, BaseException] = {}

    def attempt() -> None:
        try:
            load(spec)
        except BaseException as e:  # handed to the test below
            outcome["error"] = e

    began = time.monotonic()
    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(WITHIN)
    assert not worker.is_alive(), f"loading {spec} still runs after {WITHIN:g}s"
    assert time.monotonic() - began < WITHIN
    error = outcome.get("error")
    assert isinstance(error, DockerUnavailable), error
    return str(error)


def to_dev_zero(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


def to_fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def to_folder(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.mkdir()


@pytest.mark.parametrize("make", [to_dev_zero, to_fifo], ids=["link to /dev/zero", "fifo"])
def test_a_context_file_that_is_a_device_or_a_pipe_is_refused_at_once(
    make: Callable[[Path], None], clean_docker_client: Path
) -> None:
    meta = write_context(clean_docker_client, "prod", "tcp://10.1.2.3:2376")
    make(meta)
    assert failure_in_time("docker://prod/shop") == (
        f"{meta}: cannot read a Docker context (chosen by the spec docker://prod): {NOT_REGULAR}"
    )


@pytest.mark.parametrize(
    ("make", "reason"),
    [(to_dev_zero, NOT_REGULAR), (to_fifo, NOT_REGULAR), (to_folder, "is a folder, not a file")],
    ids=["link to /dev/zero", "fifo", "folder"],
)
def test_a_config_json_that_cannot_be_read_is_an_error_not_the_default_engine(
    make: Callable[[Path], None], reason: str, clean_docker_client: Path
) -> None:
    config = clean_docker_client / "config.json"
    make(config)
    assert failure_in_time("docker://") == f"{config}: cannot read the docker CLI configuration: {reason}"


@pytest.mark.parametrize(
    ("current", "shown"),
    [(5, "5 (a number)"), (["prod"], '["prod"] (an array)'), ({"Name": "prod"}, '{"Name": "prod"} (an object)'),
     (True, "true (a boolean)")],
    ids=["number", "array", "object", "boolean"],
)
def test_a_current_context_that_is_not_a_name_is_an_error_not_the_default_engine(
    current: object, shown: str, clean_docker_client: Path
) -> None:
    config = clean_docker_client / "config.json"
    config.write_text(json.dumps({"auths": {}, "currentContext": current}, indent="\t"))
    assert failure_in_time("docker://") == (
        f"{config}: currentContext is {shown}, not a context name; parity will not guess which engine was "
        "meant (fix it, or set DOCKER_CONTEXT)"
    )


def test_an_empty_current_context_is_the_default_engine_as_for_the_docker_cli(
    engine: PrivateEngine, clean_docker_client: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_docker_client / "config.json").write_text('{"currentContext": ""}')
    write_context(clean_docker_client, "default-like", engine.host)
    monkeypatch.setenv("DOCKER_CONTEXT", "default-like")
    assert load("docker://").get(("engine", "os")) == "linux"


@pytest.mark.parametrize("make", [to_dev_zero, to_fifo], ids=["link to /dev/zero", "fifo"])
def test_a_tls_file_that_is_a_device_or_a_pipe_is_refused(
    make: Callable[[Path], None], clean_docker_client: Path
) -> None:
    tls = {"ca.pem": "-----BEGIN CERTIFICATE-----\n"}
    write_context(clean_docker_client, "secure", "tcp://10.1.2.3:2376", tls=tls)
    ca = clean_docker_client / "contexts" / "tls" / context_hash("secure") / "docker" / "ca.pem"
    make(ca)
    assert failure_in_time("docker://secure") == f"{ca}: cannot use TLS file: {NOT_REGULAR}"


@pytest.mark.parametrize("port", ["99999", "0", "http"])
def test_a_tcp_port_out_of_range_is_an_error_naming_the_context(port: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"tcp://127.0.0.1:{port}")
    assert failure_in_time("docker://") == (
        f"context 'default' (tcp://127.0.0.1:{port}, chosen by DOCKER_HOST): "
        "not an engine address: the port must be a number from 1 to 65535"
    )


def test_a_stored_context_with_a_port_out_of_range_is_an_error_naming_it(clean_docker_client: Path) -> None:
    write_context(clean_docker_client, "typo", "tcp://10.1.2.3:237600")
    assert failure_in_time("docker://typo").startswith(
        "context 'typo' (tcp://10.1.2.3:237600, chosen by the spec docker://typo): not an engine address"
    )
