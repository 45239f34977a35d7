"""Severity rules for fleets: the same stack or project on several live engines."""

from __future__ import annotations

from typing import Any

from parity_gui.core.tree import Coverage, Diagnostic, Environment, Level
from parity_gui.engine import compare


def host(name: str, services: dict[str, Any], spec: str | None = None) -> Environment:
    return Environment(name, spec or f"docker://{name}/shop", tree={"services": services})


def web(tag: str = "1.4", replicas: int = 2, digest: str | None = None) -> dict[str, Any]:
    image: dict[str, Any] = {"registry": "docker.io", "repository": "shop/web", "tag": tag}
    if digest:
        image["digest"] = digest
    return {"image": image, "deploy": {"replicas": replicas}, "environment": {"MODE": "production"}}


def rated(*environments: Environment) -> list[tuple[str, str, str]]:
    comparison = compare(environments[0], *environments[1:])
    return [(d.pointer, d.severity.value, d.rule) for d in comparison.drifts]


def failed(name: str) -> Environment:
    env = Environment(name, f"docker://{name}/shop", coverage=Coverage.of([]))
    env.diagnostics = [Diagnostic("context 'c': no answer within 4s", level=Level.ERROR)]
    return env


def test_a_different_image_tag_between_hosts_is_fleet_image_drift() -> None:
    assert rated(host("a", {"web": web()}), host("b", {"web": web()}), host("c", {"web": web("1.5")})) == [
        ("/services/web/image/tag", "high", "fleet-image-drift")
    ]


def test_a_different_digest_between_hosts_is_fleet_image_drift() -> None:
    first, second = web(digest="sha256:" + "a" * 64), web(digest="sha256:" + "b" * 64)
    result = rated(host("a", {"web": first}), host("b", {"web": second}))
    assert result == [("/services/web/image/digest", "high", "fleet-image-drift")]


def test_the_same_tag_change_between_a_file_and_an_engine_is_not_fleet_drift() -> None:
    result = rated(host("file", {"web": web()}, spec="stack.yml"), host("b", {"web": web("1.5")}))
    assert result == [("/services/web/image/tag", "high", "image-version-drift")]


def test_replica_drift_between_hosts() -> None:
    assert rated(host("a", {"web": web()}), host("b", {"web": web(replicas=3)})) == [
        ("/services/web/deploy/replicas", "high", "fleet-replica-drift")
    ]


def test_replica_drift_between_a_file_and_an_engine_keeps_its_own_rule() -> None:
    assert rated(host("file", {"web": web()}, spec="stack.yml"), host("b", {"web": web(replicas=3)})) == [
        ("/services/web/deploy/replicas", "medium", "replica-drift")
    ]


def test_a_service_missing_on_one_host_is_critical() -> None:
    both = {"web": web(), "worker": {"image": {"repository": "shop/worker", "tag": "1.4"}}}
    result = rated(host("a", both), host("b", {"web": web()}), host("c", both))
    assert result == [("/services/worker", "critical", "fleet-service-missing")]
    comparison = compare(host("a", both), host("b", {"web": web()}), host("c", both))
    assert "missing on b" in comparison.drifts[0].explanation
    assert "runs on a, c" in comparison.drifts[0].explanation


def test_a_failed_host_is_no_missing_service_and_no_drift() -> None:
    assert rated(host("a", {"web": web()}), host("b", {"web": web()}), failed("c")) == []


def test_a_failed_host_is_not_named_among_hosts_missing_a_service() -> None:
    both = {"web": web(), "worker": {"image": {"repository": "shop/worker", "tag": "1.4"}}}
    comparison = compare(host("a", both), host("b", {"web": web()}), failed("c"))
    assert [d.rule for d in comparison.drifts] == ["fleet-service-missing"]
    assert comparison.drifts[0].explanation.endswith("missing on b")
