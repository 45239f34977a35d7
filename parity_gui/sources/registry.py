"""From a spec to an Environment: which source reads which file.

A spec is one of:

* a file (``docker-compose.yml``, ``Dockerfile#production``, ``prod.tfvars``, ``.env.prod``);
* several files joined with ``+`` (``compose.yml+compose.prod.yml``): compose files merge in
  order like ``docker compose -f a -f b``; files of other kinds add their own subtrees;
* a folder, whose content is discovered (compose project, Dockerfiles, Terraform, ``.env``);
* ``docker://[CONTEXT[/PROJECT]]``, a live Docker engine.

Each kind of file is read by one module in this package; :data:`FILE_KINDS` maps a file name to
it. A kind whose module is not importable yet is simply not offered.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from parity_gui.core.collector import collector_paused
from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path as TreePath
from parity_gui.core.secrets import secrets_in
from parity_gui.core.tree import Diagnostic, Environment, Level, combine
from parity_gui.errors import SourceError
from parity_gui.sources.isolation import CancelCheck, run_isolated
from parity_gui.sources.text import CRLF_NOTE, check_regular_file, recording_newlines, within_project

#: Reads a group of files of one kind (in the order given) into an Environment.
FileLoader = Callable[[Sequence["SpecFile"], str, str], Environment]


@dataclass(frozen=True, slots=True)
class SpecFile:
    """One file named in a spec, with its optional ``#fragment`` (a Dockerfile stage)."""

    path: Path
    display: str  #: as the user wrote it, for messages
    fragment: str | None = None


@dataclass(frozen=True, slots=True)
class FileKind:
    name: str
    patterns: tuple[str, ...]
    loader: str  #: ``module:function`` implementing :data:`FileLoader`

    def claims(self, filename: str) -> bool:
        lower = filename.lower()
        return any(fnmatch(lower, p) for p in self.patterns)

    def load(self, files: Sequence[SpecFile], name: str, spec: str) -> Environment:
        module_name, function = self.loader.split(":")
        module = importlib.import_module(module_name)
        loader: FileLoader = getattr(module, function)
        return loader(files, name, spec)


#: Order matters: the first kind whose pattern matches a file name reads it.
FILE_KINDS: tuple[FileKind, ...] = (
    FileKind(
        "dockerfile",
        ("dockerfile", "dockerfile.*", "*.dockerfile", "containerfile"),
        "parity_gui.sources.dockerfile.load:load_dockerfiles",
    ),
    FileKind(
        "terraform",
        ("*.tf", "*.tfvars", "*.tfvars.json", "terragrunt.hcl"),
        "parity_gui.sources.terraform.load:load_terraform_files",
    ),
    FileKind(
        "dotenv",
        (".env", ".env.*", "*.env"),
        "parity_gui.sources.dotenv.load:load_dotenv_files",
    ),
    FileKind(
        "compose",
        ("*compose*.yml", "*compose*.yaml", "*.yml", "*.yaml"),
        "parity_gui.sources.compose.load:load_compose_files",
    ),
)


def kind_of(path: Path) -> FileKind:
    for kind in FILE_KINDS:
        if kind.claims(path.name):
            return kind
    known = ", ".join(k.name for k in FILE_KINDS)
    raise SourceError(f"cannot tell what kind of file this is (parity reads: {known})", file=str(path))


def split_spec(spec: str) -> list[str]:
    """``a.yml+b.yml`` → ``["a.yml", "b.yml"]``; a ``+`` inside an existing path is kept."""
    if Path(spec).exists():
        return [spec]
    parts = [p for p in spec.split("+") if p]
    if not parts:
        raise SourceError(f"empty environment spec {spec!r}")
    return parts


def parse_file(part: str, base: Path) -> SpecFile:
    fragment = None
    candidate = part
    if "#" in part and not (base / part).exists():
        candidate, fragment = part.rsplit("#", 1)
    path = Path(candidate)
    if not path.is_absolute():
        path = base / path
    return SpecFile(path, part if fragment is None else candidate, fragment or None)


def default_name(spec: str) -> str:
    """A short name for an environment when the user gave none."""
    if spec.startswith("docker://"):
        return spec.removeprefix("docker://") or "docker"
    first = split_spec(spec)[-1].rstrip("/")
    stem = Path(first.split("#")[0]).name
    return stem or spec


def load(
    spec: str, name: str | None = None, *, base: Path | None = None, cancelled: CancelCheck | None = None
) -> Environment:
    """Load one environment from ``spec``; raises :class:`SourceError` when nothing loads.

    Files are parsed in a worker process under time and memory limits
    (:mod:`parity_gui.sources.isolation`); ``cancelled``, asked about ten times a second, stops
    that worker at once (:class:`~parity_gui.errors.Cancelled`). A live engine is read here,
    under its own deadlines.
    """
    name = name or default_name(spec)
    base = base or Path.cwd()
    if spec.startswith("docker://"):
        module = importlib.import_module("parity_gui.sources.docker.engine")
        env: Environment = module.load_docker(spec, name)
        return env
    _check_named_files(spec, base)
    return unpack(run_isolated(load_packed, spec, name, base, cancelled=cancelled))


#: An Environment as plain tuples and lists, which cross between processes several times faster
#: than its dataclasses would (origins are most of a big environment).
Packed = tuple[Environment, list[TreePath], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def load_packed(spec: str, name: str, base: Path) -> Packed:
    """:func:`load_local`, packed for the trip back from a worker process."""
    env = load_local(spec, name, base)
    env.secrets = secrets_in(env.tree)  # here, in the worker, not on the caller's time
    paths = list(env.origins)
    origins = [tuple(o) for o in env.origins.values()]
    diagnostics = [(d.message, d.file, d.line, d.column, d.level.value) for d in env.diagnostics]
    env.origins, env.diagnostics = {}, []
    return env, paths, origins, diagnostics


def unpack(packed: Packed) -> Environment:
    env, paths, origins, diagnostics = packed
    with collector_paused():  # a burst of long-lived objects: collecting now finds nothing
        env.origins = dict(zip(paths, map(Origin._make, origins), strict=True))
    env.diagnostics = [Diagnostic(m, f, line, c, Level(level)) for m, f, line, c, level in diagnostics]
    return env


def _check_named_files(spec: str, base: Path) -> None:
    """Refuse a named file that is missing, not a regular file, or over the size cap from its
    ``stat`` alone, before a worker is started for it."""
    for part in split_spec(spec):
        named = parse_file(part, base)
        if not named.path.is_dir():
            check_regular_file(named.path, named.display)


def load_local(spec: str, name: str, base: Path) -> Environment:
    """Load the files or folder ``spec`` names, in this process (:func:`load` isolates it).

    A file written with CRLF line endings reads as its LF copy does, and is named in a note
    (:data:`~parity_gui.sources.text.CRLF_NOTE`).
    """
    named = [parse_file(part, base).path for part in split_spec(spec)]
    # a file the user names is read even through a link: its target's folder counts too
    folders = [p for path in named for p in ((path,) if path.is_dir() else (path.parent, path.resolve().parent))]
    with recording_newlines() as newlines, within_project(folders):
        env = _load_files_or_folder(spec, name, base)
    env.diagnostics += [
        Diagnostic(CRLF_NOTE, file=shown, level=Level.NOTE) for shown, newline in newlines.items() if newline == "\r\n"
    ]
    return env


def _load_files_or_folder(spec: str, name: str, base: Path) -> Environment:
    parts = split_spec(spec)
    files = [parse_file(p, base) for p in parts]
    if len(files) == 1 and files[0].path.is_dir():
        return load_folder(files[0].path, files[0].display, name, spec)
    for f in files:
        if f.path.is_dir():
            raise SourceError("a folder cannot be joined with '+'; name the files in it", file=f.display)
    return load_files(files, name, spec)


def load_files(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    """Group files by kind (keeping their order) and combine what each kind loads."""
    groups: dict[str, list[SpecFile]] = {}
    kinds: dict[str, FileKind] = {}
    for f in files:
        kind = kind_of(f.path)
        groups.setdefault(kind.name, []).append(f)
        kinds[kind.name] = kind
    parts = [kinds[k].load(group, name, spec) for k, group in groups.items()]
    return combine(parts, name, spec)


def load_folder(folder: Path, display: str, name: str, spec: str) -> Environment:
    """Load what a folder holds; the folder module decides what that is."""
    try:
        module = importlib.import_module("parity_gui.sources.folder")
    except ImportError:
        module = importlib.import_module("parity_gui.sources.compose.load")
    env: Environment = module.load_folder(folder, display, name, spec)
    return env
