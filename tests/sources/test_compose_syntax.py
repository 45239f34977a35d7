"""Short and long syntax give the same canonical node; each compose setting's normal form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parity_gui.core.tree import Environment
from parity_gui.sources.compose.load import load_compose_files
from parity_gui.sources.registry import SpecFile

PAIRS = Path(__file__).resolve().parent.parent / "data" / "compose" / "pairs"


def load(path: Path) -> Environment:
    return load_compose_files([SpecFile(path, path.name)], path.stem, path.name)


def service(tmp_path: Path, body: str, name: str = "app") -> dict[str, Any]:
    """The canonical node of one service written (indented) as ``body``; it runs ``app:1`` unless
    the body names an image or a build (compose refuses a service with neither)."""
    if not any(line.startswith(("image:", "build:")) for line in body.splitlines()):
        body = "image: app:1\n" + body
    text = "services:\n  " + name + ":\n" + "".join(f"    {line}\n" for line in body.splitlines())
    (tmp_path / "compose.yaml").write_text(text)
    tree: dict[str, Any] = load(tmp_path / "compose.yaml").tree["services"][name]
    return tree


@pytest.fixture(scope="module")
def short() -> dict[str, Any]:
    services: dict[str, Any] = load(PAIRS / "short.yml").tree["services"]
    return services


@pytest.fixture(scope="module")
def long() -> dict[str, Any]:
    services: dict[str, Any] = load(PAIRS / "long.yml").tree["services"]
    return services


@pytest.mark.parametrize(
    "setting",
    ["ports", "expose", "volumes", "environment", "depends_on", "networks", "healthcheck", "deploy",
     "restart", "image", "build", "command", "entrypoint", "ulimits", "secrets", "labels",
     "extra_hosts", "sysctls", "cap_add", "stop_grace_period"],
)
def test_short_and_long_syntax_give_identical_nodes(
    short: dict[str, Any], long: dict[str, Any], setting: str
) -> None:
    assert short["app"][setting] == long["app"][setting]


def test_whole_services_written_short_and_long_are_identical(
    short: dict[str, Any], long: dict[str, Any]
) -> None:
    assert short == long


def test_disable_true_is_the_same_healthcheck_as_test_none(
    short: dict[str, Any], long: dict[str, Any]
) -> None:
    assert short["db"]["healthcheck"] == long["db"]["healthcheck"] == {"test": ["NONE"]}


def test_ports_are_keyed_by_container_port_and_protocol(short: dict[str, Any]) -> None:
    assert short["app"]["ports"] == {
        "8000/tcp": ["8000"],
        "9000/udp": ["127.0.0.1:9000"],
        "9001/udp": ["127.0.0.1:9001"],
        "6060/tcp": ["[::1]:6060"],
        "3000/tcp": ["(random)"],
    }


def test_durations_sizes_and_cpus_are_numbers(short: dict[str, Any]) -> None:
    app = short["app"]
    assert (app["healthcheck"]["interval"], app["healthcheck"]["timeout"]) == (90, 0.5)
    assert app["healthcheck"]["start_period"] == 3600
    assert app["stop_grace_period"] == 60
    assert app["deploy"]["resources"] == {
        "limits": {"memory": 512 * 1024**2, "cpus": 0.5},
        "reservations": {"memory": 1536 * 1024**2},
    }
    assert app["deploy"]["replicas"] == 2


def test_environment_keeps_the_text_written_and_pass_through_comes_from_the_shell(
    short: dict[str, Any],
) -> None:
    assert short["app"]["environment"] == {
        "PY": "3.10", "DEBUG": "true", "HOST_TOKEN": "(from the shell at run time)", "EMPTY": "",
    }


def test_volumes_are_keyed_by_target(short: dict[str, Any]) -> None:
    assert short["app"]["volumes"] == {
        "/app/src": {"type": "bind", "source": "./src", "read_only": True, "bind": {"create_host_path": True}},
        "/root/.cache": {"type": "volume", "source": "cache", "volume": {"nocopy": True}, "read_only": False},
        "/tmp/scratch": {"type": "volume", "read_only": False},
        "/run": {"type": "tmpfs", "read_only": False},
    }


def test_a_published_range_for_one_port_keeps_the_range(tmp_path: Path) -> None:
    app = service(tmp_path, 'ports: ["9000-9001:80", {target: 81, published: "7000-7001"}]')
    assert app["ports"] == {"80/tcp": ["9000-9001"], "81/tcp": ["7000-7001"]}


def test_two_bindings_of_one_port_are_sorted(tmp_path: Path) -> None:
    app = service(tmp_path, 'ports: ["9090:80", "127.0.0.1:8080:80"]')
    assert app["ports"] == {"80/tcp": ["127.0.0.1:8080", "9090"]}


def test_expose_ranges_become_one_entry_per_port(tmp_path: Path) -> None:
    app = service(tmp_path, 'expose: ["8000-8001", 9090/udp, 3000]')
    assert app["expose"] == {"8000/tcp": "8000/tcp", "8001/tcp": "8001/tcp", "9090/udp": "9090/udp",
                             "3000/tcp": "3000/tcp"}


def test_bind_and_volume_options_are_kept(tmp_path: Path) -> None:
    app = service(tmp_path, """volumes:
  - type: bind
    source: /srv/www
    target: /usr/share/nginx/html
    bind:
      propagation: rshared
      create_host_path: true
  - type: tmpfs
    target: /cache
    tmpfs:
      size: 64m
tmpfs: ["/run:size=1g,mode=1777"]""")
    assert app["volumes"]["/usr/share/nginx/html"]["bind"] == {"propagation": "rshared", "create_host_path": True}
    assert app["volumes"]["/cache"]["tmpfs"] == {"size": 64 * 1024**2}
    assert app["volumes"]["/run"] == {"type": "tmpfs", "tmpfs": {"size": 1024**3, "mode": "1777"},
                                      "read_only": False}


def test_command_lists_keep_their_order_and_strings_split_like_a_shell(tmp_path: Path) -> None:
    app = service(tmp_path, """command: sh -c 'until pg_isready; do sleep 1; done && exec app'
entrypoint: ["tini", "--"]""")
    assert app["command"] == ["sh", "-c", "until pg_isready; do sleep 1; done && exec app"]
    assert app["entrypoint"] == ["tini", "--"]


def test_a_healthcheck_string_is_a_shell_test(tmp_path: Path) -> None:
    app = service(tmp_path, "healthcheck:\n  test: curl -fs localhost || exit 1\n  retries: 2")
    assert app["healthcheck"] == {
        "test": ["CMD-SHELL", "curl -fs localhost || exit 1"], "retries": 2,
        "interval": 30, "timeout": 30, "start_period": 0, "start_interval": 5,
    }


def test_depends_on_in_map_form_keeps_its_values(tmp_path: Path) -> None:
    app = service(tmp_path, "depends_on:\n  db:\n    condition: service_healthy\n    restart: true")
    assert app["depends_on"] == {"db": {"condition": "service_healthy", "restart": True, "required": True}}


def test_networks_keep_aliases_as_a_set_and_addresses(tmp_path: Path) -> None:
    app = service(tmp_path, """networks:
  back:
    aliases: [api, api.internal]
    ipv4_address: 172.16.238.10
  front: null""")
    assert app["networks"] == {
        "back": {"aliases": {"api": "api", "api.internal": "api.internal"}, "ipv4_address": "172.16.238.10"},
        "front": {},
    }


def test_set_like_lists_become_maps_keyed_by_item(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("COMPOSE_PROFILES=tools\n")
    app = service(tmp_path, "cap_drop: [ALL]\ndns: 8.8.8.8\nsecurity_opt: [no-new-privileges:true]\n"
                            "profiles: [debug, tools]")
    assert app["cap_drop"] == {"ALL": "ALL"}
    assert app["dns"] == {"8.8.8.8": "8.8.8.8"}
    assert app["security_opt"] == {"no-new-privileges:true": "no-new-privileges:true"}
    assert app["profiles"] == {"debug": "debug", "tools": "tools"}


def test_labels_in_list_form_without_value_are_empty(tmp_path: Path) -> None:
    app = service(tmp_path, 'labels: ["traefik.enable", "traefik.http.routers.app.rule=Host(`a.b`)"]')
    assert app["labels"] == {"traefik.enable": "", "traefik.http.routers.app.rule": "Host(`a.b`)"}


def test_legacy_resource_keys_land_under_deploy(tmp_path: Path) -> None:
    app = service(tmp_path, "mem_limit: 1gb\nmemswap_limit: 2g\nshm_size: '256m'\npids_limit: 100\n"
                            "cpus: 1.5\nscale: 3")
    assert app["deploy"] == {"replicas": 3, "resources": {"limits": {"memory": 1024**3, "pids": 100,
                                                                     "cpus": 1.5}}}
    assert (app["memswap_limit"], app["shm_size"]) == (2 * 1024**3, 256 * 1024**2)


def test_deploy_restart_policy_durations_are_seconds(tmp_path: Path) -> None:
    app = service(tmp_path, "deploy:\n  restart_policy:\n    condition: on-failure\n    delay: 5s\n"
                            "    max_attempts: 3\n    window: 2m")
    assert app["deploy"]["restart_policy"] == {"condition": "on-failure", "delay": 5, "max_attempts": 3,
                                               "window": 120}


def test_restart_no_and_user_numbers_stay_text(tmp_path: Path) -> None:
    app = service(tmp_path, "restart: no\nuser: 1000\nworking_dir: /srv\nprivileged: true\ninit: true")
    assert (app["restart"], app["user"], app["working_dir"]) == ("no", "1000", "/srv")
    assert (app["privileged"], app["init"]) == (True, True)


def test_extra_hosts_in_every_syntax(tmp_path: Path) -> None:
    app = service(tmp_path, 'extra_hosts: ["db:10.0.0.5", "v6=::1", "old:::2"]')
    assert app["extra_hosts"] == {"db": "10.0.0.5", "v6": "::1", "old": "::2"}


def test_secrets_and_configs_short_and_long(tmp_path: Path) -> None:
    app = service(tmp_path, """secrets:
  - db_password
  - source: tls_key
    target: /etc/tls/key.pem
    mode: 0400
configs: [nginx_conf]""")
    assert app["secrets"] == {
        "db_password": {"source": "db_password"},
        "/etc/tls/key.pem": {"source": "tls_key", "mode": "0400"},
    }
    assert app["configs"] == {"nginx_conf": {"source": "nginx_conf"}}


def test_ulimits_and_sysctls(tmp_path: Path) -> None:
    app = service(tmp_path, "ulimits:\n  nproc: 65535\n  nofile:\n    soft: 20000\n    hard: 40000\n"
                            "sysctls:\n  net.ipv4.tcp_syncookies: 0")
    assert app["ulimits"] == {"nproc": {"soft": 65535, "hard": 65535}, "nofile": {"soft": 20000, "hard": 40000}}
    assert app["sysctls"] == {"net.ipv4.tcp_syncookies": "0"}


def test_other_keys_are_kept_as_written(tmp_path: Path) -> None:
    app = service(tmp_path, "stop_signal: SIGQUIT\ncpu_shares: 512\ndevelop:\n  watch:\n"
                            "    - action: sync\n      path: ./src\n      target: /app")
    assert app["stop_signal"] == "SIGQUIT"
    assert app["cpu_shares"] == 512
    assert app["develop"] == {"watch": {"0": {"action": "sync", "path": "./src", "target": "/app"}}}


def test_build_settings(tmp_path: Path) -> None:
    app = service(tmp_path, """build:
  context: .
  dockerfile: docker/Dockerfile
  target: runtime
  args: [GIT_SHA, "NODE_ENV=production"]
  cache_from: ["type=registry,ref=acme/app:cache"]""")
    assert app["build"] == {
        "context": ".", "dockerfile": "docker/Dockerfile", "target": "runtime",
        "args": {"GIT_SHA": "(from the shell at run time)", "NODE_ENV": "production"},
        "cache_from": {"type=registry,ref=acme/app:cache": "type=registry,ref=acme/app:cache"},
    }


def test_labels_in_mapping_form_without_value_are_empty_and_env_is_pass_through(tmp_path: Path) -> None:
    app = service(tmp_path, "labels:\n  traefik.enable:\nenvironment:\n  TOKEN:")
    assert app["labels"] == {"traefik.enable": ""}
    assert app["environment"] == {"TOKEN": "(from the shell at run time)"}
