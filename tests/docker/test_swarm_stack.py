"""A swarm stack read from a real manager, compared with the stack file it was deployed from.

Follows the compose specification's deploy section (compose-spec ``deploy.md``: ``mode``,
``replicas``, ``resources``, ``placement``, ``update_config``, ``rollback_config``,
``restart_policy``) and what ``docker stack deploy`` makes of it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from parity_gui.app.compare import Request, run
from parity_gui.core.tree import MISSING
from parity_gui.errors import NotOnEngine, SourceError
from parity_gui.export.patch.fix import make_patch
from parity_gui.sources.docker.engine import load_docker
from tests.docker.engine import PrivateEngine
from tests.docker.swarm import SwarmEngine


@pytest.fixture
def on_swarm(swarm: SwarmEngine, monkeypatch: pytest.MonkeyPatch) -> SwarmEngine:
    monkeypatch.setenv("DOCKER_HOST", swarm.host)
    return swarm


def _stack_file(swarm: SwarmEngine) -> Path:
    return swarm.stack_folder("shop") / "stack.yml"


def test_the_stack_reads_as_its_services(on_swarm: SwarmEngine) -> None:
    env = load_docker("docker:///shop", "live")
    services = env.tree["services"]
    assert sorted(services) == ["exporter", "web", "worker"]
    web = services["web"]
    assert web["deploy"]["replicas"] == 2
    assert web["deploy"]["resources"]["limits"] == {"cpus": 0.5, "memory": 64 * 1024 * 1024}
    assert web["deploy"]["placement"]["constraints"] == ["node.role == manager"]
    assert web["environment"] == {"CACHE_TTL": "300", "SHOP_MODE": "production"}
    assert web["secrets"] == {"db_password": {"source": "db_password"}}
    assert web["configs"] == {"/etc/shop.conf": {"source": "shop_conf"}}
    assert web["networks"] == {"back": {}, "front": {}}
    assert web["ports"] == {"80/tcp": ["8080"]}
    assert "com.docker.stack.namespace" not in web["labels"]
    assert services["exporter"]["deploy"]["mode"] == "global"
    assert services["exporter"]["publish_mode"] == {"9100/tcp": "host"}
    assert "publish_mode" not in web
    assert services["worker"]["volumes"]["/var/spool/shop"]["source"] == "spool"
    assert env.get(("services", "worker", "deploy", "update_config")) is MISSING


def test_the_stack_file_and_the_deployed_stack_show_no_drift(on_swarm: SwarmEngine) -> None:
    comparison = run(Request((str(_stack_file(on_swarm)), "docker:///shop")))
    assert [d.path for d in comparison.drifts] == []
    assert not comparison.environments[1].errors


def test_the_odd_corners_of_a_stack_file_show_no_drift_either(on_swarm: SwarmEngine) -> None:
    """ops.yml: env_file, list-form labels, cap_add/cap_drop (swarm adds CAP_), ulimits, logging,
    extra_hosts, sysctls, tmpfs and bind mounts, aliases, long-form secrets with uid/gid/mode, a
    short-form config, max_replicas_per_node, reservations, full update/rollback/restart
    sections, and deploy's ``mode: replicated`` / ``endpoint_mode: vip`` written out."""
    folder = on_swarm.stack_folder("shop")
    on_swarm.deploy("ops", folder / "ops.yml")
    try:
        comparison = run(Request((str(folder / "ops.yml"), "docker:///ops")))
        assert [d.pointer for d in comparison.drifts] == []
        gateway = comparison.environments[1].tree["services"]["gateway"]
        assert gateway["cap_add"] == {"NET_ADMIN": "NET_ADMIN"}
        assert gateway["ulimits"] == {"nofile": {"soft": 1024, "hard": 2048}}
        assert gateway["secrets"] == {"/run/secrets/gateway.key": {"source": "tls_key", "uid": "1000", "gid": "1000",
                                                                   "mode": "0400"}}
        bind_source = "/services/gateway/volumes/~1etc~1gateway.env/source"
        assert bind_source in {d.pointer for d in comparison.context}
    finally:
        on_swarm.docker("stack", "rm", "ops")


def test_an_added_variable_and_a_scaled_service_are_exactly_the_drifts(on_swarm: SwarmEngine) -> None:
    on_swarm.docker("service", "update", "--detach", "--env-add", "FEATURE_FLAG=on", "shop_worker")
    on_swarm.docker("service", "scale", "--detach", "shop_web=3")
    try:
        comparison = run(Request((str(_stack_file(on_swarm)), "docker:///shop")))
        found = {d.path: (d.kind.value, d.values) for d in comparison.drifts}
        assert found == {
            ("services", "worker", "environment", "FEATURE_FLAG"): ("added", (MISSING, "on")),
            ("services", "web", "deploy", "replicas"): ("changed", (2, 3)),
        }
    finally:
        on_swarm.docker("service", "update", "--detach", "--env-rm", "FEATURE_FLAG", "shop_worker")
        on_swarm.docker("service", "scale", "--detach", "shop_web=2")


def test_stack_prefix_names_the_stack(on_swarm: SwarmEngine) -> None:
    env = load_docker("docker:///stack:shop", "live")
    assert "web" in env.tree["services"]
    with pytest.raises(SourceError, match=r"no stack 'nothere' \(stacks there: (edge, )?shop\)"):
        load_docker("docker:///stack:nothere", "live")
    with pytest.raises(SourceError, match="no container of compose project 'shop' "):
        load_docker("docker:///project:shop", "live")


def test_the_fix_patch_for_a_stack_is_a_stack_override_that_closes_the_drift(on_swarm: SwarmEngine) -> None:
    """The patch writes stack.parity-override.yml; deploying the stack file with it (``docker
    stack deploy -c stack.yml -c override``, compose's merge of several files) leaves no drift."""
    folder = _stack_file(on_swarm).parent
    on_swarm.docker("service", "update", "--detach", "--env-add", "SHOP_MODE=debug", "shop_web")
    on_swarm.docker("service", "scale", "--detach", "shop_worker=2")
    try:
        comparison = run(Request((str(_stack_file(on_swarm)), "docker:///shop")))
        patch = make_patch(comparison, base=folder)
        text = patch.text.decode()
        assert "+++ b/stack.parity-override.yml" in text
        assert "+      SHOP_MODE: production\n" in text
        assert {d.pointer for d in patch.fixed} == {

            "/services/web/environment/SHOP_MODE", "/services/worker/deploy/replicas"
        }
        assert any("docker stack deploy -c <your stack file> -c stack.parity-override.yml shop" in n
                   for n in patch.notes)
        subprocess.run(["git", "apply", "-"], cwd=folder, input=patch.text, check=True, capture_output=True)
        on_swarm.deploy("shop", _stack_file(on_swarm), folder / "stack.parity-override.yml")
        after = run(Request((str(_stack_file(on_swarm)), "docker:///shop")))
        assert list(after.drifts) == []
    finally:
        (folder / "stack.parity-override.yml").unlink(missing_ok=True)
        on_swarm.deploy("shop", _stack_file(on_swarm))


AMBIGUOUS_COMPOSE = """\
# A one-off maintenance container run with docker-compose beside the stack, under the same name.
services:
  maintenance:
    image: shop/worker:1.4
    network_mode: none
    environment:
      JOB: vacuum
"""


def test_a_project_and_a_stack_of_one_name_must_be_told_apart(on_swarm: SwarmEngine) -> None:
    folder = on_swarm.engine.root / "projects" / "shop-maintenance"
    folder.mkdir(parents=True)
    (folder / "compose.yml").write_text(AMBIGUOUS_COMPOSE)
    on_swarm.engine.compose("shop", [folder / "compose.yml"], "up", "-d")
    try:
        with pytest.raises(SourceError) as raised:
            load_docker("docker:///shop", "live")
        message = str(raised.value)
        assert "\n" not in message
        assert "docker://default/project:shop or docker://default/stack:shop" in message
        project = load_docker("docker:///project:shop", "live")
        assert sorted(project.tree["services"]) == ["maintenance"]
        stack = load_docker("docker:///stack:shop", "live")
        assert sorted(stack.tree["services"]) == ["exporter", "web", "worker"]
    finally:
        on_swarm.engine.compose("shop", [folder / "compose.yml"], "down")


def test_a_stack_on_an_engine_outside_swarm_mode_is_an_error_saying_so(on_engine: PrivateEngine) -> None:
    with pytest.raises(NotOnEngine, match=r"not in swarm mode, so stack 'shop' cannot be read here"):
        load_docker("docker:///stack:shop", "live")
