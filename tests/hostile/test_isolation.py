"""Every parse runs in a worker process: a hang, a crash, runaway memory or an odd exception
in a parser ends in one error naming the file, and the next load works."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from parity_gui.core.tree import Environment
from parity_gui.errors import Cancelled, LimitExceeded, ParseError
from parity_gui.sources import isolation, registry
from parity_gui.sources.isolation import Limits, prepare, run_isolated
from tests.hostile import inputs, workers

QUICK = Limits(seconds=2, memory_bytes=256 * 2**20)


@pytest.fixture
def file(tmp_path: Path) -> Path:
    path = tmp_path / "compose.yml"
    path.write_text(inputs.COMPOSE)
    return path


@pytest.mark.timeout(30)
def test_a_parse_that_hangs_is_stopped_at_the_deadline_naming_the_file(file: Path) -> None:
    with pytest.raises(LimitExceeded, match=r"longer than 2 s") as caught:
        run_isolated(workers.read_then_sleep, file, limits=QUICK)
    assert caught.value.file == "compose.yml"


@pytest.mark.timeout(30)
def test_a_parse_that_eats_memory_fails_inside_its_worker(file: Path) -> None:
    with pytest.raises(LimitExceeded, match=r"more than 256 MB") as caught:
        run_isolated(workers.read_then_allocate, file, limits=QUICK)
    assert caught.value.file == "compose.yml"


@pytest.mark.timeout(30)
def test_a_parser_that_crashes_the_worker_is_an_error_naming_the_file(file: Path) -> None:
    with pytest.raises(ParseError, match=r"crashed .*signal 11") as caught:
        run_isolated(workers.read_then_crash, file, limits=QUICK)
    assert caught.value.file == "compose.yml"


@pytest.mark.timeout(30)
def test_an_exception_of_any_type_becomes_a_one_line_parse_error(file: Path) -> None:
    with pytest.raises(ParseError, match=r"^compose.yml: cannot read this file \(IndexError\)$") as caught:
        run_isolated(workers.read_then_raise, file, limits=QUICK)
    assert caught.value.file == "compose.yml"


@pytest.mark.timeout(30)
def test_runaway_recursion_is_an_error_and_the_limit_stays_where_it_was(file: Path) -> None:
    limit = sys.getrecursionlimit()
    with pytest.raises(ParseError, match="nests too deep"):
        run_isolated(workers.read_then_recurse, file, limits=QUICK)
    assert sys.getrecursionlimit() == limit


@pytest.mark.timeout(60)
def test_a_file_that_hangs_or_crashes_is_refused_and_the_others_still_load(tmp_path: Path) -> None:
    names = ["a.yml", "slow.yml", "b.yml", "crash.yml", "c.yml"]
    for name in names:
        (tmp_path / name).write_text("x: 1\n")
    outcome = run_isolated(workers.read_all, [tmp_path / n for n in names], limits=QUICK)
    assert outcome[0] == "read: a.yml"
    assert outcome[1].startswith("error: slow.yml: reading took longer than 2 s")
    assert outcome[2] == "read: b.yml"
    assert outcome[3].startswith("error: crash.yml: the parser crashed reading this file (signal 9")
    assert outcome[4] == "read: c.yml"


@pytest.mark.timeout(30)
def test_each_load_runs_in_its_own_process() -> None:
    first, second = run_isolated(workers.pid), run_isolated(workers.pid)
    assert os.getpid() not in (first, second)
    assert first != second


@pytest.mark.timeout(60)
def test_loads_from_many_threads_at_once_all_succeed(file: Path) -> None:
    with ThreadPoolExecutor(max_workers=6) as pool:
        loaded = list(pool.map(lambda _: registry.load(file.name, base=file.parent), range(12)))
    assert all(isinstance(env, Environment) for env in loaded)
    assert all(env.tree == loaded[0].tree for env in loaded)


@pytest.mark.timeout(30)
def test_the_isolated_load_gives_the_same_environment_as_the_direct_one(examples: Path) -> None:
    folder = examples / "shop"
    isolated = registry.load(str(folder), "shop")
    direct = registry.load_local(str(folder), "shop", Path.cwd())
    assert isolated.tree == direct.tree
    assert isolated.origins == direct.origins
    assert isolated.raw == direct.raw
    assert isolated.diagnostics == direct.diagnostics
    assert isolated.coverage == direct.coverage


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARITY_PARSE_SECONDS", "7.5")
    monkeypatch.setenv("PARITY_PARSE_MEMORY_MB", "300")
    assert Limits.from_environment() == Limits(7.5, 300 * 2**20)
    monkeypatch.setenv("PARITY_PARSE_SECONDS", "soon")
    monkeypatch.setenv("PARITY_PARSE_MEMORY_MB", "-1")
    assert Limits.from_environment() == Limits()


@pytest.mark.timeout(30)
def test_a_worker_sees_the_callers_folder_and_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file: Path
) -> None:
    run_isolated(workers.pid)  # the server workers come from is running before the change
    monkeypatch.chdir(file.parent)
    monkeypatch.setenv("PARITY_MAX_FILE_BYTES", "10")
    with pytest.raises(LimitExceeded, match="over the 10 bytes limit"):
        registry.load("compose.yml")


@pytest.mark.timeout(30)
def test_the_worker_server_can_be_started_ahead_of_the_first_load(file: Path) -> None:
    prepare()
    prepare()
    assert isinstance(registry.load(file.name, base=file.parent), Environment)


@pytest.mark.timeout(30)
def test_a_result_that_cannot_be_sent_back_is_an_error_without_a_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(ParseError, match="cannot read this file"):
        run_isolated(workers.unpicklable, limits=QUICK)
    assert "Traceback" not in capfd.readouterr().err


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.timeout(60)
def test_a_worker_ends_when_the_process_that_asked_for_it_is_killed(tmp_path: Path) -> None:
    marker = tmp_path / "worker.pid"
    script = (
        "import sys; from pathlib import Path; from tests.hostile import workers; "
        "from parity_gui.sources.isolation import Limits, run_isolated; "
        "run_isolated(workers.write_pid_then_sleep, Path(sys.argv[1]), limits=Limits(seconds=300))"
    )
    caller = subprocess.Popen([sys.executable, "-c", script, str(marker)], cwd=Path(__file__).parents[2])
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() or not marker.read_text():
            assert time.monotonic() < deadline, "the worker never started"
            time.sleep(0.05)
        worker = int(marker.read_text())
        assert _alive(worker)
    finally:
        caller.kill()
        caller.wait()
    deadline = time.monotonic() + 10
    while _alive(worker):
        assert time.monotonic() < deadline, "the worker outlived its caller"
        time.sleep(0.05)


@pytest.mark.timeout(30)
def test_a_cancelled_load_stops_its_worker_at_once(file: Path) -> None:
    started = time.monotonic()
    with pytest.raises(Cancelled) as caught:
        run_isolated(workers.read_then_sleep, file, limits=Limits(seconds=60),
                     cancelled=lambda: time.monotonic() - started > 0.5)
    assert caught.value.file == "compose.yml"
    assert time.monotonic() - started < 10  # hang guard: far below the 60 s deadline


@pytest.mark.timeout(30)
def test_a_load_that_is_not_cancelled_completes(file: Path) -> None:
    env = registry.load(file.name, base=file.parent, cancelled=lambda: False)
    assert "web" in env.tree["services"]


class _NoWorkers:
    """A multiprocessing context whose workers cannot start, as in a bundle without its hook."""

    def Pipe(self, duplex: bool) -> object:
        return multiprocessing.Pipe(duplex)

    def Process(self, **_: object) -> object:
        def start() -> None:
            raise EOFError("the worker server did not answer")

        return SimpleNamespace(start=start)


@pytest.mark.timeout(30)
def test_where_no_worker_can_start_loads_run_here_and_still_end_in_paritys_errors(
    monkeypatch: pytest.MonkeyPatch, file: Path
) -> None:
    monkeypatch.setattr(isolation, "_context", _NoWorkers)
    monkeypatch.setattr(isolation, "_no_workers", [])
    assert "web" in registry.load(file.name, base=file.parent).tree["services"]
    assert isolation._no_workers == ["EOFError: the worker server did not answer"]
    with pytest.raises(ParseError, match=r"cannot read this file \(IndexError\)"):
        run_isolated(workers.read_then_raise, file)
