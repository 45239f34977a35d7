"""Alias and merge-key bombs, recursive aliases and deep nesting end in a one-line diagnostic,
quickly and within memory, and never in a RecursionError."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from parity_gui.errors import LimitExceeded, ParityError, ParseError
from parity_gui.sources import registry
from tests.hostile import inputs
from tests.hostile.conftest import attempt


def load_in_process(path: Path) -> object:
    """The file's loader called directly, so the memory ceiling measures the parse itself."""
    spec_file = registry.parse_file(path.name, path.parent)
    return registry.load_files([spec_file], "hostile", path.name)


def refused(path: Path) -> ParityError:
    """The error loading ``path`` ends in, in process and through :func:`registry.load`."""
    direct = attempt(lambda: load_in_process(path))
    assert isinstance(direct, ParityError), f"{path.name} loaded: {direct!r}"
    isolated = attempt(lambda: registry.load(path.name, base=path.parent))
    assert isinstance(isolated, ParityError)
    assert type(isolated) is type(direct)
    assert str(isolated) == str(direct)
    return direct


@pytest.mark.timeout(10)
def test_the_342_byte_alias_bomb_is_refused_before_it_expands(untouched: Path, frozen: Callable[[], None]) -> None:
    text = inputs.yaml_alias_bomb()
    assert len(text.encode()) <= 400
    path = untouched / "compose.yml"
    path.write_text(text)
    frozen()
    error = refused(path)
    assert isinstance(error, LimitExceeded)
    assert "alias" in error.message
    assert error.file == path.name and error.line is not None


@pytest.mark.timeout(10)
def test_a_merge_key_bomb_is_refused_before_it_expands(untouched: Path, frozen: Callable[[], None]) -> None:
    text = inputs.yaml_merge_bomb()
    assert len(text.encode()) <= 5000
    path = untouched / "compose.yml"
    path.write_text(text)
    frozen()
    error = refused(path)
    assert isinstance(error, LimitExceeded)
    assert error.line is not None


@pytest.mark.timeout(10)
@pytest.mark.parametrize("text", [inputs.RECURSIVE_ALIAS, inputs.SELF_MERGE], ids=["alias", "self-merge"])
def test_an_alias_inside_its_own_anchor_is_an_error_not_a_null(
    untouched: Path, frozen: Callable[[], None], text: str
) -> None:
    path = untouched / "docker-compose.yml"
    path.write_text(text)
    frozen()
    error = refused(path)
    assert isinstance(error, ParseError)
    assert "recursive alias" in error.message
    assert error.line is not None


NESTED: list[tuple[str, Callable[[], str]]] = [
    ("compose.yml", inputs.yaml_flow_nesting),
    ("compose.yaml", inputs.yaml_block_nesting),
    ("prod.tfvars.json", inputs.json_nesting),
    ("prod.tfvars", inputs.hcl_list_nesting),
    ("main.tf", inputs.hcl_object_nesting),
    ("network.tf", inputs.hcl_block_nesting),
]


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("name", "make"), NESTED, ids=[n for n, _ in NESTED])
def test_nesting_ten_thousand_deep_is_refused_by_depth(
    untouched: Path, frozen: Callable[[], None], name: str, make: Callable[[], str]
) -> None:
    path = untouched / name
    path.write_text(make())
    frozen()
    limit = sys.getrecursionlimit()
    error = refused(path)
    assert sys.getrecursionlimit() == limit
    assert isinstance(error, LimitExceeded)
    assert "deep" in error.message or "nests" in error.message
    assert error.file == path.name and error.line is not None
    assert not isinstance(error.__cause__, RecursionError)


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("name", "make"), NESTED, ids=[n for n, _ in NESTED])
def test_nesting_forty_deep_still_loads_or_fails_for_its_own_reasons(
    untouched: Path, name: str, make: Callable[[], str]
) -> None:
    path = untouched / name
    path.write_text(make(40))  # type: ignore[call-arg]
    outcome = attempt(lambda: load_in_process(path))
    assert not isinstance(outcome, LimitExceeded), outcome


@pytest.mark.timeout(10)
def test_a_small_file_may_not_expand_to_a_huge_tree(untouched: Path) -> None:
    """Eight levels of five aliases: 390,625 values from 300 bytes, under the absolute cap."""
    lines = ['a: &a ["x","x","x","x","x"]']
    names = "abcdefgh"
    lines += [f"{n}: &{n} [{','.join(['*' + p] * 5)}]" for p, n in itertools.pairwise(names)]
    path = untouched / "compose.yml"
    path.write_text("\n".join(lines) + "\n")
    error = refused(path)
    assert isinstance(error, LimitExceeded) and "alias" in error.message


@pytest.mark.timeout(10)
def test_anchors_reused_across_many_services_still_load(untouched: Path) -> None:
    common = "x-common: &common\n  restart: always\n  environment: &env\n" + "".join(
        f"    VAR_{i}: value-{i}\n" for i in range(40)
    )
    services = "services:\n" + "".join(f"  svc{i}:\n    <<: *common\n    image: app:{i}\n" for i in range(300))
    path = untouched / "compose.yml"
    path.write_text(common + services)
    env = attempt(lambda: load_in_process(path))
    assert not isinstance(env, ParityError), env
