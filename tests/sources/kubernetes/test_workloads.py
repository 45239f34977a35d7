"""Workloads in compose's service shape. Follows the Kubernetes API reference (Container v1,
Probe v1, EnvVarSource, EnvFromSource), "Define a Command and Arguments for a Container"
(command is Docker's ENTRYPOINT, args its CMD), and the compose specification's service
attributes (image, entrypoint, command, environment, ports, deploy.resources, healthcheck)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.core.tree import Environment
from parity_gui.sources.registry import load_local
from tests.sources.kubernetes.conftest import SHOP

PLAIN = SHOP.parent / "plain"


@pytest.fixture(scope="module")
def production() -> Environment:
    return load_local("production.yaml", "production", PLAIN)


def service(env: Environment, name: str) -> dict:  # type: ignore[type-arg]
    found = env.get(("services", name))
    assert isinstance(found, dict), f"no service {name}"
    return found


def test_each_container_of_a_multi_container_pod_is_a_service(production: Environment) -> None:
    assert sorted(production.tree["services"]) == ["billing/api", "billing/statsd", "invoices", "node-agent", "reindex"]


def test_image_splits_like_docker_with_a_digest(production: Environment) -> None:
    assert service(production, "billing/api")["image"] == {
        "registry": "ghcr.io", "repository": "acme/billing",
        "digest": "sha256:4f1d2c3b4a5968776655443322110000ffeeddccbbaa99887766554433221100",
    }
    assert service(production, "billing/statsd")["image"]["registry"] == "docker.io"


def test_command_is_the_entrypoint_and_args_the_command(production: Environment) -> None:
    invoices = service(production, "invoices")  # a CronJob's pod
    assert invoices["entrypoint"] == ["/bin/sh", "-c"]
    assert invoices["command"] == ["billing invoices --send"]
    api = service(production, "billing/api")
    assert api["command"] == ["api", "--bind=0.0.0.0:9000"]
    assert "entrypoint" not in api
    assert api["working_dir"] == "/srv"
    assert api["user"] == "10001:10001"  # the pod's securityContext


def test_environment_resolves_config_maps_and_secrets_of_the_same_environment(production: Environment) -> None:
    environment = service(production, "billing/api")["environment"]
    assert environment["CURRENCY"] == "EUR"
    assert environment["STRIPE_KEY"] == "sk_live_51abcdefGHIJklmn"
    assert environment["SENTRY_DSN"] == "(secretKeyRef sentry/dsn)"  # not in this environment
    assert environment["POD_NAME"] == "(fieldRef metadata.name)"
    origin = production.origin(("services", "billing/api", "environment", "CURRENCY"))
    assert (origin.file, origin.line) == ("production.yaml", 14)  # the value in the ConfigMap


def test_env_from_is_expanded_with_its_prefix(production: Environment) -> None:
    environment = service(production, "node-agent")["environment"]
    assert environment["AGENT_CURRENCY"] == "EUR"
    assert environment["AGENT_FEATURE_INVOICES_V2"] == "true"
    assert environment["AGENT_settings.ini"] == "[billing]\nretries = 5\n"


def test_ports_are_published_by_the_services_that_select_the_pod(production: Environment) -> None:
    # Service billing: port 80 → targetPort "http" (the container's port 9000 by name)
    assert service(production, "billing/api")["ports"] == {"9000/tcp": ["80"], "9125/udp": []}


def test_resources_are_in_bytes_and_cpus(production: Environment) -> None:
    assert service(production, "billing/api")["deploy"] == {
        "replicas": 4,
        "resources": {"limits": {"cpus": 2, "memory": 1 << 30}, "reservations": {"cpus": 0.5, "memory": 512 << 20}},
    }


def test_probes_read_as_health_checks_with_the_api_defaults(production: Environment) -> None:
    api = service(production, "billing/api")
    assert api["healthcheck"] == {
        "test": ["HTTP-GET", "http://localhost:9000/healthz"],
        "interval": 15, "timeout": 1, "retries": 3, "start_period": 0,
    }
    assert api["readiness"]["test"] == ["TCP", "9000"]
    assert production.raw[("services", "billing/api", "healthcheck", "timeout")] == "(default)"


def test_replicas_only_where_the_workload_has_them(production: Environment) -> None:
    assert "deploy" not in service(production, "node-agent")  # a DaemonSet runs one per node
    assert not production.coverage.covers(("services", "node-agent", "deploy", "replicas"))
    assert production.coverage.covers(("services", "billing/api", "deploy", "replicas"))


def test_workload_values_are_not_repeated_under_kubernetes(production: Environment) -> None:
    container = production.get(("kubernetes", "Deployment", "billing", "spec", "template", "spec", "containers", "api"))
    assert container == {"name": "api"}
    assert "replicas" not in production.get(("kubernetes", "Deployment", "billing", "spec"))


def test_odd_workloads_load_with_warnings_naming_the_line(tmp_path: Path) -> None:
    (tmp_path / "odd.yaml").write_text(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: \"3\"\n"
        "  template:\n    spec:\n      containers:\n        - {name: a, image: postgres:16, resources: {limits: "
        "{memory: lots}}}\n        - {name: b, image: busybox}\n---\napiVersion: apps/v1\nkind: Deployment\n"
        "metadata: {name: empty}\nspec: {}\n", encoding="utf-8")
    env = load_local("odd.yaml", "odd", tmp_path)
    assert sorted(env.tree["services"]) == ["db/a", "db/b"]
    assert env.get(("services", "db/a", "deploy", "replicas")) == 1
    assert [(w.line, w.message.split(";")[0]) for w in env.warnings] == [
        (5, "replicas must be a whole number, not '3'"),
        (9, "'lots' is not a Kubernetes quantity (write e.g. 512Mi, 250m, 2)"),
    ]
