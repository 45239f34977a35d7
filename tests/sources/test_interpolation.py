"""Compose's ``${…}`` interpolation: every form, nesting, escapes, errors and limits."""

from __future__ import annotations

import pytest

from parity_gui.errors import LimitExceeded, ParseError
from parity_gui.sources.interpolation import MAX_NESTING, Substitution, interpolate

VARIABLES = {"TAG": "14.7", "EMPTY": "", "REGISTRY": "registry.example.com", "PORT": "8080"}


def expand(text: str) -> str:
    return interpolate(text, VARIABLES.get)[0]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("postgres:$TAG", "postgres:14.7"),
        ("postgres:${TAG}", "postgres:14.7"),
        ("${REGISTRY}/shop/api:${TAG}", "registry.example.com/shop/api:14.7"),
        ("${TAG:-latest}", "14.7"),
        ("${UNSET:-latest}", "latest"),
        ("${EMPTY:-latest}", "latest"),
        ("${EMPTY-latest}", ""),
        ("${UNSET-latest}", "latest"),
        ("${TAG:+pinned}", "pinned"),
        ("${EMPTY:+pinned}", ""),
        ("${EMPTY+pinned}", "pinned"),
        ("${UNSET+pinned}", ""),
        ("${UNSET:-${ALSO_UNSET:-13}}", "13"),
        ("${UNSET:-${TAG:-13}}", "14.7"),
        ("${UNSET:-$PORT}", "8080"),
        ("${UNSET:-http://localhost:${PORT}/health}", "http://localhost:8080/health"),
        ("${TAG:-${UNSET}}", "14.7"),
        ("${UNSET:-}", ""),
        ("${UNSET:-a-b:c}", "a-b:c"),
        ("${UNSET:-{\"json\": 1}}", '{"json": 1}'),
        ("echo $$HOME", "echo $HOME"),
        ("price: $$5 and $$$$", "price: $5 and $$"),
        ("$$${TAG}", "$14.7"),
        ("cost $5", "cost $5"),
        ("a $ b", "a $ b"),
        ("trailing $", "trailing $"),
        ("$-x", "$-x"),
        ("${TAG}${TAG}", "14.714.7"),
        ("no references at all", "no references at all"),
        ("$TAG_SUFFIX", ""),
        ("${TAG}_SUFFIX", "14.7_SUFFIX"),
    ],
)
def test_every_form_expands_like_compose(written: str, expected: str) -> None:
    assert expand(written) == expected


def test_an_unset_variable_without_default_is_empty_and_missing() -> None:
    result, found = interpolate("image: app:${VERSION}", VARIABLES.get)
    assert result == "image: app:"
    assert found == [Substitution("VERSION", 11, True, None)]


def test_defaults_and_set_variables_are_not_missing() -> None:
    _, found = interpolate("$TAG ${UNSET:-x} ${UNSET-y} ${UNSET:+z}", VARIABLES.get)
    assert [(s.name, s.missing) for s in found] == [
        ("TAG", False), ("UNSET", False), ("UNSET", False), ("UNSET", False),
    ]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("${DB_PASSWORD:?set it in .env}", "required variable DB_PASSWORD is missing a value: "
                                           "set it in .env"),
        ("${DB_PASSWORD?}", "required variable DB_PASSWORD is missing a value"),
        ("${EMPTY:?must not be empty}", "required variable EMPTY is missing a value: "
                                        "must not be empty"),
    ],
)
def test_a_missing_required_variable_carries_composes_message(written: str, message: str) -> None:
    result, found = interpolate(f"pw={written}", VARIABLES.get)
    assert result == "pw="
    assert found[-1].message == message
    assert found[-1].missing
    assert found[-1].offset == 3


def test_a_set_required_variable_is_just_its_value() -> None:
    expected = ("14.7", [Substitution("TAG", 0, False, None)])
    assert interpolate("${TAG:?needed}", VARIABLES.get) == expected
    assert expand("${EMPTY?needed}") == ""


def test_unused_defaults_are_not_looked_up() -> None:
    asked: list[str] = []

    def lookup(name: str) -> str | None:
        asked.append(name)
        return VARIABLES.get(name)

    assert interpolate("${TAG:-${EXPENSIVE}}", lookup)[0] == "14.7"
    assert asked == ["TAG"]


def test_substituted_values_are_never_read_again() -> None:
    assert interpolate("${A}", {"A": "${B}", "B": "no"}.get)[0] == "${B}"
    assert interpolate("$A", {"A": "$$"}.get)[0] == "$$"


def test_offsets_of_nested_references_are_in_the_whole_text() -> None:
    _, found = interpolate("x ${UNSET:-${PORT}}", VARIABLES.get)
    assert [(s.name, s.offset) for s in found] == [("PORT", 11), ("UNSET", 2)]


@pytest.mark.parametrize("written", ["${TAG", "image: ${TAG:-14", "${UNSET:-${TAG}", "${", "a ${X:-{y}"])
def test_an_unclosed_reference_is_an_error(written: str) -> None:
    with pytest.raises(ParseError, match=r"unclosed '\$\{'"):
        expand(written)


def test_an_unclosed_reference_does_not_show_its_default() -> None:
    with pytest.raises(ParseError) as caught:
        expand("PASSWORD=${DB_PASSWORD:-hunter2")
    assert "hunter2" not in str(caught.value)
    assert "DB_PASSWORD" in str(caught.value)


@pytest.mark.parametrize("written", ["${}", "${ TAG}", "${TAG:x}", "${1TAG}", "${TAG/x/y}"])
def test_an_invalid_reference_is_an_error(written: str) -> None:
    with pytest.raises(ParseError, match="invalid interpolation format"):
        expand(written)


def test_a_result_past_the_length_limit_is_refused() -> None:
    with pytest.raises(LimitExceeded, match="longer than 100 characters"):
        interpolate("$A$A$A", {"A": "x" * 40}.get, max_length=100)
    assert len(interpolate("$A$A", {"A": "x" * 50}.get, max_length=100)[0]) == 100


def test_a_long_text_without_references_is_also_bounded() -> None:
    with pytest.raises(LimitExceeded):
        interpolate("x" * 101, VARIABLES.get, max_length=100)


def test_defaults_nested_too_deep_are_refused() -> None:
    fine = "${U:-" * (MAX_NESTING - 1) + "x" + "}" * (MAX_NESTING - 1)
    assert expand(fine) == "x"
    with pytest.raises(LimitExceeded, match="nests deeper"):
        expand("${U:-" * (MAX_NESTING + 1) + "x" + "}" * (MAX_NESTING + 1))


@pytest.mark.timeout(30)
def test_long_texts_with_many_references_expand_whole() -> None:
    unused_defaults = "${TAG:-" + "${U:-x}" * 20_000 + "}"
    many = "$TAG " * 50_000
    assert expand(unused_defaults) == "14.7"
    assert len(expand(many)) == 5 * 50_000
