"""Merging compose files in order, ``!reset``/``!override``, ``extends``, interpolation and the
warnings a compose project gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parity_gui.core.origin import Origin
from parity_gui.core.tree import Environment
from parity_gui.errors import ParseError
from parity_gui.sources.compose.load import load_compose_files
from parity_gui.sources.registry import SpecFile

EXTENDS = Path(__file__).resolve().parent.parent / "data" / "compose" / "extends"


def project(folder: Path, *files: tuple[str, str], dotenv: str | None = None) -> Environment:
    """Write ``files`` (name, text) and ``.env`` into ``folder`` and load them merged in order."""
    if dotenv is not None:
        (folder / ".env").write_text(dotenv)
    for name, text in files:
        (folder / name).write_text(text)
    specs = [SpecFile(folder / name, name) for name, _ in files]
    return load_compose_files(specs, "test", "+".join(name for name, _ in files))


def services(env: Environment) -> dict[str, Any]:
    found: dict[str, Any] = env.tree["services"]
    return found


BASE = """\
services:
  api:
    image: acme/api:1.0
    command: ["serve", "--port", "8000"]
    environment:
      LOG_LEVEL: info
      WORKERS: "2"
    labels: [tier=backend]
    ports: ["8000:8000"]
    volumes: ["./data:/data", "cache:/cache"]
    cap_add: [NET_ADMIN]
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost:8000"]
      interval: 30s
"""


def test_mappings_merge_and_the_later_file_wins_on_a_leaf(tmp_path: Path) -> None:
    env = project(tmp_path, ("a.yml", BASE), ("b.yml", """\
services:
  api:
    environment:
      - LOG_LEVEL=debug
      - DEBUG=1
    labels:
      team: payments
"""))
    api = services(env)["api"]
    assert api["environment"] == {"LOG_LEVEL": "debug", "WORKERS": "2", "DEBUG": "1"}
    assert api["labels"] == {"tier": "backend", "team": "payments"}
    assert env.origins[("services", "api", "environment", "LOG_LEVEL")].file == "b.yml"
    assert env.origins[("services", "api", "environment", "WORKERS")].file == "a.yml"


def test_command_and_healthcheck_test_are_replaced_not_merged(tmp_path: Path) -> None:
    env = project(tmp_path, ("a.yml", BASE), ("b.yml", """\
services:
  api:
    command: serve --reload
    healthcheck:
      test: ["CMD", "true"]
"""))
    api = services(env)["api"]
    assert api["command"] == ["serve", "--reload"]
    assert api["healthcheck"]["test"] == ["CMD", "true"]
    assert api["healthcheck"]["interval"] == 30


def test_ports_accumulate_bindings_and_volumes_replace_by_target(tmp_path: Path) -> None:
    env = project(tmp_path, ("a.yml", BASE), ("b.yml", """\
services:
  api:
    ports: ["127.0.0.1:9000:8000", "5678:5678"]
    volumes: ["/srv/data:/data:ro"]
    cap_add: [SYS_PTRACE]
"""))
    api = services(env)["api"]
    assert api["ports"] == {"8000/tcp": ["127.0.0.1:9000", "8000"], "5678/tcp": ["5678"]}
    assert api["volumes"]["/data"] == {"type": "bind", "source": "/srv/data", "read_only": True,
                                       "bind": {"create_host_path": True}}
    assert api["volumes"]["/cache"]["source"] == "cache"
    assert api["cap_add"] == {"NET_ADMIN": "NET_ADMIN", "SYS_PTRACE": "SYS_PTRACE"}


def test_reset_removes_and_override_replaces(tmp_path: Path) -> None:
    env = project(tmp_path, ("a.yml", BASE), ("b.yml", """\
services:
  api:
    ports: !reset []
    environment: !override
      LOG_LEVEL: warning
    labels:
      tier: !reset null
    healthcheck: !reset
"""))
    api = services(env)["api"]
    assert "ports" not in api
    assert "healthcheck" not in api
    assert api["environment"] == {"LOG_LEVEL": "warning"}
    assert "labels" not in api  # its only label was reset


def test_a_default_in_a_later_file_does_not_beat_an_earlier_value(tmp_path: Path) -> None:
    env = project(tmp_path, ("a.yml", "services:\n  api:\n    image: acme/api:1.0\n    restart: always\n"),
                  ("b.yml", "services:\n  api:\n    image: acme/api\n"))
    api = services(env)["api"]
    assert api["image"]["tag"] == "latest"  # the whole reference is replaced, then the default
    assert api["restart"] == "always"


def test_environment_set_in_any_file_beats_an_env_file_from_any_file(tmp_path: Path) -> None:
    (tmp_path / "api.env").write_text("LOG_LEVEL=trace\nFROM_FILE=yes\n")
    env = project(tmp_path, ("a.yml", BASE), ("b.yml", "services:\n  api:\n    env_file: api.env\n"))
    environment = services(env)["api"]["environment"]
    assert environment["LOG_LEVEL"] == "info"
    assert environment["FROM_FILE"] == "yes"


def test_extends_from_another_file_is_relative_to_the_extending_file() -> None:
    env = load_compose_files([SpecFile(EXTENDS / "compose.yml", "extends/compose.yml")], "x", "x")
    worker = services(env)["worker"]
    assert worker["image"]["repository"] == "library/python"
    assert worker["environment"] == {"PYTHONUNBUFFERED": "1", "QUEUE": "default", "SHARED": "yes"}
    assert worker["command"] == ["celery", "-A", "shop", "worker"]
    assert worker["build"] == {"context": "./common/python", "dockerfile": "Dockerfile"}  # rebased
    assert env.origins[("services", "worker")] == Origin("extends/compose.yml", 2, 3)
    assert env.origins[("services", "worker", "image", "tag")].file == "extends/common/services.yml"
    assert "extends/common/base.env" in env.sources


def test_extends_in_the_same_file_follows_the_chain() -> None:
    env = load_compose_files([SpecFile(EXTENDS / "compose.yml", "compose.yml")], "x", "x")
    beat = services(env)["beat"]
    assert beat["command"] == ["celery", "-A", "shop", "beat"]
    assert beat["environment"]["QUEUE"] == "default"


def test_an_extends_cycle_names_the_chain() -> None:
    with pytest.raises(ParseError) as caught:
        load_compose_files([SpecFile(EXTENDS / "cycle.yml", "cycle.yml")], "x", "x")
    assert str(caught.value) == (
        "cycle.yml:9:14: extends cycle: a (cycle.yml) → b (cycle.yml) → c (cycle.yml) → a (cycle.yml)"
    )


def test_extends_of_a_missing_service_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no service 'base'"):
        project(tmp_path, ("compose.yml", "services:\n  api:\n    extends: base\n"))


def test_interpolation_uses_only_the_dotenv_next_to_the_first_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAG", "from-the-shell")
    monkeypatch.setenv("ONLY_IN_SHELL", "leaked")
    env = project(tmp_path, ("compose.yml", """\
services:
  api:
    image: acme/api:${TAG}
    environment:
      A: ${ONLY_IN_SHELL}
      B: ${MISSING:-fallback}
      C: ${EMPTY-unset}
      D: ${EMPTY:-empty}
      E: ${TAG:+tagged}
      F: ${NOPE:-${TAG}}
      G: $$HOME
"""), dotenv="TAG=1.2.3\nEMPTY=\n")
    api = services(env)["api"]
    assert api["image"]["tag"] == "1.2.3"
    assert api["environment"] == {"A": "", "B": "fallback", "C": "", "D": "empty", "E": "tagged",
                                  "F": "1.2.3", "G": "$HOME"}


def test_an_unset_variable_warns_once_with_file_and_line(tmp_path: Path) -> None:
    env = project(tmp_path, ("compose.yml", """\
services:
  api:
    image: acme/api:${API_TAG}
  worker:
    image: acme/api:${API_TAG}
"""))
    assert [str(d) for d in env.diagnostics] == [
        "compose.yml:3:21: variable API_TAG is not set; using an empty string",
        "compose.yml:3:12: tag '' is not a valid tag; docker would refuse this image",
        "compose.yml:5:12: tag '' is not a valid tag; docker would refuse this image",
    ]


def test_a_required_variable_left_unset_stops_the_load_with_its_message(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as caught:
        project(tmp_path, ("compose.yml", """\
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}
"""))
    assert str(caught.value) == (
        "compose.yml:5:26: required variable DB_PASSWORD is missing a value: set DB_PASSWORD in .env"
    )


def test_keys_are_not_interpolated(tmp_path: Path) -> None:
    env = project(tmp_path, ("compose.yml", "services:\n  api:\n    image: x\n    labels:\n"
                                            "      ${KEY}: ${VALUE:-v}\n"), dotenv="KEY=k\n")
    assert services(env)["api"]["labels"] == {"${KEY}": "v"}


def test_unknown_keys_are_warnings_and_x_keys_are_ignored(tmp_path: Path) -> None:
    env = project(tmp_path, ("compose.yml", """\
x-defaults: &defaults
  restart: always
services:
  api:
    <<: *defaults
    image: acme/api
    x-owner: payments
    colour: blue
  x-not-a-service: {}
databases:
  main: {}
"""))
    assert [str(d) for d in env.diagnostics] == [
        "compose.yml:8:5: unknown key 'colour' in service 'api'",
        "compose.yml:10:1: unknown top-level key 'databases' (not a compose setting)",
    ]
    assert services(env)["api"]["colour"] == "blue"
    assert "x-owner" not in services(env)["api"]
    assert list(services(env)) == ["api"]


def test_a_legacy_spelling_agreeing_with_the_modern_one_is_accepted(tmp_path: Path) -> None:
    env = project(tmp_path, ("compose.yml", """\
services:
  api:
    image: acme/api
    deploy:
      replicas: 2
      resources:
        limits:
          memory: 1024m
    scale: 2
    mem_limit: 1g
    cpus: 0.25
"""))
    deploy = services(env)["api"]["deploy"]
    assert deploy == {"replicas": 2, "resources": {"limits": {"memory": 1024**3, "cpus": 0.25}}}
    assert env.origins[("services", "api", "deploy")] == Origin("compose.yml", 4, 5)
    assert env.origins[("services", "api", "deploy", "resources", "limits", "cpus")] == Origin("compose.yml", 11, 11)


def test_a_whole_service_can_be_reset_by_a_later_file(tmp_path: Path) -> None:
    env = project(tmp_path, ("a.yml", "services:\n  api:\n    image: a\n  debug:\n    image: b\n"),
                  ("b.yml", "services:\n  debug: !reset {}\n"))
    assert list(services(env)) == ["api"]


def test_files_merge_top_level_networks_and_volumes(tmp_path: Path) -> None:
    env = project(tmp_path, ("a.yml", "services: {}\nnetworks:\n  front:\nvolumes:\n  data:\n"),
                  ("b.yml", "networks:\n  front:\n    driver: overlay\n  back:\n    internal: true\n"))
    assert env.tree["networks"] == {"front": {"driver": "overlay"}, "back": {"internal": True}}
    assert env.tree["volumes"] == {"data": {}}


def test_reset_of_a_single_value_removes_it(tmp_path: Path) -> None:
    env = project(tmp_path, ("a.yml", BASE + "    user: app\n    mem_limit: 1g\n"), ("b.yml", """\
services:
  api:
    image: !reset null
    build: ./api
    user: !reset
    mem_limit: !reset
    command: !reset []
"""))
    api = services(env)["api"]
    assert {"image", "user", "command"}.isdisjoint(api)
    assert "resources" not in api["deploy"]


def test_logging_with_another_driver_replaces_the_options(tmp_path: Path) -> None:
    base = "services:\n  api:\n    image: a\n    logging:\n      driver: json-file\n" \
           "      options: {max-size: 10m}\n"
    same = project(tmp_path, ("a.yml", base),
                   ("b.yml", "services:\n  api:\n    logging:\n      options: {max-file: '3'}\n"))
    assert services(same)["api"]["logging"] == {"driver": "json-file",
                                                "options": {"max-size": "10m", "max-file": "3"}}
    other = project(tmp_path, ("a.yml", base), ("c.yml", "services:\n  api:\n    logging:\n"
                                                         "      driver: syslog\n"))
    assert services(other)["api"]["logging"] == {"driver": "syslog"}
