"""Severity is earned: every rule beside a real-looking case that must not trip it.

Each row is (what a reviewer sees, the baseline tree, the other tree, the pointer, the rule and
severity expected there). The false positives come from real projects' files: a dev API on
``http://localhost:3002`` against the public ``https://`` one, ``FROM scratch``, a currency
``CONVERSION`` rate, a proxy's routing labels.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest

from parity_gui.core.tree import Environment
from parity_gui.engine import compare
from parity_gui.engine.images import url_scheme
from parity_gui.engine.rules import VERSION_NAME


def image(ref: str, registry: str = "docker.io") -> dict[str, Any]:
    repository, _, tag = ref.partition(":")
    return {"registry": registry, "repository": repository, "tag": tag or "latest", "digest": None}


def web(**environment: str) -> dict[str, Any]:
    return {"services": {"web": {"image": image("acme/shop-web:2.4.1"), "environment": environment}}}


def stage(**fields: Any) -> dict[str, Any]:
    return {"images": {"Dockerfile": fields}}


@dataclass(frozen=True)
class Row:
    case: str
    baseline: dict[str, Any]
    other: dict[str, Any]
    pointer: str
    rule: str
    severity: str


ROWS = [
    # different-backing-service: URLs
    Row("sqlite in dev, PostgreSQL in prod", web(DATABASE_URL="sqlite:////app/var/dev.sqlite3"),
        web(DATABASE_URL="postgres://shop@db:5432/shop"), "/services/web/environment/DATABASE_URL",
        "different-backing-service", "critical"),
    Row("false positive: a local dev API against the public one over TLS",
        web(API_URL="http://localhost:3002"), web(API_URL="https://api.shop.example.com"),
        "/services/web/environment/API_URL", "value-changed", "medium"),
    Row("false positive: the same Redis with TLS", web(CACHE_URL="redis://cache:6379/0"),
        web(CACHE_URL="rediss://shop-cache.abc123.euw1.cache.amazonaws.com:6380/0"),
        "/services/web/environment/CACHE_URL", "value-changed", "medium"),
    Row("false positive: a SQLAlchemy driver suffix", web(DATABASE_URL="postgresql+psycopg://shop@db/shop"),
        web(DATABASE_URL="postgres://shop@prod-db.internal/shop"), "/services/web/environment/DATABASE_URL",
        "value-changed", "medium"),
    Row("a broker moved to a web hook", web(EVENTS_URL="amqp://guest@rabbitmq:5672/"),
        web(EVENTS_URL="https://hooks.example.com/events"), "/services/web/environment/EVENTS_URL",
        "different-backing-service", "critical"),
    # different-backing-service: images
    Row("PostgreSQL against MySQL", {"services": {"db": {"image": image("library/postgres:16")}}},
        {"services": {"db": {"image": image("library/mysql:8.0")}}}, "/services/db/image/repository",
        "different-backing-service", "critical"),
    Row("false positive: PostgreSQL from Bitnami", {"services": {"db": {"image": image("library/postgres:16")}}},
        {"services": {"db": {"image": image("bitnami/postgresql:16")}}}, "/services/db/image/repository",
        "image-repository-changed", "high"),
    Row("false positive: a team's own build of the database image",
        {"services": {"db": {"image": image("library/postgres:16")}}},
        {"services": {"db": {"image": image("acme/shop-db:16")}}}, "/services/db/image/repository",
        "image-repository-changed", "high"),
    # service-only-on-one-side
    Row("a mail catcher only in dev", {"services": {}},
        {"services": {"mail": {"image": image("mailhog/mailhog:v1.0.1")}}}, "/services/mail",
        "service-only-on-one-side", "high"),
    Row("false positive: one service named after each environment",
        {"services": {"api-dev": {"image": image("acme/shop-api:2.4.1")}}},
        {"services": {"api-prod": {"image": image("acme/shop-api:2.5.0")}}}, "/services/api-dev/image/tag",
        "image-version-drift", "high"),
    # unpinned-image
    Row("prod floats on latest", {"services": {"web": {"image": image("acme/shop-web:2.4.1")}}},
        {"services": {"web": {"image": image("acme/shop-web")}}}, "/services/web/image/tag", "unpinned-image", "high"),
    Row("false positive: FROM scratch does not float", stage(base=image("library/scratch")),
        stage(base=image("library/alpine:3.19")), "/images/Dockerfile/base/tag", "image-version-drift", "medium"),
    # image-version-drift
    Row("a major database upgrade", {"services": {"db": {"image": image("library/postgres:13")}}},
        {"services": {"db": {"image": image("library/postgres:16.2")}}}, "/services/db/image/tag",
        "image-version-drift", "high"),
    Row("false positive: another variant", {"services": {"db": {"image": image("library/postgres:16.2")}}},
        {"services": {"db": {"image": image("library/postgres:16.2-alpine")}}}, "/services/db/image/tag",
        "image-version-drift", "medium"),
    # version-drift
    Row("a minor Python bump in a build arg", stage(args={"PYTHON_VERSION": "3.11"}),
        stage(args={"PYTHON_VERSION": "3.12"}), "/images/Dockerfile/args/PYTHON_VERSION", "version-drift", "high"),
    Row("false positive: a currency CONVERSION rate is no version",
        web(EUR_USD_CONVERSION="1.08"), web(EUR_USD_CONVERSION="1.09"),
        "/services/web/environment/EUR_USD_CONVERSION", "value-changed", "medium"),
    Row("a Terraform engine_version", {"infrastructure": {"aws_db_instance.main": {"engine_version": "15.4"}}},
        {"infrastructure": {"aws_db_instance.main": {"engine_version": "16.1"}}},
        "/infrastructure/aws_db_instance.main/engine_version", "version-drift", "high"),
    # image-repository-changed
    Row("another application image", {"services": {"web": {"image": image("acme/shop-web:2.4.1")}}},
        {"services": {"web": {"image": image("acme/shop-web-legacy:2.4.1")}}}, "/services/web/image/repository",
        "image-repository-changed", "high"),
    Row("false positive: the same image through a registry mirror",
        {"services": {"web": {"image": image("library/nginx:1.25")}}},
        {"services": {"web": {"image": image("library/nginx:1.25", "mirror.gcr.io")}}},
        "/services/web/image/registry", "value-changed", "low"),
    # image-digest-drift
    Row("one tag 2 digests", {"services": {"web": {"image": {**image("library/nginx:1.25"), "digest": "sha256:aa"}}}},
        {"services": {"web": {"image": {**image("library/nginx:1.25"), "digest": "sha256:bb"}}}},
        "/services/web/image/digest", "image-digest-drift", "medium"),
    # variable-only-on-one-side
    Row("a variable set only in prod", web(), web(SENTRY_DSN_ENABLED="1"),
        "/services/web/environment/SENTRY_DSN_ENABLED", "variable-only-on-one-side", "medium"),
    Row("false positive: a variable left empty on one side is set on both", web(SENTRY_DSN_ENABLED=""),
        web(SENTRY_DSN_ENABLED="1"), "/services/web/environment/SENTRY_DSN_ENABLED", "value-changed", "medium"),
    # labels
    Row("a descriptive label", {"services": {"web": {"labels": {"org.opencontainers.image.version": "2.4.1"}}}},
        {"services": {"web": {"labels": {"org.opencontainers.image.version": "2.4.2"}}}},
        "/services/web/labels/org.opencontainers.image.version", "labels", "low"),
    Row("false positive of 'labels are metadata': a reverse proxy's route",
        {"services": {"web": {"labels": {"traefik.http.routers.web.rule": "Host(`shop.localhost`)"}}}},
        {"services": {"web": {"labels": {"traefik.http.routers.web.rule": "Host(`shop.example.com`)"}}}},
        "/services/web/labels/traefik.http.routers.web.rule", "labels", "medium"),
    # named-after-environment
    Row("a resource named after its environment", {"infrastructure": {"azurerm_resource_group.app": {
        "name": "rn-dev-app"}}}, {"infrastructure": {"azurerm_resource_group.app": {"name": "rn-prod-app"}}},
        "/infrastructure/azurerm_resource_group.app/name", "named-after-environment", "info"),
    Row("false positive: another host, not only another name", web(API_URL="https://dev-api.shop.example.com"),
        web(API_URL="https://api.shop.example.com"), "/services/web/environment/API_URL", "value-changed", "medium"),
    Row("false positive: an image tagged per environment is another image",
        {"services": {"web": {"image": image("acme/shop-web:dev")}}},
        {"services": {"web": {"image": image("acme/shop-web:prod")}}}, "/services/web/image/tag",
        "image-version-drift", "medium"),
    Row("false positive: a secret named after its environment still changed", web(DB_PASSWORD="dev-secret"),
        web(DB_PASSWORD="prod-secret"), "/services/web/environment/DB_PASSWORD", "value-changed", "medium"),
    # value-changed
    Row("a restart policy", {"services": {"web": {"restart": "no"}}}, {"services": {"web": {"restart": "always"}}},
        "/services/web/restart", "value-changed", "medium"),
    Row("a container name is cosmetic", {"services": {"web": {"container_name": "shop-web-dev"}}},
        {"services": {"web": {"container_name": "shop-web"}}}, "/services/web/container_name", "value-changed", "low"),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.case)
def test_each_rule_speaks_only_where_it_is_earned(row: Row) -> None:
    comparison = compare(Environment("dev", "dev", tree=row.baseline), Environment("prod", "prod", tree=row.other))
    found = {d.pointer: (d.rule, d.severity.value) for d in comparison.drifts}
    assert found[row.pointer] == (row.rule, row.severity)


@pytest.mark.parametrize("text", ["a" * 200_000 + "://", "a+" * 100_000, "h" * 199_990 + "ttps://x"])
def test_the_scheme_pattern_is_linear_on_long_values(text: str) -> None:
    start = time.perf_counter()
    assert url_scheme(text) is None
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("name", ["_version" * 25_000, "x" * 200_000, "Version" * 28_000 + "!"])
def test_the_version_name_pattern_is_linear_on_long_names(name: str) -> None:
    start = time.perf_counter()
    VERSION_NAME.search(name)
    assert time.perf_counter() - start < 0.5
