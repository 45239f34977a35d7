"""``parity compare`` on files that are not compose: their difference, never a silent "No drift"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import run_cli

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  LEVEL: {level}\n"


def test_two_kubernetes_manifests_that_differ_report_their_difference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.yaml").write_text(CONFIGMAP.format(level="debug"))
    (tmp_path / "b.yaml").write_text(CONFIGMAP.format(level="info"))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "compare", "a.yaml", "b.yaml")
    assert code == 1
    assert "No drift" not in out
    assert "LEVEL" in out and "debug" in out and "info" in out and "a.yaml:6:10" in out
    assert "MEDIUM" in out and "config-data-drift" in out  # read as Kubernetes: a ConfigMap's value
    code, out, _ = run_cli(capsys, "compare", "--format", "markdown", "a.yaml", "b.yaml")
    assert code == 1 and "ConfigMap app holds a different LEVEL" in out
    code, out, _ = run_cli(capsys, "compare", "yaml:a.yaml", "yaml:b.yaml")  # as plain YAML files
    assert code == 1 and "/files/yaml" in out and "a.yaml:6:10" in out


def test_forced_kinds_compare_env_files_without_a_telling_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for stage, debug in (("local", "True"), ("production", "False")):
        folder = tmp_path / ".envs" / f".{stage}"
        folder.mkdir(parents=True)
        (folder / ".django").write_text(f"# Django\nDJANGO_DEBUG={debug}\nDJANGO_SECRET_KEY=k3y-Value-9f8e7d6c\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "compare", "dotenv:.envs/.local/.django", "dotenv:.envs/.production/.django")
    assert code == 1
    assert "/variables/DJANGO_DEBUG" in out and "k3y-Value" not in out


def test_a_file_read_under_a_kind_that_skips_its_content_is_trouble_not_no_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.yaml").write_text(CONFIGMAP.format(level="debug"))
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "compare", "dotenv:a.yaml", "dotenv:a.yaml")
    assert code == 2
    assert "No drift" not in out
    assert "a.yaml:1: read as dotenv, but dotenv skipped 4 parts of it and read only 2 values" in err
    assert "name the right kind as KIND:a.yaml" in err


def test_an_unknown_kind_lists_the_kinds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.yaml").write_text("a: 1\n")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, "compare", "yml:a.yaml", "a.yaml")
    assert code == 2
    assert "unknown kind 'yml'; the kinds are: dockerfile, terraform, dotenv, compose" in err


def test_environments_with_nothing_in_common_are_trouble_not_no_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1.25\n")
    (tmp_path / "a.yaml").write_text(CONFIGMAP.format(level="debug"))
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "compare", "compose.yaml", "a.yaml")
    assert code == 2
    assert ("warning: these environments have nothing in common to compare "
            "(compose.yaml: /services; a.yaml: /kubernetes), so nothing was compared") in out
    assert "No drift." not in out
    assert "No drift where both sides can speak; 2 outside shared coverage (not counted)." in out
