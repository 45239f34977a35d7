"""Benchmark: masking stays linear on hostile values.

For each adversarial value of the hostile suite (``tests/hostile/secret_inputs.py``: 200,000
characters built so that a backtracking pattern would retry from every position) this prints
the best of three times to mask it (:func:`mask_text`, as every report, the GUI and error
messages do), the peak of Python allocations, and two ratios measured in the same run:

* ``vs count``: against ``str.count`` over the same text, a linear scan in C: the masker makes
  several passes in Python-driven regular expressions, so a constant of a few hundred is
  expected; what matters is that it stays the same from row to row;
* ``x2 input``: the time for 200,000 characters over the time for 100,000: about 2 for a
  linear masker, 4 for a quadratic one.

Then the patch's line masker on the same values, and the Terraform file of about 1.5 KB whose
locals double a string 40 times (over 100 s before): loaded and masked in this process, and
compared by ``parity compare --format json`` in a child process (its wall time and peak
resident memory). The issue's bound: each under 5 s and 500 MB. Run ``python bench/masking.py``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parity_gui.core.secrets import Masking, mask_text, mask_value
from parity_gui.export.patch.secrets import SecretPolicy
from parity_gui.sources import registry
from tests.hostile import secret_inputs

REPEATS = 3


def best(action: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def peak_mb(action: Callable[[], object]) -> float:
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def row(label: str, mask: Callable[[str], object], text: str) -> None:
    half = text[: len(text) // 2]
    seconds = best(lambda: mask(text))
    half_seconds = best(lambda: mask(half))
    baseline = best(lambda: text.count("@"))
    print(f"{label:<42} {len(text):>8} {seconds:8.3f} {peak_mb(lambda: mask(text)):8.1f} "
          f"{seconds / max(baseline, 1e-9):9.0f} {seconds / max(half_seconds, 1e-9):8.2f}")


def terraform_rows() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        (folder / "a").mkdir()
        (folder / "b").mkdir()
        doubled, other = folder / "a" / "main.tf", folder / "b" / "main.tf"
        doubled.write_text(secret_inputs.doubling_terraform())
        other.write_text('resource "aws_instance" "web" {\n  ami = "ami-0abcdef1234567890"\n}\n')
        env = registry.load_files([registry.parse_file("main.tf", folder / "a")], "bench", "main.tf")
        masking = Masking.of([env])
        leaves = list(env.leaves())
        total = sum(len(v) for _, v in leaves if isinstance(v, str))

        def mask_all() -> None:
            for path, value in leaves:
                mask_value(path, value, masking)

        seconds = best(mask_all)
        baseline = best(lambda: [v.count("@") for _, v in leaves if isinstance(v, str)])
        print(f"{'Terraform doubling: mask every value':<42} {total:>8} {seconds:8.3f} {peak_mb(mask_all):8.1f} "
              f"{seconds / max(baseline, 1e-9):9.0f} {'':>8}")
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        done = subprocess.run([sys.executable, "-m", "parity_gui.cli.main", "compare", "--format", "json",
                               str(doubled), str(other)], capture_output=True, check=False,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
        seconds = time.perf_counter() - started
        rss = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
        print(f"{'Terraform doubling: parity compare (child)':<42} {doubled.stat().st_size:>8} {seconds:8.3f} "
              f"{rss:8.1f} {'':>9} {'':>8}  exit {done.returncode}, {len(done.stdout)} bytes")


def main() -> None:
    print(f"{'case':<42} {'chars':>8} {'seconds':>8} {'peak MB':>8} {'vs count':>9} {'x2 input':>8}")
    masking = Masking(known=frozenset({"hunter", "Tr1cky-Pa55word"}))
    policy = SecretPolicy(masking=masking)
    for name, fragment in secret_inputs.FRAGMENTS.items():
        row(f"mask_text: {name}", lambda t: mask_text(t, masking), secret_inputs.adversarial(fragment))
    for name in ("url heads without @", "flag names", "header names"):
        text = secret_inputs.adversarial(secret_inputs.FRAGMENTS[name])
        row(f"patch line: {name}", policy.line, text)
    terraform_rows()


if __name__ == "__main__":
    main()
