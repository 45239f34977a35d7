"""How the desktop app holds up on big comparisons: 10k, 100k and 1M aligned rows.

For each size, in a fresh process (so memory is that size's alone), the script builds two
environments of compose-like services (48 variables and an image each, about 2% drift) — and
once, at 100k rows, three (a staging with drift of its own) — compares them, and measures in one
window:

* first paint — from "comparison ready" to the trees' first paint, drift paths opened (offscreen
  Qt paints on ``grab``, which leaves the window's own paint pending: each stall below starts
  after such leftovers have been painted, so that it counts only its own step);
* reveal all — opening every branch that leads to drift, until painted (with every row shown,
  and with the only-drift filter on);
* longest stall of the event loop (a 10 ms QTimer heartbeat) while loading (compare in a worker
  and show), filtering (only drift on and off), searching, and navigating (F8 fifty times);
* search — how long the search index takes to build (in a worker, when Find opens) and how long
  a search takes from the request to its results;
* memory — resident set size at the end, and its peak;
* and once: the cold start of the app to a shown window (whole process, median of five);
* and once: opening two generated compose files of 100k leaves as the app does (parsed in
  worker processes, sent back in parts, compared, shown): the longest stall meanwhile.

At 10k rows each figure is the median of three runs, at 100k of two (their mean): the machine may be shared, and one
spike from another process should not be reported as the app's.

Targets at 100k rows: first paint < 100 ms, no stall > 100 ms, search results < 200 ms, memory
< 400 MB; 1M rows must open and scroll. Run ``python bench/gui.py`` (a minute or two; "reveal
all" and search at 1M rows only with ``--full``) or ``--rows 100000 [--environments 3]`` for
one size.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: (rows per environment, environments) measured by default.
SIZES = ((10_000, 2), (100_000, 2), (1_000_000, 2), (100_000, 3))
PER_SERVICE = 48


def environments(rows: int, count: int = 2) -> tuple[Any, ...]:
    """Two (or three) environments of about ``rows`` aligned rows each, with about 2% of the
    leaves drifting between the first two and a third with drift of its own."""
    from parity_gui.core.secrets import secrets_in
    from parity_gui.core.tree import Environment

    services = max(1, rows // (PER_SERVICE + 4))
    left: dict[str, Any] = {}
    right: dict[str, Any] = {}
    for s in range(services):
        name = f"svc{s:07d}"
        env_left = {f"SETTING_{k:02d}": f"value-{s}-{k}" for k in range(PER_SERVICE)}
        env_right = dict(env_left)
        if s % 3 == 0:
            env_right[f"SETTING_{s % PER_SERVICE:02d}"] = "changed"
        if s % 11 == 0:
            del env_right["SETTING_05"]
        if s % 13 == 0:
            env_right["EXTRA_FLAG"] = "on"
        image = {"repository": "registry.example.com/acme/app", "tag": "1.4.2"}
        left[name] = {"image": image, "environment": env_left}
        right[name] = {"image": {**image, "tag": "1.5.0" if s % 17 == 0 else "1.4.2"}, "environment": env_right}
    pair = [Environment("dev", "bench-dev", tree={"services": left}),
             Environment("prod", "bench-prod", tree={"services": right})]
    if count >= 3:
        pair.append(Environment("staging", "bench-staging", tree={"services": _staging(right)}))
    for env in pair:  # as a loader does, in its parsing worker process, before the app sees it
        env.secrets = secrets_in(env.tree)
    return tuple(pair)


def _staging(prod: dict[str, Any]) -> dict[str, Any]:
    """A third environment: prod with its own ~1% drift (another tag here, a variable there)."""
    staging = {}
    for n, (name, service) in enumerate(prod.items()):
        env = dict(service["environment"])
        if n % 5 == 0:
            env["SETTING_07"] = "staging-only"
        image = {**service["image"], "tag": "1.6.0-rc1"} if n % 19 == 0 else service["image"]
        staging[name] = {"image": image, "environment": env}
    return staging


def memory_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB, from /proc."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


class GcWatch:
    """The longest pause of Python's cyclic garbage collector (it stops the event loop too)."""

    def __init__(self) -> None:
        import gc

        self.started = 0.0
        self.longest = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.longest = max(self.longest, time.perf_counter() - self.started)


def paint_now(window: Any) -> None:
    """Lay out and paint both trees now. Offscreen Qt sends no expose events to wait for, and
    ``repaint`` paints nothing there, so each viewport is rendered with ``grab`` (the same work)."""
    for view in window.pair.views:
        view.executeDelayedItemsLayout()
        view.viewport().grab()


def shown_window(app: Any, settings: Path) -> Any:
    """The main window at 1400×900, shown, remembering nothing (its settings in ``settings``)."""
    from PySide6.QtCore import QSettings

    from parity_gui.ui.session import Session
    from parity_gui.ui.window import MainWindow

    window = MainWindow(Session(QSettings(str(settings), QSettings.Format.IniFormat)))
    window.persist = False
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    return window


class Run:
    """One size: a window, a heartbeat, and the measurements taken so far."""

    def __init__(self, rows: int, count: int = 2) -> None:
        from parity_gui.ui.heartbeat import Heartbeat
        from parity_gui.ui.main import application

        self.app = application([])
        self.envs = list(environments(rows, count))
        self.collector = GcWatch()  # the app's pauses, not those of building the inputs above
        self.window = shown_window(self.app, Path(os.environ.get("TMPDIR", "/tmp")) / "parity-bench.ini")
        self.heartbeat = Heartbeat(10)
        self.out: dict[str, Any] = {"rows": rows, "envs": count}

    def stall(self, name: str, action: Any, repeats: int = 1) -> None:
        """Run ``action`` under the heartbeat and record the longest stall as ``stall_<name>_ms``
        (the median over ``repeats`` runs, so one spike from a neighbour's process does not count)."""
        stalls = []
        for _ in range(repeats):
            _settle(self.app, 0.05)  # the previous step's pending paints are that step's, not this one's
            self.heartbeat.start()
            action()
            _settle(self.app, 0.03)
            stalls.append(self.heartbeat.stop() * 1000)
        self.out[f"stall_{name}_ms"] = statistics.median(stalls)

    def wait_for(self, signal: Any, start: Any) -> None:
        done: list[Any] = []
        signal.connect(lambda *args: done.append(True))
        start()
        while not done:
            self.app.processEvents()

    def first_paint(self, repeats: int = 1) -> None:
        from parity_gui.ui.loading import compare_sides

        started = time.perf_counter()
        comparison, index = compare_sides(self.envs)
        self.out["compare_s"] = time.perf_counter() - started
        self.out["drifts"] = len(comparison.drifts)
        self.window.set_pane_count(len(self.envs))  # a pane per environment, showing its tree,
        for panel in self.window.sides:             # as once the environments have loaded
            panel.show_tree()
        _settle(self.app, 0.05)
        times = []
        for _ in range(repeats):
            self.window.shown_once = False
            self.window.pair.expanded.clear()
            ready = time.perf_counter()
            self.window._show(comparison, index)
            paint_now(self.window)
            times.append((time.perf_counter() - ready) * 1000)
        self.out["first_paint_ms"] = statistics.median(times)

    def load(self) -> None:
        self.window.shown_once = False
        self.wait_for(self.window.comparison_shown, lambda: self.window.show_environments(self.envs))

    def filter(self) -> None:
        for only in (True, False):
            self.window.set_filter(only, None)
            _settle(self.app, 0.03)

    def search(self) -> None:
        """Search once the comparison's index is built (in a worker, when Find opens);
        records how long the index took and how long the results took."""
        started = time.perf_counter()
        self.window.find_bar.open_bar()
        while self.window.search.index is None:
            self.app.processEvents()
        self.out.setdefault("index_s", time.perf_counter() - started)
        started = time.perf_counter()
        self.wait_for(self.window.search.finished, lambda: self.window.start_search("value-7-47"))
        self.out["search_ms"] = min(self.out.get("search_ms", 1e9), (time.perf_counter() - started) * 1000)

    def navigate(self) -> None:
        for _ in range(50):
            self.window.go_to_drift(True)
            self.app.processEvents()
        self.window.go_to_drift(False)

    def reveal(self) -> None:
        started = time.perf_counter()
        self.window.reveal_drift(None)
        paint_now(self.window)
        self.out["reveal_all_ms"] = (time.perf_counter() - started) * 1000
        self.out["shown_rows"] = _shown_rows(self.window)
        self.window.pair.collapse_all()
        started = time.perf_counter()
        self.window.set_filter(True, None)
        self.window.reveal_drift(None)
        paint_now(self.window)
        self.out["reveal_filtered_ms"] = (time.perf_counter() - started) * 1000
        self.window.set_filter(False, None)
        self.window.reveal_drift(None)
        paint_now(self.window)

    def scroll(self) -> None:
        bar = self.window.sides[0].tree.verticalScrollBar()
        for step in range(20):
            bar.setValue(bar.maximum() * step // 19)
            self.app.processEvents()


#: Above this size "reveal all" is measured only with ``--full``: it lays out ~450k rows at 1M.
REVEAL_ALL_LIMIT = 300_000


def measure(rows: int, full: bool = False, count: int = 2) -> dict[str, Any]:
    """Every number of one row of the table, measured in this process."""
    run = Run(rows, count)
    repeats = 3 if rows <= 10_000 else 2 if rows <= 100_000 else 1
    run.first_paint(repeats)
    run.stall("load", run.load, repeats)
    run.stall("filter", run.filter, repeats)
    if full or rows <= REVEAL_ALL_LIMIT:  # at 1M rows the search index takes tens of seconds to build
        run.stall("search", run.search, repeats)
    run.stall("navigate", run.navigate, repeats)
    if full or rows <= REVEAL_ALL_LIMIT:
        run.reveal()
    run.stall("scroll", run.scroll)
    run.out["rss_mb"], run.out["peak_mb"] = memory_mb()
    run.out["gc_pause_ms"] = run.collector.longest * 1000
    run.window.close()
    return run.out


def _settle(app: Any, seconds: float) -> None:
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        app.processEvents()


def _shown_rows(window: Any) -> int:
    """How many rows the trees lay out: the rows one can scroll through (the bar counts rows)."""
    view = window.sides[0].tree
    height = max(1, view.sizeHintForRow(0))
    return int(view.verticalScrollBar().maximum() + view.viewport().height() // height)


COLUMNS = (
    ("rows", "rows", "{:>9,}"),
    ("envs", "envs", "{:>4}"),
    ("drifts", "drift", "{:>7,}"),
    ("first_paint_ms", "first paint", "{:>8.0f} ms"),
    ("reveal_all_ms", "reveal all", "{:>8.0f} ms"),
    ("shown_rows", "rows shown", "{:>9,}"),
    ("reveal_filtered_ms", "reveal, only drift", "{:>8.0f} ms"),
    ("stall_load_ms", "stall load", "{:>8.0f} ms"),
    ("stall_filter_ms", "stall filter", "{:>8.0f} ms"),
    ("stall_search_ms", "stall search", "{:>8.0f} ms"),
    ("search_ms", "search results", "{:>8.0f} ms"),
    ("index_s", "search index", "{:>6.1f} s"),
    ("stall_navigate_ms", "stall F8", "{:>8.0f} ms"),
    ("stall_scroll_ms", "stall scroll", "{:>8.0f} ms"),
    ("gc_pause_ms", "gc pause", "{:>6.0f} ms"),
    ("rss_mb", "memory", "{:>6.0f} MB"),
    ("peak_mb", "peak", "{:>6.0f} MB"),
)


def table(results: list[dict[str, Any]]) -> str:
    widths = [max(len(title), len(fmt.format(0))) for _, title, fmt in COLUMNS]
    lines = ["  ".join(title.rjust(w) for (_, title, _), w in zip(COLUMNS, widths, strict=True))]
    for result in results:
        cells = [(fmt.format(result[key]) if key in result else "—").rjust(w)
                 for (key, _, fmt), w in zip(COLUMNS, widths, strict=True)]
        lines.append("  ".join(cells))
    return "\n".join(lines)


#: Leaves per compose file when loading from files (the YAML entry cap keeps one file near this).
FILE_LEAVES = 100_000


def file_load() -> dict[str, float]:
    """Open two generated compose files of :data:`FILE_LEAVES` leaves as the app does (each
    parsed in its worker process and sent back in parts, then compared and shown): the longest
    stall of the window while it loads, and the time until the comparison is on screen."""
    from bench.generate import write_pair
    from parity_gui.ui.heartbeat import Heartbeat
    from parity_gui.ui.main import application

    app = application([])
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / ".parity.toml").write_text("")  # the generated project's own root
        left, right = write_pair(base, FILE_LEAVES)
        window = shown_window(app, base / "bench.ini")
        _settle(app, 0.1)
        shown: list[float] = []
        window.comparison_shown.connect(lambda: shown.append(time.perf_counter()))
        heartbeat = Heartbeat(10)
        heartbeat.start()
        started = time.perf_counter()
        window.load(0, str(left))
        window.load(1, str(right))
        while not shown:
            app.processEvents()
        _settle(app, 0.05)
        stall = heartbeat.stop()
        failed = [s.failure.message for s in window.states if s.failure is not None]
        window.close()
    if failed:
        raise SystemExit(f"loading the generated files failed: {failed}")
    return {"stall_ms": stall * 1000, "shown_s": shown[0] - started}


COLD_START = (
    "from parity_gui.ui.main import application; app = application([]); "
    "from parity_gui.ui.window import MainWindow; w = MainWindow(); w.persist = False; "
    "w.show(); app.processEvents(); w.grab()"
)


def cold_start(runs: int = 5) -> float:
    """Median wall time of a whole process that starts the app and shows its window, in seconds
    (what ``parity-gui`` does before it loads anything; the examples load after the window is up)."""
    times = []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": home, "QT_QPA_PLATFORM": "offscreen"}
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", COLD_START], env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="measure this size (repeatable)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per size instead of a table")
    parser.add_argument("--full", action="store_true", help="also reveal all drift at 1M rows (minutes)")
    parser.add_argument("--environments", type=int, default=2, choices=(2, 3),
                        help="with --rows: how many environments (default 2)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--files", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(file_load() if args.files else measure(args.rows[0], args.full, args.environments)))
        return 0
    results = []
    for rows, count in [(r, args.environments) for r in args.rows] if args.rows else SIZES:
        command = [sys.executable, __file__, "--child", "--rows", str(rows), "--environments", str(count),
                   *(["--full"] if args.full else [])]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        if args.json:
            print(json.dumps(results[-1]))
    if not args.json:
        print(table(results))
        print(f"\ncold start to a shown window (whole process, median of 5): {cold_start() * 1000:.0f} ms")
        command = [sys.executable, __file__, "--child", "--files"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        files = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"two compose files of {FILE_LEAVES:,} leaves opened: on screen after {files['shown_s']:.1f} s, "
              f"longest stall {files['stall_ms']:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
