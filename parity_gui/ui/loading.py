"""Loading and comparing in worker threads, never on the GUI thread.

Each side's load is one job in a :class:`QThreadPool`; when every side has settled (loaded,
failed or cancelled) the comparison runs as another job. Results come back as queued signals.

Cancelling cannot stop a Python thread half-way through a file, so a cancelled job is
abandoned: its result is ignored when it arrives (each job carries a generation number), and the
side is free at once to load something else. The source libraries (docker, hcl2, deepdiff) are
imported by these jobs, in the workers, so the window opens without paying for them.
"""

from __future__ import annotations

import contextlib
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from parity_gui.core.collector import collector_paused
from parity_gui.core.secrets import mask_text
from parity_gui.core.tree import Coverage, Diagnostic, Environment
from parity_gui.errors import Cancelled, NotOnEngine, ParityError


@dataclass(frozen=True)
class Failure:
    """Why a side has no environment: the error as a user should read it."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    cancelled: bool = False
    #: the engine answered that it runs no such project or stack (a wildcard leaves it out)
    absent: bool = False

    @classmethod
    def of(cls, error: BaseException) -> Failure:
        """The failure to show for ``error``, with any credential in its text or file name masked."""
        if isinstance(error, ParityError):
            file = mask_text(error.file) if error.file else error.file
            return cls(mask_text(error.message), file, error.line, error.column, isinstance(error, Cancelled),
                       isinstance(error, NotOnEngine))
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        return cls(mask_text(f"internal error: {last}"))

    def location(self) -> str:
        return str(ParityError(self.message, file=self.file, line=self.line, column=self.column).location())


class _Signals(QObject):
    done = Signal(int, object, float)  #: generation, result, seconds
    failed = Signal(int, object)  #: generation, Failure


class Job(QRunnable):
    """Runs ``work`` in a pool thread and reports its result or its failure."""

    def __init__(self, generation: int, work: Callable[[], Any]) -> None:
        super().__init__()
        self.generation = generation
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        started = time.perf_counter()
        try:
            result = self.work()
        except BaseException as error:  # every failure reaches the user, never the event loop
            self._report(self.signals.failed, self.generation, Failure.of(error))
            return
        self._report(self.signals.done, self.generation, result, time.perf_counter() - started)

    def _report(self, signal: Any, *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the window closed while this job ran: no one to tell
            signal.emit(*args)


def find_project(base: Path | None) -> Any:
    """The ``.parity.toml`` that governs ``base`` (or the working folder), read; None when there is none."""
    from parity_gui.app import project as projects

    path = projects.find_project(base or Path.cwd())
    return projects.read_project(path) if path is not None else None


def project_environments(base: Path | None) -> list[str]:
    """Every environment the ``.parity.toml`` governing ``base`` names, the baseline first; empty
    when there is no project file (or it cannot be read: opening it by name will say why)."""
    try:
        project = find_project(base)
    except ParityError:
        return []
    if project is None:
        return []
    names = list(project.environments)
    if len(names) < 2:
        return names
    return list(project.select(names).names)


def load_environment(spec: str, name: str | None, base: Path | None, cancelled: Any = None) -> Environment:
    """Load one side as the command line would: an environment named in ``.parity.toml``, or a spec.

    Imported here so the sources (and docker, hcl2 with them) load in the worker, not at start-up.
    """
    from parity_gui.app import project as projects
    from parity_gui.app.compare import load_environment as load

    try:
        project = find_project(base)
    except ParityError:
        if _names_a_path(spec, base):
            project = None  # a broken project file does not stop plain files from loading
        else:
            raise
    if project is not None and project.named(spec):
        env: Environment = projects.load_environment(project, spec, cancelled=cancelled)
        if name:
            env.name = name
        return env
    return load(spec, name, base=base, cancelled=cancelled)


Sides = Sequence[tuple[str | None, str | None]]


def baseline_first(sides: Sides, base: Path | None) -> list[tuple[str | None, str | None]]:
    """``sides`` (name, spec) reordered so that the project's ``baseline`` comes first, as the
    command line orders them; as given when there is no project or it names no baseline here."""
    from parity_gui.app.compare import governing_project, ordered_by_baseline

    specs = [spec or "" for _, spec in sides]
    try:
        project = governing_project([s for s in specs if s], base)
    except ParityError:
        return list(sides)
    return [sides[i] for i in ordered_by_baseline(project, specs)]


def _names_a_path(spec: str, base: Path | None) -> bool:
    first = spec.split("+", maxsplit=1)[0].split("#", maxsplit=1)[0]
    return spec.startswith("docker://") or (base or Path.cwd()).joinpath(first).exists()


def compare_sides(environments: Sequence[Environment], base: Path | None = None,
                  specs: Sequence[str] = (), notes: Sequence[Diagnostic] = ()) -> tuple[Any, Any]:
    """Compare the sides, with the expected differences and severities of the project file that
    speaks for ``specs`` (one they name, or whose folder holds their files), and index the drift;
    ``notes`` join the comparison's own (engines a wildcard left out)."""
    from parity_gui.app.compare import compare_environments, governing_project, unique_names
    from parity_gui.core.options import CompareOptions
    from parity_gui.ui.models.index import DriftIndex
    from parity_gui.ui.models.values import masking_of

    try:
        project = governing_project([s for s in specs if s], base)
    except ParityError:
        project = None  # the side that named a project environment reports the broken file
    options = project.options if project is not None else CompareOptions()
    with collector_paused(settle=True):  # a burst of long-lived objects: collecting finds nothing
        comparison = compare_environments(unique_names(list(environments)), options)  # the command line's notes too
        comparison.warnings.extend(notes)
        masking_of(comparison)  # worked out here, in the worker: the screen then only looks it up
        index = DriftIndex(comparison)
    return comparison, index


def fleet_members(wildcard: str) -> list[str] | Failure:
    """The specs ``docker://*/NAME`` stands for (one per stored Docker context, as on the command
    line), or why it stands for none."""
    from parity_gui.app.fleet import expand

    try:
        specs, _ = expand([wildcard])
    except ParityError as error:
        return Failure.of(error)
    return list(specs)


def stand_in(name: str, spec: str) -> Environment:
    """An empty environment for a side that failed or is not chosen yet.

    It covers nothing, so everything the other side holds is shown as context (greyed, never
    counted): the loaded side stays browsable while the other shows its error.
    """
    return Environment(name=name, spec=spec, tree={}, coverage=Coverage())


class Pool:
    """The thread pool of one window, keeping each running job alive until it reports."""

    def __init__(self, threads: int = 3) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(threads)
        self.running: set[Job] = set()

    def start(self, job: Job, done: Callable[..., None], failed: Callable[..., None]) -> None:
        job.setAutoDelete(False)
        self.running.add(job)
        job.signals.done.connect(done)
        job.signals.failed.connect(failed)
        job.signals.done.connect(lambda *_: self.running.discard(job))
        job.signals.failed.connect(lambda *_: self.running.discard(job))
        self.pool.start(job)

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
