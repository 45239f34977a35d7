"""The long mutation fuzz run over every source (the short one runs in ``make test``).

Loads mutated copies of realistic files of each format (see ``tests/hostile/fuzzing.py``) and
reports any load that ended in something other than an Environment or parity's own one-line
error, or that took longer than two seconds, with the bytes that caused it. Run
``python bench/fuzz.py [ROUNDS_PER_FORMAT] [SEED]`` (default 5000 rounds, a seed from the clock,
printed so a run can be repeated); exit status 1 when something was found.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hostile.fuzzing import fuzz


def main(argv: list[str]) -> int:
    rounds = int(argv[0]) if argv else 5000
    seed = int(argv[1]) if len(argv) > 1 else time.time_ns() % 2**32
    print(f"fuzzing {rounds} mutants per format, seed {seed}")
    started = time.perf_counter()
    found = 0
    for finding in fuzz(rounds, seed):
        found += 1
        print(f"--- {finding.name}: {finding.data!r}\n{finding.problem}")
    print(f"{found} finding(s) in {time.perf_counter() - started:.1f} s")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
