"""Benchmark: how fast and how small parity stays on hostile input.

For each input of the hostile suite (``tests/hostile/inputs.py``) the file is written to a
scratch folder and loaded in this process by its source, as a worker process would; printed are
the best wall-clock time of three (after a first load that imports the parser), the peak of
Python allocations (tracemalloc) and the outcome. The issue's
bounds: bombs and deep nesting refused within 1 s under 150 MB; huge files refused from ``stat``
in under 0.1 s; an ``.env`` expansion bomb capped in under 0.5 s; an 800 KB ``.env`` read in
under 1 s. Run ``python bench/hostile.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parity_gui.errors import ParityError
from parity_gui.sources import registry
from tests.hostile import inputs

CASES: list[tuple[str, str, Callable[[Path], None]]] = [
    ("YAML alias bomb (342 B)", "compose.yml", lambda p: p.write_text(inputs.yaml_alias_bomb())),
    ("YAML merge-key bomb", "compose.yml", lambda p: p.write_text(inputs.yaml_merge_bomb())),
    ("YAML flow nesting 10k", "compose.yml", lambda p: p.write_text(inputs.yaml_flow_nesting())),
    ("YAML block nesting 10k", "compose.yml", lambda p: p.write_text(inputs.yaml_block_nesting())),
    ("JSON nesting 10k", "prod.tfvars.json", lambda p: p.write_text(inputs.json_nesting())),
    ("HCL list nesting 10k", "prod.tfvars", lambda p: p.write_text(inputs.hcl_list_nesting())),
    ("HCL object nesting 10k", "main.tf", lambda p: p.write_text(inputs.hcl_object_nesting())),
    ("HCL block nesting 10k", "main.tf", lambda p: p.write_text(inputs.hcl_block_nesting())),
    ("100 MB compose file", "compose.yml", lambda p: inputs.sparse_file(p, 100 * 2**20) and None),
    ("binary file", "Dockerfile", lambda p: p.write_bytes(b"\x7fELF\x02\x01\x01\x00" * 64)),
    (".env expansion bomb", ".env", lambda p: p.write_text(inputs.dotenv_expansion_bomb())),
    (".env of 800 KB", ".env", lambda p: p.write_text(inputs.big_dotenv())),
]


def load(folder: Path, name: str) -> str:
    try:
        env = registry.load_files([registry.parse_file(name, folder)], "bench", name)
    except ParityError as e:
        return str(e)
    return f"loaded, {env.leaf_count()} leaves"


def run(name: str, make: Callable[[Path], None]) -> tuple[float, float, str]:
    """Best of three wall-clock times (after a first load that imports the parser), then the
    allocation peak of one more load under tracemalloc (which slows it, so it is not timed)."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        make(folder / name)
        outcome = load(folder, name)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            load(folder, name)
            times.append(time.perf_counter() - started)
        tracemalloc.start()
        load(folder, name)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return min(times), peak, outcome


def main() -> None:
    print(f"{'input':<26} {'seconds':>8} {'peak MB':>8}  outcome")
    for label, name, make in CASES:
        seconds, peak, outcome = run(name, make)
        print(f"{label:<26} {seconds:8.3f} {peak:8.1f}  {outcome[:90]}")


if __name__ == "__main__":
    main()
