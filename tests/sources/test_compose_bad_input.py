"""Bad compose input: each gives a one-line error naming the file and line, and never hangs (each
test is stopped after a generous limit; how fast errors come is for the benchmarks). An empty
file is an empty environment with a warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from parity_gui.core.tree import Environment
from parity_gui.errors import LimitExceeded, ParseError, SourceError
from parity_gui.sources.compose.load import load_compose_files, load_folder
from parity_gui.sources.registry import SpecFile

DATA = Path(__file__).resolve().parent.parent / "data" / "compose"
BAD = DATA / "bad"


def load(path: Path, display: str | None = None) -> Environment:
    return load_compose_files([SpecFile(path, display or path.name)], "bad", path.name)


pytestmark = pytest.mark.timeout(30)


def one_line_error(action: Callable[[], object], kind: type[SourceError] = ParseError) -> SourceError:
    with pytest.raises(kind) as caught:
        action()
    error = caught.value
    assert "\n" not in str(error)
    return error


def test_invalid_yaml_names_file_and_line() -> None:
    error = one_line_error(lambda: load(BAD / "invalid.yml"))
    assert (error.file, error.line) == ("invalid.yml", 4)


def test_a_jinja_template_says_it_must_be_rendered_first() -> None:
    error = one_line_error(lambda: load(BAD / "jinja.yml"))
    assert (error.file, error.line) == ("jinja.yml", 2)
    assert "render it first" in error.message


def test_a_missing_file_is_named() -> None:
    error = one_line_error(lambda: load(BAD / "nope.yml", "compose/nope.yml"), SourceError)
    assert str(error) == "compose/nope.yml: no such file"


def test_a_folder_without_a_compose_file_says_what_was_looked_for() -> None:
    error = one_line_error(lambda: load_folder(DATA / "folders" / "none", "none", "n", "none"), SourceError)
    assert str(error) == (
        "none: no compose file in this folder "
        "(looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml)"
    )


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "compose.yml"
    path.write_bytes(b"services:\n  web:\n    image: \x00\x01\x02\x7fELF")
    error = one_line_error(lambda: load(path))
    assert (error.file, error.line) == ("compose.yml", 3)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "compose.yml"
    path.write_bytes("services:\n  web:\n    labels:\n      owner: Jürgen\n".encode("latin-1"))
    error = one_line_error(lambda: load(path))
    assert (error.file, error.line) == ("compose.yml", 4)
    assert "UTF-8" in error.message


def test_an_extends_cycle_names_the_chain() -> None:
    error = one_line_error(lambda: load(DATA / "extends" / "cycle.yml"))
    assert (error.file, error.line) == ("cycle.yml", 9)
    assert "extends cycle" in error.message


def test_an_alias_bomb_stops_before_it_expands() -> None:
    error = one_line_error(lambda: load(BAD / "alias-bomb.yml"), LimitExceeded)
    assert error.file == "alias-bomb.yml"
    assert error.line is not None


def test_a_100_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yml"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    error = one_line_error(lambda: load(path), LimitExceeded)
    assert error.file == "huge.yml"
    assert "limit" in error.message


def test_services_that_are_a_list_are_an_error() -> None:
    error = one_line_error(lambda: load(BAD / "services-list.yml"))
    assert str(error) == "services-list.yml:2:3: services must be a mapping, not a list"


def test_a_top_level_that_is_not_a_mapping_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "compose.yml"
    path.write_text("- web\n- db\n")
    error = one_line_error(lambda: load(path))
    assert str(error) == "compose.yml:1:1: a compose file's top level must be a mapping, not a list"


def test_a_bad_port_names_its_line() -> None:
    error = one_line_error(lambda: load(BAD / "bad-port.yml"))
    assert (error.file, error.line) == ("bad-port.yml", 6)
    assert "'http:80' is not a port mapping" in error.message


def test_broken_interpolation_names_its_line() -> None:
    error = one_line_error(lambda: load(BAD / "bad-interpolation.yml"))
    assert (error.file, error.line) == ("bad-interpolation.yml", 3)
    assert "unclosed" in error.message


def test_a_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "compose.yml"
    path.write_text("services:\n  web:\n    image: nginx\n    image: httpd\n")
    error = one_line_error(lambda: load(path))
    assert (error.file, error.line) == ("compose.yml", 4)
    assert "3" in error.message


def test_a_service_that_is_not_a_mapping_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "compose.yml"
    path.write_text("services:\n  web: nginx:latest\n")
    error = one_line_error(lambda: load(path))
    assert str(error) == "compose.yml:2:8: service 'web' must be a mapping, not str 'nginx:latest'"


def test_a_wrong_type_for_a_number_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "compose.yml"
    path.write_text("services:\n  web:\n    image: nginx\n    deploy:\n      replicas: many\n")
    error = one_line_error(lambda: load(path))
    assert str(error) == "compose.yml:5:17: services.web.deploy.replicas must be a whole number, not 'many'"


def test_an_empty_file_is_an_empty_environment_with_a_warning() -> None:
    env = load(BAD / "empty.yml")
    assert env.tree == {}
    assert [str(d) for d in env.diagnostics] == ["empty.yml: the compose file is empty"]
    assert env.sources == ["empty.yml"]


def test_extends_of_a_missing_file_names_the_extends_line(tmp_path: Path) -> None:
    path = tmp_path / "compose.yml"
    path.write_text("services:\n  api:\n    extends:\n      file: base/common.yml\n      service: api\n")
    error = one_line_error(lambda: load(path))
    assert str(error) == "compose.yml:4:13: extends: file base/common.yml not found (base/common.yml)"


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    error = one_line_error(lambda: load_folder(tmp_path / "gone", "gone", "g", "gone"), SourceError)
    assert str(error) == "gone: no such folder"


def test_interpolation_that_expands_too_far_is_refused_at_its_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BIG=" + "x" * 100_000 + "\n")
    path = tmp_path / "compose.yml"
    path.write_text("services:\n  web:\n    image: nginx\n    command: \"" + "${BIG}" * 20 + "\"\n")
    error = one_line_error(lambda: load(path), LimitExceeded)
    assert (error.file, error.line) == ("compose.yml", 4)


def test_a_very_long_extends_chain_is_refused(tmp_path: Path) -> None:
    chain = "".join(f"  s{i}:\n    extends: s{i + 1}\n" for i in range(100))
    path = tmp_path / "compose.yml"
    path.write_text("services:\n" + chain + "  s100:\n    image: busybox\n")
    error = one_line_error(lambda: load(path))
    assert "longer than 64 services" in error.message
    assert error.line is not None
