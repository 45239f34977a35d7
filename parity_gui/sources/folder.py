"""A folder as an environment: what a repository checkout holds, found and loaded together.

What is read:

* the compose project at the top of the folder: its compose file and the override file
  ``docker compose`` would use (:func:`~parity_gui.sources.compose.load.compose_files_in`);
* every Dockerfile below it (``Dockerfile``, ``Dockerfile.*``, ``*.dockerfile``,
  ``Containerfile``), all stages, keyed as :mod:`~parity_gui.sources.dockerfile.load` explains;
* one Terraform root module: the ``.tf`` files of the shallowest folder that has any (ties go
  to the first in name order), with the var files Terraform loads by itself
  (``terraform.tfvars``, ``*.auto.tfvars``); ``terragrunt.hcl`` and ``root.hcl`` at the top of
  the folder (other ``*.hcl`` files are listed as skipped);
* the ``.env`` file at the top of the folder;
* structured configuration files anywhere below it (:data:`STRUCTURED_PATTERNS`: ``*.yaml``,
  ``*.yml``, ``*.json``, ``*.toml``, ``*.ini``, ``*.properties``), each under
  ``/files/<its path in the folder>``, read by the kind its content says (a Kubernetes manifest
  by the Kubernetes source when there is one, other YAML as YAML). Left out, with the reason:
  the files of tools rather than of environments (:data:`TOOL_FILES`: ``package.json``,
  lock files, ``tsconfig.json``, ``pyproject.toml``, CI files …), names starting with ``.``,
  templates (``{{ … }}`` or ``{% … %}``: a Helm chart's ``templates/``), compose files the
  compose project does not use (``compose.prod.yaml``: name it in the spec to merge it), and
  any past the first :data:`MAX_STRUCTURED_FILES`.

What is skipped, and listed as a note: hidden folders (``.git``, ``.venv``, ``.terraform``,
``.devcontainer`` …), ``node_modules``, ``__pycache__``, ``vendor``, virtual environments
(any folder with a ``pyvenv.cfg``), other Terraform folders (usually child modules under
``modules/``), named var files (``prod.tfvars``) and other ``.env.*`` files: these describe one
environment each, so loading them all together would mix environments; name the one you mean
in the spec (``infra/main.tf+infra/prod.tfvars+.env.production``) or in ``.parity.toml``.

Links to folders are not followed (the folder the user named is followed even when it is a link),
and each folder is entered once by device and inode, so a walk cannot loop or wander out of the
project; links to regular files inside the folder are read like the files, links to files
outside it (``.env`` → ``/etc/shadow``) are never read. Links to folders, links leaving the
folder, dangling links, named pipes, sockets and devices whose names parity would read are
listed with the reason they were skipped. The walk stops after :data:`MAX_ENTRIES` entries, with a
warning. A file that fails to load (too big, not text, bad syntax) becomes an error diagnostic
and the rest still loads; :class:`~parity_gui.errors.SourceError` is raised only when nothing
could be loaded.
"""

from __future__ import annotations

import os
import stat
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import partial
from pathlib import Path, PurePath

from parity_gui.core.tree import Diagnostic, Environment, Level, combine
from parity_gui.errors import ParityError, SourceError
from parity_gui.sources.compose.load import compose_files_in, load_compose_files
from parity_gui.sources.dockerfile.targets import build_targets
from parity_gui.sources.dotenv.load import load_dotenv_files
from parity_gui.sources.registry import FileKind, SpecFile, choose_kind
from parity_gui.sources.sniff import Peek
from parity_gui.sources.terraform.load import MODULE_SUFFIXES, VAR_FILE_SUFFIXES, load_terraform_files
from parity_gui.sources.text import special_kind

MAX_ENTRIES = 20_000
MAX_DEPTH = 8
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "vendor", "bower_components", "site-packages"})
DOCKERFILE_PATTERNS = ("dockerfile", "dockerfile.*", "*.dockerfile", "containerfile")
_AUTO_VAR_FILES = ("terraform.tfvars", "terraform.tfvars.json", "*.auto.tfvars", "*.auto.tfvars.json")
#: A folder reads at most this many structured files; the rest are listed as skipped.
MAX_STRUCTURED_FILES = 500
#: Names of the structured files a folder reads (unless :data:`TOOL_FILES` names them).
STRUCTURED_PATTERNS = ("*.yaml", "*.yml", "*.json", "*.toml", "*.ini", "*.properties")
#: Files of tools, packages and CI that describe no environment; a folder leaves them out.
TOOL_FILES = (
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "composer.json", "composer.lock",
    "tsconfig*.json", "jsconfig*.json", "*.lock", "*-lock.yaml", "*-lock.json", "*.min.json",
    "pyproject.toml", "cargo.toml", "poetry.toml", "pipfile", "renovate.json", "mkdocs.yml",
    "mkdocs.yaml", "codecov.yml", "lerna.json", "turbo.json", "bower.json", "angular.json",
    "tox.ini", "pytest.ini", "mypy.ini", "ruff.toml", "*.schema.json", "chart.lock",
)

Loader = Callable[[Sequence[SpecFile], str, str], Environment]


@dataclass
class Findings:
    """What a walk through a folder found: files by kind, and what it left out and why."""

    compose: list[Path] = field(default_factory=list)
    dockerfiles: list[Path] = field(default_factory=list)
    terraform: list[Path] = field(default_factory=list)
    terragrunt: list[Path] = field(default_factory=list)
    dotenv: list[Path] = field(default_factory=list)
    structured: list[Path] = field(default_factory=list)
    tf_folders: dict[Path, list[Path]] = field(default_factory=dict)
    var_files: list[Path] = field(default_factory=list)
    other_env_files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    truncated: bool = False


def load_folder(folder: Path, display: str, name: str, spec: str) -> Environment:
    """Everything parity can read in ``folder`` as one environment (see the module docstring)."""
    found = discover(folder)
    notes = _notes(found, folder, display)
    groups: list[tuple[Loader, list[Path], bool]] = [
        (load_compose_files, found.compose, False),
        (_load_dockerfiles, found.dockerfiles, True),
        (load_terraform_files, [*found.terraform, *found.terragrunt], True),
        (load_dotenv_files, found.dotenv, True),
    ]
    parts: list[Environment] = []
    failures: list[ParityError] = []
    for loader, paths, separable in groups:
        if paths:
            files = [SpecFile(p, _display(display, folder, p)) for p in paths]
            read = loader
            if loader is _load_dockerfiles and parts and found.compose:  # a service's build.target picks the stage
                read = partial(_load_dockerfiles, targets=build_targets(parts[0], folder))
            parts += _load_group(read, files, name, spec, failures, separable=separable)
    for kind, files in _structured_groups(found, folder, display, notes).items():
        parts += _load_group(kind.load, files, name, spec, failures, separable=True)
    if not parts:
        if failures:
            raise failures[0]
        raise SourceError(
            "nothing parity reads in this folder (compose files, Dockerfiles, Terraform, .env, "
            "YAML, JSON, TOML, INI, .properties)",
            file=display,
        )
    env = combine(parts, name, spec)
    env.diagnostics[:0] = [*notes, *(_as_error(f) for f in failures)]
    return env


def discover(folder: Path) -> Findings:
    """Walk ``folder`` and sort what it holds (nothing is read yet)."""
    found = Findings(compose=compose_files_in(folder))
    for entries, (path, depth) in enumerate(_walk(folder, found), start=1):
        if entries > MAX_ENTRIES:
            found.truncated = True
            break
        _sort(path, depth, found)
    _choose_terraform(folder, found)
    return found


def _walk(folder: Path, found: Findings) -> Iterator[tuple[Path, int]]:
    """Regular files below ``folder`` in name order, breadth first, entering each folder once."""
    seen: set[tuple[int, int]] = set()
    inside = folder.resolve()
    queue: deque[tuple[Path, int]] = deque([(folder, 0)])
    while queue:
        current, depth = queue.popleft()
        try:
            info = current.stat()
            children = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as e:
            found.skipped.append((current, f"cannot be listed ({e.strerror or e})"))
            continue
        seen.add((info.st_dev, info.st_ino))
        for entry in children:
            path = Path(entry.path)
            kind = _kind(entry, inside)
            if kind == "file":
                yield path, depth
            elif kind == "folder":
                reason = _skip_reason(path, depth, seen)
                if reason:
                    found.skipped.append((path, reason))
                else:
                    queue.append((path, depth + 1))
            else:
                found.skipped.append((path, kind))


def _kind(entry: os.DirEntry[str], inside: Path) -> str:
    """``"file"``, ``"folder"``, or why the entry is not read (links to folders are not entered,
    so a walk cannot loop or leave the folder the user named)."""
    try:
        if entry.is_symlink():
            return _link_kind(Path(entry.path), inside)
        if entry.is_dir(follow_symlinks=False):
            return "folder"
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError as e:
        return f"cannot be inspected ({e.strerror or e})"
    return "file" if stat.S_ISREG(mode) else f"{special_kind(mode)}, not a file"


def _link_kind(path: Path, inside: Path) -> str:
    try:
        mode = path.stat().st_mode
        target = path.resolve()
    except FileNotFoundError:
        return "a link to nothing (dangling)"
    except OSError as e:
        return f"a link that cannot be followed ({e.strerror or e})"
    if stat.S_ISDIR(mode):
        return "a link to a folder: not followed (name it in the spec to read it)"
    if not stat.S_ISREG(mode):
        return f"a link to {special_kind(mode)}, not a file"
    if not target.is_relative_to(inside):
        return "a link to a file outside the folder: not followed (its content is never read)"
    return "file"


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _skip_reason(path: Path, depth: int, seen: set[tuple[int, int]]) -> str:
    if path.name.startswith("."):
        return "hidden folder"
    if path.name in SKIPPED_FOLDERS:
        return "dependencies or caches"
    if _is_file(path / "pyvenv.cfg"):
        return "a Python virtual environment"
    return _visit_reason(path, depth, seen)


def _visit_reason(path: Path, depth: int, seen: set[tuple[int, int]]) -> str:
    try:
        info = path.stat()
    except OSError as e:
        return f"cannot be inspected ({e.strerror or e})"
    if (info.st_dev, info.st_ino) in seen:
        return "a folder already read (mounted twice?)"
    if depth + 1 > MAX_DEPTH:
        return f"deeper than {MAX_DEPTH} levels"
    return ""


def _sort(path: Path, depth: int, found: Findings) -> None:
    lower = path.name.lower()
    if lower.endswith(".dockerignore"):
        return
    if any(fnmatch(lower, p) for p in DOCKERFILE_PATTERNS):
        found.dockerfiles.append(path)
    elif lower.endswith(MODULE_SUFFIXES):
        found.tf_folders.setdefault(path.parent, []).append(path)
    elif lower.endswith(VAR_FILE_SUFFIXES):
        found.var_files.append(path)
    elif depth == 0 and lower in ("terragrunt.hcl", "root.hcl"):
        found.terragrunt.append(path)
    elif lower.endswith(".hcl") and not lower.startswith("."):
        found.skipped.append((path, "a Terragrunt file below the top: name it in the spec to read it"))
    elif depth == 0 and lower == ".env":
        found.dotenv.append(path)
    elif depth == 0 and lower.startswith(".env."):
        found.other_env_files.append(path)
    elif any(fnmatch(lower, p) for p in STRUCTURED_PATTERNS) and path not in found.compose:
        _sort_structured(path, lower, found)


def _sort_structured(path: Path, lower: str, found: Findings) -> None:
    if lower.startswith("."):
        found.skipped.append((path, "a hidden file: name it in the spec to read it"))
    elif any(fnmatch(lower, p) for p in TOOL_FILES):
        found.skipped.append((path, "a tool's own file, not an environment's configuration"))
    elif len(found.structured) >= MAX_STRUCTURED_FILES:
        found.skipped.append((path, f"more than {MAX_STRUCTURED_FILES} configuration files: name the ones you mean"))
    elif _is_template(path):
        found.skipped.append((path, "a template (Helm, Jinja): render it first, then compare the output"))
    else:
        found.structured.append(path)


def _is_template(path: Path) -> bool:
    text = Peek.of(path).text
    return "{{" in text or "{%" in text


def _structured_groups(
    found: Findings, folder: Path, display: str, notes: list[Diagnostic]
) -> dict[FileKind, list[SpecFile]]:
    """The structured files by the kind that reads each; a compose file the project does not
    use is left out with a note."""
    groups: dict[FileKind, list[SpecFile]] = {}
    for path in found.structured:
        spec_file = SpecFile(path, _display(display, folder, path), key=_rel(path, folder))
        kind = choose_kind(spec_file).kind
        if kind.name == "compose":
            notes.append(Diagnostic("skipped: a compose file the compose project does not use "
                                    "(name it in the spec to merge it)", spec_file.display, level=Level.NOTE))
        else:
            groups.setdefault(kind, []).append(spec_file)
    return groups


def _choose_terraform(folder: Path, found: Findings) -> None:
    if found.tf_folders:
        root = min(found.tf_folders, key=lambda p: (len(p.relative_to(folder).parts), p.as_posix()))
        found.terraform = found.tf_folders[root]
        for other in found.tf_folders:
            if other != root:
                found.skipped.append((other, f"another Terraform module (reading {_rel(root, folder)})"))
    for path in found.var_files:
        automatic = path.parent in found.tf_folders and any(fnmatch(path.name.lower(), p) for p in _AUTO_VAR_FILES)
        if not automatic:
            found.skipped.append((path, "a var file for one environment: name it in the spec to use it"))
    for path in found.other_env_files:
        found.skipped.append((path, "an .env file for one environment: name it in the spec to use it"))


def _load_group(
    loader: Loader,
    files: list[SpecFile],
    name: str,
    spec: str,
    failures: list[ParityError],
    *,
    separable: bool,
) -> list[Environment]:
    """Load ``files`` together; when that fails and they can be told apart, drop the bad ones."""
    try:
        return [loader(files, name, spec)]
    except ParityError as e:
        if not separable or len(files) == 1:
            failures.append(e)
            return []
    good: list[SpecFile] = []
    for spec_file in files:
        try:
            loader([spec_file], name, spec)
            good.append(spec_file)
        except ParityError as e:
            failures.append(e)
    return _load_group(loader, good, name, spec, failures, separable=False) if good else []


def _notes(found: Findings, folder: Path, display: str) -> list[Diagnostic]:
    notes = [
        Diagnostic(f"skipped: {reason}", _display(display, folder, path), level=Level.NOTE)
        for path, reason in found.skipped
    ]
    if found.truncated:
        notes.append(Diagnostic(f"stopped looking after {MAX_ENTRIES} entries", display))
    return notes


def _as_error(error: ParityError) -> Diagnostic:
    return Diagnostic(error.message, error.file, error.line, error.column, Level.ERROR)


def _display(display: str, folder: Path, path: Path) -> str:
    """The name shown for ``path`` found in ``folder``; a path elsewhere (an absolute
    ``COMPOSE_FILE`` entry) is shown as it is."""
    if not path.is_relative_to(folder):
        return str(path)
    return str(PurePath(display) / path.relative_to(folder))


def _rel(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix() or "."


def _load_dockerfiles(
    files: Sequence[SpecFile], name: str, spec: str, *, targets: Mapping[Path, str] | None = None
) -> Environment:
    """The Dockerfile source, imported only for a folder that has Dockerfiles: its parser starts
    the Go runtime, which reserves about a gigabyte of address space in the parsing worker.
    ``targets`` are the stages compose services build (``build.target``)."""
    from parity_gui.sources.dockerfile.load import load_dockerfiles

    return load_dockerfiles(files, name, spec, targets=targets)
