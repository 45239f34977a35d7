"""``.parity.toml`` names a file's kind when its name does not tell it."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.app.project import load_environment, parse_project
from parity_gui.errors import ProjectFileError

PROJECT = """\
[environments.local]
files = ["compose.yaml", { path = ".envs/.local/.django", kind = "dotenv" }]

[environments.production]
files = ["compose.yaml", { path = ".envs/.production/.django", kind = "dotenv" }]
"""


def test_a_file_table_with_a_kind_is_read_by_that_kind(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  django:\n    image: shop/django:1.0\n")
    for stage, debug in (("local", "True"), ("production", "False")):
        folder = tmp_path / ".envs" / f".{stage}"
        folder.mkdir(parents=True)
        (folder / ".django").write_text(f"DJANGO_DEBUG={debug}\n")
    project = parse_project(PROJECT, tmp_path / ".parity.toml", ".parity.toml")
    assert project.environment("production").files == ("compose.yaml", "dotenv:.envs/.production/.django")
    env = load_environment(project, "production")
    assert env.tree["variables"] == {"DJANGO_DEBUG": "False"}
    assert env.tree["services"]["django"]["image"]["tag"] == "1.0"


@pytest.mark.parametrize(("entry", "message"), [
    ('{ path = ".django", kind = "dotnev" }', "unknown kind 'dotnev' for .django; the kinds are: dockerfile"),
    ('{ kind = "dotenv" }', "needs `path`"),
    ('{ path = ".django", knd = "dotenv" }', "unknown key 'knd'"),
])
def test_a_bad_file_table_is_an_error_naming_the_line(entry: str, message: str) -> None:
    text = f'[environments.dev]\nfiles = [{entry}]\n'
    with pytest.raises(ProjectFileError, match=message) as caught:
        parse_project(text, Path("/repo/.parity.toml"), ".parity.toml")
    assert caught.value.line == 2  # the `files =` line
