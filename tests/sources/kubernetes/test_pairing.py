"""Services named differently in compose and on Kubernetes, paired in ``.parity.toml``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from parity_gui.app.project import parse_project
from parity_gui.cli.main import main
from parity_gui.errors import ProjectFileError
from tests.sources.kubernetes.conftest import SHOP

PROJECT = """\
baseline = "local"

[environments.local]
files = ["docker-compose.yml"]

[environments.production]
files = ["k8s/overlays/production"]

[[pair]]   # compose calls it web; the Deployment is backend
services = ["web", "backend"]
"""


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "shop"
    shutil.copytree(SHOP, copy)
    compose = copy / "docker-compose.yml"
    compose.write_text(compose.read_text(encoding="utf-8").replace("  backend:\n", "  web:\n"), encoding="utf-8")
    (copy / ".parity.toml").write_text(PROJECT, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    monkeypatch.chdir(copy)
    return copy


def test_paired_services_compare_as_one(repository: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "local", "production", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    paths = {d["path"] for d in report["drift"]}
    assert "/services/web/image/tag" in paths
    assert "/services/web/deploy/resources/limits/memory" in paths
    assert not any(p.startswith("/services/backend") for p in paths)
    origins = next(d["origins"] for d in report["drift"] if d["path"] == "/services/web/image/tag")
    assert [o["file"] for o in origins] == ["docker-compose.yml", "k8s/overlays/production/kustomization.yaml"]


def test_a_pair_needs_two_different_names() -> None:
    with pytest.raises(ProjectFileError, match="two or more different service names") as caught:
        parse_project('[[pair]]\nservices = ["web", "web"]\n', Path(".parity.toml"))
    assert caught.value.line == 2
