"""What the severity rules need to know about image references, tags and backing services."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Image names (last path segment) of well-known backing services, by family. Two images of the
#: same family (``postgres`` and ``bitnami/postgresql``) are the same kind of service.
BACKING_FAMILIES: dict[str, str] = {
    "postgres": "postgresql", "postgresql": "postgresql", "postgis": "postgresql",
    "timescaledb": "postgresql", "mysql": "mysql", "mariadb": "mariadb", "percona": "mysql",
    "mongo": "mongodb", "mongodb": "mongodb", "redis": "redis", "valkey": "redis",
    "keydb": "redis", "memcached": "memcached", "rabbitmq": "rabbitmq", "kafka": "kafka",
    "cp-kafka": "kafka", "zookeeper": "zookeeper", "elasticsearch": "elasticsearch",
    "opensearch": "opensearch", "cassandra": "cassandra", "couchdb": "couchdb",
    "neo4j": "neo4j", "nats": "nats", "minio": "s3", "localstack": "aws", "mssql-server": "mssql",
    "influxdb": "influxdb", "clickhouse-server": "clickhouse", "etcd": "etcd", "consul": "consul",
    "sqlite": "sqlite",
}

_VERSION = re.compile(r"^v?(?P<nums>\d+(?:\.\d+){0,3})(?P<suffix>[-_+].*)?$")


def family(repository: Any) -> str | None:
    """The backing-service family of an image repository (``library/postgres`` → postgresql)."""
    if not isinstance(repository, str) or not repository:
        return None
    return BACKING_FAMILIES.get(repository.rsplit("/", 1)[-1].lower())


def url_scheme(value: Any) -> str | None:
    """The scheme of a connection URL (``postgres://…`` → postgres), normalised by family."""
    if not isinstance(value, str):
        return None
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*)://", value)
    if not match:
        return None
    scheme = match.group(1).lower().split("+", 1)[0]
    aliases = {"postgresql": "postgres", "psql": "postgres", "rediss": "redis", "mongodb+srv": "mongodb"}
    return aliases.get(scheme, scheme)


@dataclass(frozen=True, slots=True)
class Version:
    """A tag read as a version: ``14.7-alpine`` → numbers (14, 7) and suffix ``-alpine``."""

    numbers: tuple[int, ...]
    suffix: str

    @classmethod
    def parse(cls, tag: Any) -> Version | None:
        if not isinstance(tag, str):
            return None
        match = _VERSION.match(tag)
        if not match:
            return None
        numbers = tuple(int(n) for n in match["nums"].split("."))
        return cls(numbers, match["suffix"] or "")


def version_change(old: Any, new: Any) -> str | None:
    """``major``, ``minor``, ``patch``, ``variant`` (same numbers, other suffix) or None.

    None means at least one tag is not a version (``latest``, ``stable``, ``bookworm``).
    Missing trailing numbers count as unknown, not zero: ``14`` against ``14.7`` is a minor
    change because ``14`` floats across minors.
    """
    a, b = Version.parse(old), Version.parse(new)
    if a is None or b is None:
        return None
    for level, name in enumerate(("major", "minor", "patch", "build")):
        x = a.numbers[level] if level < len(a.numbers) else None
        y = b.numbers[level] if level < len(b.numbers) else None
        if x != y:
            return "patch" if name == "build" else name
    return "variant" if a.suffix != b.suffix else None


def is_unpinned(tag: Any, digest: Any) -> bool:
    """An image that floats: tag ``latest`` (or none) and no digest."""
    return not digest and (tag in (None, "", "latest"))
