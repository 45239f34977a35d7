"""Benchmark: reading an environment at a git revision against reading it from the work tree.

A repository of about 2,000 files is generated and committed (a compose project with its
``.env``, and configuration files under ``config/``: YAML, JSON, TOML, INI and ``.properties``,
as a folder of many services would have), then, in the same run, the folder is loaded by parity
from the work tree (``config``) and at ``HEAD`` (``config@HEAD``: every file read from git
objects). Each load is timed three times and the median kept; the revision's first load includes
writing its tree out, later ones reuse it within the process, so both figures are shown.

Target (issue: reviewers): reading a 2,000-file revision costs less than 2× reading the same
files from the work tree. Run ``python bench/revision.py`` (well under a minute), or
``python bench/revision.py --files 500``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FORMATS = {
    "yaml": "service: svc{i}\nreplicas: {r}\nimage:\n  repository: ghcr.io/acme/svc{i}\n  tag: \"1.{r}.0\"\n",
    "json": '{{"service": "svc{i}", "replicas": {r}, "limits": {{"memory": "{r}00Mi", "cpu": 0.{r}}}}}\n',
    "toml": "[service]\nname = \"svc{i}\"\nreplicas = {r}\n\n[service.limits]\nmemory = \"{r}00Mi\"\n",
    "ini": "[service]\nname = svc{i}\nreplicas = {r}\n\n[logging]\nlevel = info\n",
    "properties": "service.name=svc{i}\nservice.replicas={r}\nlogging.level=INFO\n",
}


def generate(root: Path, files: int) -> None:
    config = root / "config"
    for index in range(files):
        kind = list(FORMATS)[index % len(FORMATS)]
        folder = config / f"team{index % 40:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"svc{index}.{kind}").write_text(FORMATS[kind].format(i=index, r=index % 9 + 1))
    for command in (["init", "-q", "-b", "main"], ["add", "-A"],
                    ["-c", "user.email=b@example.com", "-c", "user.name=bench", "commit", "-q", "-m", "all"]):
        subprocess.run(["git", *command], cwd=root, check=True, capture_output=True)


def timed(spec: str, base: Path) -> tuple[float, int]:
    from parity_gui.sources import registry

    started = time.perf_counter()
    env = registry.load(spec, "bench", base=base)
    return time.perf_counter() - started, len(env.origins)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="files in the repository (default 2,000)")
    options = parser.parse_args(argv)
    from parity_gui.sources import isolation, revision

    with tempfile.TemporaryDirectory(prefix="parity-bench-rev-") as folder:
        root = Path(folder) / "repo"
        root.mkdir()
        generate(root, options.files)
        isolation.prepare()
        timed("config", root)  # the worker server is up, the parsers imported
        work_tree = [timed("config", root)[0] for _ in range(3)]
        first, leaves = timed("config@HEAD", root)
        again = [timed("config@HEAD", root)[0] for _ in range(3)]
        revision._remove_checkouts()
    tree = statistics.median(work_tree)
    rows = [
        ("work tree (config)", tree, "1.00×"),
        ("revision, first read (config@HEAD)", first, f"{first / tree:.2f}× (target < 2×)"),
        ("revision, read again", statistics.median(again), f"{statistics.median(again) / tree:.2f}×"),
    ]
    print(f"{options.files:,} files, {leaves:,} leaves")
    print(f"{'load':<40}{'seconds':>9}  ratio")
    print("-" * 72)
    for name, seconds, ratio in rows:
        print(f"{name:<40}{seconds:>9.2f}  {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
