"""Measure the desktop bundle: its size on disk and how long its programs take to start.

    python packaging/measure_bundle.py [dist/parity]

Cold start is the first run after the bundle's own files were dropped from the page cache (with
``posix_fadvise(DONTNEED)``, file by file, so that nothing else on the machine is disturbed; the
system's libraries stay cached, as they are on a desktop in use). Warm start is the median of
five runs after that. The GUI is timed with ``--screenshot`` offscreen: start, load the bundled
example environments, compare, draw the window and write a PNG. Prints a Markdown table.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

WARM_RUNS = 5


def bundle_size(bundle: Path) -> int:
    """Bytes of all files in the bundle (symbolic links not followed)."""
    return sum(path.lstat().st_size for path in bundle.rglob("*") if path.is_file() and not path.is_symlink())


def evict(bundle: Path) -> None:
    """Drop the bundle's files from the page cache, so the next run reads them from disk."""
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            descriptor = os.open(path, os.O_RDONLY)
            try:
                os.fsync(descriptor)
                os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(descriptor)


def seconds(command: Sequence[str], env: dict[str, str], cwd: Path) -> float:
    """Wall-clock seconds of one run; raises when the program fails."""
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def timings(command: Sequence[str], bundle: Path, env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(cold, warm median) seconds for one command."""
    evict(bundle)
    cold = seconds(command, env, cwd)
    warm = statistics.median(seconds(command, env, cwd) for _ in range(WARM_RUNS))
    return cold, warm


def user_environment(home: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(home),
    }


def main(argv: Sequence[str]) -> int:
    bundle = Path(argv[0] if argv else "dist/parity").resolve()
    if not (bundle / "parity").is_file():
        print(f"measure_bundle: no bundle at {bundle} (build it with make dist)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        home.chmod(0o700)
        env = user_environment(home)
        cli = timings([str(bundle / "parity"), "--version"], bundle, env, home)
        gui = timings([str(bundle / "parity-gui"), "--screenshot", str(home / "shot.png")], bundle, env, home)
    print(f"| bundle size | {bundle_size(bundle) / 2**20:.0f} MiB |")
    print(f"| `parity --version`, cold / warm | {cli[0]:.2f} s / {cli[1]:.2f} s |")
    print(f"| `parity-gui` to the compared examples on screen, cold / warm | {gui[0]:.2f} s / {gui[1]:.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
