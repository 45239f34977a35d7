"""Building parity the way users receive it: wheel and sdist, a fresh virtual environment, the bundle.

These helpers run real builds in temporary folders. Nothing here reads the developer's home
folder or environment variables beyond what pip and the build tools need to find packages
(PATH and the machine's pip configuration).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent.parent
PROJECT = "parity-gui"


@dataclass(frozen=True)
class Distributions:
    """The wheel and the source distribution built from the checkout."""

    wheel: Path
    sdist: Path


def project_version() -> str:
    """The one declared version: ``[project] version`` in pyproject.toml."""
    with (REPO / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def run(command: Sequence[str | Path], cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 600, expect: int = 0) -> subprocess.CompletedProcess[str]:
    """Run a command; when it exits otherwise than expected, fail with its output so the reason shows."""
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
        check=False,
    )
    if result.returncode != expect:
        raise AssertionError(
            f"{' '.join(map(str, command))} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}"
        )
    return result


#: What a build never needs from the checkout: version control, environments, caches, build output.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
)


def source_copy(where: Path) -> Path:
    """A copy of the checkout's files (tracked or not) to build from, so builds leave the checkout alone."""
    return Path(shutil.copytree(REPO, where, ignore=NOT_SOURCES, symlinks=True))


def build_distributions(outdir: Path, source: Path | None = None) -> Distributions:
    """``python -m build`` from ``source`` (default: a copy of the checkout): the sdist, then the
    wheel built from that sdist.

    Build isolation is off because the build requirements (setuptools) are already locked and
    installed beside the tests; an isolated build would have to fetch them again.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    source = source or source_copy(outdir / "source")
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", outdir, source], cwd=outdir)
    (wheel,) = outdir.glob("*.whl")
    (sdist,) = outdir.glob("*.tar.gz")
    return Distributions(wheel, sdist)


def runtime_closure(project: str = PROJECT) -> set[str]:
    """Canonical names of the project's runtime dependencies, transitively, as installed here."""
    seen: set[str] = set()
    pending = [project]
    while pending:
        name = canonicalize_name(pending.pop())
        if name in seen:
            continue
        seen.add(name)
        pending += _runtime_requirements(name)
    seen.discard(canonicalize_name(project))
    return seen


def _runtime_requirements(name: str) -> list[str]:
    try:
        requires = distribution(name).requires or []
    except PackageNotFoundError:
        return []
    wanted = []
    for text in requires:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            wanted.append(requirement.name)
    return wanted


def lock_entries(lock_text: str) -> dict[str, str]:
    """The pinned entries of a pip-compile lock file, each with its hash lines, by canonical name."""
    entries: dict[str, str] = {}
    lines = iter(lock_text.splitlines())
    for line in lines:
        match = re.match(r"([A-Za-z0-9._-]+)==\S+", line)
        if not match:
            continue
        entry = [line]
        while entry[-1].rstrip().endswith("\\"):
            entry.append(next(lines))
        entries[canonicalize_name(match.group(1))] = "\n".join(entry).rstrip(" \\")
    return entries


def lock_options(lock_text: str) -> list[str]:
    """The index options the lock was resolved against (``--find-links``, ``--extra-index-url``)."""
    return [line for line in lock_text.splitlines() if line.startswith("--")]


def runtime_lock(lock_text: str, names: Iterable[str]) -> str:
    """The part of the lock that a user's installation needs: the runtime closure, hashes kept."""
    entries = lock_entries(lock_text)
    missing = sorted(set(names) - entries.keys())
    if missing:
        raise AssertionError(f"requirements.lock does not pin runtime dependencies: {', '.join(missing)}")
    return "\n".join([*lock_options(lock_text), *(entries[name] for name in sorted(names))]) + "\n"


def user_environment(home: Path, extra_path: Path | None = None) -> dict[str, str]:
    """A clean environment for running parity as a user would: own home, offscreen Qt, no PYTHONPATH."""
    path = os.environ.get("PATH", "/usr/bin:/bin")
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    return {
        "PATH": f"{extra_path}{os.pathsep}{path}" if extra_path else path,
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_CONFIG_HOME": str(home / ".config"),
    }


def fresh_virtualenv(where: Path, wheel: Path) -> Path:
    """A new virtual environment holding the locked runtime dependencies and the wheel; its bin folder.

    Both installs use ``--no-deps`` (the lock is complete and hashed), then ``pip check``
    proves the wheel's declared dependencies are all satisfied by the lock.
    """
    run([sys.executable, "-m", "venv", where], cwd=where.parent)
    python = where / "bin" / "python"
    lock = where / "runtime.lock"
    lock.write_text(runtime_lock((REPO / "requirements.lock").read_text(encoding="utf-8"), runtime_closure()),
                    encoding="utf-8")
    pip: list[str | Path] = [python, "-m", "pip", "--disable-pip-version-check", "install", "--quiet", "--no-deps"]
    run([*pip, "--require-hashes", "-r", lock], cwd=where)
    run([*pip, wheel], cwd=where)
    run([python, "-m", "pip", "check"], cwd=where)
    return where / "bin"


def build_bundle(where: Path) -> Path:
    """The desktop bundle built with ``packaging/parity.spec`` under ``where``; its folder.

    PyInstaller keeps its cache under ``where`` too, so the build owes nothing to earlier ones.
    """
    env = {**os.environ, "PYINSTALLER_CONFIG_DIR": str(where / "pyinstaller-cache")}
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", where / "dist",
         "--workpath", where / "build", REPO / "packaging" / "parity.spec"], cwd=where, env=env, timeout=1800)
    return where / "dist" / "parity"
