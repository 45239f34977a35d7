"""From a spec to an Environment: which source reads which file.

A spec is one of:

* a file (``docker-compose.yml``, ``Dockerfile#production``, ``prod.tfvars``, ``.env.prod``);
* a file with its kind forced: ``KIND:PATH`` (``dotenv:.envs/.production/.django``,
  ``yaml:deploy/values.yaml``); the kinds are the names in :data:`FILE_KINDS`;
* several files joined with ``+`` (``compose.yml+compose.prod.yml``): compose files merge in
  order like ``docker compose -f a -f b``; files of other kinds add their own subtrees;
* a folder, whose content is discovered (:mod:`parity_gui.sources.folder`);
* ``docker://[CONTEXT[/PROJECT]]``, a live Docker engine.

Which kind reads a file (:func:`choose_kind`), first rule that answers:

1. the ``KIND:`` prefix (or ``kind = "…"`` for the file in ``.parity.toml``);
2. its name, by the first kind in :data:`FILE_KINDS` whose patterns match; a kind that other
   kinds refine by content (``yaml``: compose, Kubernetes) then asks their content checks
   (except for the names it settles itself: Helm's ``values*.yaml`` is always YAML), and
   a file named like a compose file whose top-level keys are none of compose's is read by
   content instead, with a note saying so;
3. a file a compose file of the same spec names in ``env_file`` is a ``.env`` file
   (:mod:`parity_gui.sources.env_files`);
4. its content, by the content checks in table order (:mod:`parity_gui.sources.sniff`).

A file nothing claims is refused with the list of kinds and the prefix to force one. Each kind
is one row of :data:`FILE_KINDS`: its name, its loader (``module:function``), its name
patterns, its content check, the kind it refines, and what makes a file its name claims not
one of its own; a kind whose module is not importable is not offered.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatch
from functools import partial
from pathlib import Path
from typing import Any

from parity_gui.core.secrets import secrets_in
from parity_gui.core.tree import Diagnostic, Environment, Level, combine
from parity_gui.errors import ParityError, SourceError
from parity_gui.sources.isolation import CancelCheck, run_isolated
from parity_gui.sources.revision import Revision, checkout, label, resolve, split_revision
from parity_gui.sources.sniff import Peek
from parity_gui.sources.text import CRLF_NOTE, check_regular_file, recording_newlines, within_project

#: Reads a group of files of one kind (in the order given) into an Environment.
FileLoader = Callable[[Sequence["SpecFile"], str, str], Environment]
#: Tells from a file's start whether it is of a kind.
ContentCheck = Callable[[Peek], bool]


@dataclass(frozen=True, slots=True)
class SpecFile:
    """One file named in a spec, with its optional ``#fragment`` (a Dockerfile stage) and the
    kind the user forced with ``KIND:``."""

    path: Path
    display: str  #: as the user wrote it (without a ``KIND:`` prefix), for messages
    fragment: str | None = None
    kind: str | None = None
    key: str | None = None  #: where a folder puts a structured file's tree (its relative path)


@dataclass(frozen=True, slots=True)
class FileKind:
    """One kind of file parity reads: one row of :data:`FILE_KINDS`."""

    name: str
    loader: str  #: ``module:function`` implementing :data:`FileLoader`
    patterns: tuple[str, ...] = ()  #: lower-case file-name globs that claim a file
    sniffer: str | None = None  #: ``module:function`` implementing :data:`ContentCheck`
    refines: str | None = None  #: a kind whose files this one claims by content
    summary: str = ""
    settled: tuple[str, ...] = ()  #: names this kind reads without asking the kinds refining it
    #: ``module:function`` telling why a file its name claims is not of this kind (or None)
    rejects: str | None = None

    def settles(self, filename: str) -> bool:
        lower = filename.lower()
        return any(fnmatch(lower, p) for p in self.settled)

    def claims(self, filename: str) -> bool:
        lower = filename.lower()
        return any(fnmatch(lower, p) for p in self.patterns)

    def available(self) -> bool:
        module_name = self.loader.split(":")[0]
        try:
            return importlib.util.find_spec(module_name) is not None
        except ModuleNotFoundError:
            return False

    def recognises(self, peek: Peek) -> bool:
        if self.sniffer is None:
            return False
        check: ContentCheck = _function(self.sniffer)
        return check(peek)

    def rejection(self, peek: Peek) -> str | None:
        """Why the file is not of this kind whatever its name says; None when it may be."""
        if self.rejects is None:
            return None
        reason: str | None = _function(self.rejects)(peek)
        return reason

    def load(self, files: Sequence[SpecFile], name: str, spec: str) -> Environment:
        loader: FileLoader = _function(self.loader)
        return loader(files, name, spec)


def _function(reference: str) -> Any:
    module_name, function = reference.split(":")
    found = getattr(importlib.import_module(module_name), function, None)
    if found is None:
        raise SourceError(f"this build of parity lacks {reference}; the kind it serves cannot be read")
    return found


_SNIFF = "parity_gui.sources.sniff"
_STRUCTURED = "parity_gui.sources.structured.load"

#: Every kind parity reads. Order matters: the first kind whose patterns match a file name reads
#: it, and content checks are asked in this order.
FILE_KINDS: tuple[FileKind, ...] = (
    FileKind("dockerfile", "parity_gui.sources.dockerfile.load:load_dockerfiles",
             ("dockerfile", "dockerfile.*", "*.dockerfile", "containerfile", "containerfile.*"),
             f"{_SNIFF}:dockerfile", summary="Dockerfile, Containerfile"),
    FileKind("terraform", "parity_gui.sources.terraform.load:load_terraform_files",
             ("*.tf", "*.tf.json", "*.tfvars", "*.tfvars.json", "*.hcl"), summary="Terraform, Terragrunt (*.hcl)"),
    FileKind("dotenv", "parity_gui.sources.dotenv.load:load_dotenv_files",
             (".env", ".env.*", "*.env"), f"{_SNIFF}:dotenv", summary=".env files (NAME=value lines)"),
    FileKind("compose", "parity_gui.sources.compose.load:load_compose_files",
             ("compose.yml", "compose.yaml", "*compose*.yml", "*compose*.yaml"),
             f"{_SNIFF}:compose", refines="yaml", summary="docker compose files", rejects=f"{_SNIFF}:not_compose"),
    FileKind("kubernetes", "parity_gui.sources.kubernetes.load:load_kubernetes_files",
             ("kustomization.yaml", "kustomization.yml", "kustomization"), f"{_SNIFF}:kubernetes",
             refines="yaml", summary="Kubernetes manifests and kustomizations"),
    FileKind("json", f"{_STRUCTURED}:load_json_files", ("*.json",), f"{_SNIFF}:json",
             summary="JSON"),
    FileKind("toml", f"{_STRUCTURED}:load_toml_files", ("*.toml",), f"{_SNIFF}:toml", summary="TOML"),
    FileKind("ini", f"{_STRUCTURED}:load_ini_files", ("*.ini", "*.cfg"), f"{_SNIFF}:ini", summary="INI"),
    FileKind("properties", f"{_STRUCTURED}:load_properties_files", ("*.properties",),
             summary="Java .properties"),
    FileKind("yaml", f"{_STRUCTURED}:load_yaml_files", ("*.yml", "*.yaml"), f"{_SNIFF}:yaml",
             summary="any other YAML (Helm values, config files)", settled=("values*.yaml", "values*.yml")),
)


@dataclass(frozen=True, slots=True)
class KindChoice:
    """The kind that reads a file, and a note when the choice needs saying."""

    kind: FileKind
    note: str | None = None
    by_content: bool = False  #: told from the content alone (a guess, held to a stricter check)


@functools.cache
def kinds() -> tuple[FileKind, ...]:
    """The kinds this build reads."""
    return tuple(k for k in FILE_KINDS if k.available())


def kind_named(name: str, display: str | None = None) -> FileKind:
    """The kind called ``name``; an unknown name is an error listing the kinds."""
    for kind in kinds():
        if kind.name == name.lower():
            return kind
    raise SourceError(f"unknown kind {name!r}; the kinds are: {kind_list()}", file=display)


def kind_list() -> str:
    return ", ".join(k.name for k in kinds())


def kind_of(path: Path) -> FileKind:
    """The kind that reads ``path`` (by name, then content)."""
    return choose_kind(SpecFile(path, str(path))).kind


def choose_kind(spec_file: SpecFile, env_files: frozenset[Path] = frozenset()) -> KindChoice:
    """The kind that reads ``spec_file`` (see the module docstring for the rules); ``env_files``
    are the files compose files beside it name in ``env_file`` (:func:`env_files_of`)."""
    if spec_file.kind is not None:
        return _forced(spec_file)
    available = kinds()
    if spec_file.path.resolve() in env_files and not any(k.claims(spec_file.path.name) for k in available):
        return KindChoice(kind_named("dotenv"), "read as dotenv: a compose file names it in env_file")
    peek = Peek.of(spec_file.path)
    for kind in available:
        if kind.claims(spec_file.path.name):
            return _by_name(kind, peek, available)
    for kind in available:
        if kind.recognises(peek):
            return KindChoice(kind, f"read as {kind.name}: its name says nothing, its content looks so", True)
    raise SourceError(
        f"cannot tell what kind of file this is; name its kind as KIND:{spec_file.display} "
        f"(kinds: {kind_list()})",
        file=spec_file.display,
    )


def env_files_of(files: Sequence[SpecFile]) -> frozenset[Path]:
    """The ``env_file`` paths the compose files among ``files`` name; looked for (which parses
    the compose files once more) only when a file's name tells no kind."""
    available = kinds()
    if all(f.kind is not None or any(k.claims(f.path.name) for k in available) for f in files):
        return frozenset()
    compose = [(f.path, f.display) for f in files if f.kind == "compose" or (f.kind is None and _named_compose(f.path))]
    if not compose:
        return frozenset()
    from parity_gui.sources.env_files import env_files_named  # reads YAML: only when needed

    return env_files_named(compose)


def _named_compose(path: Path) -> bool:
    first = next((k for k in FILE_KINDS if k.claims(path.name)), None)
    return first is not None and first.name in ("compose", "yaml") and path.is_file()


def _forced(spec_file: SpecFile) -> KindChoice:
    kind = kind_named(spec_file.kind or "", spec_file.display)
    reason = kind.rejection(Peek.of(spec_file.path)) if kind.rejects else None
    if reason:
        raise SourceError(f"not a {kind.name} file: {reason}; name another kind (kinds: {kind_list()})",
                          file=spec_file.display)
    return KindChoice(kind)


def _by_name(kind: FileKind, peek: Peek, available: Sequence[FileKind]) -> KindChoice:
    reason = kind.rejection(peek)
    if reason is not None:
        family = next((k for k in available if k.name == kind.refines), None)
        if family is None:
            raise SourceError(f"not a {kind.name} file: {reason}", file=str(peek.path))
        chosen = _refined(family, peek, available, exclude=kind.name)
        return KindChoice(chosen, f"named like a {kind.name} file, but {reason}: read as {chosen.name}", True)
    if kind.settles(peek.name):
        return KindChoice(kind)
    return KindChoice(_refined(kind, peek, available))


def _refined(kind: FileKind, peek: Peek, available: Sequence[FileKind], exclude: str = "") -> FileKind:
    """``kind``, or the first kind refining it whose content check accepts the file."""
    for refining in available:
        if refining.refines == kind.name and refining.name != exclude and refining.recognises(peek):
            return refining
    return kind


def split_spec(spec: str) -> list[str]:
    """``a.yml+b.yml`` → ``["a.yml", "b.yml"]``; a ``+`` inside an existing path is kept."""
    if Path(spec).exists():
        return [spec]
    parts = [p for p in spec.split("+") if p]
    if not parts:
        raise SourceError(f"empty environment spec {spec!r}")
    return parts


def parse_file(part: str, base: Path) -> SpecFile:
    """One file of a spec: ``[KIND:]PATH[#fragment]`` (a path that exists as written wins)."""
    kind, part = split_kind(part, base)
    fragment = None
    candidate = part
    if "#" in part and not (base / part).exists():
        candidate, fragment = part.rsplit("#", 1)
    path = Path(candidate)
    if not path.is_absolute():
        path = base / path
    return SpecFile(path, part if fragment is None else candidate, fragment or None, kind)


def split_kind(part: str, base: Path) -> tuple[str | None, str]:
    """``dotenv:.envs/.django`` → ``("dotenv", ".envs/.django")``; a file whose own name has a
    colon, a one-letter drive (``C:``) and a URL keep theirs. An unknown kind is an error."""
    prefix, colon, rest = part.partition(":")
    if not colon or len(prefix) < 2 or not rest or rest.startswith("//") or (base / part).exists():
        return None, part
    if not (prefix[0].isalpha() and all(c.isalnum() or c in "_-" for c in prefix)):
        return None, part
    return kind_named(prefix, part).name, rest


def default_name(spec: str) -> str:
    """A short name for an environment when the user gave none."""
    if spec.startswith("docker://"):
        return spec.removeprefix("docker://") or "docker"
    first = split_spec(spec)[-1].rstrip("/")
    prefix, colon, rest = first.partition(":")
    if colon and len(prefix) > 1 and not rest.startswith("//") and not Path(first).exists():
        first = rest
    stem = Path(first.split("#")[0]).name
    return stem or spec


def load(
    spec: str,
    name: str | None = None,
    *,
    base: Path | None = None,
    cancelled: CancelCheck | None = None,
    workspace: str | None = None,
) -> Environment:
    """Load one environment from ``spec``; raises :class:`SourceError` when nothing loads.

    Files are parsed in a worker process under time and memory limits
    (:mod:`parity_gui.sources.isolation`); ``cancelled``, asked about ten times a second, stops
    that worker at once (:class:`~parity_gui.errors.Cancelled`). A live engine is read here,
    under its own deadlines. ``workspace`` is ``terraform.workspace`` for Terraform files.
    """
    base = base or Path.cwd()
    at_revision = _revision_of(spec, base)
    if at_revision is not None:
        plain, revision = at_revision
        return load_at_revision(plain, revision, name, base=base, cancelled=cancelled, workspace=workspace)
    name = name or default_name(spec)
    if spec.startswith("docker://"):
        module = importlib.import_module("parity_gui.sources.docker.engine")
        env: Environment = module.load_docker(spec, name)
        return env
    _check_named_files(spec, base)
    return run_isolated(load_in_worker, spec, name, base, workspace, cancelled=cancelled)


def _revision_of(spec: str, base: Path) -> tuple[str, str] | None:
    """``(spec, revision)`` for ``SPEC@REV``, unless the whole spec names a file that exists
    (a path may hold an ``@``)."""
    plain, revision = split_revision(spec)
    if (base / spec.split("#", 1)[0]).exists():
        return None
    if revision is None and spec.endswith("@") and not spec.startswith("docker://"):
        raise SourceError(f"no revision after '@'; write SPEC@REV, as in {spec}main", file=spec)
    if revision is None:
        return None
    return plain, revision


def load_at_revision(
    spec: str,
    revision_name: str,
    name: str | None = None,
    *,
    base: Path,
    cancelled: CancelCheck | None = None,
    workspace: str | None = None,
) -> Environment:
    """``spec`` as it was at the git revision ``revision_name`` (see :mod:`.revision`); its
    origins, sources and messages name files as ``path@REV``."""
    revision, parts = _revision_and_parts(spec, revision_name, base)
    folder = checkout(revision)
    inner = _inside_checkout(base, revision, folder) if base.resolve().is_relative_to(revision.root.resolve()) \
        else folder
    relabel = partial(label, checked_out=folder, shown_from=base.resolve(), revision=revision)
    moved = "+".join(_part_in_checkout(part, revision, folder) for part in parts)
    _refuse_links_out(moved, inner, folder, relabel)
    try:
        env = load(moved, name or f"{default_name(spec)}@{revision_name}", base=inner, cancelled=cancelled,
                   workspace=workspace)
    except ParityError as e:
        if e.file is not None:
            e.file = relabel(e.file)
        e.message = e.message.replace(f"{folder}/", "").replace(str(folder), f"{revision.root}@{revision_name}")
        raise
    return _relabelled(env, relabel, folder, f"{spec}@{revision_name}")


def _revision_and_parts(spec: str, revision_name: str, base: Path) -> tuple[Revision, list[str]]:
    """The revision of the repository the working folder ``base`` is in, with the spec's parts;
    when ``base`` is in none, that of the repository the first named path is in (``parity show
    shop/compose.yml@main`` from the folder above a checkout), the parts then made absolute."""
    parts = split_spec(spec)
    try:
        return resolve(revision_name, base), parts
    except SourceError as outside:
        named = parse_file(parts[0], base).path if parts else base
        anchor = next((p for p in (named, *named.parents) if p.is_dir()), base)
        if anchor.resolve() == base.resolve():
            raise
        try:
            revision = resolve(revision_name, anchor)
        except SourceError:
            raise outside from None
    return revision, [_absolute(part, base) for part in parts]


def _absolute(part: str, base: Path) -> str:
    named = parse_file(part, base)
    prefix = f"{named.kind}:" if named.kind else ""
    fragment = f"#{named.fragment}" if named.fragment else ""
    return f"{prefix}{named.path}{fragment}"


def _inside_checkout(base: Path, revision: Revision, folder: Path) -> Path:
    try:
        return folder / base.resolve().relative_to(revision.root.resolve())
    except ValueError:
        raise SourceError(f"{base} is not inside the repository at {revision.root}") from None


def _part_in_checkout(part: str, revision: Revision, folder: Path) -> str:
    """A spec part as a path in the checkout: absolute paths into the repository are moved there."""
    prefix, colon, rest = part.partition(":") if ":" in part and not Path(part).is_absolute() else ("", "", part)
    path = Path(rest)
    if path.is_absolute():
        try:
            # the folder resolved, not the file: a link in the work tree says nothing of the revision
            rest = str(folder / (path.parent.resolve() / path.name).relative_to(revision.root.resolve()))
        except ValueError:
            raise SourceError(f"{rest} is not inside the repository at {revision.root}") from None
    return f"{prefix}{colon}{rest}"


def _refuse_links_out(spec: str, base: Path, folder: Path, relabel: Callable[[str], str]) -> None:
    """Refuse a named file that is a link in the revision leading out of it (``/etc/shadow``):
    a work tree's link is the user's own, but a revision's tree may be anyone's, so what it
    names is read only from the revision itself."""
    inside = folder.resolve()
    for part in split_spec(spec):
        named = parse_file(part, base)
        if not named.path.resolve().is_relative_to(inside):
            raise SourceError("is a link to a file outside the repository; at a revision parity reads only "
                              "the revision's own files", file=relabel(str(named.path)))


def _relabelled(env: Environment, relabel: Callable[[str], str], folder: Path, spec: str) -> Environment:
    """``env`` with every file it names as it is in the repository at the revision."""
    env.spec = spec
    env.sources = [relabel(s) for s in env.sources]
    env.origins = {
        path: origin._replace(file=relabel(origin.file)) if origin.file else origin
        for path, origin in env.origins.items()
    }
    env.diagnostics = [
        replace(d, file=relabel(d.file) if d.file else d.file, message=d.message.replace(f"{folder}/", ""))
        for d in env.diagnostics
    ]
    return env


def load_in_worker(spec: str, name: str, base: Path, workspace: str | None = None) -> Environment:
    """:func:`load_local` with its secret values found, as a worker process runs it (it comes
    back in parts: :mod:`parity_gui.sources.parts`)."""
    from parity_gui.sources.terraform.load import WORKSPACE

    token = WORKSPACE.set(workspace)
    try:
        env = load_local(spec, name, base)
    finally:
        WORKSPACE.reset(token)
    if env.secrets is None:  # a source that remembers its loads knows them already
        env.secrets = secrets_in(env.tree)  # here, in the worker, not on the caller's time
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
    """Group files by kind (keeping their order) and combine what each kind loads; a note
    names each file whose kind was not plain from its name."""
    groups: dict[str, list[SpecFile]] = {}
    chosen: dict[str, FileKind] = {}
    notes: list[Diagnostic] = []
    guessed: set[str] = set()
    env_files = env_files_of(files)
    for f in files:
        choice = choose_kind(f, env_files)
        groups.setdefault(choice.kind.name, []).append(f)
        chosen[choice.kind.name] = choice.kind
        if choice.note:
            notes.append(Diagnostic(choice.note, file=f.display, level=Level.NOTE))
        if choice.by_content or f.kind:
            guessed.add(f.display)
    parts = [_read_by(chosen[k], group, name, spec, guessed) for k, group in groups.items()]
    env = combine(parts, name, spec)
    env.diagnostics[:0] = notes
    return env


def _read_by(kind: FileKind, files: Sequence[SpecFile], name: str, spec: str, guessed: set[str]) -> Environment:
    """``files`` loaded by ``kind``, refused where the kind skipped content and read nothing of
    it, or, for a file whose kind was forced or told by content (``guessed``), skipped as much
    as it read: a comparison never says "no drift" about what it did not read."""
    env = kind.load(files, name, spec)
    read = Counter(origin.file for origin in env.origins.values())
    for spec_file in files:
        shown = spec_file.display
        skipped = [d for d in env.diagnostics if d.file == shown and d.level is not Level.NOTE]
        if shown not in env.sources and not skipped:
            raise SourceError(f"read as {kind.name}, but {kind.name} does not read a file of this name; "
                              f"name the right kind as KIND:{shown} (kinds: {kind_list()})", file=shown)
        if not skipped or shown not in env.sources:
            continue
        if not read[shown] or (shown in guessed and len(skipped) >= read[shown]):
            what = f"nothing in it is something {kind.name} reads" if not read[shown] else (
                f"{kind.name} skipped {len(skipped)} parts of it and read only {read[shown]} values")
            raise SourceError(
                f"read as {kind.name}, but {what} ({skipped[0].message}); name the right kind as "
                f"KIND:{shown} (kinds: {kind_list()})",
                file=shown, line=skipped[0].line,
            )
    return env


def load_folder(folder: Path, display: str, name: str, spec: str) -> Environment:
    """Load what a folder holds; the folder module decides what that is (a folder with a
    ``kustomization.yaml`` is rendered by kustomize as one Kubernetes environment)."""
    if importlib.util.find_spec("parity_gui.sources.kubernetes") is not None:
        kubernetes = importlib.import_module("parity_gui.sources.kubernetes.load")
        if kubernetes.is_kustomization_folder(folder):
            found: Environment = kubernetes.load_kustomization(folder, display, name, spec)
            return found
    try:
        module = importlib.import_module("parity_gui.sources.folder")
    except ImportError:
        module = importlib.import_module("parity_gui.sources.compose.load")
    env: Environment = module.load_folder(folder, display, name, spec)
    return env
