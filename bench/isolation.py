"""Benchmark: what parsing in a worker process costs.

Measures, for the bundled shop example, generated folders of 10 and 100 small files, and a
generated compose file of 100,000 leaves (where sending the result back dominates):
the first isolated load (it starts the server workers are forked from), later isolated loads,
and the same load in this process. Wall-clock milliseconds, median of the repeats. Run
``python bench/isolation.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import write_pair
from parity_gui.sources import registry

SHOP = Path(__file__).resolve().parent.parent / "resources" / "examples" / "shop"
REPEATS = 15


def milliseconds(action: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def folder_of(count: int, root: Path) -> Path:
    """A folder with one compose file and ``count - 1`` Dockerfiles in sub-folders."""
    folder = root / f"folder-{count}"
    folder.mkdir()
    (folder / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1.25\n")
    for i in range(count - 1):
        sub = folder / f"svc{i}"
        sub.mkdir()
        (sub / "Dockerfile").write_text(f"FROM python:3.12-slim\nENV N={i}\nCMD [\"run\"]\n")
    return folder


def main() -> None:
    first = milliseconds(lambda: registry.load(str(SHOP / "docker-compose.yml")), repeats=1)
    print(f"first isolated load (starts the server):  {first:7.1f} ms")
    specs = {"shop compose file": str(SHOP / "docker-compose.yml"), "shop folder": str(SHOP)}
    with tempfile.TemporaryDirectory() as scratch:
        for count in (10, 100):
            specs[f"folder of {count} files"] = str(folder_of(count, Path(scratch)))
        big = Path(scratch) / "big"
        big.mkdir()
        specs["100k-leaf compose file"] = str(write_pair(big, 100_000)[0])
        for label, spec in specs.items():
            repeats = 3 if label.startswith("100k") else REPEATS
            isolated = milliseconds(lambda spec=spec: registry.load(spec), repeats)
            direct = milliseconds(lambda spec=spec: registry.load_local(spec, "bench", Path.cwd()), repeats)
            print(f"{label:<24} isolated {isolated:7.1f} ms   in process {direct:7.1f} ms   "
                  f"overhead {isolated - direct:6.1f} ms")


if __name__ == "__main__":
    main()
