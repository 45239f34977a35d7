"""``parity compare NAME…`` with a .parity.toml, ``parity init`` and ``parity contexts``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.conftest import SHOP, run_cli


def test_environments_by_name_put_the_baseline_first(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "compare", "--format", "json", "dev", "prod")
    report = json.loads(out)
    assert code == 1
    assert [e["name"] for e in report["environments"]] == ["prod", "dev"]
    assert report["baseline"] == "prod"
    assert not [w for w in report["warnings"] if w["environment"] is None]


def test_expected_differences_keep_their_reason_and_do_not_count(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run_cli(capsys, "compare", "--format", "json", "dev")
    report = json.loads(out)
    replicas = next(d for d in report["drift"] if d["path"] == "/services/web/deploy/replicas")
    assert replicas["expected"] is True and replicas["reason"] == "prod scales out"
    assert report["summary"]["expected"] == sum(1 for d in report["drift"] if d["expected"])
    assert report["summary"]["drift"] == sum(1 for d in report["drift"] if not d["expected"])


def test_only_expected_drift_exits_zero(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (shop / ".parity.toml").write_text(
        'baseline = "prod"\n'
        '[environments.dev]\nfiles = ["docker-compose.yml", "docker-compose.override.yml"]\n'
        '[environments.prod]\nfiles = ["docker-compose.yml", "docker-compose.override.yml", "extra.yml"]\n'
        '[[expected]]\npath = "/services/web/user"\nreason = "prod runs unprivileged"\n',
        encoding="utf-8",
    )
    (shop / "extra.yml").write_text("services:\n  web:\n    user: '10001'\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "compare", "dev", "prod")
    assert code == 0
    assert "expected: prod runs unprivileged" in out


def test_an_expected_difference_that_matches_nothing_is_a_warning(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (shop / ".parity.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[[expected]]\npath = "/services/nonexistent/**"\nreason = "stale"\n')
    _, out, _ = run_cli(capsys, "compare", "--format", "json", "dev", "prod")
    warnings = [w for w in json.loads(out)["warnings"] if w["environment"] is None]
    assert len(warnings) == 1
    assert "/services/nonexistent/**" in warnings[0]["message"] and warnings[0]["file"] == ".parity.toml"


def test_an_unknown_environment_name_lists_the_known_ones(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "compare", "dev", "staging")
    assert code == 2
    assert "no environment named 'staging' (environments: dev, prod)" in err


def test_specs_still_work_beside_a_project_file(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "compare", "--format", "json", "docker-compose.yml", "docker-compose.yml")
    assert code == 0
    assert json.loads(out)["environments"][0]["spec"] == "docker-compose.yml"


def test_a_broken_project_file_names_its_line(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (shop / ".parity.toml").write_text('baseline = "prod"\n[environments.prod]\nfiles = "not a list"\n')
    code, _, err = run_cli(capsys, "compare", "prod")
    assert code == 2
    assert err.startswith("parity: .parity.toml:3")


def test_init_writes_a_project_file_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("docker-compose.yml", "docker-compose.override.yml", "docker-compose.prod.yml", "Dockerfile"):
        shutil.copy(SHOP / name, tmp_path / name)
    code, out, _ = run_cli(capsys, "init", str(tmp_path))
    assert code == 0 and ".parity.toml" in out
    written = (tmp_path / ".parity.toml").read_text()
    assert "[environments.prod]" in written and "docker-compose.prod.yml" in written
    code, _, err = run_cli(capsys, "init", str(tmp_path))
    assert code == 2 and "never overwrites" in err
    assert (tmp_path / ".parity.toml").read_text() == written


def test_contexts_lists_the_current_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:2375")
    code, out, _ = run_cli(capsys, "contexts")
    assert code == 0
    assert out.splitlines()[0].startswith("* default  tcp://127.0.0.1:2375")
