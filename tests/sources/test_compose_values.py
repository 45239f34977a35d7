"""The small languages inside compose files: durations, sizes, image references, ports, volumes."""

from __future__ import annotations

import pytest

from parity_gui.sources.compose.values import (
    RANDOM_PORT,
    duration_seconds,
    image_problem,
    key_value,
    parse_image,
    parse_port,
    parse_tmpfs,
    parse_volume,
    shell_words,
    size_bytes,
)


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("1m30s", 90),
        ("500ms", 0.5),
        ("1h", 3600),
        ("30s", 30),
        ("1.5s", 1.5),
        ("2h45m", 9900),
        ("0", 0),
        ("100us", 0.0001),
        ("10", 10),
        (10, 10),
    ],
)
def test_go_durations_become_seconds(written: str | int, seconds: float) -> None:
    assert duration_seconds(written) == seconds


def test_whole_durations_are_ints_and_fractions_floats() -> None:
    assert isinstance(duration_seconds("1m"), int)
    assert isinstance(duration_seconds("250ms"), float)


@pytest.mark.parametrize("written", ["", "1x", "m", "1m30", "ten seconds", "1s 2s"])
def test_a_duration_that_is_not_one_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match=r"not a duration|empty duration"):
        duration_seconds(written)


@pytest.mark.parametrize(
    ("written", "size"),
    [
        ("512m", 512 * 1024**2),
        ("512M", 512 * 1024**2),
        ("1.5g", int(1.5 * 1024**3)),
        ("1gb", 1024**3),
        ("2GiB", 2 * 1024**3),
        ("64k", 65536),
        ("100b", 100),
        ("1000", 1000),
        (1000000, 1000000),
    ],
)
def test_sizes_become_bytes_like_docker_reads_them(written: str | int, size: int) -> None:
    assert size_bytes(written) == size


@pytest.mark.parametrize("written", ["lots", "1.5.5g", "-1m", "1 z"])
def test_a_size_that_is_not_one_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match="not a size"):
        size_bytes(written)


@pytest.mark.parametrize(
    ("reference", "registry", "repository", "tag", "digest"),
    [
        ("postgres:14.7", "docker.io", "library/postgres", "14.7", None),
        ("postgres", "docker.io", "library/postgres", None, None),
        ("bitnami/redis:7.0", "docker.io", "bitnami/redis", "7.0", None),
        ("docker.io/library/nginx:1.25-alpine", "docker.io", "library/nginx", "1.25-alpine", None),
        ("index.docker.io/nginx", "docker.io", "library/nginx", None, None),
        ("localhost:5000/x", "localhost:5000", "x", None, None),
        ("localhost/x:dev", "localhost", "x", "dev", None),
        ("ghcr.io/acme/api@sha256:" + "a" * 64, "ghcr.io", "acme/api", None, "sha256:" + "a" * 64),
        ("ghcr.io/acme/api:1.2@sha256:" + "b" * 64, "ghcr.io", "acme/api", "1.2", "sha256:" + "b" * 64),
        ("registry.example.com:8443/team/app/worker:2024.01", "registry.example.com:8443",
         "team/app/worker", "2024.01", None),
    ],
)
def test_image_references_split_into_registry_repository_tag_digest(
    reference: str, registry: str, repository: str, tag: str | None, digest: str | None
) -> None:
    image = parse_image(reference)
    assert (image.registry, image.repository, image.tag, image.digest) == (registry, repository, tag, digest)
    assert image_problem(image) is None


@pytest.mark.parametrize("reference", ["Postgres:14", "postgres:", "nginx@sha256:zz", "a b"])
def test_a_reference_docker_would_refuse_is_named(reference: str) -> None:
    assert image_problem(parse_image(reference)) is not None


@pytest.mark.parametrize(
    ("written", "bindings"),
    [
        ("80", [("80/tcp", RANDOM_PORT)]),
        ("8080:80", [("80/tcp", "8080")]),
        ("127.0.0.1:8080:80/tcp", [("80/tcp", "127.0.0.1:8080")]),
        ("127.0.0.1::80", [("80/tcp", "127.0.0.1:" + RANDOM_PORT)]),
        ("[::1]:8080:80", [("80/tcp", "[::1]:8080")]),
        ("53:53/udp", [("53/udp", "53")]),
        ("8000-8002:8000-8002", [("8000/tcp", "8000"), ("8001/tcp", "8001"), ("8002/tcp", "8002")]),
        ("9000-9001:80", [("80/tcp", "9000-9001")]),
        ("3000-3001", [("3000/tcp", RANDOM_PORT), ("3001/tcp", RANDOM_PORT)]),
    ],
)
def test_short_port_syntax_gives_bindings_per_container_port(
    written: str, bindings: list[tuple[str, str]]
) -> None:
    assert parse_port(written) == bindings


@pytest.mark.parametrize("written", ["http", "8080:80:90:100", "8000-8002:80-81", "70000", "80/"])
def test_a_port_that_is_not_one_is_refused(written: str) -> None:
    with pytest.raises(ValueError, match=r"port|range"):
        parse_port(written)


def test_short_volume_syntax_tells_bind_named_and_anonymous_apart() -> None:
    bind = parse_volume("./data:/var/lib/x:ro")
    assert (bind.type, bind.source, bind.target, bind.read_only) == ("bind", "./data", "/var/lib/x", True)
    named = parse_volume("pgdata:/var/lib/postgresql/data")
    assert (named.type, named.source, named.read_only) == ("volume", "pgdata", None)
    anonymous = parse_volume("/data")
    assert (anonymous.type, anonymous.source, anonymous.target) == ("volume", None, "/data")


def test_volume_modes_become_options() -> None:
    bind = parse_volume("/srv/app:/app:ro,z,rslave")
    assert bind.options == {"bind": {"selinux": "z", "propagation": "rslave"}}
    volume = parse_volume("cache:/cache:nocopy")
    assert volume.options == {"volume": {"nocopy": True}}


def test_windows_host_paths_are_binds() -> None:
    volume = parse_volume("C:\\data:/data")
    assert (volume.type, volume.source, volume.target) == ("bind", "C:\\data", "/data")


def test_an_unknown_volume_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown volume mode 'rx'"):
        parse_volume("./a:/a:rx")


def test_commands_split_like_a_shell() -> None:
    assert shell_words('gunicorn app:app --bind "0.0.0.0:8000" -w 4') == [
        "gunicorn", "app:app", "--bind", "0.0.0.0:8000", "-w", "4",
    ]
    assert shell_words("sh -c 'echo $$HOME && sleep 1'") == ["sh", "-c", "echo $$HOME && sleep 1"]


def test_an_unclosed_quote_in_a_command_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot split"):
        shell_words('echo "hello')


def test_key_value_keeps_everything_after_the_first_separator() -> None:
    assert key_value("URL=postgres://u:p@db/x?a=b") == ("URL", "postgres://u:p@db/x?a=b")
    assert key_value("PASSTHROUGH") == ("PASSTHROUGH", None)
    assert key_value("EMPTY=") == ("EMPTY", "")
    assert key_value("db.local:10.0.0.5", "=:") == ("db.local", "10.0.0.5")


def test_tmpfs_entries_keep_their_options() -> None:
    assert parse_tmpfs("/run") == ("/run", {})
    assert parse_tmpfs("/tmp:size=64m,mode=1777") == ("/tmp", {"size": "64m", "mode": "1777"})
