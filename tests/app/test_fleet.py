"""Fleets without an engine: what ``docker://*/NAME`` stands for, and engines that all fail.

The contexts point at unix sockets nobody listens on (a temporary folder), so no Docker engine is
ever reached; the fleets that compare real engines are in ``tests/docker/test_swarm_fleet.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.app import fleet
from parity_gui.app.compare import request_for, run
from parity_gui.errors import DockerUnavailable, OptionsError
from tests.docker.engine import write_context


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "docker-config"
    folder.mkdir()
    for name in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(folder))
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("prod-eu", "prod-us", "edge"):
        write_context(folder, name, f"unix://{tmp_path}/{name}.sock", description=f"{name} engine")
    return folder


def test_a_wildcard_stands_for_every_stored_context_in_name_order(config: Path) -> None:
    specs, optional = fleet.expand(["stack.yml", "docker://*/shop"])
    assert specs == ("stack.yml", "docker://edge/shop", "docker://prod-eu/shop", "docker://prod-us/shop")
    assert optional == frozenset({1, 2, 3})


def test_a_wildcard_alone_is_enough_for_a_comparison(config: Path) -> None:
    assert len(request_for(["docker://*/shop"], cwd=config).specs) == 3


@pytest.mark.parametrize("spec", ["docker://*/", "docker://*/shop/web"])
def test_a_wildcard_needs_one_name(config: Path, spec: str) -> None:
    with pytest.raises(OptionsError, match=r"write docker://\*/NAME"):
        fleet.expand([spec])


def test_two_engines_make_a_fleet_one_does_not() -> None:
    assert fleet.is_fleet(["docker://a/shop", "docker://b/shop"])
    assert fleet.is_fleet(["stack.yml", "docker://a/shop", "docker://b/shop"])
    assert not fleet.is_fleet(["stack.yml", "docker://a/shop"])


def test_a_fleet_of_which_nothing_loads_is_the_first_engine_error(config: Path) -> None:
    with pytest.raises(DockerUnavailable, match="context 'edge'"):
        run(request_for(["docker://*/shop"], cwd=config))
