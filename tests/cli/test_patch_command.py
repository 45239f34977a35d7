"""``parity patch`` and the report formats of ``parity compare`` from the command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import run_cli


def snapshot(folder: Path) -> dict[str, bytes]:
    files = (p for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts)
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


def test_a_patch_makes_the_target_match_and_applies_with_git(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(shop)
    out_file = shop.parent / "fix.patch"
    code, out, err = run_cli(capsys, "patch", "prod", "dev", "--only", "/services/db/image/tag", "-o", str(out_file))
    assert code == 1 and out == ""
    assert "1 drift fixed" in err
    assert snapshot(shop) == before  # parity never edits the user's files
    patch = out_file.read_text()
    assert "diff --git a/docker-compose.override.yml b/docker-compose.override.yml" in patch
    assert "-    image: postgres:13\n+    image: postgres:14.7\n" in patch
    subprocess.run(["git", "apply", str(out_file)], cwd=shop, check=True)
    code, out, _ = run_cli(capsys, "compare", "--format", "json", "dev", "prod")
    assert "/services/db/image/tag" not in [d["path"] for d in json.loads(out)["drift"]]


def test_nothing_to_fix_exits_zero(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "patch", "docker-compose.yml", "docker-compose.yml")
    assert code == 0 and out == ""
    assert "nothing to change" in err


def test_a_patch_never_writes_a_secret_unless_asked(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "patch", "prod", "dev")
    assert code == 1
    assert "prod-password-from-vault" not in out and "CHANGE-ME-secret" in out


@pytest.mark.parametrize(
    ("format", "marker"),
    [("markdown", "| Severity | Unexpected drift |"), ("html", "<!DOCTYPE html>"), ("sarif", '"version": "2.1.0"')],
)
def test_compare_writes_each_report_format(
    shop: Path, capsys: pytest.CaptureFixture[str], format: str, marker: str
) -> None:
    code, out, _ = run_cli(capsys, "compare", "--format", format, "dev", "prod")
    assert code == 1
    assert marker in out
    assert "prod-password-from-vault" not in out
