"""Parsing in a worker process, under a wall-clock limit and a memory limit.

No parser parity uses can be trusted with hostile input: some raise exceptions of any type,
some recurse until the interpreter gives up, some take minutes or gigabytes on a file of a few
megabytes. So every environment read from files is loaded in a separate worker process:

* the worker's address space is capped (``RLIMIT_AS``) at :attr:`Limits.memory_bytes` beyond
  what it holds when it starts, so a runaway parse fails inside the worker, not the machine;
* the parent waits at most :attr:`Limits.seconds` for each file (the worker says which file it
  starts reading, through :func:`parity_gui.sources.text.read_bytes`), and at most
  :attr:`Limits.whole_seconds` for the whole environment, however many files it reads (an
  ``include`` fan-out of quick files) and however often it is retried, then kills the worker;
* whatever happens in the worker (an exception of any type, running out of memory, a crash, a
  timeout) comes back as a :class:`~parity_gui.errors.ParseError` or
  :class:`~parity_gui.errors.LimitExceeded` naming the file being read, never as a traceback;
* when the worker dies or times out on one file of several (a folder), the load is run again
  with that file refused, so the rest still loads and the culprit is an error in its place;
* a big environment comes back in parts (:mod:`parity_gui.sources.parts`), so that reading
  it back never holds the calling process's interpreter (a window's) for long;
* where no worker can be started at all (a bundled app whose start-up hook is missing), loads
  run in the calling process, still ending only in parity's own errors.

Workers are forked from a small server process (``multiprocessing``'s ``forkserver``) that
has the parsers already imported, so starting one costs milliseconds, and forking never happens
from the calling process itself, which may be a GUI with threads. The recursion limit is never
touched. Limits come from ``PARITY_PARSE_SECONDS`` and ``PARITY_PARSE_MEMORY_MB`` when set.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import resource
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import forkserver, spawn
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from parity_gui import errors
from parity_gui.core.collector import collector_paused
from parity_gui.core.tree import Environment
from parity_gui.errors import Cancelled, LimitExceeded, ParityError, ParseError
from parity_gui.sources import text
from parity_gui.sources.parse_cache import cache_folder
from parity_gui.sources.parts import Assembly, parts

T = TypeVar("T")
#: An error as it crosses between processes: class name, message, file, line, column.
Flat = tuple[str, str, str | None, int | None, int | None]

DEFAULT_SECONDS = 30.0
DEFAULT_MEMORY_MB = 1024
#: How many files a load may lose to crashes or timeouts before it gives up.
MAX_RETRIES = 3
#: Imported once by the server the workers are forked from. Not the Dockerfile parser: it
#: starts Go runtime threads at import, which a fork would leave behind.
PRELOAD = [
    "parity_gui.sources.isolation",
    "parity_gui.sources.registry",
    "parity_gui.sources.yamlfile",
    "parity_gui.sources.compose.load",
    "parity_gui.sources.terraform.load",
    "parity_gui.sources.dotenv.load",
    "parity_gui.sources.warm",
]


@dataclass(frozen=True, slots=True)
class Limits:
    """How long a worker may spend on one file, and how much memory it may add."""

    seconds: float = DEFAULT_SECONDS
    memory_bytes: int = DEFAULT_MEMORY_MB * 2**20

    @property
    def whole_seconds(self) -> float:
        """The limit for a whole environment: twice a file's."""
        return 2 * self.seconds

    @classmethod
    def from_environment(cls) -> Limits:
        seconds = _number(os.environ.get("PARITY_PARSE_SECONDS"), DEFAULT_SECONDS)
        megabytes = _number(os.environ.get("PARITY_PARSE_MEMORY_MB"), DEFAULT_MEMORY_MB)
        return cls(seconds, int(megabytes * 2**20))


def _number(configured: str | None, default: float) -> float:
    try:
        value = float(configured or "")
    except ValueError:
        return default
    return value if value > 0 else default


class _Failed(Exception):
    """The worker died or ran out of time while reading ``file`` (None: before any file)."""

    def __init__(self, error: ParityError, file: str | None) -> None:
        super().__init__(error.message)
        self.error = error
        self.file = file


#: Asked about ten times a second while a worker runs; True stops the worker.
CancelCheck = Callable[[], bool]


def run_isolated(
    function: Callable[..., T], *args: Any, limits: Limits | None = None, cancelled: CancelCheck | None = None
) -> T:
    """``function(*args)`` run in a worker process; see the module docstring.

    ``function`` and its arguments must be importable and picklable. A file the worker dies
    or stalls on is refused on the next attempt, so a folder loads without it. When
    ``cancelled`` turns True the worker is killed at once and :class:`Cancelled` raised.
    """
    chosen = limits or Limits.from_environment()
    refused: dict[str, Flat] = {}
    if _no_workers:
        return _in_process(function, args)
    deadline = time.monotonic() + chosen.whole_seconds
    while True:
        try:
            return _attempt(function, args, chosen, refused, cancelled, deadline=deadline)
        except _Failed as failed:
            if time.monotonic() >= deadline:
                raise _whole_timeout(failed.file, chosen) from None
            if failed.file is None or failed.file in refused or len(refused) >= MAX_RETRIES:
                raise failed.error from None
            refused[failed.file] = _flatten(failed.error)


def _attempt(
    function: Callable[..., T], args: tuple[Any, ...], limits: Limits, refused: dict[str, Flat],
    cancelled: CancelCheck | None, *, deadline: float,
) -> T:
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    settings = {k: v for k, v in os.environ.items() if k.startswith("PARITY_")}
    settings.setdefault("PARITY_CACHE_DIR", str(cache_folder() or ""))  # a worker has no HOME
    setting = _Setting(str(Path.cwd()), settings, limits.memory_bytes, refused)
    worker = context.Process(target=_work, args=(sender, function, args, setting), daemon=True, name=_WORKER_NAME)
    try:
        worker.start()
    except Exception as e:  # no worker server can be started here (a bundle without its hook)
        receiver.close()
        sender.close()
        _no_workers.append(f"{type(e).__name__}: {e}")
        return _in_process(function, args)
    sender.close()
    try:
        result: T = _collect(receiver, worker, limits, cancelled, deadline)
        return result
    finally:
        receiver.close()
        if worker.is_alive():
            worker.kill()
        worker.join()


def _collect(
    receiver: Connection, worker: Any, limits: Limits, cancelled: CancelCheck | None, deadline: float
) -> Any:
    """Read the worker's messages until its result, its error, its death or the deadline (one
    for the whole environment)."""
    reading: str | None = None
    whole, deadline = deadline, min(deadline, time.monotonic() + limits.seconds)
    assembly = Assembly()  # a big environment comes in parts (see parity_gui.sources.parts)
    while True:
        if not _wait(receiver, deadline, cancelled):
            worker.kill()
            if cancelled is not None and cancelled():
                raise Cancelled("loading cancelled", file=reading)
            raise _Failed(_timeout(reading, limits), reading)
        try:
            with collector_paused(settle=True):  # unpickling a big environment: a burst of live objects
                kind, payload = receiver.recv()
        except Exception:  # a closed pipe, or a message that cannot be read back: the worker died
            worker.join()
            raise _Failed(_death(reading, worker.exitcode, limits), reading) from None
        if kind == "reading":
            reading, deadline = payload, min(whole, time.monotonic() + limits.seconds)
        elif kind == "part":
            assembly.add(payload)
        elif kind == "done":
            return assembly.finish(payload) if isinstance(payload, Environment) else payload
        else:
            raise _rebuild(payload)


def _wait(receiver: Connection, deadline: float, cancelled: CancelCheck | None) -> bool:
    """Whether a message came before the deadline (and before a cancel, when asked)."""
    while True:
        left = deadline - time.monotonic()
        if cancelled is None:
            return receiver.poll(max(0.0, left))
        if cancelled():
            return False
        if receiver.poll(max(0.0, min(left, 0.1))):
            return True
        if left <= 0.1:
            return False


#: Why workers cannot be started in this process, once that is known (then loads run inline).
_no_workers: list[str] = []


def _in_process(function: Callable[..., T], args: tuple[Any, ...]) -> T:
    """``function(*args)`` here, for when no worker can be started: without the time and memory
    limits, but still ending in one of parity's errors, never another exception."""
    try:
        return function(*args)
    except ParityError:
        raise
    except MemoryError:
        raise LimitExceeded("reading needs more memory than there is") from None
    except Exception as e:
        raise _unexpected(e, []) from None


def _timeout(reading: str | None, limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        f"reading took longer than {limits.seconds:g} s, so parity stopped it "
        "(PARITY_PARSE_SECONDS allows more)",
        file=reading,
    )


def _whole_timeout(reading: str | None, limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        f"loading took longer than {limits.whole_seconds:g} s in all (the limit for a whole environment, "
        "twice PARITY_PARSE_SECONDS), so parity stopped it",
        file=reading,
    )


def _death(reading: str | None, exitcode: int | None, limits: Limits) -> ParseError:
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit status {exitcode}"
    return ParseError(
        f"the parser crashed reading this file ({how}; memory limit "
        f"{limits.memory_bytes // 2**20} MB, PARITY_PARSE_MEMORY_MB allows more)",
        file=reading,
    )


# --- in the worker ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Setting:
    """What a worker takes from the caller: the caller's folder and ``PARITY_*`` settings (the
    server it is forked from started earlier, maybe elsewhere), its memory cap, refused files.
    No other environment variable reaches a worker, so no value can be filled in from parity's
    own environment, and no credential in it is within reach of a parser."""

    cwd: str
    environment: dict[str, str]
    memory: int
    refused: dict[str, Flat]


def _work(sender: Connection, function: Callable[..., Any], args: tuple[Any, ...], setting: _Setting) -> None:
    """The worker's body: take the caller's setting, cap memory, report each file read, send
    back the result or the error. Nothing escapes it (an escaping exception would print a
    traceback on the user's terminal)."""
    _exit_with_caller()
    reading: list[str] = []
    try:
        _silence_stderr()
        _start_go_runtime()
        _take_setting(setting)
        text.reading_hook = _reporter(sender, reading, setting.refused)
        with collector_paused():  # the worker builds one environment and exits: nothing to collect
            message: tuple[str, Any] = ("done", function(*args))
    except ParityError as e:
        message = ("error", _flatten(e))
    except MemoryError:
        message = ("error", _flatten(_out_of_memory(reading, setting.memory)))
    except BaseException as e:  # any other exception of any parser, as one line
        message = ("error", _flatten(_unexpected(e, reading)))
    _send(sender, message, reading, setting.memory)


def _silence_stderr() -> None:
    """Send this worker's standard error nowhere: a parser that crashes (the Go runtime prints
    a hundred lines of goroutine dump) must not write on the user's terminal; what went wrong
    comes back as one line, from the exit status."""
    with contextlib.suppress(OSError):
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 2)
        os.close(quiet)


def _start_go_runtime() -> None:
    """Start the Dockerfile parser's Go runtime before the memory cap is measured: it reserves
    about 1 GB of address space when it starts (not memory in use), which counted against the
    cap would refuse a 10,000-stage file that needs 60 MB."""
    with contextlib.suppress(Exception):
        importlib.import_module("dockerfile").parse_string("FROM scratch\n")


def _take_setting(setting: _Setting) -> None:
    os.chdir(setting.cwd)
    os.environ.clear()
    os.environ.update(setting.environment)
    _cap_memory(setting.memory)


def _reporter(sender: Connection, reading: list[str], refused: dict[str, Flat]) -> Callable[[str], None]:
    """The hook :func:`read_text` calls: refuse a file an earlier attempt failed on, else tell
    the caller which file is being read (its deadline starts again)."""

    def starting(display: str) -> None:
        if display in refused:
            raise _rebuild(refused[display])
        reading.append(display)
        sender.send(("reading", display))

    return starting


def _send(sender: Connection, message: tuple[str, Any], reading: list[str], memory: int) -> None:
    try:
        kind, payload = message
        if kind == "done" and isinstance(payload, Environment):
            pieces, payload = parts(payload)
            for piece in pieces:
                sender.send(("part", piece))
        sender.send((kind, payload))
    except MemoryError:
        sender.send(("error", _flatten(_out_of_memory(reading, memory))))
    except Exception as e:  # a result that cannot be sent back is this load's error
        sender.send(("error", _flatten(_unexpected(e, reading))))
    finally:
        sender.close()


def _exit_with_caller() -> None:
    """End this worker when the process that asked for it ends (killed, crashed), so a worker
    stuck in a parse never outlives it."""
    caller = multiprocessing.parent_process()
    if caller is None:
        return

    def watch() -> None:
        caller.join()
        os._exit(1)

    threading.Thread(target=watch, name="parity-parse-watch", daemon=True).start()


def _cap_memory(extra: int) -> None:
    """Cap this worker's address space at what it holds now plus ``extra`` (not where that
    cannot be measured: a cap below the start would fail every load)."""
    in_use = _address_space()
    if not in_use:
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (in_use + extra, in_use + extra))


def _address_space() -> int:
    """This process's virtual memory size in bytes, from ``/proc`` (0 when unknown)."""
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * resource.getpagesize()


def _out_of_memory(reading: list[str], memory: int) -> LimitExceeded:
    return LimitExceeded(
        f"reading this file needs more than {memory // 2**20} MB of memory "
        "(PARITY_PARSE_MEMORY_MB allows more)",
        file=reading[-1] if reading else None,
    )


def _unexpected(error: BaseException, reading: list[str]) -> ParseError:
    kind = ": it nests too deep to read" if isinstance(error, RecursionError) else f" ({type(error).__name__})"
    return ParseError(f"cannot read this file{kind}", file=reading[-1] if reading else None)


def _flatten(error: ParityError) -> Flat:
    return type(error).__name__, error.message, error.file, error.line, error.column


def _rebuild(payload: Flat) -> ParityError:
    name, message, file, line, column = payload
    kind = getattr(errors, name, ParseError)
    if not (isinstance(kind, type) and issubclass(kind, ParityError)):
        kind = ParseError
    return kind(message, file=file, line=line, column=column)


# --- the server workers are forked from ---------------------------------------------------


_WORKER_NAME = "parity-parse"


def in_parse_worker() -> bool:
    """Whether this process is a parsing worker: single-threaded, under a load's limits, and
    free to fork helpers of its own that end with it."""
    return multiprocessing.current_process().name == _WORKER_NAME


def prepare() -> None:
    """Start the server workers are forked from, and return at once: the server imports the
    parsers (about half a second) while the caller goes on, so the first load does not wait for
    it. Safe to call from any thread, and more than once."""
    _context()
    forkserver.ensure_running()


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    if not _prepared:
        context.set_forkserver_preload(PRELOAD)
        # the one place parity adjusts multiprocessing; _without_main says why
        spawn.get_preparation_data = _without_main(spawn.get_preparation_data)  # type: ignore[assignment]
        _prepared.append(True)
    return context


def _without_main(prepare: Callable[[str], dict[str, Any]]) -> Callable[[str], dict[str, Any]]:
    """``multiprocessing`` re-runs the program's main module in each new worker (for functions
    defined there); parse workers need none of it — for the GUI it would import Qt again — so
    their preparation leaves it out. Other processes are prepared as before."""

    def preparation(name: str) -> dict[str, Any]:
        data = prepare(name)
        if name == _WORKER_NAME:
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    return preparation


_prepared: list[bool] = []


# --- in a bundled app ---------------------------------------------------------------------


def _serve_start_up_in_bundle() -> None:
    """Serve multiprocessing's own start-up when the bundled app was run for it.

    A bundled app has no Python to start the worker server with, so multiprocessing runs the
    app itself with ``-c "from multiprocessing… import main; …"``, and the app's imports lead
    here. This runs that code (through ``freeze_support``, which PyInstaller's hook extends to
    it) and exits before anything else of the app starts. The modules still being imported on
    the way here are dropped first, so the server imports them whole. An entry point calling
    ``multiprocessing.freeze_support()`` before its own imports does the same, sooner.
    """
    command = sys.argv[-2:]
    if not getattr(sys, "frozen", False) or len(command) < 2 or command[0] != "-c":
        return
    if not command[1].startswith("from multiprocessing."):
        return
    for name, module in list(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        if name.startswith("parity_gui.") and name != __name__ and getattr(spec, "_initializing", False):
            del sys.modules[name]
    multiprocessing.freeze_support()


_serve_start_up_in_bundle()
