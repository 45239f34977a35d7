from __future__ import annotations

from typing import Any

import pytest

from parity_gui.core.drift import DriftKind, Severity
from parity_gui.core.options import CompareOptions, ExpectedDifference, SeverityOverride
from parity_gui.core.origin import Origin
from parity_gui.core.pointer import PathGlob, from_pointer
from parity_gui.core.tree import MISSING, Coverage, Environment
from parity_gui.engine import compare
from parity_gui.errors import OptionsError


def env(name: str, tree: dict[str, Any], **kwargs: Any) -> Environment:
    return Environment(name, f"{name}.yml", tree=tree, **kwargs)


def service(image: str = "postgres", tag: str = "14.7", **extra: Any) -> dict[str, Any]:
    return {"image": {"registry": "docker.io", "repository": f"library/{image}", "tag": tag}, **extra}


def pointers(comparison: Any) -> dict[str, tuple[str, str]]:
    return {d.pointer: (d.kind.value, d.severity.value) for d in comparison.drifts}


def test_identical_environments_have_no_drift() -> None:
    tree = {"services": {"db": service(environment={"A": "1"})}}
    comparison = compare(env("dev", tree), env("prod", {"services": {"db": service(environment={"A": "1"})}}))
    assert comparison.drifts == ()
    assert comparison.summary().drift == 0


def test_changed_added_and_removed_are_reported_where_they_start() -> None:
    dev = env("dev", {"services": {"db": service(tag="13"), "mail": service("mailhog", "v1.0.1")}})
    prod = env("prod", {"services": {"db": service(tag="14.7"), "web": service("nginx", "1.25")}})
    found = pointers(compare(dev, prod))
    assert found == {
        "/services/db/image/tag": ("changed", "high"),
        "/services/mail": ("removed", "high"),
        "/services/web": ("added", "high"),
    }


def test_values_and_origins_hold_one_entry_per_environment_in_order() -> None:
    dev = env("dev", {"services": {"db": service(tag="13")}},
              origins={("services", "db", "image", "tag"): Origin("dev.yml", 4, 12)})
    prod = env("prod", {"services": {}})
    drift = compare(dev, prod).drifts[0]
    assert drift.values[0] == service(tag="13") and drift.values[1] is MISSING
    assert drift.origins == (Origin("dev.yml", 4, 12), None) or drift.origins[1] is None


def test_a_value_that_changes_type_is_a_change_at_that_path() -> None:
    dev = env("dev", {"services": {"web": {"healthcheck": {"test": ["CMD", "true"]}}}})
    prod = env("prod", {"services": {"web": {"healthcheck": "disabled"}}})
    assert pointers(compare(dev, prod)) == {"/services/web/healthcheck": ("changed", "medium")}


def test_three_environments_are_compared_against_the_first() -> None:
    base = env("prod", {"services": {"db": service(tag="14.7"), "cache": service("redis", "7.0")}})
    staging = env("staging", {"services": {"db": service(tag="14.7")}})
    dev = env("dev", {"services": {"db": service(tag="13"), "cache": service("redis", "7.0")}})
    comparison = compare(base, staging, dev)
    by_path = {d.pointer: d for d in comparison.drifts}
    assert set(by_path) == {"/services/db/image/tag", "/services/cache"}
    assert by_path["/services/db/image/tag"].values == ("14.7", "14.7", "13")
    assert by_path["/services/cache"].kind is DriftKind.REMOVED
    assert by_path["/services/cache"].values[1] is MISSING


def test_partial_presence_among_three_still_finds_changes_in_the_others() -> None:
    base = env("prod", {"services": {"db": service(tag="14.7")}})
    staging = env("staging", {"services": {}})
    dev = env("dev", {"services": {"db": service(tag="13")}})
    found = pointers(compare(base, staging, dev))
    assert set(found) == {"/services/db", "/services/db/image/tag"}


def test_a_comparison_needs_two_environments() -> None:
    with pytest.raises(OptionsError):
        compare(env("only", {}))


def test_expected_differences_stay_visible_with_their_reason_and_do_not_count() -> None:
    dev = env("dev", {"services": {"web": {"deploy": {"replicas": 1}, "user": "dev"}}})
    prod = env("prod", {"services": {"web": {"deploy": {"replicas": 3}, "user": "app"}}})
    options = CompareOptions(expected=(ExpectedDifference(PathGlob("/services/*/deploy/replicas"), "prod scales out"),))
    comparison = compare(dev, prod, options=options)
    replicas = comparison.drift_at(from_pointer("/services/web/deploy/replicas"))
    assert replicas is not None and replicas.expected and replicas.reason == "prod scales out"
    assert [d.pointer for d in comparison.unexpected] == ["/services/web/user"]
    assert comparison.summary().drift == 1 and comparison.summary().expected == 1


def test_expected_differences_can_be_limited_to_some_environments() -> None:
    glob = PathGlob("/services/*/user")
    options = CompareOptions(expected=(ExpectedDifference(glob, "qa runs as root", ("qa",)),))
    dev = env("dev", {"services": {"web": {"user": "root"}}})
    prod = env("prod", {"services": {"web": {"user": "app"}}})
    assert not compare(dev, prod, options=options).drifts[0].expected


def test_severity_overrides_replace_the_rule() -> None:
    options = CompareOptions(overrides=(SeverityOverride(PathGlob("/services/*/labels/**"), Severity.HIGH, "p:3"),))
    dev = env("dev", {"services": {"web": {"labels": {"team": "a"}}}})
    prod = env("prod", {"services": {"web": {"labels": {"team": "b"}}}})
    drift = compare(dev, prod, options=options).drifts[0]
    assert (drift.severity, drift.rule) == (Severity.HIGH, "severity-override")
    assert "p:3" in drift.explanation


def test_ignored_paths_are_not_compared() -> None:
    options = CompareOptions(ignore=(PathGlob("/services/*/labels"),))
    dev = env("dev", {"services": {"web": {"labels": {"team": "a"}, "user": "x"}}})
    prod = env("prod", {"services": {"web": {"labels": {"team": "b"}, "user": "x"}}})
    assert compare(dev, prod, options=options).drifts == ()


def test_options_are_validated_loudly() -> None:
    with pytest.raises(OptionsError):
        CompareOptions(expected=[ExpectedDifference(PathGlob("/x"), "r")])  # type: ignore[arg-type]
    with pytest.raises(OptionsError, match="needs a reason"):
        CompareOptions(expected=(ExpectedDifference(PathGlob("/x"), "  "),))


def test_drift_outside_shared_coverage_is_context_not_drift() -> None:
    compose = env("compose", {"services": {"web": {"user": "app"}}}, coverage=Coverage.of(["/services/**"]))
    live = env("live", {"services": {"web": {"user": "app"}}, "engine": {"version": "28.2"}},
               coverage=Coverage.of(["/services/**", "/engine/**"]))
    comparison = compare(compose, live)
    assert comparison.drifts == ()
    assert [d.pointer for d in comparison.context] == ["/engine"]
    assert comparison.context_at(("engine", "version")) is not None


def test_a_changed_list_says_what_changed_inside_it() -> None:
    dev = env("dev", {"services": {"web": {"command": ["gunicorn", "--workers", "2"]}}})
    prod = env("prod", {"services": {"web": {"command": ["gunicorn", "--workers", "4"]}}})
    drift = compare(dev, prod).drifts[0]
    assert drift.detail == "item 2: '2' → '4'"


def test_a_reordered_list_is_a_change_and_says_so() -> None:
    dev = env("dev", {"services": {"web": {"entrypoint": ["a", "b"]}}})
    prod = env("prod", {"services": {"web": {"entrypoint": ["b", "a"]}}})
    assert compare(dev, prod).drifts[0].detail == "same items in a different order"


def test_a_renamed_service_is_recognised() -> None:
    body = service("postgres", "14.7", environment={f"V{i}": str(i) for i in range(10)})
    dev = env("dev", {"services": {"db": body}})
    prod = env("prod", {"services": {"database": dict(body)}})
    details = {d.pointer: d.detail for d in compare(dev, prod).drifts}
    assert details == {
        "/services/db": "probably renamed to 'database'",
        "/services/database": "probably renamed from 'db'",
    }


def test_three_environments_list_each_changed_leaf_once_when_one_lacks_it() -> None:
    # Shaped like the shop example compared three ways (prod, dev, a bare compose file):
    # DATABASE_URL differs between two and is absent from the third.
    base = env("prod", {"variables": {"LOG_LEVEL": "warning"}, "services": {"web": {"environment": {
        "DATABASE_URL": "postgres://shop@db:5432/shop"}}}})
    dev = env("dev", {"variables": {"LOG_LEVEL": "debug"}, "services": {"web": {"environment": {
        "DATABASE_URL": "sqlite:////app/var/dev.sqlite3"}}}})
    bare = env("compose.yml", {"variables": {}, "services": {"web": {"environment": {}}}})
    comparison = compare(base, dev, bare)
    paths = [d.pointer for d in comparison.drifts]
    assert sorted(paths) == ["/services/web/environment/DATABASE_URL", "/variables/LOG_LEVEL"]
    level = next(d for d in comparison.drifts if d.pointer == "/variables/LOG_LEVEL")
    assert level.kind is DriftKind.REMOVED
    assert level.values == ("warning", "debug", MISSING)
