"""What the command-line tests share: the shop example as a repository of its own, and a way to
run ``parity`` in-process and read what it printed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from parity_gui.cli.main import main

SHOP = Path(__file__).resolve().parents[2] / "resources" / "examples" / "shop"


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shop example as a git repository (so its .parity.toml is not looked for
    above it), and the working folder."""
    copy = tmp_path / "shop"
    shutil.copytree(SHOP, copy)
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    monkeypatch.chdir(copy)
    return copy


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``parity ARGS…``; its exit status, standard output and standard error."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
