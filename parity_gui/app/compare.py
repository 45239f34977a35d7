"""Loading environments and comparing them: the use case both front ends call.

A comparison is asked for with specs (files, ``a+b``, folders, ``docker://…``, and
``docker://*/NAME`` for every stored context that runs NAME: see :mod:`parity_gui.app.fleet`) or, inside a
repository with a ``.parity.toml``, with environment names (``parity compare dev prod``). Names
win over paths: write ``./dev`` for a folder that shares its name with an environment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from parity_gui.app import fleet
from parity_gui.app import project as projects
from parity_gui.core.options import CompareOptions
from parity_gui.core.tree import Diagnostic, Environment, Level
from parity_gui.engine import Comparison, compare
from parity_gui.errors import Cancelled, NotOnEngine, OptionsError, ParityError
from parity_gui.sources import isolation, registry
from parity_gui.sources.isolation import CancelCheck
from parity_gui.sources.text import CRLF_NOTE

#: Called with a short message as each step starts ("loading prod", "comparing").
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Request:
    """What to compare: specs or project names (the first is the baseline), names, options."""

    specs: tuple[str, ...]
    names: tuple[str | None, ...] = ()
    options: CompareOptions = field(default_factory=CompareOptions)
    base: Path | None = None
    project: projects.Project | None = None
    #: Positions of specs that a ``docker://*/NAME`` stood for: left out when their engine lacks NAME.
    optional: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if len(self.specs) < 2:
            raise OptionsError("name at least two environments to compare")
        if len(self.names) > len(self.specs):
            raise OptionsError("more names than environments")

    def name_of(self, index: int) -> str | None:
        return self.names[index] if index < len(self.names) else None


def request_for(
    arguments: Sequence[str],
    *,
    names: Sequence[str] = (),
    cwd: Path | None = None,
    project_file: Path | None = None,
) -> Request:
    """The request ``parity compare ARGUMENTS…`` means, with or without a project file.

    With ``project_file``, or a ``.parity.toml`` found from ``cwd`` upwards, arguments that name
    one of its environments (or none at all) select environments from it, and an unknown name
    among them is an error listing the known ones; otherwise the arguments are specs, compared
    with the project's expected differences and severities only when every file they name lies
    inside the project's folder (see :func:`governing_project`).
    """
    cwd = cwd or Path.cwd()
    path = project_file or projects.find_project(cwd)
    if path is not None:
        project = projects.read_project(path, display_path(path, cwd))
        if not arguments or any(project.named(a) for a in arguments):
            selection = project.select(list(arguments))
            return Request(selection.names, selection.names, project.options, project.root, project)
        options = project.options if _inside(project, arguments, cwd) else CompareOptions()
        specs, optional = fleet.expand(arguments)
        return Request(specs, tuple(names), options, cwd, optional=optional)
    if not arguments:
        raise OptionsError("name the environments to compare (no .parity.toml found here)")
    specs, optional = fleet.expand(arguments)
    return Request(specs, tuple(names), CompareOptions(), cwd, optional=optional)


def governing_project(specs: Sequence[str], cwd: Path | None = None) -> projects.Project | None:
    """The ``.parity.toml`` (found from ``cwd`` upwards) that applies to a comparison of ``specs``,
    or None.

    A project file applies only to what it speaks for: when a spec names one of its
    environments, or every file the specs name lies inside its folder (``docker://`` specs
    name no file and neither add nor take away). Files from elsewhere, compared from inside a
    repository, are compared without its expected differences and severities.
    """
    cwd = cwd or Path.cwd()
    path = projects.find_project(cwd)
    if path is None:
        return None
    project = projects.read_project(path, display_path(path, cwd))
    if any(project.named(spec) for spec in specs):
        return project
    return project if _inside(project, specs, cwd) else None


def _inside(project: projects.Project, specs: Sequence[str], cwd: Path) -> bool:
    """Whether every file ``specs`` name lies inside the project's folder (and there is one)."""
    files = [file for spec in specs for file in _files_of(spec, cwd)]
    root = project.root.resolve()
    return bool(files) and all(file.is_relative_to(root) for file in files)


def _files_of(spec: str, cwd: Path) -> list[Path]:
    """The files and folders a spec names (``a.yml+b.env``, ``Dockerfile#stage``), absolute."""
    if spec.startswith("docker://"):
        return []
    parts = (part.split("#", 1)[0] for part in spec.split("+"))
    return [(cwd / part).resolve() for part in parts if part]


def absolute_spec(spec: str, cwd: Path) -> str:
    """``spec`` with every file it names made absolute, stages kept (``/repo/Dockerfile#dev``),
    so that it means the same from any folder; ``docker://`` specs are returned as they are."""
    if spec.startswith("docker://"):
        return spec
    parts = []
    for part in spec.split("+"):
        file, hash_, stage = part.partition("#")
        parts.append(f"{(cwd / file).resolve()}{hash_}{stage}" if file else part)
    return "+".join(parts)


def ordered_by_baseline(project: projects.Project | None, specs: Sequence[str]) -> list[int]:
    """The order to show ``specs`` in so that the project's ``baseline`` comes first, as
    ``parity compare`` puts it; the given order when the baseline is not among them."""
    order = list(range(len(specs)))
    if project is None or project.baseline is None or project.baseline not in specs:
        return order
    first = list(specs).index(project.baseline)
    return [first, *(i for i in order if i != first)]


def display_path(path: Path, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when it is below it, for messages."""
    try:
        return str(path.resolve().relative_to(cwd.resolve()))
    except ValueError:
        return str(path)


def load_environment(
    spec: str, name: str | None = None, *, base: Path | None = None, cancelled: CancelCheck | None = None
) -> Environment:
    """Load one environment; raises a :class:`~parity_gui.errors.SourceError` when nothing loads,
    and :class:`~parity_gui.errors.Cancelled` (stopping its worker at once) when ``cancelled``
    answers True."""
    return registry.load(spec, name, base=base, cancelled=cancelled)


def load_one(request: Request, index: int) -> Environment:
    spec = request.specs[index]
    if request.project is not None:
        return projects.load_environment(request.project, spec)
    return load_environment(spec, request.name_of(index), base=request.base)


def prepare() -> None:
    """Get the parsing workers ready in the background, so the first load does not wait."""
    isolation.prepare()


def load_all(request: Request, progress: Progress | None = None) -> list[Environment]:
    """Load every environment of ``request``, side by side: each parses in its own worker
    process, so on a machine with several cores they load in parallel. The first failure (in
    the order given) is raised — except in a fleet of live engines (:mod:`parity_gui.app.fleet`),
    where a failed engine is a failed column and one a wildcard named that lacks the project is
    left out, with a note on the first environment."""
    def load(index: int) -> Environment | ParityError:
        if progress:
            progress(f"loading {request.name_of(index) or request.specs[index]}")
        try:
            return load_one(request, index)
        except Cancelled:
            raise
        except ParityError as e:
            if not (fleet.is_fleet(request.specs) and request.specs[index].startswith("docker://")):
                raise
            return e

    with ThreadPoolExecutor(max_workers=len(request.specs), thread_name_prefix="parity-load") as pool:
        futures = [pool.submit(load, index) for index in range(len(request.specs))]
        return unique_names(_columns(request, [future.result() for future in futures]))


def _columns(request: Request, loaded: list[Environment | ParityError]) -> list[Environment]:
    """The environments of a fleet: failures as failed columns, absent wildcard members left out;
    fewer than two that loaded is an error (the first failure, or which engines lack the name)."""
    notes: list[Diagnostic] = []
    columns: list[Environment] = []
    for index, found in enumerate(loaded):
        spec = request.specs[index]
        if isinstance(found, NotOnEngine) and index in request.optional:
            notes.append(fleet.left_out_note(spec, found.message))
        elif isinstance(found, ParityError):
            columns.append(fleet.failed_environment(spec, request.name_of(index) or spec, found))
        else:
            columns.append(found)
    if sum(not c.failed for c in columns) < 2:
        failures = [e for i, e in enumerate(loaded)
                    if isinstance(e, ParityError) and not (isinstance(e, NotOnEngine) and i in request.optional)]
        if failures:
            raise failures[0]
        lacking = "; ".join(str(n) for n in notes)
        raise OptionsError(f"fewer than two environments to compare: {lacking}")
    columns[0].diagnostics.extend(notes)
    return columns


def unique_names(environments: Sequence[Environment]) -> list[Environment]:
    """Give environments that share a name a distinguishing suffix (``compose.yml (2)``)."""
    seen: dict[str, int] = {}
    for env in environments:
        count = seen.get(env.name, 0)
        seen[env.name] = count + 1
        if count:
            env.name = f"{env.name} ({count + 1})"
    return list(environments)


def compare_loaded(request: Request, environments: Sequence[Environment]) -> Comparison:
    """Compare loaded environments with the request's options; adds comparison-level notes."""
    return compare_environments(environments, request.options)


def compare_environments(environments: Sequence[Environment], options: CompareOptions) -> Comparison:
    """Compare loaded environments (the first is the baseline), with the notes both front ends
    show: expected differences that match nothing, and files whose line endings differ."""
    comparison = compare(environments[0], *environments[1:], options=options)
    comparison.warnings.extend(_unmatched(options, comparison))
    comparison.warnings.extend(line_ending_notes(comparison.environments))
    comparison.warnings.extend(nothing_in_common(comparison.environments))
    return comparison


def nothing_in_common(environments: Sequence[Environment]) -> list[Diagnostic]:
    """A warning when the environments hold no part of the tree in common (a compose project
    against a Kubernetes manifest read as YAML): what each holds is shown, nothing is counted,
    and "no drift" would say nothing."""
    parts = [set(env.tree) for env in environments]
    if not all(parts) or set.intersection(*parts):
        return []
    held = "; ".join(f"{env.name}: {', '.join('/' + p for p in sorted(env.tree))}" for env in environments)
    return [Diagnostic(f"these environments have nothing in common to compare ({held}), "
                       "so nothing was compared")]


def line_ending_notes(environments: Sequence[Environment]) -> list[Diagnostic]:
    """``line endings differ`` for each file name read with CRLF endings in some environments
    and LF in others: their values compare equal, and the note says why the files are not."""
    crlf = [{PurePath(str(d.file)).name for d in env.diagnostics if d.message == CRLF_NOTE} for env in environments]
    read = [{PurePath(s).name for s in env.sources} for env in environments]
    notes = []
    for name in sorted(set().union(*read)):
        styles = {"CRLF" if name in c else "LF" for c, r in zip(crlf, read, strict=True) if name in r}
        if len(styles) > 1:
            which = ", ".join(
                f"{env.name}: {'CRLF' if name in c else 'LF'}"
                for env, c, r in zip(environments, crlf, read, strict=True) if name in r
            )
            notes.append(Diagnostic(f"line endings differ in {name} ({which}); the values compare equal",
                                    name, level=Level.NOTE))
    return notes


def _unmatched(options: CompareOptions, comparison: Comparison) -> list[Diagnostic]:
    paths = [d.path for d in (*comparison.drifts, *comparison.context)]
    return projects.unmatched_expectations(options, paths, comparison.names)


def run(request: Request, progress: Progress | None = None) -> Comparison:
    """Load every environment of ``request`` and compare them against the first."""
    environments = load_all(request, progress)
    if progress:
        progress("comparing")
    return compare_loaded(request, environments)
