"""What the command line says must be true and must be text: an environment that failed to load
in part is never "No drift." (exit 2), control characters from files never reach the terminal
raw nor fake report lines, and odd but valid input ends in a message, never an internal error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from parity_gui.cli.main import main
from parity_gui.core.pointer import PathGlob
from tests.hostile import inputs

BASE = """\
# shop: production
services:
  web:
    image: "nginx:1.27"
    ports: ["8080:80"]
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.timeout(30)
@pytest.mark.parametrize("env_file", ["missing", "fifo", "device"])
def test_an_env_file_that_cannot_be_read_is_exit_2_never_no_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], env_file: str
) -> None:
    if env_file == "fifo":
        inputs.fifo(tmp_path / "web.env")
    elif env_file == "device":
        (tmp_path / "web.env").symlink_to(os.devnull)
    (tmp_path / "dev.yml").write_text(BASE.replace('    ports:', "    env_file: ./web.env\n    ports:"))
    (tmp_path / "prod.yml").write_text(BASE)
    code, out, err = run(capsys, "compare", str(tmp_path / "dev.yml"), str(tmp_path / "prod.yml"))
    assert code == 2  # compose refuses to start a project whose required env_file it cannot read; so does parity
    assert "No drift." not in out
    said = {"missing": "not found", "fifo": "is a named pipe (FIFO)", "device": "is a device"}[env_file]
    assert f"env_file ./web.env {said}" in err
    assert err.count("\n") == 1 and "dev.yml:" in err


@pytest.mark.timeout(60)
def test_a_folder_whose_dockerfile_fails_is_exit_2_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "compose.yaml").write_text(BASE)
    (folder / "Dockerfile").write_text("FROM alpine:3.20 AS base\nRUN apk add curl\nFROM\n")
    (tmp_path / "prod.yml").write_text(BASE)
    code, out, _ = run(capsys, "compare", str(folder), str(tmp_path / "prod.yml"))
    assert code == 2 and "No drift." not in out
    code, out, _ = run(capsys, "compare", str(folder), str(tmp_path / "prod.yml"), "--format", "markdown")
    assert code == 2 and out.startswith("## parity: Incomplete: 1 error while loading")
    code, out, _ = run(capsys, "compare", str(folder), str(tmp_path / "prod.yml"), "--format", "json")
    assert code == 2 and any(w["message"] for w in json.loads(out)["warnings"])


HOSTILE_NAMES = """\
services:
  "web\\nHIGH     ~ image/tag  fake-rule":
    image: "nginx:1.27"
    environment:
      GREETING: "hello \\e[2J\\e[31mred\\e[0m \\u202Eevil"
"""


@pytest.mark.timeout(30)
@pytest.mark.parametrize("format", ["text", "markdown", "html"])
def test_control_characters_are_escaped_in_every_human_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], format: str
) -> None:
    (tmp_path / "dev.yml").write_text(HOSTILE_NAMES)
    (tmp_path / "prod.yml").write_text(HOSTILE_NAMES.replace("hello", "bye"))
    code, out, _ = run(capsys, "compare", str(tmp_path / "dev.yml"), str(tmp_path / "prod.yml"), "--format", format)
    assert code == 1
    assert "\x1b" not in out and "\u202e" not in out
    if format != "html":  # HTML keeps newlines inside elements, where they cannot start a row
        assert not any(line.startswith("HIGH") for line in out.splitlines())
    assert "\\x1b" in out or "\\\\x1b" in out


@pytest.mark.timeout(30)
def test_control_characters_in_an_error_line_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = tmp_path / "evil\x1b[2Jname.yml"
    name.write_text("services: [\n")
    code, _, err = run(capsys, "compare", str(name), str(name))
    assert code == 2
    assert "\x1b" not in err and "\\x1b[2Jname.yml" in err and err.count("\n") == 1


@pytest.mark.timeout(30)
def test_a_five_thousand_digit_integer_is_a_value_not_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """yaml.v3 resolves a plain scalar that no 64-bit integer or finite float can hold as a string."""
    (tmp_path / "dev.yml").write_text(BASE + "    cpu_shares: " + "9" * 5000 + "\n")
    (tmp_path / "prod.yml").write_text(BASE)
    code, out, err = run(capsys, "compare", str(tmp_path / "dev.yml"), str(tmp_path / "prod.yml"))
    assert "internal error" not in err and "ValueError" not in err + out
    assert code in (1, 2)


@pytest.mark.timeout(30)
def test_a_five_thousand_digit_terraform_number_is_a_value_not_an_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Terraform numbers have arbitrary precision: one past Python's 4,300-digit conversion
    stays the text it is written as."""
    (tmp_path / "main.tf").write_text('variable "seed" {\n  default = ' + "9" * 5000 + "\n}\n")
    code, out, err = run(capsys, "show", str(tmp_path / "main.tf"))
    assert "internal error" not in err and "ValueError" not in err + out
    assert code == 0 and "9" * 5000 in out


@pytest.mark.timeout(30)
def test_an_absolute_compose_file_entry_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """compose spec, COMPOSE_FILE: entries may be absolute paths."""
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "compose.production.yml").write_text(BASE)
    (folder / ".env").write_text(f"COMPOSE_FILE={folder / 'compose.production.yml'}\n")
    (tmp_path / "prod.yml").write_text(BASE)
    code, out, err = run(capsys, "compare", str(folder), str(tmp_path / "prod.yml"))
    assert (code, err) == (0, ""), out
    assert "No drift" in out  # the folder's own .env is context: prod.yml has no variables


@pytest.mark.timeout(10)
def test_hundreds_of_double_stars_in_a_glob_match_without_recursion() -> None:
    glob = PathGlob("/**" * 300 + "/tag")
    assert glob.matches(("services", "web", "image", "tag"))
    assert not glob.matches(("services", "web", "image", "digest"))
    alternating = PathGlob("/**/a" * 250 + "/b")
    assert not alternating.matches(("a",) * 260)
    assert alternating.matches(("a",) * 250 + ("b",))


@pytest.mark.timeout(60)
def test_a_patch_made_from_a_partial_load_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dev").mkdir()
    inputs.fifo(tmp_path / "dev" / ".env")  # dev's project .env cannot be read: dev loads, with an error
    (tmp_path / "dev" / "dev.yml").write_text(BASE.replace('"nginx:1.27"', '"nginx:${NGINX_TAG:-1.27}"'))
    (tmp_path / "prod.yml").write_text(BASE.replace("1.27", "1.25"))
    code, _, err = run(capsys, "patch", str(tmp_path / "prod.yml"), str(tmp_path / "dev" / "dev.yml"),
                       "-o", str(tmp_path / "fix.patch"))
    assert code == 2
    assert "incomplete: 1 error(s) while loading" in err


@pytest.mark.timeout(30)
def test_a_fifo_dotenv_beside_the_compose_file_is_an_error_not_silence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """compose spec: the project's .env fills ${VAR}; one that cannot be read is said."""
    inputs.fifo(tmp_path / ".env")
    (tmp_path / "dev.yml").write_text(BASE.replace('"nginx:1.27"', '"nginx:${NGINX_TAG:-1.27}"'))
    (tmp_path / "prod.yml").write_text(BASE)
    code, out, _ = run(capsys, "compare", str(tmp_path / "dev.yml"), str(tmp_path / "prod.yml"))
    assert code == 2
    assert ".env: is a named pipe (FIFO), not a file; not read" in out
