"""Engines that answer too much, too deep or the wrong shape: a one-line error naming the engine.

A real dockerd cannot be made to send a body of 10 GB, chunks without end, a chunk size of
twenty hexadecimal digits or a ``/version`` that is a list, so these use the fake socket server
(:mod:`tests.docker.fakes`): on a unix socket and plain TCP (read by parity itself) and on TCP
with TLS (read by docker-py). Each load also stays under the hostile suite's memory ceiling.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping

import pytest

from parity_gui.errors import DockerUnavailable, SourceError
from parity_gui.sources.docker.engine import MAX_CONTAINERS, load_docker, max_containers
from parity_gui.sources.docker.socket import Allowance
from tests.docker.engine import Certificates
from tests.docker.fakes import (
    ENDLESS_CHUNKS,
    TEN_GIGABYTES_DECLARED,
    TEN_GIGABYTES_UNTIL_CLOSED,
    Answer,
    body,
    chunk_size,
    engine_answering,
    fake_engine,
    fake_tcp_engine,
    inspect_of,
    listing_of,
)
from tests.hostile.conftest import within_memory

WITHIN = 5.0
def failure(
    host: str, monkeypatch: pytest.MonkeyPatch, expected: type[SourceError] = DockerUnavailable
) -> tuple[str, float]:
    """The error loading ``docker://`` on ``host`` (under the memory ceiling) and how long it took."""
    monkeypatch.setenv("DOCKER_HOST", host)
    began = time.monotonic()

    def attempt() -> str:
        with pytest.raises(expected) as caught:
            load_docker("docker://", "engine")
        return str(caught.value)

    message = within_memory(attempt)
    return message, time.monotonic() - began


def on_unix(
    changed: Mapping[str, Answer], monkeypatch: pytest.MonkeyPatch, expected: type[SourceError] = DockerUnavailable
) -> tuple[str, str, float]:
    with fake_engine(engine_answering(changed)) as path:
        host = f"unix://{path}"
        message, took = failure(host, monkeypatch, expected)
    return host, message, took


def on_tcp(changed: Mapping[str, Answer], monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, float]:
    with fake_tcp_engine(engine_answering(changed)) as host:
        message, took = failure(host, monkeypatch)
    return host, message, took


PER_ANSWER = "an answer larger than 32 MB (the cap per answer; set PARITY_DOCKER_ANSWER_MB to raise it)"


def on_tls(
    changed: Mapping[str, Answer], monkeypatch: pytest.MonkeyPatch, certificates: Certificates
) -> tuple[str, str, float]:
    """On TCP with TLS (read by docker-py), verified against the test CA."""
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(certificates["server-cert.pem"], certificates["server-key.pem"])
    monkeypatch.setenv("DOCKER_TLS_VERIFY", "1")
    monkeypatch.setenv("DOCKER_CERT_PATH", str(certificates.folder))
    with fake_tcp_engine(engine_answering(changed), tls=server) as host:
        message, took = failure(host, monkeypatch)
    return host, message, took


@pytest.mark.parametrize("on", ["unix socket", "tcp", "tls"])
@pytest.mark.parametrize(
    "answer",
    [TEN_GIGABYTES_DECLARED, TEN_GIGABYTES_UNTIL_CLOSED, ENDLESS_CHUNKS],
    ids=["10 GB by length", "10 GB until closed", "endless chunks"],
)
def test_an_answer_over_the_cap_is_refused_in_time_and_memory(
    on: str, answer: Answer, monkeypatch: pytest.MonkeyPatch, certificates: Certificates
) -> None:
    changed = {"/version": answer}
    if on == "tls":
        host, message, took = on_tls(changed, monkeypatch, certificates)
    else:
        host, message, took = (on_unix if on == "unix socket" else on_tcp)(changed, monkeypatch)
    too_large = f"the engine's answer is too large: {PER_ANSWER}"
    assert message == f"context 'default' ({host}, chosen by DOCKER_HOST): {too_large}"
    assert took < WITHIN


def test_all_the_answers_of_a_load_are_capped_together(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARITY_DOCKER_ANSWER_MB", "2")
    monkeypatch.setenv("PARITY_DOCKER_LOAD_MB", "6")
    listed = listing_of(12)
    _, message, took = on_unix(
        {"/containers/json?all=1": body(listed), "/v1.41/containers/": inspect_of(1.5)}, monkeypatch
    )
    assert message.endswith(
        "the engine's answer is too large: the answers passed 6 MB in all (the cap per load; "
        "set PARITY_DOCKER_LOAD_MB to raise it)"
    )
    assert took < WITHIN


@pytest.mark.parametrize("on", [on_unix, on_tcp], ids=["unix socket", "tcp"])
@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b"f" * 20, "the engine's answer is too large: a chunk size of 20 digits, far over the cap per answer"),
        (b"7fffffff", f"the engine's answer is too large: {PER_ANSWER}"),
        (b"0xfff", "the engine's answer could not be read: a chunk size that is not a hexadecimal number: '0xfff'"),
        (b"-1", "the engine's answer could not be read: a chunk size that is not a hexadecimal number: '-1'"),
        (b"", "the engine's answer could not be read: a chunk size that is not a hexadecimal number: ''"),
    ],
)
def test_a_chunk_size_that_is_huge_or_not_a_number_is_a_clear_error(
    on: Callable[..., tuple[str, str, float]], line: bytes, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP/1.1 (RFC 9112, section 7.1): ``chunk-size = 1*HEXDIG``; no sign, no ``0x``."""
    host, message, took = on({"/version": chunk_size(line)}, monkeypatch)
    assert message == f"context 'default' ({host}, chosen by DOCKER_HOST): {reason}"
    assert took < WITHIN


@pytest.mark.parametrize(
    ("path", "answer", "reason"),
    [
        ("/version", b'[{"Version": "20.10.24"}]', "/version answered an array, not an object"),
        ("/version", b'"20.10.24"', "/version answered a string, not an object"),
        ("/containers/json?all=1", b'{"Id": "c1"}', "/containers/json answered an object, not an array"),
        ("/v1.41/info", b"null", "the answer is null"),
        ("/version", b'{"ApiVersion": "1.41", "Components": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
         "the answer nests deeper than 64 levels"),
    ],
    ids=["version list", "version string", "list object", "info null", "nested 200000"],
)
def test_an_answer_of_the_wrong_kind_or_too_deep_names_the_engine(
    path: str, answer: bytes, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, message, took = on_unix({path: body(answer)}, monkeypatch)
    assert message == (
        f"context 'default' ({host}, chosen by DOCKER_HOST): the engine's answer could not be read: {reason}"
    )
    assert took < WITHIN


def test_an_inspect_whose_parts_have_the_wrong_shape_names_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    listed = b'[{"Id": "c1", "Names": ["/web-1"], "Labels": {"com.docker.compose.service": "web"}}]'
    inspected = b'{"Id": "c1", "Name": "/web-1", "Config": "not an object", "HostConfig": []}'
    host, message, _ = on_unix({"/containers/json?all=1": body(listed), "/v1.41/containers/": body(inspected)},
                               monkeypatch)
    assert message.startswith(
        f"context 'default' ({host}, chosen by DOCKER_HOST): "
        "the engine's answers are not shaped as the Docker API documents ("
    )
    assert "\n" not in message


@pytest.mark.parametrize(
    ("path", "answer"),
    [
        ("/version", b'{"ApiVersion": "1.41", "Version": ' + b"[" * 100 + b"]" * 100 + b"}"),
        ("/v1.41/volumes", b'{"Volumes": [{"Name": "pgdata", "Options": {"o": ' + b"[" * 500 + b"]" * 500 + b"}}]}"),
    ],
    ids=["engine version", "volume options"],
)
def test_a_value_nested_deeper_than_parity_reads_names_the_engine(
    path: str, answer: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, message, took = on_unix({path: body(answer)}, monkeypatch)
    assert message == (
        f"context 'default' ({host}, chosen by DOCKER_HOST): the engine's answers nest deeper than 64 levels; "
        "parity reads at most that many"
    )
    assert took < WITHIN


def test_answers_of_many_tiny_values_are_capped_before_they_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """12 MB of ``[],`` would be 4 million lists, about 250 MB once parsed."""
    monkeypatch.setenv("PARITY_DOCKER_LOAD_MB", "16")
    listed = b'[{"Id": "c1", "Names": ["/web-1"]}]'
    _, message, took = on_unix(
        {"/containers/json?all=1": body(listed), "/v1.41/containers/": inspect_of(12, b"[]")}, monkeypatch
    )
    assert message.endswith(
        "the engine's answer is too large: the answers hold more than 1,048,576 JSON values in all "
        "(the cap per load; set PARITY_DOCKER_LOAD_MB to raise it)"
    )
    assert took < WITHIN


@pytest.mark.parametrize("version", ['"1.41/../../containers/json?"', '"1.41\\r\\nX-Injected: yes"', "[1, 41]", '"9" '])
def test_an_api_version_that_is_not_a_version_number_names_the_engine(
    version: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's ApiVersion becomes part of every later request's path: only ``N.N`` is used."""
    answer = b'{"Version": "20.10.24", "ApiVersion": %s}' % version.encode()
    host, message, took = on_unix({"/version": body(answer)}, monkeypatch)
    assert message.startswith(
        f"context 'default' ({host}, chosen by DOCKER_HOST): the engine's answers are not shaped as the Docker "
        "API documents (ValueError: ApiVersion "
    )
    assert message.endswith(" is not a version number)")
    assert took < WITHIN


@pytest.mark.parametrize("setting", ["0", "-5", "12.5", "٣", "9" * 5000, "1000000"])
def test_a_cap_setting_that_is_not_a_whole_number_of_megabytes_keeps_the_default(
    setting: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARITY_DOCKER_ANSWER_MB", setting)
    monkeypatch.setenv("PARITY_DOCKER_LOAD_MB", "48")
    allowance = Allowance.from_environment()
    assert (allowance.per_answer, allowance.per_load) == (32 * 2**20, 48 * 2**20)


def test_an_engine_listing_200_000_containers_is_refused_after_the_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 18: 200,000 listed containers took 63 s to inspect; the cap refuses them at once."""
    asked: list[str] = []
    inspect = inspect_of(0.001)

    def counted(conn: socket.socket, done: threading.Event) -> None:
        asked.append("inspect")
        inspect(conn, done)

    changed = {"/containers/json?all=1": body(listing_of(200_000)), "/v1.41/containers/": counted}
    host, message, took = on_unix(changed, monkeypatch, SourceError)
    assert message == (
        f"context 'default' ({host}, chosen by DOCKER_HOST): the engine lists 200,000 containers, more than "
        "the 20,000 one load reads; name one compose project (docker://CONTEXT/PROJECT) or set "
        "PARITY_DOCKER_MAX_CONTAINERS"
    )
    assert "\n" not in message
    assert asked == []
    assert took < WITHIN


def test_the_container_cap_can_be_raised_and_a_list_at_the_cap_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARITY_DOCKER_MAX_CONTAINERS", "3")
    changed = {"/containers/json?all=1": body(listing_of(3)), "/v1.41/containers/": inspect_of(0.001)}
    with fake_engine(engine_answering(changed)) as path:
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        assert load_docker("docker://", "engine").tree["services"]
        monkeypatch.setenv("PARITY_DOCKER_MAX_CONTAINERS", "2")
        with pytest.raises(SourceError, match="lists 3 containers, more than the 2 one load reads"):
            load_docker("docker://", "engine")


@pytest.mark.parametrize("setting", ["0", "-5", "12.5", "٣", "9" * 5000, ""])
def test_a_container_cap_setting_that_is_not_a_positive_whole_number_keeps_the_default(
    setting: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARITY_DOCKER_MAX_CONTAINERS", setting)
    assert max_containers() == MAX_CONTAINERS == 20_000
