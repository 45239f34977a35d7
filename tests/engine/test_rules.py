"""Each severity rule, named so a report can say why."""

from __future__ import annotations

from typing import Any

import pytest

from parity_gui.core.drift import Severity
from parity_gui.core.tree import Environment
from parity_gui.engine import compare
from parity_gui.engine.images import version_change


def image(ref: str) -> dict[str, Any]:
    repository, _, tag = ref.partition(":")
    out: dict[str, Any] = {"registry": "docker.io", "repository": repository}
    if tag:
        out["tag"] = tag
    return out


def rated(left: dict[str, Any], right: dict[str, Any]) -> list[tuple[str, str, str]]:
    comparison = compare(Environment("dev", "a", tree=left), Environment("prod", "b", tree=right))
    return [(d.pointer, d.severity.value, d.rule) for d in comparison.drifts]


def svc(**services: Any) -> dict[str, Any]:
    return {"services": services}


def test_a_different_database_engine_is_critical() -> None:
    result = rated(svc(db={"image": image("library/postgres:14")}), svc(db={"image": image("library/mysql:8")}))
    assert result[0] == ("/services/db/image/repository", "critical", "different-backing-service")


def test_a_database_service_missing_on_one_side_is_critical() -> None:
    left = svc(web={"image": image("acme/web:1")}, cache={"image": image("library/redis:7.0")})
    assert rated(left, svc(web={"image": image("acme/web:1")})) == [
        ("/services/cache", "critical", "different-backing-service")
    ]


def test_sqlite_in_dev_against_postgres_in_prod_is_critical() -> None:
    left = svc(web={"environment": {"DATABASE_URL": "sqlite:////app/dev.sqlite3"}})
    right = svc(web={"environment": {"DATABASE_URL": "postgres://shop@db/shop"}})
    assert rated(left, right) == [
        ("/services/web/environment/DATABASE_URL", "critical", "different-backing-service")
    ]


def test_same_backing_service_at_another_address_is_not_critical() -> None:
    left = svc(web={"environment": {"DATABASE_URL": "postgresql://db/shop"}})
    right = svc(web={"environment": {"DATABASE_URL": "postgres://prod-db/shop"}})
    assert rated(left, right)[0][1] == "medium"


def test_an_application_service_only_on_one_side_is_high() -> None:
    assert rated(svc(), svc(mail={"image": image("mailhog/mailhog:v1.0.1")})) == [
        ("/services/mail", "high", "service-only-on-one-side")
    ]


@pytest.mark.parametrize(
    ("old", "new", "severity"),
    [
        ("13", "14.7", "high"),  # major
        ("6.2-alpine", "7.0-alpine", "high"),
        ("14.6", "14.7", "high"),  # minor
        ("1.2.3", "1.2.4", "medium"),  # patch
        ("14.7-alpine", "14.7-bookworm", "medium"),  # variant
        ("stable", "mainline", "medium"),  # not versions
    ],
)
def test_image_tag_drift_is_rated_by_semantic_version(old: str, new: str, severity: str) -> None:
    left, right = image(f"library/postgres:{old}"), image(f"library/postgres:{new}")
    result = rated(svc(db={"image": left}), svc(db={"image": right}))
    assert result == [("/services/db/image/tag", severity, "image-version-drift")]


def test_an_image_on_latest_is_high_whatever_the_other_side() -> None:
    left = svc(worker={"image": image("acme/worker:latest")})
    right = svc(worker={"image": image("acme/worker:2.3.1")})
    assert rated(left, right) == [("/services/worker/image/tag", "high", "unpinned-image")]


def test_a_digest_pins_an_image_even_on_latest() -> None:
    left = svc(w={"image": {**image("acme/w:latest"), "digest": "sha256:aaa"}})
    right = svc(w={"image": {**image("acme/w:1.0"), "digest": "sha256:aaa"}})
    assert rated(left, right) == [("/services/w/image/tag", "medium", "image-version-drift")]


def test_a_variable_only_on_one_side_is_medium() -> None:
    assert rated(svc(web={"environment": {"REDIS_URL": "redis://c"}}), svc(web={"environment": {}})) == [
        ("/services/web/environment/REDIS_URL", "medium", "variable-only-on-one-side")
    ]
    assert rated({"variables": {"A": "1"}}, {"variables": {}}) == [
        ("/variables/A", "medium", "variable-only-on-one-side")
    ]


@pytest.mark.parametrize(
    ("key", "severity"),
    [("environment", "medium"), ("ports", "medium"), ("user", "medium"), ("hostname", "low"), ("stop_signal", "low")],
)
def test_changed_values_are_rated_by_key(key: str, severity: str) -> None:
    left = svc(web={key: {"X": "1"}} if key in ("environment", "ports") else {key: "a"})
    right = svc(web={key: {"X": "2"}} if key in ("environment", "ports") else {key: "b"})
    assert rated(left, right)[0][1:] == (severity, "value-changed")


def test_labels_are_low() -> None:
    assert rated(svc(web={"labels": {"team": "a"}}), svc(web={"labels": {"team": "b"}})) == [
        ("/services/web/labels/team", "low", "labels")
    ]


def test_every_rating_explains_itself() -> None:
    comparison = compare(
        Environment("dev", "a", tree=svc(db={"image": image("library/postgres:13")})),
        Environment("prod", "b", tree=svc(db={"image": image("library/postgres:14.7")})),
    )
    assert comparison.drifts[0].explanation == "major version drift: 13 vs 14.7"
    assert comparison.drifts[0].severity is Severity.HIGH


@pytest.mark.parametrize(
    ("old", "new", "change"),
    [("14", "14.7", "minor"), ("v1.2.3", "v1.2.4", "patch"), ("1.25", "1.25", None), ("latest", "1", None)],
)
def test_version_changes(old: str, new: str, change: str | None) -> None:
    assert version_change(old, new) == change


@pytest.mark.parametrize(
    ("old", "new", "severity"), [("15.6", "16.2", "high"), ("16.1", "16.2", "high"), ("7.1.0", "7.1.1", "medium")]
)
def test_settings_named_version_are_rated_as_versions(old: str, new: str, severity: str) -> None:
    path = "aws_db_instance.main"
    left, right = {path: {"engine_version": old}}, {path: {"engine_version": new}}
    result = rated({"infrastructure": left}, {"infrastructure": right})
    assert result == [(f"/infrastructure/{path}/engine_version", severity, "version-drift")]


def test_a_terraform_variable_named_version_is_rated_as_a_version() -> None:
    left = {"infrastructure": {"variable.db_engine_version": {"value": "15.6"}}}
    right = {"infrastructure": {"variable.db_engine_version": {"value": "16.2"}}}
    assert rated(left, right)[0][1:] == ("high", "version-drift")
