"""The private Docker engine the docker tests run against, and a clean client environment.

The engine is started once per session (see :mod:`tests.docker.engine`) and stopped at the end,
even when tests fail. Tests never reach an engine they did not start: ``DOCKER_HOST``,
``DOCKER_CONTEXT``, ``DOCKER_CONFIG`` and ``HOME`` point into a temporary folder for each test.
The tests are skipped, with the reason, only when dockerd cannot start on this machine; set
``PARITY_REQUIRE_DOCKER=1`` to make that a failure instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from tests.docker.engine import (
    Certificates,
    EngineCannotStart,
    PrivateEngine,
    TcpListener,
    build_image,
    free_port,
    image_dockerfile,
    make_certificates,
    start_engine,
)
from tests.docker.swarm import SwarmEngine, start_swarm

T = TypeVar("T")
CLIENT_VARIABLES = ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.docker)


def started(start: Callable[[], T], cannot: type[Exception], what: str) -> T:
    """``start()``; when it raises ``cannot``, the test is skipped with the reason (a failure with
    ``PARITY_REQUIRE_DOCKER=1``)."""
    try:
        return start()
    except cannot as e:
        if os.environ.get("PARITY_REQUIRE_DOCKER") == "1":
            pytest.fail(f"{what} cannot start: {e}")
        pytest.skip(f"{what} cannot start: {e}")


def _started(tcp: TcpListener | None = None) -> PrivateEngine:
    return started(lambda: start_engine(tcp), EngineCannotStart, "the private Docker engine")


@pytest.fixture(scope="session")
def engine() -> Iterator[PrivateEngine]:
    started = _started()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certificates"))


@pytest.fixture(scope="session")
def tls_engine(certificates: Certificates) -> Iterator[PrivateEngine]:
    """A second engine that also listens on 127.0.0.1 over TLS with the test's certificates."""
    listener = TcpListener(
        f"127.0.0.1:{free_port()}",
        certificates["ca.pem"],
        certificates["server-cert.pem"],
        certificates["server-key.pem"],
    )
    started = _started(listener)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(autouse=True)
def clean_docker_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the developer's Docker settings; each gets an empty ``DOCKER_CONFIG``."""
    for name in CLIENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "docker-config"
    config.mkdir()
    monkeypatch.setenv("DOCKER_CONFIG", str(config))
    monkeypatch.setenv("HOME", str(tmp_path))
    return config


SHOP = Path(__file__).resolve().parent.parent / "data" / "docker" / "shop"


@pytest.fixture(scope="session")
def shop_images(engine: PrivateEngine) -> dict[str, str]:
    """The images the shop project runs, built ``FROM scratch`` with busybox; tag → id."""
    base = {"PATH": "/bin", "SHOP_HOME": "/srv", "LOG_LEVEL": "warn"}
    labels = {"org.opencontainers.image.vendor": "Example Shop"}
    return {
        "shop/web:1.4": build_image(engine, "shop/web:1.4", image_dockerfile(base, labels=labels)),
        "shop/worker:1.4": build_image(
            engine, "shop/worker:1.4", image_dockerfile(base, labels=labels, cmd=("sleep", "60"))
        ),
    }


@pytest.fixture(scope="session")
def shop(engine: PrivateEngine, shop_images: dict[str, str]) -> Path:
    """The shop project copied beside the engine and brought up with docker-compose."""
    folder = engine.root / "projects" / "shop"
    shutil.copytree(SHOP, folder)
    engine.compose("shop", [folder / "docker-compose.yml"], "up", "-d")
    return folder


@pytest.fixture
def on_engine(engine: PrivateEngine, monkeypatch: pytest.MonkeyPatch) -> PrivateEngine:
    """Make the private engine the current context (through ``DOCKER_HOST``)."""
    monkeypatch.setenv("DOCKER_HOST", engine.host)
    return engine


def _swarm_started() -> SwarmEngine:
    return started(start_swarm, EngineCannotStart, "a private Docker engine in swarm mode")


@pytest.fixture(scope="session")
def swarm() -> Iterator[SwarmEngine]:
    """A private engine in its own network namespace, manager of a one-node swarm, with the shop
    stack deployed from ``tests/data/docker/swarm/stack.yml``."""
    engine = _swarm_started()
    try:
        engine.deploy("shop", engine.stack_folder("shop") / "stack.yml")
        yield engine
    finally:
        engine.stop()
