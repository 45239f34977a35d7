"""The fields swarm fills into a deploy section a stack file writes, as ``(default)``.

Follows the compose specification's deploy section (compose-spec ``deploy.md``:
``restart_policy`` — condition ``any``, delay, max_attempts; ``update_config`` and
``rollback_config`` — parallelism, delay, failure_action ``pause``, monitor, max_failure_ratio,
order ``stop-first``) and the values ``docker service inspect`` shows for a stack deployed without
them.
"""

from __future__ import annotations

from pathlib import Path

from parity_gui.sources.compose.load import load_compose_files
from parity_gui.sources.registry import SpecFile

STACK = """\
version: "3.8"
x-policy: &policy
  condition: on-failure   # restart only what failed
services:
  api:
    image: shop/api:2.1
    deploy:
      restart_policy: *policy
      update_config:
        parallelism: 2
        order: start-first
  cron:
    image: shop/cron:2.1
    deploy:
      replicas: 1
"""


def test_a_written_section_gets_swarm_defaults_for_what_it_leaves_out(tmp_path: Path) -> None:
    (tmp_path / "stack.yml").write_text(STACK.replace("\n", "\r\n"))
    env = load_compose_files([SpecFile(tmp_path / "stack.yml", "stack.yml")], "stack", "stack.yml")
    deploy = env.tree["services"]["api"]["deploy"]
    assert deploy["restart_policy"] == {"condition": "on-failure", "delay": 5, "max_attempts": 0}
    assert deploy["update_config"] == {
        "parallelism": 2, "order": "start-first", "delay": 0, "failure_action": "pause", "monitor": 5,
        "max_failure_ratio": 0,
    }
    assert env.raw[("services", "api", "deploy", "restart_policy", "delay")] == "(default)"
    assert env.raw.get(("services", "api", "deploy", "update_config", "parallelism")) != "(default)"


def test_a_section_not_written_stays_absent(tmp_path: Path) -> None:
    (tmp_path / "stack.yml").write_text(STACK)
    env = load_compose_files([SpecFile(tmp_path / "stack.yml", "stack.yml")], "stack", "stack.yml")
    assert sorted(env.tree["services"]["cron"]["deploy"]) == ["replicas"]
    assert "rollback_config" not in env.tree["services"]["api"]["deploy"]


def test_a_port_published_in_host_mode_says_so_beside_the_ports(tmp_path: Path) -> None:
    """compose-spec ``services.md``, ports long syntax: ``mode`` is ``host`` or ``ingress``."""
    (tmp_path / "stack.yml").write_text(
        "services:\n"
        "  exporter:\n"
        "    image: shop/exporter:1\n"
        "    ports:\n"
        "      - target: 9100\n"
        "        published: 9100\n"
        "        mode: host\n"
        "      - target: 80\n"
        "        published: 8080\n"
        "        mode: ingress\n"
        "      - \"8443:443\"\n"
    )
    exporter = load_compose_files([SpecFile(tmp_path / "stack.yml", "stack.yml")], "stack", "stack.yml").tree[
        "services"]["exporter"]
    assert exporter["ports"] == {"9100/tcp": ["9100"], "80/tcp": ["8080"], "443/tcp": ["8443"]}
    assert exporter["publish_mode"] == {"9100/tcp": "host"}
