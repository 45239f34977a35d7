from __future__ import annotations

import pytest

from parity_gui.core.pointer import PathGlob, escape, from_pointer, is_prefix, to_pointer, unescape


@pytest.mark.parametrize(
    ("path", "pointer"),
    [
        ((), ""),
        (("services", "db", "image", "tag"), "/services/db/image/tag"),
        (("services", "web", "ports", "80/tcp"), "/services/web/ports/80~1tcp"),
        (("variables", "a~b"), "/variables/a~0b"),
        (("x", "~1"), "/x/~01"),
        (("", "empty key"), "//empty key"),
    ],
)
def test_pointers_round_trip_with_rfc6901_escaping(path: tuple[str, ...], pointer: str) -> None:
    assert to_pointer(path) == pointer
    assert from_pointer(pointer) == path


def test_unescape_replaces_tilde_one_before_tilde_zero() -> None:
    # RFC 6901 §4: "~01" is "~1", not "/"
    assert unescape("~01") == "~1"
    assert escape("~1") == "~01"


def test_a_pointer_must_start_with_a_slash() -> None:
    with pytest.raises(ValueError, match="starts with '/'"):
        from_pointer("services/db")


def test_prefixes() -> None:
    assert is_prefix(("services",), ("services", "db"))
    assert is_prefix((), ("services",))
    assert not is_prefix(("services", "db"), ("services", "dbx"))


@pytest.mark.parametrize(
    ("pattern", "pointer", "matches"),
    [
        ("/services/*/deploy/replicas", "/services/web/deploy/replicas", True),
        ("/services/*/deploy/replicas", "/services/web/deploy", False),
        ("/services/*/deploy/replicas", "/services/web/x/deploy/replicas", False),
        ("/infrastructure/**/instance_type", "/infrastructure/aws_instance.app/instance_type", True),
        ("/infrastructure/**/instance_type", "/infrastructure/module.a/b/c/instance_type", True),
        ("/**/instance_type", "/instance_type", True),
        ("/**", "/anything/at/all", True),
        ("/services/api-*/image", "/services/api-gateway/image", True),
        ("/services/api-*/image", "/services/web/image", False),
        ("/services/*/ports/80~1tcp", "/services/web/ports/80~1tcp", True),
    ],
)
def test_path_globs(pattern: str, pointer: str, matches: bool) -> None:
    assert PathGlob(pattern).matches(from_pointer(pointer)) is matches
