"""A named context over TCP with TLS: a second engine on 127.0.0.1, certificates made by the test."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from parity_gui.errors import DockerUnavailable
from parity_gui.sources.registry import load
from tests.docker.engine import Certificates, PrivateEngine, write_context


def tcp_host(engine: PrivateEngine) -> str:
    assert engine.tcp is not None
    return f"tcp://{engine.tcp.address}"


def pem(certificates: Certificates, **files: str) -> dict[str, str]:
    """Context TLS files (``ca.pem``…) from generated ones: ``ca="ca.pem"`` etc."""
    return {f"{role}.pem": certificates[name].read_text() for role, name in files.items()}


@pytest.fixture(autouse=True)
def system_ca_bundle(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on many machines, point ``requests`` at the system CAs: a context's CA must still win."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")


def test_a_tls_context_with_client_certificates_reaches_the_engine(
    tls_engine: PrivateEngine, certificates: Certificates, clean_docker_client: Path
) -> None:
    tls = pem(certificates, ca="ca.pem", cert="client-cert.pem", key="client-key.pem")
    write_context(clean_docker_client, "staging", tcp_host(tls_engine), tls=tls)
    live = load("docker://staging")
    assert live.get(("engine", "api_version")) == "1.41"
    origin = live.origin(("engine", "api_version"))
    assert origin is not None and origin.context == "staging"


def test_a_context_with_only_a_ca_keeps_tls_and_verifies_the_server(
    tls_engine: PrivateEngine, certificates: Certificates, clean_docker_client: Path
) -> None:
    write_context(clean_docker_client, "ci", tcp_host(tls_engine), tls=pem(certificates, ca="ca.pem"))
    assert load("docker://ci").get(("engine", "os")) == "linux"


def test_a_server_signed_by_another_ca_is_refused(
    tls_engine: PrivateEngine, certificates: Certificates, clean_docker_client: Path
) -> None:
    write_context(clean_docker_client, "imposter", tcp_host(tls_engine), tls=pem(certificates, ca="other-ca.pem"))
    began = time.monotonic()
    with pytest.raises(DockerUnavailable) as caught:
        load("docker://imposter")
    message = str(caught.value)
    assert message.startswith(
        f"context 'imposter' ({tcp_host(tls_engine)}, chosen by the spec docker://imposter): TLS handshake failed"
    )
    assert "certificate verify failed" in message
    assert time.monotonic() - began < 5


def test_plain_http_to_a_tls_port_is_an_error_not_a_silent_downgrade(
    tls_engine: PrivateEngine, clean_docker_client: Path
) -> None:
    write_context(clean_docker_client, "plain", tcp_host(tls_engine))
    with pytest.raises(DockerUnavailable, match="context 'plain'"):
        load("docker://plain")
