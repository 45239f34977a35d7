"""Helpers for the patch tests: copies of real-looking projects in a git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from parity_gui.app.compare import Request, run
from parity_gui.engine.comparison import Comparison
from parity_gui.export.patch.fix import make_patch
from parity_gui.export.patch.model import FixPatch

DATA = Path(__file__).resolve().parent.parent / "data" / "patch"
EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def project(source: Path, into: Path) -> Path:
    """A copy of ``source`` in a fresh git repository (nothing of the developer's git config used)."""
    shutil.copytree(source, into)
    git(into, "init", "-q", ".")
    return into


def git(folder: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    environment = {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(folder), "GIT_CEILING_DIRECTORIES": str(folder.parent),
                   "PATH": "/usr/bin:/bin", "LC_ALL": "C"}
    return subprocess.run(["git", *args], cwd=folder, input=data, capture_output=True, env=environment,
                          check=False)


def apply(folder: Path, patch: FixPatch) -> None:
    """``git apply --check`` then ``git apply``, as a user would; fails the test if either refuses."""
    checked = git(folder, "apply", "--check", "-", data=patch.text)
    assert checked.returncode == 0, checked.stderr.decode()
    done = git(folder, "apply", "-", data=patch.text)
    assert done.returncode == 0, done.stderr.decode()


def compared(folder: Path, reference: str, target: str) -> Comparison:
    return run(Request((reference, target), base=folder))


def patched(folder: Path, reference: str, target: str, **options: object) -> FixPatch:
    return make_patch(compared(folder, reference, target), base=folder, **options)  # type: ignore[arg-type]


def unexpected(folder: Path, reference: str, target: str) -> list[str]:
    return [d.pointer for d in compared(folder, reference, target).unexpected]
