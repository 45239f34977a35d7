"""What an engine answered for a compose service on a bridge network, read into the tree.

The private engine of the test suite has no bridge, so ports, networks and aliases cannot be
produced there; ``tests/data/docker/recorded`` holds the inspect answers for such a service and
the compose file that created it. Reading both must meet in the same canonical form.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parity_gui.core.pointer import PathGlob, to_pointer
from parity_gui.core.tree import MISSING, Environment
from parity_gui.engine.compare import compare
from parity_gui.sources.docker.tree import EngineSnapshot, build_environment
from parity_gui.sources.registry import load

RECORDED = Path(__file__).resolve().parent.parent / "data" / "docker" / "recorded"
IMAGE_ID = "sha256:7e3f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7"


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text())


def snapshot(project: str | None = "shop", container: dict[str, Any] | None = None) -> EngineSnapshot:
    return EngineSnapshot(
        context="laptop",
        project=project,
        version={"Version": "24.0.7", "ApiVersion": "1.43", "Os": "linux", "Arch": "amd64"},
        info={"ID": "ENGINE", "Driver": "overlay2", "CgroupDriver": "systemd", "CgroupVersion": "2"},
        containers=[container or recorded("shop_api_1.json")],
        images={IMAGE_ID: recorded("image.json")},
        networks=recorded("networks.json"),
        volumes=recorded("volumes.json"),
    )


@pytest.fixture
def live() -> Environment:
    return build_environment(snapshot(), "live", "docker://laptop/shop")


def test_the_compose_file_and_the_container_it_created_compare_equal(live: Environment) -> None:
    files = load(str(RECORDED / "docker-compose.yml"), "file")
    state = PathGlob("/services/*/state")
    found = [(to_pointer(d.path), d.values) for d in compare(files, live).drifts if not state.matches(d.path)]
    assert found == []


def test_port_bindings_read_as_compose_writes_them(live: Environment) -> None:
    assert live.get(("services", "api", "ports")) == {"80/tcp": ["127.0.0.1:8080"], "9090/tcp": ["(random)"]}
    assert live.get(("services", "api", "expose")) == {"7000/tcp": "7000/tcp"}


def test_networks_lose_the_project_prefix_and_the_implied_aliases(live: Environment) -> None:
    assert live.get(("services", "api", "networks")) == {
        "backend": {"aliases": {"api.internal": "api.internal"}},
        "default": {},
    }
    assert live.get(("networks",)) == {"backend": {"internal": True}}


def test_volumes_by_target_with_project_relative_bind_sources(live: Environment) -> None:
    assert live.get(("services", "api", "volumes")) == {
        "/srv/static": {"type": "bind", "source": "./static", "read_only": True},
        "/var/cache/api": {"type": "volume", "source": "cache", "read_only": False},
        "/run": {"type": "tmpfs", "read_only": False, "tmpfs": {"size": 64 * 1024 * 1024}},
    }
    assert live.get(("volumes",)) == {"cache": {}}


def test_the_image_s_own_settings_live_under_images(live: Environment) -> None:
    service = live.get(("services", "api"))
    assert service["environment"] == {"API_WORKERS": "4", "SHOP_DB": "postgres://shop:devpass@db/shop"}
    assert "entrypoint" not in service and "working_dir" not in service and "labels" not in service
    image = live.get(("images", "registry.example.com/shop/api:2.3.1"))
    assert image["env"]["API_WORKERS"] == "2"
    assert image["entrypoint"] == ["/usr/local/bin/api"]
    assert image["digest"].startswith("sha256:9a8b7c6d")


def test_the_digest_an_unpinned_tag_resolved_to_is_recorded(live: Environment) -> None:
    assert live.get(("services", "api", "image")) == {
        "registry": "registry.example.com",
        "repository": "shop/api",
        "tag": "2.3.1",
        "digest": "sha256:9a8b7c6d5e4f30211f0e9d8c7b6a5f4e3d2c1b0a99887766554433221100ffee",
    }


def test_limits_restart_and_healthcheck_in_compose_units(live: Environment) -> None:
    service = live.get(("services", "api"))
    assert service["deploy"] == {
        "resources": {"limits": {"memory": 268435456, "cpus": 1.5}},
        "replicas": 1,
    }
    assert service["restart"] == "on-failure:5"
    assert service["healthcheck"] == {
        "test": ["CMD", "wget", "-qO-", "http://localhost/health"],
        "interval": 15,
        "timeout": 30,
        "start_period": 0,
        "start_interval": 5,
        "retries": 3,
    }


def test_engine_facts_and_origins_name_the_context(live: Environment) -> None:
    assert live.get(("engine",)) == {
        "version": "24.0.7",
        "api_version": "1.43",
        "os": "linux",
        "architecture": "amd64",
        "storage_driver": "overlay2",
        "cgroup_driver": "systemd",
        "cgroup_version": "2",
    }
    origin = live.origin(("services", "api", "ports", "80/tcp"))
    assert origin is not None
    assert (origin.context, origin.object_id[:12], origin.attribute) == (
        "laptop",
        "4b1d0c9f6e2a",
        "HostConfig.PortBindings",
    )
    assert str(origin) == "laptop/4b1d0c9f6e2a HostConfig.PortBindings"


def test_a_whole_engine_keys_compose_services_by_project(live: Environment) -> None:
    whole = build_environment(snapshot(project=None), "engine", "docker://laptop")
    assert list(whole.get(("services",))) == ["shop/api"]
    assert set(whole.get(("networks",))) == {"shop_default", "shop_backend", "blog_default"}


def test_a_renamed_container_keeps_its_name_and_hostname(live: Environment) -> None:
    container = recorded("shop_api_1.json")
    container["Name"] = "/shop-api"
    container["Config"]["Hostname"] = "api-host"
    env = build_environment(snapshot(container=container), "live", "docker://laptop/shop")
    assert env.get(("services", "api", "container_name")) == "shop-api"
    assert env.get(("services", "api", "hostname")) == "api-host"
    assert live.get(("services", "api", "container_name")) is MISSING
