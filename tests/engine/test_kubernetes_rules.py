"""The severity rules for what matters on Kubernetes (and in compose's deploy section): replica
and resource drift, probes on one side only, a ConfigMap or Secret missing on one side."""

from __future__ import annotations

from typing import Any

from parity_gui.core.tree import Environment
from parity_gui.engine import compare


def rated(left: dict[str, Any], right: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    comparison = compare(Environment("staging", "a", tree=left), Environment("production", "b", tree=right))
    return [(d.pointer, d.severity.value, d.rule, d.explanation) for d in comparison.drifts]


def web(**settings: Any) -> dict[str, Any]:
    return {"services": {"web": {"image": {"registry": "ghcr.io", "repository": "acme/web", "tag": "1.0"}, **settings}}}


def test_replica_drift_is_medium_and_says_both_counts() -> None:
    assert rated(web(deploy={"replicas": 2}), web(deploy={"replicas": 6})) == [
        ("/services/web/deploy/replicas", "medium", "replica-drift", "a different number of replicas: 2 vs 6")
    ]


def test_a_memory_limit_reads_in_binary_units() -> None:
    left = web(deploy={"resources": {"limits": {"memory": 512 << 20}}})
    right = web(deploy={"resources": {"limits": {"memory": 2 << 30}}})
    assert rated(left, right) == [("/services/web/deploy/resources/limits/memory", "medium", "resource-drift",
                                   "memory limit differs: 512 MiB vs 2 GiB")]


def test_a_limit_on_one_side_only_is_high_a_reservation_medium() -> None:
    left = web(deploy={"resources": {"limits": {"cpus": 2}, "reservations": {"cpus": 0.5}}})
    assert {p: (s, r, e) for p, s, r, e in rated(left, web(deploy={"resources": {}}))} == {
        "/services/web/deploy/resources/limits": ("high", "resource-drift", "limits set only in staging"),
        "/services/web/deploy/resources/reservations": ("medium", "resource-drift",
                                                        "reservations set only in staging"),
    }
    one_sided = rated(web(deploy={"resources": {"limits": {"cpus": 2, "memory": 1}}}),
                      web(deploy={"resources": {"limits": {"memory": 1}}}))
    assert one_sided == [("/services/web/deploy/resources/limits/cpus", "high", "resource-drift",
                          "cpus limit set only in staging")]


def test_a_probe_on_one_side_only_is_high() -> None:
    probe = {"test": ["HTTP-GET", "http://localhost:8000/ready"], "interval": 5}
    assert rated(web(), web(readiness=probe))[0][:3] == ("/services/web/readiness", "high", "probe-only-on-one-side")
    assert rated(web(healthcheck=probe), web())[0][:3] == ("/services/web/healthcheck", "high",
                                                           "probe-only-on-one-side")


def test_a_config_map_or_secret_missing_on_one_side_is_high() -> None:
    left = {"kubernetes": {"Secret": {"tls": {"data": {"tls.key": "k"}}}, "ConfigMap": {"app": {"data": {"A": "1"}}}}}
    found = {p: (s, r) for p, s, r, _ in rated(left, {"kubernetes": {"Secret": {}, "ConfigMap": {}}})}
    assert found == {
        "/kubernetes/Secret/tls": ("high", "config-object-only-on-one-side"),
        "/kubernetes/ConfigMap/app": ("high", "config-object-only-on-one-side"),
    }


def test_config_data_drift_is_medium() -> None:
    left = {"kubernetes": {"ConfigMap": {"app": {"data": {"A": "1"}}}}}
    right = {"kubernetes": {"ConfigMap": {"app": {"data": {"A": "2", "B": "x"}}}}}
    assert {(p, s, r) for p, s, r, _ in rated(left, right)} == {
        ("/kubernetes/ConfigMap/app/data/A", "medium", "config-data-drift"),
        ("/kubernetes/ConfigMap/app/data/B", "medium", "config-data-drift"),
    }
