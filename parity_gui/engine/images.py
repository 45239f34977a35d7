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


#: URL schemes that name one kind of service under several spellings: TLS variants
#: (``https``, ``rediss``, ``amqps``) and driver suffixes (``postgresql+psycopg``) are the same
#: kind of service as the plain scheme.
SCHEME_ALIASES: dict[str, str] = {
    "postgresql": "postgres", "psql": "postgres", "pgsql": "postgres", "postgis": "postgres",
    "rediss": "redis", "valkey": "redis", "valkeys": "redis", "mongodb": "mongodb",
    "amqps": "amqp", "mysqlx": "mysql", "https": "http", "ws": "http", "wss": "http",
    "nats+tls": "nats", "tls": "nats", "memcache": "memcached", "sqlite3": "sqlite",
}
#: Schemes of backing services (databases, caches, brokers, search, object stores): a URL moving
#: between two of these, or between one and a plain web address, points at another service kind.
BACKING_SCHEMES = frozenset({
    "postgres", "mysql", "mariadb", "sqlite", "mongodb", "redis", "memcached", "amqp", "kafka",
    "nats", "elasticsearch", "opensearch", "cassandra", "couchdb", "neo4j", "bolt", "mssql",
    "sqlserver", "oracle", "clickhouse", "influxdb", "etcd", "s3", "gs", "zookeeper",
})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]{0,31})://")


def url_scheme(value: Any) -> str | None:
    """The kind of service a URL names (``postgresql+psycopg://…`` → postgres, ``https`` → http)."""
    if not isinstance(value, str):
        return None
    match = _SCHEME.match(value)
    if not match:
        return None
    scheme = match.group(1).lower().split("+", 1)[0]
    return SCHEME_ALIASES.get(scheme, scheme)


def points_at_other_service(schemes: set[str | None]) -> bool:
    """True when URLs with these schemes name different kinds of service, one a backing service:
    ``sqlite`` vs ``postgres`` does; ``http://localhost:3002`` vs ``https://host`` does not."""
    if None in schemes or len(schemes) < 2:
        return False
    return bool(schemes & BACKING_SCHEMES)


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


def is_unpinned(tag: Any, digest: Any, repository: Any = None) -> bool:
    """An image that floats: tag ``latest`` (or none) and no digest. ``scratch`` (the empty
    image of ``FROM scratch``) never floats: nothing is pulled."""
    if repository in ("scratch", "library/scratch"):
        return False
    return not digest and (tag in (None, "", "latest"))
