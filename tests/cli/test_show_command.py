"""``parity show ENV``: one environment's canonical tree, each value with its origin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.cli.conftest import run_cli


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_show_prints_each_value_with_the_file_and_line_it_came_from(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "show", "dev")
    assert (code, err) == (0, "")
    line = line_of(shop / "docker-compose.override.yml", "DATABASE_URL")
    assert f"      DATABASE_URL: sqlite:////app/var/dev.sqlite3  (docker-compose.override.yml:{line}:" in out
    assert "    deploy\n      replicas: 1  (" in out and "default)" in out  # filled in by parity, and says so
    assert "DB_PASSWORD: •••••• [" in out and "dev-password" not in out
    assert out.splitlines()[0].startswith("parity: dev (docker-compose.yml+")


def test_show_secrets_in_clear_only_when_asked_and_then_says_so(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "show", "dev", "--show-secrets")
    assert code == 0
    assert out.splitlines()[0].startswith("WARNING: secrets are shown in clear")
    assert "DB_PASSWORD: dev-password" in out


def test_show_json_holds_the_tree_its_origins_and_the_defaults(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "show", "prod", "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["schema"] == "parity.show/v1" and document["secrets"] == "masked"
    web = document["tree"]["services"]["web"]
    assert web["environment"]["DATABASE_URL"].startswith("postgres://shop:")
    assert "prod-password-from-vault" not in out
    origin = document["origins"]["/services/web/environment/DATABASE_URL"]
    assert origin["file"] == "docker-compose.prod.yml"
    assert origin["line"] == line_of(shop / "docker-compose.prod.yml", "DATABASE_URL")
    assert "/services/db/deploy/replicas" in document["defaults"]
    assert document["environment"]["name"] == "prod"


def test_show_yaml_reads_back_as_the_same_tree(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, as_json, _ = run_cli(capsys, "show", "dev", "--format", "json", "--show-secrets")
    code, as_yaml, _ = run_cli(capsys, "show", "dev", "--format", "yaml", "--show-secrets")
    assert code == 0
    assert yaml.safe_load(as_yaml) == json.loads(as_json)["tree"]
    assert "  # docker-compose.yml:" in as_yaml


def test_show_reads_a_spec_outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text("FROM python:3.12-slim AS base\nFROM base AS app\nUSER app\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "show", "Dockerfile")
    assert code == 0
    assert "  Dockerfile\n" in out and "    user: app  (Dockerfile:3)" in out


def test_control_characters_in_keys_values_and_names_are_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "compose.yml").write_text(
        'services:\n  web:\n    image: nginx:1.25\n    environment:\n'
        '      BANNER: "\\e[2J\\e[31mhacked\\u202e"\n      "EVIL\\u2028KEY": "x"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    for fmt, written in (("text", "\\x1b[2J\\x1b[31mhacked\\u202e"), ("yaml", "\\u001b[2J\\u001b[31mhacked\\u202e")):
        code, out, _ = run_cli(capsys, "show", "compose.yml", "--format", fmt)
        assert code == 0
        assert "\x1b" not in out and "\u202e" not in out and "\u2028" not in out
        assert written in out
        assert "EVIL\\u2028KEY" in out
    _, out, _ = run_cli(capsys, "show", "compose.yml", "--format", "yaml")
    assert yaml.safe_load(out)["services"]["web"]["environment"]["BANNER"] == "\x1b[2J\x1b[31mhacked\u202e"


def test_show_writes_to_a_file_when_asked(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "show", "prod", "--format", "yaml", "-o", "prod.yml")
    assert (code, out) == (0, "")
    assert yaml.safe_load((shop / "prod.yml").read_text())["services"]["web"]["image"]["tag"]


def test_show_of_something_unreadable_is_one_line_and_exit_2(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "show", "missing.yml")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and "missing.yml" in err


def test_show_json_follows_its_published_schema(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    schema = json.loads((Path(__file__).resolve().parents[2] / "resources" / "schema" / "parity.show.v1.json")
                        .read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for args in (("dev",), ("prod", "--show-secrets"), ("docker-compose.yml+.env",)):
        _, out, _ = run_cli(capsys, "show", *args, "--format", "json")
        validator.validate(json.loads(out))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**json.loads(out), "secrets": "partly"})
