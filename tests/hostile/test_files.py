"""What a file's bytes can throw at parity: size, binary content, encodings, line endings,
tiny inputs that crash parsers, and duplicate keys."""

from __future__ import annotations

import codecs
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from parity_gui.core.tree import Environment, Level
from parity_gui.errors import LimitExceeded, ParityError, ParseError
from parity_gui.sources import registry
from parity_gui.sources.text import CRLF_NOTE
from tests.hostile import inputs
from tests.hostile.conftest import attempt

FORMATS = sorted(inputs.SEEDS)


def load(folder: Path, name: str) -> Environment | ParityError:
    """Load ``folder/name`` as a user would, through :func:`registry.load`."""
    outcome: Environment | ParityError = attempt(lambda: registry.load(name, base=folder))
    return outcome


def write_seed(folder: Path, name: str, data: bytes | None = None) -> Path:
    path = folder / name
    path.write_bytes(inputs.SEEDS[name].encode() if data is None else data)
    if name.endswith((".tfvars", ".tfvars.json")):
        (folder / "main.tf").write_text(inputs.TERRAFORM)
    if name == "kustomization.yaml":
        for other, text in inputs.KUSTOMIZE_FILES.items():
            (folder / other).write_text(text)
    return path


@pytest.mark.timeout(10)
@pytest.mark.parametrize("size", [10 * 2**20, 100 * 2**20], ids=["10MB", "100MB"])
@pytest.mark.parametrize("name", FORMATS)
def test_a_huge_file_is_refused_from_its_size_alone(
    untouched: Path, frozen: Callable[[], None], name: str, size: int
) -> None:
    inputs.sparse_file(untouched / name, size)
    frozen()
    started = time.perf_counter()
    error = load(untouched, name)
    assert time.perf_counter() - started < 5  # hang guard; the speed is measured in bench/
    assert isinstance(error, LimitExceeded)
    assert error.file == name
    assert "MB" in error.message and "limit" in error.message


BAD_BYTES = {
    "binary": (b"\x7fELF\x02\x01\x01\x00\x00\x00", 1, 8),
    "nul": (b"services:\n  web:\n    image: ng\x00inx\n", 3, 14),
    "invalid-utf8": (b"# comment\nservices:\n  web: {image: \xc3\x28}\n", 3, 16),
    "latin-1": (b"A=1\nGREETING=gr\xfc\xdfe\n", 2, 12),
}


@pytest.mark.timeout(10)
@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("kind", sorted(BAD_BYTES))
def test_bytes_that_are_not_text_are_named_by_line_and_column(
    untouched: Path, frozen: Callable[[], None], name: str, kind: str
) -> None:
    data, line, column = BAD_BYTES[kind]
    write_seed(untouched, name, data)
    frozen()
    error = load(untouched, name)
    if name.endswith(".properties") and kind in ("invalid-utf8", "latin-1"):
        # java.util.Properties reads ISO-8859-1: such a file is read so, and said (not refused)
        assert isinstance(error, Environment), error
        assert any("ISO-8859-1" in d.message or "Latin-1" in d.message for d in error.diagnostics)
        return
    assert isinstance(error, ParseError), error
    assert (error.file, error.line, error.column) == (name, line, column)


def _encodings() -> dict[str, Callable[[str], bytes]]:
    return {
        "utf-8-bom": lambda s: codecs.BOM_UTF8 + s.encode(),
        "utf-16-le-bom": lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"),
        "utf-16-be-bom": lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
        "crlf": lambda s: s.replace("\n", "\r\n").encode(),
        "no-final-newline": lambda s: s.rstrip("\n").encode(),
        "crlf-bom-no-final-newline": lambda s: codecs.BOM_UTF8 + s.rstrip("\n").replace("\n", "\r\n").encode(),
    }


ENCODINGS = _encodings()


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_boms_line_endings_and_a_missing_final_newline_give_the_same_tree(
    untouched: Path, name: str, encoding: str
) -> None:
    plain_folder, other_folder = untouched / "plain", untouched / "other"
    plain_folder.mkdir()
    other_folder.mkdir()
    write_seed(plain_folder, name)
    write_seed(other_folder, name, ENCODINGS[encoding](inputs.SEEDS[name]))
    plain, other = load(plain_folder, name), load(other_folder, name)
    assert isinstance(plain, Environment) and isinstance(other, Environment), other
    assert other.tree == plain.tree
    assert {p: (o.line, o.column) for p, o in other.origins.items()} == {
        p: (o.line, o.column) for p, o in plain.origins.items()
    }
    assert [str(d) for d in other.errors] == [str(d) for d in plain.errors]


CRASHERS = [
    ("compose.yml", "a: -_\n"),
    ("compose.yml", "x: 0x_\n"),
    ("compose.yml", "? : {}\n"),
    ("compose.yml", "services: !!binary x\n"),
    ("compose.yml", "*\n"),
    ("compose.yml", "&a\n"),
    ("compose.yml", "{a: 1, a: 2}\n"),
    ("main.tf", 'p = 1\np "x" {}\n'),
    ("main.tf", 'locals {\n  x = "%{ if true }yes"\n}\n'),
    ("main.tf", 'locals {\n  x = "${\n}\n'),
    ("main.tf", "a = <<EOT\n"),
    ("prod.tfvars", "x = 1e99999\n"),
    ("prod.tfvars.json", '{"a": 1e99999999}'),
    ("prod.tfvars.json", "[1]"),
    ("Dockerfile", "FROM\n"),
    ("Dockerfile", "RUN <<EOF\n"),
    ("Dockerfile", "\\\n"),
    (".env", "A='\n"),
    (".env", "=\n"),
    (".env", "A=${\n"),
]


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("name", "text"), CRASHERS, ids=[f"{n}:{t!r}" for n, t in CRASHERS])
def test_tiny_parser_crashers_end_in_a_diagnostic_and_the_next_file_opens(
    untouched: Path, frozen: Callable[[], None], name: str, text: str
) -> None:
    (untouched / name).write_text(text)
    good = untouched / "good"
    good.mkdir()
    write_seed(good, "docker-compose.yml")
    frozen()
    outcome = load(untouched, name)
    if isinstance(outcome, ParityError):
        assert outcome.file == name
        assert "Traceback" not in outcome.message and "\n" not in outcome.message
    else:
        assert all(d.file == name and d.line for d in outcome.errors)
    after = load(good, "docker-compose.yml")
    assert isinstance(after, Environment) and after.leaf_count() > 10


@pytest.mark.timeout(10)
def test_a_dotenv_expansion_bomb_is_capped_with_a_diagnostic(untouched: Path, frozen: Callable[[], None]) -> None:
    (untouched / ".env").write_text(inputs.dotenv_expansion_bomb())
    frozen()
    outcome = load(untouched, ".env")
    assert isinstance(outcome, LimitExceeded), outcome
    assert outcome.file == ".env" and outcome.line is not None


@pytest.mark.timeout(10)
def test_many_lines_repeating_a_large_value_are_capped_as_a_whole(untouched: Path) -> None:
    big = "x" * 500_000
    lines = [f"BIG={big}"] + [f"COPY_{i}=${{BIG}}" for i in range(2000)]
    (untouched / ".env").write_text("\n".join(lines) + "\n")
    outcome = load(untouched, ".env")
    assert isinstance(outcome, LimitExceeded), outcome
    assert outcome.line is not None and outcome.line > 1


@pytest.mark.timeout(10)
def test_a_dotenv_cycle_reads_as_empty_with_warnings(untouched: Path) -> None:
    (untouched / ".env").write_text(inputs.DOTENV_CYCLE)
    env = load(untouched, ".env")
    assert isinstance(env, Environment)
    assert env.tree["variables"] == {"A": "", "B": "", "C": "x"}
    assert {d.line for d in env.warnings} == {1, 3}


@pytest.mark.timeout(10)
def test_an_800_kb_dotenv_file_loads(untouched: Path) -> None:
    (untouched / ".env").write_text(inputs.big_dotenv())
    env = load(untouched, ".env")
    assert isinstance(env, Environment)
    assert env.leaf_count() > 20_000
    assert env.tree["variables"]["VAR_10"].startswith("value-10-")


DUPLICATES = [
    ("docker-compose.yml", "services:\n  web:\n    image: a\n  web:\n    image: b\n", 2, 4),
    ("main.tf", 'variable "a" {}\nlocals {\n  x = 1\n  x = 2\n}\n', 3, 4),
    ("prod.tfvars", "instance_type = 1\n\ninstance_type = 2\n", 1, 3),
    ("prod.tfvars.json", '{\n  "instance_type": 1,\n  "instance_type": 2\n}\n', 2, 3),
    (".env", "# a\nA=1\nB=2\nA=3\n", 2, 4),
]


@pytest.mark.timeout(10)
@pytest.mark.parametrize(("name", "text", "first", "second"), DUPLICATES, ids=[d[0] for d in DUPLICATES])
def test_a_key_written_twice_is_reported_with_both_lines(
    untouched: Path, name: str, text: str, first: int, second: int
) -> None:
    (untouched / name).write_text(text)
    if name.startswith("prod."):
        (untouched / "main.tf").write_text('variable "instance_type" {}\n')
    outcome = load(untouched, name)
    if isinstance(outcome, ParityError):
        found = [(outcome.line, outcome.message, Level.ERROR)]
    else:
        found = [(d.line, d.message, d.level) for d in outcome.diagnostics]
    matching = [(line, level) for line, message, level in found if f"line {first}" in message and line == second]
    assert matching, found
    expected = Level.WARNING if name == ".env" else Level.ERROR
    assert matching[0][1] is expected


@pytest.mark.timeout(20)
@pytest.mark.parametrize("name", FORMATS)
def test_a_crlf_copy_reads_the_same_and_says_its_line_endings_differ(untouched: Path, name: str) -> None:
    plain_folder, crlf_folder = untouched / "plain", untouched / "crlf"
    plain_folder.mkdir()
    crlf_folder.mkdir()
    write_seed(plain_folder, name)
    write_seed(crlf_folder, name, inputs.SEEDS[name].replace("\n", "\r\n").encode())
    plain, crlf = load(plain_folder, name), load(crlf_folder, name)
    assert isinstance(plain, Environment) and isinstance(crlf, Environment)
    assert crlf.tree == plain.tree
    notes = [(d.file, d.level) for d in crlf.diagnostics if d.message == CRLF_NOTE]
    assert notes == [(name, Level.NOTE)]
    assert not any(d.message == CRLF_NOTE for d in plain.diagnostics)


@pytest.mark.timeout(10)
def test_yaml_1_1_traps_read_as_compose_reads_them(untouched: Path) -> None:
    (untouched / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx\n    labels:\n"
        "      ssh: 22:22\n      debug: off\n      enabled: yes\n      umask: 0755\n      version: 1.10\n"
    )
    env = load(untouched, "compose.yml")
    assert isinstance(env, Environment), env
    labels = env.tree["services"]["web"]["labels"]
    # compose-go: yaml.v3 (YAML 1.2) keeps 22:22, off and yes as strings; 0755 and 1.10 are
    # numbers, which reach the container as Go's fmt.Sprint writes them (493, 1.1)
    assert labels == {"ssh": "22:22", "debug": "off", "enabled": "yes", "umask": "493", "version": "1.1"}


@pytest.mark.timeout(10)
def test_dotenv_lines_that_cannot_be_read_are_reported_with_their_line(untouched: Path) -> None:
    (untouched / ".env").write_text("A=1\nthis line is not an assignment\nB='never closed\nC=3\n")
    env = load(untouched, ".env")
    assert isinstance(env, Environment), env
    assert env.tree["variables"]["A"] == "1" and env.tree["variables"]["C"] == "3"
    assert {d.line for d in env.warnings} >= {2, 3}


@pytest.mark.timeout(10)
def test_values_are_never_filled_in_from_paritys_own_environment(
    untouched: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_DB_PASSWORD", "from-the-process")
    (untouched / "compose.yml").write_text(
        "services:\n  db:\n    image: postgres\n    environment:\n      PW: ${SHOP_DB_PASSWORD:-unset}\n"
    )
    (untouched / ".env").write_text("PW=${SHOP_DB_PASSWORD:-unset}\n")
    compose, dotenv = load(untouched, "compose.yml"), load(untouched, ".env")
    assert isinstance(compose, Environment) and isinstance(dotenv, Environment)
    assert compose.tree["services"]["db"]["environment"]["PW"] == "unset"
    assert dotenv.tree["variables"]["PW"] == "unset"


@pytest.mark.timeout(10)
def test_a_bad_sequence_in_utf16_text_is_named_by_its_line_and_column(untouched: Path) -> None:
    text = "A=1\nB=Ċx\nC=".encode("utf-16-le") + b"\x00\xd8" + "z\n".encode("utf-16-le")
    (untouched / ".env").write_bytes(codecs.BOM_UTF16_LE + text)
    error = load(untouched, ".env")
    assert isinstance(error, ParseError)
    assert (error.line, error.column) == (3, 3)


@pytest.mark.timeout(20)
def test_a_large_variable_used_in_many_places_is_capped_as_a_whole(untouched: Path) -> None:
    (untouched / ".env").write_text("BIG=" + "x" * 900_000 + "\n")
    entries = "".join(f"      V{i}: ${{BIG}}\n" for i in range(3000))
    (untouched / "compose.yml").write_text("services:\n  web:\n    image: nginx\n    environment:\n" + entries)
    error = load(untouched, "compose.yml")
    assert isinstance(error, LimitExceeded), error
    assert error.file == "compose.yml" and error.line is not None and error.line > 5


@pytest.mark.timeout(20)
def test_terraform_locals_that_repeat_each_other_stay_as_written(untouched: Path) -> None:
    (untouched / "main.tf").write_text(inputs.terraform_locals_bomb())
    env = attempt(lambda: registry.load_local("main.tf", "hostile", untouched))
    assert isinstance(env, Environment), env
    locals_ = env.tree["infrastructure"]["locals"]
    assert len(locals_["l2"]) == 76 * 64
    assert locals_["l7"] == "${local.l6}" * 8


@pytest.mark.timeout(20)
def test_dockerfile_variables_that_repeat_each_other_are_capped_at_their_line(untouched: Path) -> None:
    (untouched / "Dockerfile").write_text(inputs.dockerfile_env_bomb())
    error = attempt(lambda: registry.load_local("Dockerfile", "hostile", untouched))
    assert isinstance(error, LimitExceeded), error
    assert (error.file, error.line) == ("Dockerfile", 7)  # A5: 76 × 8⁵ characters, the first past the cap
