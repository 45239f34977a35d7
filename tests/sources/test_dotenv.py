""".env files read with python-dotenv's rules, positions, warnings and the /variables loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.core.tree import Level
from parity_gui.errors import LimitExceeded, SourceError
from parity_gui.sources.dotenv.load import DotenvFile, load_dotenv_files, parse_dotenv
from parity_gui.sources.registry import SpecFile
from parity_gui.sources.text import decode, read_text

DOTENV_DATA = Path(__file__).resolve().parent.parent / "data" / "dotenv"


def parse(content: str, *, interpolate: bool = True) -> DotenvFile:
    return parse_dotenv(decode(content.encode(), Path(".env"), ".env"), interpolate=interpolate)


def values(content: str) -> dict[str, str | None]:
    return parse(content).values()


def app_env() -> DotenvFile:
    return parse_dotenv(read_text(DOTENV_DATA / "app.env", "app.env"))


# --- values --------------------------------------------------------------------------------


def test_a_realistic_env_file_reads_like_python_dotenv() -> None:
    parsed = app_env()
    assert parsed.values() == {
        "COMPOSE_PROJECT_NAME": "shop",
        "POSTGRES_VERSION": "14.7",
        "POSTGRES_USER": "shop",
        "POSTGRES_PASSWORD": "s3cr3t$not#interpolated",
        "DATABASE_URL": "postgres://shop:s3cr3t$not#interpolated@db:5432/shop",
        "REDIS_URL": "redis://cache:6379/0#not-a-comment",
        "CACHE_TTL": "",
        "FEATURE_FLAGS": "search,checkout",
        "GREETING": 'Hello\nWorld\t"quoted"',
        "TLS_CERT": "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----",
        "LOG_LEVEL": "info",
        "IMAGE_TAG": "14.7-alpine",
        "PRICE": "$5",
        "DEBUG": None,
        "QUOTED_NAME": "yes",
    }


def test_a_clean_file_has_no_warnings() -> None:
    assert app_env().diagnostics == ()


def test_a_reference_to_a_variable_not_set_above_warns() -> None:
    parsed = parse("URL=http://${HOST}:80\n")
    assert parsed.values() == {"URL": "http://:80"}
    assert [(d.message, d.line) for d in parsed.diagnostics] == [
        ("'HOST' is not set above in this file; it reads as empty", 1),
    ]


def test_defaults_cover_unset_variables_without_a_warning() -> None:
    parsed = parse("LEVEL=${LOG_LEVEL:-info}\n")
    assert parsed.values() == {"LEVEL": "info"}
    assert parsed.diagnostics == ()


def test_interpolation_never_reads_paritys_own_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARITY_TEST_SECRET", "from-the-shell")
    assert values("A=${PARITY_TEST_SECRET}\n") == {"A": ""}


def test_only_entries_above_are_used_for_interpolation() -> None:
    assert values("A=${B}\nB=2\nC=${B}\n") == {"A": "", "B": "2", "C": "2"}


def test_single_quoted_values_are_literal() -> None:
    assert values("A=1\nB='${A} $A \\n'\nC='it\\'s'\n") == {"A": "1", "B": "${A} $A \\n", "C": "it's"}


def test_double_quoted_values_are_unescaped_and_interpolated() -> None:
    assert values('A=1\nB="${A}\\n\\\\ \\"x\\" \\q"\n') == {"A": "1", "B": '1\n\\ "x" \\q'}


def test_interpolation_can_be_switched_off() -> None:
    parsed = parse("A=1\nB=${A}\n", interpolate=False)
    assert parsed.values() == {"A": "1", "B": "${A}"}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("A=value # comment", "value"),
        ("A=value#hash", "value#hash"),
        ("A= # only a comment", ""),
        ("A=#not-a-comment", "#not-a-comment"),
        ('A="ends with a backslash\\\\"', "ends with a backslash\\"),
        ('A="say \\"hi\\""', 'say "hi"'),
        ("A='it\\'s'", "it's"),
        ("A=  padded  ", "padded"),
        ('A="quoted" # comment', "quoted"),
        ('A="quoted"#comment', "quoted"),
        ("A='x y'", "x y"),
        ("A=", ""),
        ('A=""', ""),
        ("A=a=b=c", "a=b=c"),
        ("export A=exported", "exported"),
        ("  A=indented", "indented"),
        ("A", None),
        ("A # just a name", None),
    ],
)
def test_one_line_forms(line: str, expected: str | None) -> None:
    parsed = parse(line + "\n")
    assert parsed.values() == {"A": expected}
    assert parsed.diagnostics == ()


def test_comment_and_blank_lines_are_skipped() -> None:
    assert values("# a comment\n\n   \n  # indented comment\nA=1\n") == {"A": "1"}


def test_crlf_files_read_like_lf_files() -> None:
    parsed = parse_dotenv(read_text(DOTENV_DATA / "crlf.env", "crlf.env"))
    assert parsed.values() == {"A": "1", "B": "two", "C": "1-x"}
    assert parsed.diagnostics == ()
    assert [e.line for e in parsed.entries] == [1, 2, 4]


def test_a_byte_order_mark_is_not_part_of_the_first_name() -> None:
    parsed = parse_dotenv(read_text(DOTENV_DATA / "bom.env", "bom.env"))
    assert parsed.values() == {"FIRST": "bom", "SECOND": "2"}


def test_an_empty_file_has_no_entries() -> None:
    assert parse("").entries == ()
    assert parse("# nothing\n").entries == ()


# --- positions -----------------------------------------------------------------------------


def test_entries_know_their_line_column_and_value_span() -> None:
    content = "# db\nexport  POSTGRES_USER = shop   # comment\nPASSWORD='p w'\nEMPTY=\nBARE\n"
    parsed = parse(content)
    user, password, empty, bare = parsed.entries
    assert (user.line, user.column, user.raw) == (2, 9, "shop")
    assert content[user.start:user.end] == "shop"
    assert (password.line, password.raw, content[password.start:password.end]) == (3, "'p w'", "'p w'")
    assert (empty.raw, empty.start, empty.end) == ("", content.index("EMPTY=") + 6, content.index("EMPTY=") + 6)
    assert (bare.value, bare.raw, bare.line) == (None, "", 5)


def test_a_multi_line_value_spans_its_lines() -> None:
    parsed = app_env()
    cert = next(e for e in parsed.entries if e.name == "TLS_CERT")
    after = next(e for e in parsed.entries if e.name == "LOG_LEVEL")
    assert cert.line == 13
    assert cert.raw.startswith('"-----BEGIN') and cert.raw.endswith('-----"')
    assert parsed.text.content[cert.start:cert.end] == cert.raw
    assert after.line == 16


# --- problems ------------------------------------------------------------------------------


def test_unreadable_lines_duplicates_and_open_quotes_are_warnings_with_lines() -> None:
    parsed = parse_dotenv(read_text(DOTENV_DATA / "broken.env", "broken.env"))
    assert parsed.values() == {"GOOD": "3", "LATER": "2"}
    found = [(d.line, d.message) for d in parsed.diagnostics]
    assert found == [
        (2, "cannot parse this line as NAME=value"),
        (3, "cannot parse this line as NAME=value"),
        (4, 'the "-quoted value that starts here is never closed; the line is skipped'),
        (6, "'GOOD' is set again here (first at line 1); the last value wins"),
    ]
    assert all(d.file == "broken.env" and d.level is Level.WARNING for d in parsed.diagnostics)


def test_a_required_variable_message_is_a_warning() -> None:
    parsed = parse("\nDB=${DB_PASSWORD:?set the password}\n")
    assert parsed.values() == {"DB": ""}
    assert [(d.line, d.message) for d in parsed.diagnostics] == [
        (2, "required variable DB_PASSWORD is missing a value: set the password"),
    ]


def test_a_broken_reference_keeps_the_value_as_written() -> None:
    parsed = parse("A=${B:-x\n")
    assert parsed.values() == {"A": "${B:-x"}
    assert "unclosed '${'" in parsed.diagnostics[0].message
    assert parsed.diagnostics[0].line == 1


@pytest.mark.timeout(10)
def test_a_small_file_cannot_expand_to_gigabytes() -> None:
    text = read_text(DOTENV_DATA / "bomb.env", "bomb.env")
    with pytest.raises(LimitExceeded, match="longer than") as caught:
        parse_dotenv(text)
    assert (caught.value.file, caught.value.line) == ("bomb.env", 6)


@pytest.mark.timeout(30)
def test_a_file_with_forty_thousand_entries_parses_whole() -> None:
    content = "".join(f"VAR_{i}=value-{i} # note\nREF_{i}=${{VAR_{i}}}-x\n" for i in range(20_000))
    parsed = parse(content)
    assert len(parsed.entries) == 40_000
    assert parsed.values()["REF_19999"] == "value-19999-x"
    assert parsed.entries[-1].line == 40_000


# --- the loader ----------------------------------------------------------------------------


def test_the_loader_puts_variables_under_their_names_with_origins() -> None:
    env = load_dotenv_files([SpecFile(DOTENV_DATA / "app.env", "app.env")], "dev", "app.env")
    assert env.get(("variables", "POSTGRES_VERSION")) == "14.7"
    assert env.get(("variables", "DEBUG")) is None
    assert str(env.origins[("variables", "POSTGRES_USER")]) == "app.env:6:1"
    assert env.raw[("variables", "FEATURE_FLAGS")] == '"search,checkout"'
    assert env.coverage.covers(("variables", "ANYTHING"))
    assert not env.coverage.covers(("services", "web"))
    assert env.sources == ["app.env"]


def test_later_files_win(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TAG=13\nONLY_BASE=1\n")
    (tmp_path / ".env.prod").write_text("TAG=14.7\n")
    files = [SpecFile(tmp_path / ".env", ".env"), SpecFile(tmp_path / ".env.prod", ".env.prod")]
    env = load_dotenv_files(files, "prod", ".env+.env.prod")
    assert env.tree == {"variables": {"TAG": "14.7", "ONLY_BASE": "1"}}
    assert str(env.origins[("variables", "TAG")]) == ".env.prod:1:1"


def test_an_unreadable_file_is_an_error_and_the_others_still_load(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("A=1\n")
    (tmp_path / "latin1.env").write_bytes(b"B=caf\xe9\n")
    files = [SpecFile(tmp_path / ".env", ".env"), SpecFile(tmp_path / "latin1.env", "latin1.env")]
    env = load_dotenv_files(files, "dev", "x")
    assert env.tree == {"variables": {"A": "1"}}
    assert [(e.file, e.line) for e in env.errors] == [("latin1.env", 1)]


def test_when_no_file_can_be_read_the_error_is_raised(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        load_dotenv_files([SpecFile(tmp_path / ".env", ".env")], "dev", ".env")
    (tmp_path / "bin.env").write_bytes(b"A=\x00\x01")
    with pytest.raises(SourceError, match="binary"):
        load_dotenv_files([SpecFile(tmp_path / "bin.env", "bin.env")], "dev", "bin.env")


def test_an_empty_env_file_loads_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("# nothing yet\n")
    env = load_dotenv_files([SpecFile(tmp_path / ".env", ".env")], "dev", ".env")
    assert env.tree == {"variables": {}}
    assert [w.message for w in env.warnings] == ["no variables are set in this file"]
