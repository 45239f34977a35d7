"""Canary secrets planted in every kind of file never appear in what parity prints: the text
and JSON reports, their warnings, and the one-line errors of files that fail to parse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parity_gui.cli.main import main
from parity_gui.core.secrets import REVEALED_NOTICE

#: Each canary is unique, so a leak names where it came from.
CANARIES = {
    "compose-env": "CanaryComposeEnv-7",
    "compose-label": "ghp_CanaryLabel0123456789abcdefghijklmnopq",
    "compose-command": "CanaryCommandPw-3",
    "compose-url": "CanaryUrlPw-5",
    "build-arg": "CanaryBuildArg-2",
    "dockerfile-env": "CanaryDockerEnv-4",
    "tfvars": "CanaryTfvars-8",
    "tfvars-json": "CanaryTfvarsJson-9",
    "sensitive-variable": "CanarySensitive-1",
    "dotenv": "CanaryDotenv-6",
    "dotenv-entropy": "q8Zt2vXw9LmN4pRs7KjH3gFd6CanaryY",
}


def compose(side: str) -> str:
    return f"""\
services:
  web:
    image: shop/web:{side}
    build:
      context: .
      args:
        NPM_TOKEN: "{CANARIES['build-arg']}-{side}"
    command: ["sh", "-c", "PGPASSWORD={CANARIES['compose-command']}-{side} psql -h db"]
    environment:
      POSTGRES_PASSWORD: {CANARIES['compose-env']}-{side}
      DATABASE_URL: postgres://shop:{CANARIES['compose-url']}-{side}@db/shop
    labels:
      com.example.deploy-key: "{CANARIES['compose-label']}{side}"
"""


def dockerfile(side: str) -> str:
    return f"FROM python:3.12\nENV API_SECRET={CANARIES['dockerfile-env']}-{side}\n"


def terraform() -> str:
    return (
        'variable "db_password" {\n  type = string\n}\n'
        'variable "connection" {\n  type      = string\n  sensitive = true\n}\n'
        'variable "region" {\n  default = "eu-west-1"\n}\n'
    )


def write_side(root: Path, side: str) -> str:
    folder = root / side
    (folder / "infra").mkdir(parents=True)
    (folder / "docker-compose.yml").write_text(compose(side))
    (folder / "Dockerfile").write_text(dockerfile(side))
    (folder / "infra" / "main.tf").write_text(terraform())
    (folder / "infra" / "prod.tfvars").write_text(
        f'db_password = "{CANARIES["tfvars"]}-{side}"\n'
        f'connection = "Host=db;Pwd={CANARIES["sensitive-variable"]}-{side}"\n'
    )
    extra = {"db_password": f"{CANARIES['tfvars-json']}-{side}"}
    (folder / "infra" / "extra.tfvars.json").write_text(json.dumps(extra))
    (folder / ".env").write_text(
        f"STRIPE_API_KEY={CANARIES['dotenv']}-{side}\nBUILD_SEED={CANARIES['dotenv-entropy']}{side}\n"
    )
    parts = ["docker-compose.yml", "Dockerfile", "infra/main.tf", "infra/prod.tfvars", "infra/extra.tfvars.json",
             ".env"]
    return "+".join(str(folder / p) for p in parts)


def leaks(output: str) -> list[str]:
    return [name for name, canary in CANARIES.items() if canary in output]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("output_format", ["text", "json"])
def test_no_canary_reaches_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str], output_format: str) -> None:
    left, right = write_side(tmp_path, "dev"), write_side(tmp_path, "prod")
    code = main(["compare", "--format", output_format, left, right])
    out, err = capsys.readouterr()
    assert code == 1, err
    assert leaks(out + err) == []
    assert "(secret changed)" in out or output_format == "json"
    assert REVEALED_NOTICE not in out


@pytest.mark.timeout(60)
def test_secrets_in_clear_only_when_asked_and_then_marked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    left, right = write_side(tmp_path, "dev"), write_side(tmp_path, "prod")
    main(["compare", "--format", "json", "--show-secrets", left, right])
    out, _ = capsys.readouterr()
    report = json.loads(out)
    assert report["notice"] == REVEALED_NOTICE
    assert "compose-env" in leaks(out)
    main(["compare", "--show-secrets", left, right])
    out, _ = capsys.readouterr()
    assert out.startswith(REVEALED_NOTICE)


MALFORMED = {
    "compose.yml": f'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: "{CANARIES["compose-env"]}\n  x: [\n',
    "compose.yaml": f"services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: {CANARIES['compose-env']}: x\n",
    "main.tf": f'variable "x" {{\n  default = "{CANARIES["tfvars"]}" {CANARIES["tfvars"]}\n}}\n',
    "prod.tfvars": f"db_password = {CANARIES['tfvars']} {CANARIES['tfvars']}\n",
    "prod.tfvars.json": f'{{"db_password": "{CANARIES["tfvars-json"]}" "x"}}',
    "Dockerfile": f"FROM alpine\nENV {CANARIES['dockerfile-env']}\n",
    "Dockerfile.b": f"FROM alpine\nRUNN --password {CANARIES['dockerfile-env']}\n",
    ".env": f'DB_PASSWORD="{CANARIES["dotenv"]}\nOTHER=1\n',
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_line_holding_a_password_is_reported_without_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = tmp_path / name
    path.write_text(MALFORMED[name])
    good = tmp_path / "good.yml"
    good.write_text("services:\n  web:\n    image: nginx\n")
    main(["compare", str(path), str(good)])
    out, err = capsys.readouterr()
    assert name in out + err
    assert leaks(out + err) == [], out + err


@pytest.mark.timeout(120)
def test_no_canary_reaches_a_saved_report_of_any_format_or_a_patch(tmp_path: Path) -> None:
    """The patch's removed and context lines are the target's own file, needed for it to apply;
    what it adds must not carry the reference environment's secrets."""
    from parity_gui.app.compare import request_for, run
    from parity_gui.app.export import REPORT_FORMATS, build_patch, build_report
    from parity_gui.errors import ParityError

    left, right = write_side(tmp_path, "dev"), write_side(tmp_path, "prod")
    comparison = run(request_for([left, right], cwd=tmp_path))
    for output_format in REPORT_FORMATS:
        assert leaks(build_report(comparison, output_format)) == [], output_format
    try:
        written = build_patch(comparison).text
        patch_text = written.decode("utf-8", "replace") if isinstance(written, bytes) else written
    except ParityError as e:
        patch_text = str(e)
    added = "\n".join(line for line in patch_text.splitlines() if line.startswith("+"))
    assert leaks(added) == [], patch_text
