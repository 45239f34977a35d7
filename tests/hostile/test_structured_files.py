"""Hostile structured files (JSON, TOML, INI, ``.properties``, plain YAML): nesting and size
bombs, endless continuation lines, 200,000-character keys and values, duplicate keys, binary
content, pipes and devices named with a ``KIND:`` prefix. Each ends in a load or one error line
naming the file, quickly, within memory, with nothing written."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from parity_gui.cli.main import main
from parity_gui.core.tree import Environment, Level
from parity_gui.errors import LimitExceeded, ParityError, ParseError, SourceError
from parity_gui.sources import registry
from tests.hostile import inputs
from tests.hostile.conftest import attempt

#: One realistic file of each structured format, by the name it has in a project.
NAMES = {"json": "appsettings.json", "toml": "config.toml", "ini": "settings.ini",
         "properties": "application.properties"}
LONG = 200_000


def load(folder: Path, spec: str) -> Environment | ParityError:
    outcome: Environment | ParityError = attempt(lambda: registry.load(spec, base=folder))
    return outcome


def files_tree(env: Environment | ParityError, form: str) -> dict[str, object]:
    assert isinstance(env, Environment), env
    tree: dict[str, object] = env.tree["files"][form]
    return tree


NESTED: dict[str, Callable[[int], str]] = {
    "deep.json": lambda depth: '{"a": ' * depth + "1" + "}" * depth + "\n",
    "arrays.toml": lambda depth: "a = " + "[" * depth + "]" * depth + "\n",
    "tables.toml": lambda depth: "a = " + "{b = " * depth + "1" + "}" * depth + "\n",
}


@pytest.mark.timeout(10)
@pytest.mark.parametrize("name", sorted(NESTED))
def test_nesting_ten_thousand_deep_is_refused_by_depth(untouched: Path, frozen: Callable[[], None], name: str) -> None:
    (untouched / name).write_text(NESTED[name](inputs.DEEP))
    frozen()
    error = load(untouched, name)
    assert isinstance(error, LimitExceeded), error
    assert error.file == name and "deep" in error.message
    assert "\n" not in str(error) and not isinstance(error.__cause__, RecursionError)


@pytest.mark.timeout(10)
@pytest.mark.parametrize("name", sorted(NESTED))
def test_nesting_forty_deep_loads(untouched: Path, name: str) -> None:
    (untouched / name).write_text(NESTED[name](40))
    assert isinstance(load(untouched, name), Environment)


MANY: dict[str, Callable[[int], str]] = {
    "json": lambda n: "[" + ",".join(["1"] * n) + "]\n",
    "toml": lambda n: "a = [" + ",".join(["1"] * n) + "]\n",
    "ini": lambda n: "[s]\n" + "".join(f"k{i}=1\n" for i in range(n)),
    "properties": lambda n: "".join(f"k{i}=1\n" for i in range(n)),
}


@pytest.mark.timeout(20)
@pytest.mark.parametrize("form", sorted(MANY))
def test_a_file_of_300_000_entries_is_refused_before_it_is_parsed(
    untouched: Path, frozen: Callable[[], None], form: str
) -> None:
    """1.1 million JSON values took 12 s to read; the cap is the one YAML files have."""
    name = NAMES[form]
    (untouched / name).write_text(MANY[form](300_000))
    frozen()
    started = time.perf_counter()
    error = load(untouched, name)
    assert time.perf_counter() - started < 5  # hang guard; the speed is measured in bench/
    assert isinstance(error, LimitExceeded), error
    assert error.file == name
    assert f"{form.upper()} entries" in error.message and "200,000" in error.message


@pytest.mark.timeout(20)
def test_a_properties_line_that_continues_to_the_end_of_the_file_is_one_value(untouched: Path) -> None:
    """java.util.Properties: a line ending in an odd number of backslashes continues, and the
    file's end ends the last one."""
    (untouched / NAMES["properties"]).write_text("endless=a\\\n" + "  b\\\n" * 150_000 + "  \\")
    tree = files_tree(load(untouched, NAMES["properties"]), "properties")
    assert tree["endless"] == "a" + "b" * 150_000


LONG_FILES: dict[str, str] = {
    "json": '{"' + "k" * LONG + '": "' + "v" * LONG + '"}\n',
    "toml": '"' + "k" * LONG + '" = "' + "v" * LONG + '"\n',
    "ini": "[s]\n" + "k" * LONG + " = " + "v" * LONG + "\n",
    "properties": "k" * LONG + "=" + "v" * LONG + "\n",
}


@pytest.mark.timeout(20)
@pytest.mark.parametrize("form", sorted(LONG_FILES))
def test_keys_and_values_of_200_000_characters_load_whole(untouched: Path, form: str) -> None:
    (untouched / NAMES[form]).write_text(LONG_FILES[form])
    tree = files_tree(load(untouched, NAMES[form]), form)
    values = tree["s"] if form == "ini" else tree
    assert isinstance(values, dict) and values == {"k" * LONG: "v" * LONG}


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("form", "text"), [
    ("json", '{\n  "Port": 80,\n  "Port": 8080\n}\n'),
    ("ini", "[server]\nport = 80\nport = 8080\n"),
    ("properties", "server.port=80\nserver.port=8080\n"),
])
def test_a_key_written_twice_is_a_warning_naming_both_lines_and_the_last_wins(
    untouched: Path, form: str, text: str
) -> None:
    (untouched / NAMES[form]).write_text(text)
    env = load(untouched, NAMES[form])
    tree = files_tree(env, form)
    assert "8080" in repr(tree) and "'80'" not in repr(tree) and ": 80," not in repr(tree)
    assert isinstance(env, Environment)
    [warning] = [d for d in env.diagnostics if "duplicate key" in d.message]
    assert warning.level is Level.WARNING and warning.file == NAMES[form]
    assert warning.line == len(text.splitlines()) - (1 if form == "json" else 0)
    assert "first at line" in warning.message


@pytest.mark.timeout(10)
def test_a_toml_key_written_twice_is_an_error_at_its_line(untouched: Path) -> None:
    """TOML 1.0.0, "Keys": defining a key multiple times is invalid."""
    (untouched / "config.toml").write_text("[server]\nport = 80\nport = 8080\n")
    error = load(untouched, "config.toml")
    assert isinstance(error, ParseError) and (error.file, error.line) == ("config.toml", 3)


@pytest.mark.timeout(10)
@pytest.mark.parametrize("form", sorted(NAMES))
def test_binary_content_is_named_by_line_and_column(untouched: Path, frozen: Callable[[], None], form: str) -> None:
    (untouched / NAMES[form]).write_bytes(b"# settings\n\x7fELF\x02\x01\x01\x00\x00\x00")
    frozen()
    error = load(untouched, NAMES[form])
    assert isinstance(error, ParseError), error
    assert (error.file, error.line, error.column) == (NAMES[form], 2, 8)


KINDS = ["json", "toml", "ini", "properties", "yaml", "kubernetes"]


@pytest.mark.timeout(10)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("make", ["fifo", "link to /dev/zero"])
def test_a_pipe_or_device_named_with_a_kind_prefix_is_refused_at_once(
    untouched: Path, frozen: Callable[[], None], kind: str, make: str
) -> None:
    path = untouched / "settings"
    if make == "fifo":
        inputs.fifo(path)
    else:
        path.symlink_to("/dev/zero")
    frozen()
    started = time.perf_counter()
    error = load(untouched, f"{kind}:settings")
    assert time.perf_counter() - started < 5
    assert isinstance(error, SourceError), error
    assert error.file == "settings" and "not a regular file" in error.message


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("form", "text", "key"), [
    ("json", '{"banner": "caf\\u00e9 \\ud800 \\ud83d\\ude00", "\\udc00": 1}\n', "\ufffd"),
    ("properties", "banner=caf\\u00e9 \\ud800 \\ud83d\\ude00\n\\udc00=1\n", "\ufffd"),
])
def test_a_lone_utf16_surrogate_becomes_a_replacement_character(
    untouched: Path, capsys: pytest.CaptureFixture[str], form: str, text: str, key: str
) -> None:
    """Go's encoding/json (and Java writing UTF-8) replace an unpaired surrogate with U+FFFD;
    a pair stays the character it spells. It used to end in an internal error when printed."""
    (untouched / NAMES[form]).write_text(text)
    tree = files_tree(load(untouched, NAMES[form]), form)
    assert tree["banner"] == "café \ufffd \U0001f600"
    assert tree[key] in (1, "1")
    assert main(["show", str(untouched / NAMES[form])]) == 0
    assert "café \ufffd \U0001f600" in capsys.readouterr().out


@pytest.mark.timeout(10)
def test_a_json_number_of_5_000_digits_is_kept_as_written(untouched: Path) -> None:
    (untouched / "appsettings.json").write_text('{"Seed": ' + "7" * 5000 + ', "Ratio": 1e999}\n')
    tree = files_tree(load(untouched, "appsettings.json"), "json")
    assert tree["Seed"] == "7" * 5000


@pytest.mark.timeout(10)
@pytest.mark.parametrize("literal", ["0x" + "f" * 4000, "0o" + "7" * 30, "0b1" + "0" * 64, "9223372036854775808"])
def test_a_toml_integer_past_64_bits_is_an_error_at_its_line(untouched: Path, literal: str) -> None:
    """TOML 1.0.0, "Integer": one that cannot be represented losslessly must be an error; a
    hexadecimal one of 4,000 digits ended in an internal error when shown."""
    (untouched / "config.toml").write_text(f"# limits\n[rng]\nseed = {literal}\nmax = 0x7fffffffffffffff\n")
    error = load(untouched, "config.toml")
    assert isinstance(error, ParseError), error
    assert (error.file, error.line, error.column) == ("config.toml", 3, 8)
    assert "64-bit" in error.message


@pytest.mark.timeout(10)
def test_a_toml_integer_of_5_000_digits_is_an_error_at_its_line(untouched: Path) -> None:
    """TOML 1.0.0, "Integer": an integer that cannot be represented losslessly is an error."""
    (untouched / "config.toml").write_text("# seeds\n[rng]\nseed = " + "7" * 5000 + "\n")
    error = load(untouched, "config.toml")
    assert isinstance(error, ParseError), error
    assert (error.file, error.line, error.column) == ("config.toml", 3, 8)
    assert "4,300 digits" in error.message and "sys.set_int_max_str_digits" not in error.message


@pytest.mark.timeout(120)
def test_each_hostile_structured_file_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for name, make in NESTED.items():
        (bad / name).write_text(make(inputs.DEEP))
    for form, make in MANY.items():
        (bad / f"many-{NAMES[form]}").write_text(make(300_000))
    (bad / "dup.toml").write_text("a = 1\na = 2\n")
    (bad / "binary.properties").write_bytes(b"\x7fELF\x00\x01")
    (bad / "seed.toml").write_text("seed = " + "7" * 5000 + "\n")
    inputs.fifo(bad / "fifo.ini")
    inputs.sparse_file(bad / "huge.json", 100 * 2**20)
    good = tmp_path / "settings.ini"
    good.write_text(inputs.SETTINGS_INI)
    for path in sorted(bad.iterdir()):
        code = main(["compare", str(path), str(good)])
        out, err = capsys.readouterr()
        assert code == 2, (path.name, out, err)
        assert err.count("\n") == 1 and path.name in err and "Traceback" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "settings.ini"]


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("name", "document"), [
    ("values.yaml", "---\nreplicas: {i}\n"),
    ("manifests.yaml", "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: c{i}}}\n"),
], ids=["yaml", "kubernetes"])
def test_a_yaml_file_of_150_000_documents_is_refused_before_it_is_parsed(
    untouched: Path, frozen: Callable[[], None], name: str, document: str
) -> None:
    """150,000 one-line documents took 6 s to read: each ``---`` counts toward the entries cap."""
    (untouched / name).write_text("".join(document.format(i=i) for i in range(150_000)))
    frozen()
    started = time.perf_counter()
    error = load(untouched, name)
    assert time.perf_counter() - started < 5
    assert isinstance(error, LimitExceeded), error
    assert error.file == name and "YAML entries" in error.message and "'---'" in error.message
