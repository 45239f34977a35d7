"""``parity review`` and ``--baseline``, on real git repositories made in a temporary folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import run_cli

DEV = """\
services:
  web:
    image: ghcr.io/acme/shop-web:2.3.0
    environment:
      LOG_LEVEL: debug
  cache:
    image: redis:7.2
"""
PROD = """\
services:
  web:
    image: ghcr.io/acme/shop-web:2.3.0
    environment:
      LOG_LEVEL: info
      SECRET_KEY: prod-secret-0f3a9c
  cache:
    image: redis:7.0
"""
PROJECT = """\
baseline = "dev"

[environments.dev]
files = ["compose.dev.yml"]

[environments.prod]
files = ["compose.prod.yml"]

[[expected]]
path = "/services/web/environment/LOG_LEVEL"
reason = "prod logs less"
"""


def git(repo: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=repo, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "shop"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    (root / ".parity.toml").write_text(PROJECT)
    (root / "compose.dev.yml").write_text(DEV)
    (root / "compose.prod.yml").write_text(PROD)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "environments")
    git(root, "switch", "-q", "-c", "bump-web")
    monkeypatch.chdir(root)
    return root


def change(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / name
    path.write_text(path.read_text().replace(old, new))


def test_a_change_that_adds_drift_fails(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, "compose.prod.yml", "shop-web:2.3.0", "shop-web:2.4.0")  # prod alone moves on
    code, out, _ = run_cli(capsys, "review")
    assert code == 1
    assert "What the change does to prod" in out
    new = out.split("== New drift between environments (1)")[1].split("==")[0]
    assert "/services/web/image/tag" in new and "FAILS" in new
    assert "The change changes prod, with 1 new unexpected drift" in out


def test_new_resolved_and_changed_drift(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, "compose.prod.yml", "redis:7.0", "redis:7.2")  # resolves the cache drift
    change(repo, "compose.prod.yml", "prod-secret-0f3a9c", "prod-secret-77b1e4")  # changes a drift
    change(repo, "compose.dev.yml", "shop-web:2.3.0", "shop-web:2.3.1")  # adds one
    code, out, _ = run_cli(capsys, "review", "--format", "json")
    review = json.loads(out)
    assert review["schema"] == "parity.review/v1"
    assert review["base"]["revision"] == git(repo, "rev-parse", "main").strip()[:12]  # the merge base
    assert [d["path"] for d in review["drift"]["new"]] == ["/services/web/image/tag"]
    assert [d["path"] for d in review["drift"]["resolved"]] == ["/services/cache/image/tag"]
    changed = review["drift"]["changed"]
    assert [d["after"]["path"] for d in changed] == ["/services/web/environment/SECRET_KEY"]
    assert "prod-secret" not in out  # masked, before and after
    assert review["summary"] == {"new": 1, "resolved": 1, "changed": 1, "failing": 1,
                                 "changed_environments": ["dev", "prod"]}
    assert code == 1


def test_a_change_that_only_closes_the_gap_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, "compose.prod.yml", "redis:7.0", "redis:7.2")
    code, out, _ = run_cli(capsys, "review", "--format", "markdown")
    assert code == 0
    first = out.split("\n")
    assert first[0] == f"### parity review against `{git(repo, 'rev-parse', 'main').strip()[:12]}`"
    assert first[2].startswith("The change changes prod, with no new unexpected drift")
    assert "<summary>Resolved drift between environments (1)</summary>" in out
    assert out.index("| **fails the check** | **0** |") < out.index("<details>")  # summary first


def test_expected_drift_never_fails_a_review(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, "compose.dev.yml", "LOG_LEVEL: debug", "LOG_LEVEL: trace")
    code, _, _ = run_cli(capsys, "review")
    assert code == 0


def test_review_of_named_environments_against_a_given_base(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, "compose.prod.yml", "redis:7.0", "redis:7.4")
    git(repo, "commit", "-q", "-am", "prod cache")
    code, out, _ = run_cli(capsys, "review", "prod", "--base", "HEAD~1", "--format", "json")
    review = json.loads(out)
    assert review["environments"] == ["prod"]
    assert review["drift"] == {"new": [], "resolved": [], "changed": []}
    tags = [d for d in review["changes"]["prod"]["drift"] if d["path"] == "/services/cache/image/tag"]
    assert tags[0]["values"] == ["7.0", "7.4"]
    assert code == 0


def test_sarif_lists_new_and_changed_drift(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, "compose.prod.yml", "redis:7.0", "redis:7.1")
    change(repo, "compose.dev.yml", "shop-web:2.3.0", "shop-web:3.0.0")
    code, out, _ = run_cli(capsys, "review", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert sorted(r["baselineState"] for r in results) == ["new", "updated"]
    assert code == 1


def test_a_baseline_report_makes_known_drift_pass_across_runs(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Secrets match by path, kind and which environments differ, although each report masks
    them with its own tags."""
    baseline = tmp_path / "parity-baseline.json"
    code, _, _ = run_cli(capsys, "compare", "--format", "json", "-o", str(baseline))
    assert code == 1
    first = baseline.read_text()
    code, out, _ = run_cli(capsys, "compare", "--baseline", str(baseline))
    assert code == 0
    assert "0 new drift" in out and "known (in the baseline report)" in out
    code, out, _ = run_cli(capsys, "compare", "--baseline", str(baseline), "--format", "json")
    again = json.loads(out)
    assert all(d["baseline"] for d in again["drift"] if not d["expected"])
    secret = next(d for d in again["drift"] if d["path"].endswith("SECRET_KEY"))
    assert secret["values"][1] not in first  # a fresh tag, matched all the same
    change(repo, "compose.prod.yml", "redis:7.0", "redis:6.2")  # the known drift moved on
    code, out, _ = run_cli(capsys, "compare", "--baseline", str(baseline))
    assert code == 1
    assert "1 new drift" in out


def test_a_review_with_a_baseline_fails_only_on_new_drift(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    change(repo, "compose.prod.yml", "shop-web:2.3.0", "shop-web:2.4.0")
    baseline = tmp_path / "baseline.json"
    run_cli(capsys, "compare", "--format", "json", "-o", str(baseline))
    code, out, _ = run_cli(capsys, "review", "--baseline", str(baseline))
    assert code == 0
    assert "known" in out.split("== New drift between environments (1)")[1]


def test_the_repository_is_untouched_by_a_review(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    change(repo, "compose.prod.yml", "redis:7.0", "redis:7.2")
    status = git(repo, "status", "--porcelain=v2", "--branch")
    index = (repo / ".git" / "index").read_bytes()
    run_cli(capsys, "review")
    assert git(repo, "status", "--porcelain=v2", "--branch") == status
    assert (repo / ".git" / "index").read_bytes() == index
    assert git(repo, "stash", "list") == ""


def test_review_outside_a_project_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    code, _, err = run_cli(capsys, "review")
    assert code == 2
    assert err.startswith("parity: ") and "none was found" in err and err.count("\n") == 1
