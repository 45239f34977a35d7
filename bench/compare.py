"""Benchmark: loading and comparing compose environments of 1k, 10k and 100k leaves.

For each size a pair of compose projects is generated (about 2% of the leaves changed, 0.5%
added or removed, some lists written in another order), then in a fresh process each pair is
loaded (parse + normalise), compared by parity's engine, and compared again by a plain
``DeepDiff(left, right, view="tree")`` on the same normalised trees — the baseline measured in
the same run, so the ratio holds on a noisy machine. Peak memory is the process's maximum
resident size. Run ``python bench/compare.py`` (about half a minute) or pass sizes:
``python bench/compare.py 1000 10000``. Parse, compare and DeepDiff are CPU seconds of the
measuring process (``time.process_time``), which other work on a shared machine disturbs far less
than wall time; load is wall time, since the parsing runs in an isolated worker process.

Targets (issue: foundation): compare of the 100k pair under 0.2 s and at least 20× faster than
DeepDiff; loading the 100k-leaf compose file under 2 s; memory under 300 MB.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import write_pair

SIZES = (1_000, 10_000, 100_000)


def measure(left: Path, right: Path) -> dict[str, float]:
    """Runs inside a fresh process: load, compare, DeepDiff; returns seconds and megabytes."""
    from deepdiff import DeepDiff

    from parity_gui.app.compare import load_environment
    from parity_gui.engine import compare
    from parity_gui.sources import isolation, registry

    isolation.prepare()
    warm_up = str(left.parent / "warm-up.yml")
    registry.load(warm_up, "warm-up")  # the worker server is up before timing
    registry.load_local(warm_up, "warm-up", left.parent)  # and the parsers are imported here too
    started = time.process_time()
    registry.load_local(str(left), "left", None)
    parse_cpu = time.process_time() - started
    started = time.perf_counter()
    a = load_environment(str(left), "left")
    load_wall = time.perf_counter() - started
    b = load_environment(str(right), "right")
    runs = []
    for _ in range(3):
        started = time.process_time()
        comparison = compare(a, b)
        runs.append(time.process_time() - started)
    started = time.process_time()
    deep = DeepDiff(a.tree, b.tree, view="tree")
    deepdiff_seconds = time.process_time() - started
    return {
        "leaves": a.leaf_count(),
        "bytes": left.stat().st_size,
        "parse": parse_cpu,
        "load": load_wall,
        "compare": statistics.median(runs),
        "deepdiff": deepdiff_seconds,
        "drift": len(comparison.drifts),
        "deepdiff_changes": sum(len(v) for v in deep.values()),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_size(folder: Path, leaves: int) -> dict[str, float]:
    left, right = write_pair(folder, leaves)
    (left.parent / "warm-up.yml").write_text("services: {}\n", encoding="utf-8")
    root = str(Path(__file__).resolve().parent.parent)
    code = (
        f"import json, sys; sys.path.insert(0, {root!r}); from bench.compare import measure; "
        f"from pathlib import Path; print(json.dumps(measure(Path({str(left)!r}), Path({str(right)!r}))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=600)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str]) -> int:
    sizes = tuple(int(a) for a in argv) or SIZES
    header = (
        f"{'leaves':>8} {'file':>8} {'parse':>8} {'load':>8} {'compare':>9} {'DeepDiff':>9} {'speed-up':>9} "
        f"{'drift':>6} {'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="parity-bench-") as tmp:
        for size in sizes:
            r = run_size(Path(tmp), size)
            speedup = r["deepdiff"] / r["compare"]
            print(
                f"{int(r['leaves']):>8} {r['bytes'] / 1e6:>6.2f}MB {r['parse']:>7.3f}s {r['load']:>7.3f}s "
                f"{r['compare'] * 1000:>7.1f}ms "
                f"{r['deepdiff']:>8.3f}s {speedup:>8.0f}× {int(r['drift']):>6} {r['peak_mb']:>8.0f}"
            )
    print(
        "\nparse: CPU seconds to parse and normalise one file in-process; load: wall seconds for the same\n"
        "file as parity loads it (in an isolated worker process, result sent back); compare: CPU seconds,\n"
        "median of 3; DeepDiff: CPU seconds of view='tree' on the same trees; peak MB: the measuring process."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
