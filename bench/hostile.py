"""Benchmark: how fast and how small parity stays on hostile input.

For each input of the hostile suite (``tests/hostile/inputs.py``) the file is written to a
scratch folder and loaded in this process by its source, as a worker process would; printed are
the best wall-clock time of three (after a first load that imports the parser), the peak of
Python allocations (tracemalloc) and the outcome. The issue's
bounds: bombs and deep nesting refused within 1 s under 150 MB; huge files refused from ``stat``
in under 0.1 s; an ``.env`` expansion bomb capped in under 0.5 s; an 800 KB ``.env`` read in
under 1 s.

A second table runs whole ``parity`` commands on the causes of issue 18 (writes and reads it
must never do, time and memory, honest exits and messages), each in a fresh process from a
scratch folder, and prints per cause the wall-clock time and the peak memory of the whole
process tree (the command, the worker server and its parse workers: the sum of their
proportional set sizes, sampled every 10 ms), the exit status and the first line it printed.
The bound for each: under 5 s and 500 MB on a 2-core machine (``ok`` column).

Run ``python bench/hostile.py`` (both tables) or ``python bench/hostile.py --commands`` (the
second only).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
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


# --- whole commands, whole process trees -----------------------------------------------------

SECONDS_BOUND, MEGABYTES_BOUND = 5.0, 500.0
SMALL = "services:\n  web:\n    image: \"nginx:1.27\"\n    ports: [\"8080:80\"]\n"
#: (cause, set-up of the scratch folder returning the parity arguments, exit statuses it may end with)
Command = tuple[str, Callable[[Path], list[str]], tuple[int, ...]]


def _pair(folder: Path) -> None:
    (folder / "dev.yml").write_text(SMALL)
    (folder / "prod.yml").write_text(SMALL.replace("1.27", "1.25"))


def _output_fifo(folder: Path) -> list[str]:
    _pair(folder)
    os.mkfifo(folder / "report.fifo")
    threading.Thread(target=(folder / "report.fifo").read_bytes, daemon=True).start()
    return ["compare", "dev.yml", "prod.yml", "-o", "report.fifo"]


def _output_stdout_link(folder: Path) -> list[str]:
    _pair(folder)
    (folder / "out.md").symlink_to("/dev/stdout")
    return ["compare", "dev.yml", "prod.yml", "--format", "markdown", "-o", "out.md"]


def _output_is_input(folder: Path) -> list[str]:
    _pair(folder)
    return ["compare", "dev.yml", "prod.yml", "-o", "prod.yml"]


def _link_to_dev_zero(folder: Path) -> list[str]:
    _pair(folder)
    (folder / "compose.yml").symlink_to("/dev/zero")
    return ["compare", "compose.yml", "prod.yml"]


def _folder_link_out(folder: Path) -> list[str]:
    _pair(folder)
    (folder / "repo" / ".git").mkdir(parents=True)
    (folder / "repo" / "compose.yaml").write_text(SMALL)
    (folder / "secret").write_text("machine example.com login me password hunter2\n")
    (folder / "repo" / ".env").symlink_to(folder / "secret")
    return ["compare", "repo", "prod.yml"]


def _env_file_outside(folder: Path) -> list[str]:
    _pair(folder)
    (folder / "netrc").write_text("machine example.com login me password hunter2\n")
    (folder / "app").mkdir()
    (folder / "app" / "compose.yml").write_text(SMALL + "    env_file: ../netrc\n")
    return ["compare", "app/compose.yml", "prod.yml"]


def _include_fan_out(folder: Path) -> list[str]:
    inputs.include_fan_out(folder, depth=15)
    (folder / "prod.yml").write_text(SMALL)
    return ["compare", "compose.yml", "prod.yml"]


def _file(name: str, text: Callable[[], str]) -> Callable[[Path], list[str]]:
    def make(folder: Path) -> list[str]:
        _pair(folder)
        (folder / name).write_text(text())
        return ["compare", name, "prod.yml"]

    return make


def _loads(name: str, text: Callable[[], str]) -> Callable[[Path], list[str]]:
    """A file that must load, compared with a copy of itself (a file of another kind would have
    nothing in common with it, which is exit 2 on its own)."""
    def make(folder: Path) -> list[str]:
        stem, dot, suffix = name.partition(".")
        copy = f"{stem}-copy{dot}{suffix}"
        content = text()
        (folder / name).write_text(content)
        (folder / copy).write_text(content)
        return ["compare", name, copy]

    return make


def _env_file_fifo(folder: Path) -> list[str]:
    _pair(folder)
    os.mkfifo(folder / "web.env")
    (folder / "app.yml").write_text(SMALL + "    env_file: ./web.env\n")
    return ["compare", "app.yml", "prod.yml"]


def _folder_bad_dockerfile(folder: Path) -> list[str]:
    _pair(folder)
    (folder / "shop").mkdir()
    (folder / "shop" / "compose.yaml").write_text(SMALL)
    (folder / "shop" / "Dockerfile").write_text("FROM alpine:3.20\nRUN true\nFROM\n")
    return ["compare", "shop", "prod.yml"]


def _absolute_compose_file(folder: Path) -> list[str]:
    _pair(folder)
    (folder / "shop").mkdir()
    (folder / "shop" / "compose.prod.yml").write_text(SMALL)
    (folder / "shop" / ".env").write_text(f"COMPOSE_FILE={folder / 'shop' / 'compose.prod.yml'}\n")
    return ["compare", "shop", "prod.yml"]


def _many_double_stars(folder: Path) -> list[str]:
    _pair(folder)
    (folder / ".parity.toml").write_text(
        '[environments.dev]\nfiles = ["dev.yml"]\n[environments.prod]\nfiles = ["prod.yml"]\n'
        f'[[expected]]\npath = "{"/**" * 300}/tag"\nreason = "pinned per environment"\n')
    return ["compare", "dev", "prod"]


def _apply_changed(folder: Path) -> list[str]:
    _pair(folder)
    subprocess.run([sys.executable, "-m", "parity_gui.cli.main", "patch", "prod.yml", "dev.yml", "-o", "fix.patch"],
                   cwd=folder, capture_output=True, check=False, env=_environment())
    (folder / "dev.yml").write_text(SMALL.replace("8080", "8081"))
    return ["apply", "fix.patch"]


def _kustomize_base_outside(folder: Path) -> list[str]:
    _pair(folder)
    (folder / "shared").mkdir()
    (folder / "shared" / "kustomization.yaml").write_text(
        "configMapGenerator:\n- name: stolen\n  literals: [TOKEN=hunter2]\n")
    overlay = folder / "repo" / "k8s" / "production"
    overlay.mkdir(parents=True)
    (folder / "repo" / ".git").mkdir()
    (overlay / "kustomization.yaml").write_text(
        inputs.KUSTOMIZATION.replace("  - deployment.yaml\n", "  - deployment.yaml\n  - ../../../shared\n"))
    for name, text in inputs.KUSTOMIZE_FILES.items():
        (overlay / name).write_text(text)
    return ["compare", "repo/k8s/production", "prod.yml"]


def _revision(make: Callable[[Path], str]) -> Callable[[Path], list[str]]:
    """The scratch folder as a repository whose one commit holds what ``make`` writes; compared at ``main``."""
    def setup(folder: Path) -> list[str]:
        _pair(folder)
        spec = make(folder)
        for arguments in (["init", "-q", "-b", "main"], ["add", "-A"],
                          ["-c", "user.name=b", "-c", "user.email=b@example.com", "commit", "-q", "-m", "x"]):
            subprocess.run(["git", *arguments], cwd=folder, capture_output=True, check=True)
        return ["compare", f"{spec}@main", "prod.yml"]

    return setup


def _shadow_link(repo: Path) -> str:
    (repo / "app.env").symlink_to("/etc/shadow")
    return "dotenv:app.env"


def _big_blob(repo: Path) -> str:
    (repo / "settings.json").write_text('{"blob": "' + "x" * (9 * 2**20) + '"}\n')
    return "settings.json"


COMMANDS: list[Command] = [
    ("-o FIFO (written, kept a FIFO)", _output_fifo, (1,)),
    ("-o link to /dev/stdout", _output_stdout_link, (1,)),
    ("-o an input (refused)", _output_is_input, (2,)),
    ("input link to /dev/zero", _link_to_dev_zero, (2,)),
    ("folder .env link out (note)", _folder_link_out, (0, 1)),
    ("env_file outside project", _env_file_outside, (2,)),
    ("include fan-out, depth 15", _include_fan_out, (1,)),
    ("12 ports 1-65535:1-65535", _file("ports.yml", lambda: inputs.port_ranges(12)), (1,)),
    ("100k services", _file("services.yml", lambda: inputs.many_services(100_000)), (2,)),
    ("100k services of {} each", _file("empty.yml",
                                      lambda: "services:\n" + "".join(f"  s{i}: {{}}\n" for i in range(100_000))),
     (2,)),
    ("600k .env variables", _file("big.env", lambda: inputs.many_variables(600_000)), (2,)),
    ("100k-stage Dockerfile", _file("big.dockerfile", lambda: inputs.many_stages(100_000)), (2,)),
    ("10k-stage Dockerfile (loads)", _loads("ten.dockerfile", lambda: inputs.many_stages(10_000)), (0, 1)),
    ("env_file is a FIFO (exit 2)", _env_file_fifo, (2,)),
    ("folder, Dockerfile fails", _folder_bad_dockerfile, (2,)),
    ("control bytes in names", _file("ctl.yml", lambda: 'services:\n  "a\\e[2J\\nHIGH":\n    image: x\n'), (1,)),
    ("5,000-digit integer", _file("int.yml", lambda: SMALL + "    cpu_shares: " + "9" * 5000 + "\n"), (1, 2)),
    ("absolute COMPOSE_FILE", _absolute_compose_file, (1,)),
    ("300 ** in a glob (expected)", _many_double_stars, (0,)),
    ("apply, file changed since", _apply_changed, (2,)),
    ("JSON of 300k entries", _file("many.json", lambda: "[" + ",".join(["1"] * 300_000) + "]\n"), (2,)),
    ("JSON of 199k entries (loads)", _loads("ok.json", lambda: "[" + ",".join(["1"] * 199_000) + "]\n"), (0, 1)),
    ("TOML nesting 10k", _file("deep.toml", lambda: "a = " + "[" * 10_000 + "]" * 10_000 + "\n"), (2,)),
    (".properties endless \\ lines", _loads("app.properties", lambda: "k=a\\\n" + " b\\\n" * 150_000), (0, 1)),
    ("JSON lone surrogate \\ud800", _loads("odd.json", lambda: '{"a": "\\ud800"}\n'), (0, 1)),
    ("kustomize base outside", _kustomize_base_outside, (2,)),
    ("revision: link to /etc/shadow", _revision(_shadow_link), (2,)),
    ("revision: 9 MB blob", _revision(_big_blob), (2,)),
]


def _environment() -> dict[str, str]:
    root = str(Path(__file__).resolve().parent.parent)
    return {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        found.setdefault(parent, []).append(int(entry.name))
    return found


def _tree(root: int) -> list[int]:
    children, tree, queue = _children(), [], [root]
    while queue:
        pid = queue.pop()
        tree.append(pid)
        queue += children.get(pid, [])
    return tree


def _proportional_kb(pid: int) -> int:
    """A process's proportional set size (shared pages split among the processes sharing
    them, so forked workers are not counted twice), or its resident size where unknown."""
    for name, field in (("smaps_rollup", b"Pss:"), ("status", b"VmRSS:")):
        try:
            lines = Path(f"/proc/{pid}/{name}").read_bytes().splitlines()
            return next(int(line.split()[1]) for line in lines if line.startswith(field))
        except (OSError, ValueError, StopIteration):
            continue
    return 0


def measure(argv: list[str], folder: Path) -> tuple[float, float, int, str]:
    """Wall-clock seconds, peak MB of the process tree, exit status and first line printed."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "parity_gui.cli.main", *argv], cwd=folder,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_environment())
    peak = 0
    out: list[bytes] = []
    readers = [threading.Thread(target=lambda s=s: out.append(s.read()), daemon=True)
               for s in (process.stdout, process.stderr)]
    for reader in readers:
        reader.start()
    while process.poll() is None:
        peak = max(peak, sum(_proportional_kb(pid) for pid in _tree(process.pid)))
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    for reader in readers:
        reader.join(5)
    said = b"\n".join(out).decode("utf-8", "replace").strip().splitlines()
    return seconds, peak / 1024, process.returncode, said[0] if said else ""


def _baseline(folder: Path) -> list[str]:
    _pair(folder)
    return ["compare", "dev.yml", "prod.yml"]


def run_commands() -> bool:
    """The table; ``× base`` is the time over that of comparing two small files, measured in the
    same run (the machine is shared: the ratio says more than the seconds when it is busy)."""
    print(f"{'cause':<31} {'seconds':>8} {'× base':>6} {'peak MB':>8} {'exit':>4}  ok  first line")
    good, base = True, 0.0
    for label, make, statuses in [("baseline: two small files", _baseline, (1,)), *COMMANDS]:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            argv = make(folder)
            seconds, peak, status, said = measure(argv, folder)
        base = base or seconds
        ok = seconds < SECONDS_BOUND and peak < MEGABYTES_BOUND and status in statuses
        good = good and ok
        print(f"{label:<31} {seconds:8.2f} {seconds / base:6.1f} {peak:8.1f} {status:>4}  "
              f"{'ok' if ok else 'NO'}  {said[:64]}")
    return good


def main() -> None:
    if "--commands" not in sys.argv:
        print(f"{'input':<26} {'seconds':>8} {'peak MB':>8}  outcome")
        for label, name, make in CASES:
            seconds, peak, outcome = run(name, make)
            print(f"{label:<26} {seconds:8.3f} {peak:8.1f}  {outcome[:90]}")
        print()
    if not run_commands():
        raise SystemExit(1)


if __name__ == "__main__":
    main()
