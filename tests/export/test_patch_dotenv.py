"""Editing .env files: quoting kept, lines appended and removed cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.export.patch import dotenv as patch_dotenv
from parity_gui.export.patch.model import Unfixable, Workspace

ENV = """# Settings for the staging stack
export APP_ENV=staging
DATABASE_HOST="db.internal"   # primary
GREETING='Hello, world'
EMPTY=
APP_ENV=staging-2
"""


def _edit(tmp_path: Path, content: bytes, plan: str, *args: str | None) -> bytes:
    (tmp_path / ".env").write_bytes(content)
    work = Workspace(tmp_path)
    getattr(patch_dotenv, plan)(work, ".env", *args, "/variables/X")
    return work.edits[".env"].result()


def test_a_double_quoted_value_stays_double_quoted_and_escaped(tmp_path: Path) -> None:
    after = _edit(tmp_path, ENV.encode(), "set_value", "DATABASE_HOST", 'db "2" $HOST')
    assert b'DATABASE_HOST="db \\"2\\" $$HOST"   # primary\n' in after


def test_a_single_quoted_value_stays_single_quoted(tmp_path: Path) -> None:
    after = _edit(tmp_path, ENV.encode(), "set_value", "GREETING", "Hello, team")
    assert b"GREETING='Hello, team'\n" in after


def test_an_unquoted_value_gains_quotes_only_when_it_needs_them(tmp_path: Path) -> None:
    assert b"EMPTY=plain\n" in _edit(tmp_path, ENV.encode(), "set_value", "EMPTY", "plain")
    assert b'EMPTY="two words # not a comment"\n' in _edit(tmp_path, ENV.encode(), "set_value", "EMPTY",
                                                            "two words # not a comment")


def test_the_last_assignment_is_the_one_edited(tmp_path: Path) -> None:
    after = _edit(tmp_path, ENV.encode(), "set_value", "APP_ENV", "prod")
    assert b"export APP_ENV=staging\n" in after and b"APP_ENV=prod\n" in after


def test_removing_a_name_removes_every_line_that_sets_it(tmp_path: Path) -> None:
    after = _edit(tmp_path, ENV.encode(), "remove_value", "APP_ENV")
    assert after == ENV.replace("export APP_ENV=staging\n", "").replace("APP_ENV=staging-2\n", "").encode()


def test_an_appended_line_keeps_crlf_and_a_missing_final_newline(tmp_path: Path) -> None:
    after = _edit(tmp_path, b"A=1\r\nB=2", "add_value", "C", "3")
    assert after == b"A=1\r\nB=2\r\nC=3"
    assert _edit(tmp_path, b"A=1\n", "add_value", "C", "x y") == b'A=1\nC="x y"\n'


def test_a_name_that_is_not_there_is_said_so(tmp_path: Path) -> None:
    with pytest.raises(Unfixable, match=r"NOPE is not set in \.env"):
        _edit(tmp_path, ENV.encode(), "set_value", "NOPE", "1")
