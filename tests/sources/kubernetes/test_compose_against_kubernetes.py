"""The compose file developers run against the production overlay of the same app: services
line up with workloads, and exactly the planted differences are counted (the image tag the
overlay sets, the backend's memory limit and its --workers flag, and redis, which production
runs from a Helm chart rather than as a workload)."""

from __future__ import annotations

from parity_gui.core.tree import MISSING
from parity_gui.engine import compare
from tests.sources.kubernetes.conftest import drift_of, load


def test_exactly_the_planted_differences() -> None:
    compose, production = load("docker-compose.yml", "compose"), load("k8s/overlays/production")
    found = drift_of(compose, production)
    redis = found.pop("/services/redis")
    assert redis[:2] == ("critical", "different-backing-service")
    assert redis[2][1] is MISSING
    assert found == {
        "/services/backend/image/tag": ("medium", "image-version-drift", ("1.4.2", "1.4.3")),
        "/services/worker/image/tag": ("medium", "image-version-drift", ("1.4.2", "1.4.3")),
        "/services/backend/command": (
            "medium", "value-changed",
            (["serve", "--port", "8000", "--workers", "2"], ["serve", "--port", "8000", "--workers", "8"]),
        ),
        "/services/backend/deploy/resources/limits/memory": ("medium", "resource-drift", (512 << 20, 1 << 30)),
    }


def test_what_only_one_side_can_say_is_context() -> None:
    compose, production = load("docker-compose.yml", "compose"), load("k8s/overlays/production")
    context = {d.pointer for d in compare(compose, production).context}
    assert "/services/backend/restart" in context  # compose only
    assert "/services/backend/readiness" in context  # Kubernetes only
    assert "/services/backend/healthcheck/start_interval" in context
    assert {"/kubernetes", "/helm"} <= context


def test_equal_settings_written_two_ways_are_equal() -> None:
    compose, production = load("docker-compose.yml", "compose"), load("k8s/overlays/production")
    for path in (("services", "backend", "ports"), ("services", "backend", "environment"),
                 ("services", "backend", "healthcheck", "test"), ("services", "backend", "entrypoint"),
                 ("services", "backend", "deploy", "resources", "limits", "cpus")):
        assert compose.get(path) == production.get(path), path
