"""Benchmark: loading and comparing compose environments of 1k, 10k and 100k leaves.

For each size a pair of compose projects is generated (about 2% of the leaves changed, 0.5%
added or removed, some lists written in another order), then in a fresh process each pair is
loaded (parse + normalise), compared by parity's engine, and compared again by a plain
``DeepDiff(left, right, view="tree")`` on the same normalised trees — the baseline measured in
the same run, so the ratio holds on a noisy machine. Peak memory is the process's maximum
resident size. Run ``python bench/compare.py`` (about half a minute) or pass sizes:
``python bench/compare.py 1000 10000``. Times are CPU seconds of the measuring process
(``time.process_time``), which other work on a shared machine disturbs far less than wall time.

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

    started = time.process_time()
    a = load_environment(str(left), "left")
    load_one = time.process_time() - started
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
        "load": load_one,
        "compare": statistics.median(runs),
        "deepdiff": deepdiff_seconds,
        "drift": len(comparison.drifts),
        "deepdiff_changes": sum(len(v) for v in deep.values()),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_size(folder: Path, leaves: int) -> dict[str, float]:
    left, right = write_pair(folder, leaves)
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
        f"{'leaves':>8} {'file':>8} {'load':>8} {'compare':>9} {'DeepDiff':>9} {'speed-up':>9} "
        f"{'drift':>6} {'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="parity-bench-") as tmp:
        for size in sizes:
            r = run_size(Path(tmp), size)
            speedup = r["deepdiff"] / r["compare"]
            print(
                f"{int(r['leaves']):>8} {r['bytes'] / 1e6:>6.2f}MB {r['load']:>7.3f}s {r['compare'] * 1000:>7.1f}ms "
                f"{r['deepdiff']:>8.3f}s {speedup:>8.0f}× {int(r['drift']):>6} {r['peak_mb']:>8.0f}"
            )
    print("\nCPU seconds. load: parse + normalise one file; compare: median of 3; "
          "DeepDiff: view='tree' on the same trees.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
