"""The project file ``.parity.toml``: a repository's environments, baseline and expected drift.

::

    baseline = "prod"                      # optional; `parity compare dev` compares dev with it
    ignore = ["/services/*/labels/**"]     # optional; paths left out of every comparison

    [environments.dev]
    files = ["compose.yaml", "compose.override.yaml", ".env", "infra/dev.tfvars", "Dockerfile#dev"]
    description = "what developers run"    # optional

    [environments.prod]
    files = ["compose.yaml", "compose.prod.yaml", ".env.production", "infra/prod.tfvars",
             "Dockerfile#production"]

    [[expected]]                           # a difference that is there by design
    path = "/services/*/deploy/replicas"   # JSON-Pointer glob: * one segment, ** any number
    reason = "prod scales out"             # required: shown beside the greyed drift
    environments = ["dev", "prod"]         # optional: only when these take part

    [[pair]]                               # one service under different names
    services = ["web", "shop-web"]         # compared as the first: compose `web`, Deployment `shop-web`

    [[severity]]                           # rate drift under a path, whatever the rules say
    path = "/variables/LOG_LEVEL"
    level = "low"                          # critical, high, medium, low or info
    reason = "log verbosity differs on purpose"   # optional

``files`` are specs as the command line takes them, relative to the folder of the project file:
files, ``Dockerfile#stage``, ``KIND:PATH``, a folder, or ``docker://context/project``. A file
whose kind its name does not tell can also be written as a table naming it::

    files = ["compose.yaml", { path = ".envs/.production/.django", kind = "dotenv" }]

Unknown keys are errors (a misspelt ``[[expectd]]`` would otherwise silently expect nothing).
``tomllib`` reports the line of a syntax error but keeps no positions for values, so the line
of an invalid value is found by scanning the text: the table header that holds it
(``[environments.dev]``, the n-th ``[[expected]]``), then the ``key =`` line inside that table;
a value written as an inline table or a dotted key is reported at the nearest line that names
its key, or at its table's header.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parity_gui.app.project_init import create_project_file, init_project
from parity_gui.core.drift import Severity
from parity_gui.core.options import CompareOptions, ExpectedDifference, Rename, ServicePair, SeverityOverride
from parity_gui.core.pointer import Path as TreePath
from parity_gui.core.pointer import PathGlob, from_pointer
from parity_gui.core.tree import Diagnostic, Environment, Level, combine
from parity_gui.errors import Cancelled, ParityError, ProjectFileError, SourceError
from parity_gui.sources import registry
from parity_gui.sources.dockerfile.targets import build_targets
from parity_gui.sources.isolation import CancelCheck
from parity_gui.sources.revision import checkout, resolve, split_revision
from parity_gui.sources.text import read_text

__all__ = [
    "EnvironmentDefinition",
    "Project",
    "Selection",
    "create_project_file",
    "find_project",
    "init_project",
    "load_environment",
    "parse_project",
    "read_project",
    "unmatched_expectations",
]

FILE_NAME = ".parity.toml"
_TOP_KEYS = ("baseline", "environments", "expected", "severity", "ignore", "rename", "pair")
_ENVIRONMENT_KEYS = ("files", "description", "aliases", "workspace")
_EXPECTED_KEYS = ("path", "reason", "environments")
_SEVERITY_KEYS = ("path", "level", "reason")
_PAIR_KEYS = ("services",)
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

Where = tuple[str | int, ...]


@dataclass(frozen=True)
class EnvironmentDefinition:
    """One named environment of the project: the specs that make it, as written."""

    name: str
    files: tuple[str, ...]
    description: str = ""
    line: int | None = None
    #: Other names the environment goes by inside keys (``d`` in ``rn-d-app``).
    aliases: tuple[str, ...] = ()
    workspace: str | None = None  #: ``terraform.workspace`` while its Terraform files are read

    @property
    def spec(self) -> str:
        """The files as one command-line spec (``compose.yaml+.env``)."""
        return "+".join(self.files)


@dataclass(frozen=True)
class Selection:
    """The environments a comparison takes, in order, and which of them is the baseline."""

    names: tuple[str, ...]
    baseline: str


@dataclass(frozen=True)
class Project:
    """A read ``.parity.toml``: where it is, its environments, baseline and compare options."""

    path: Path
    display: str
    environments: Mapping[str, EnvironmentDefinition]
    baseline: str | None
    options: CompareOptions

    @property
    def root(self) -> Path:
        """The folder that ``files`` are relative to."""
        return self.path.parent

    def environment(self, name: str) -> EnvironmentDefinition:
        """The environment called ``name`` (``prod``, or ``prod@main``: prod at a revision)."""
        plain = self.named(name)
        if plain is None:
            known = ", ".join(self.environments) or "none"
            raise ProjectFileError(f"no environment named {name!r} (environments: {known})", file=self.display)
        return self.environments[plain]

    def named(self, argument: str) -> str | None:
        """The environment ``argument`` names, with or without ``@REV``; None when it names none."""
        if argument in self.environments:
            return argument
        plain, revision = split_revision(argument)
        return plain if revision is not None and plain in self.environments else None

    def select(self, names: Sequence[str]) -> Selection:
        """The comparison ``parity compare NAME…`` asks for.

        No name: the baseline against every other environment. One name: the baseline against
        it. Several: those, in order; the baseline is the project's when it is among them, else
        the first named. The baseline always comes first in :attr:`Selection.names`.
        """
        for name in names:
            self.environment(name)
        if len(names) >= 2:
            baseline = self.baseline if self.baseline is not None and self.baseline in names else names[0]
            return Selection((baseline, *(n for n in names if n != baseline)), baseline)
        if self.baseline is None:
            raise ProjectFileError("name two environments, or set `baseline` in the project file", file=self.display)
        others = [n for n in (names or self.environments) if n != self.baseline]
        if not others:
            raise ProjectFileError("there is no environment to compare with the baseline", file=self.display)
        return Selection((self.baseline, *others), self.baseline)


def find_project(start: Path) -> Path | None:
    """The ``.parity.toml`` in ``start`` or the nearest folder above it, not looking past the
    root of the repository (the first folder holding ``.git``)."""
    folder = start.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / FILE_NAME).is_file():
            return candidate / FILE_NAME
        if (candidate / ".git").exists():
            return None
    return None


def read_project(path: Path, display: str | None = None) -> Project:
    """Read and validate a project file; raise :class:`ProjectFileError` naming the line."""
    shown = display or str(path)
    return parse_project(read_text(path, shown).content, path, shown)


def parse_project(text: str, path: Path, display: str | None = None) -> Project:
    """Validate project-file text (``path`` places its relative files)."""
    shown = display or str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise _syntax_error(e, shown, text) from e
    return _Validator(text, shown).project(data, path)


def _syntax_error(error: tomllib.TOMLDecodeError, display: str, text: str) -> ProjectFileError:
    message = str(error)
    if message.endswith("(at end of document)"):
        last = max(1, len(text.splitlines()))
        reason = message.removesuffix("(at end of document)").strip()
        return ProjectFileError(f"invalid TOML: {reason} at the end of the file", file=display, line=last)
    match = _TOML_POSITION.search(message)
    if match is None:
        return ProjectFileError(f"invalid TOML: {message}", file=display)
    text = message[: match.start()]
    return ProjectFileError(f"invalid TOML: {text}", file=display, line=int(match[1]), column=int(match[2]))


class _Validator:
    """Checks the parsed data key by key, raising at the first problem with its line."""

    def __init__(self, text: str, display: str) -> None:
        self.lines = TomlLines(text)
        self.display = display

    def fail(self, message: str, where: Where, key: str | None = None) -> ProjectFileError:
        return ProjectFileError(message, file=self.display, line=self.lines.line_of(where, key))

    def project(self, data: dict[str, Any], path: Path) -> Project:
        self.only(data, _TOP_KEYS, ())
        environments = self.environments(data.get("environments", {}))
        baseline = self.baseline(data.get("baseline"), environments)
        expected = tuple(self.expected(data.get("expected", []), environments))
        overrides = tuple(self.overrides(data.get("severity", [])))
        ignore = tuple(self.globs(data.get("ignore", []), (), "ignore"))
        renames = tuple(self.renames(data.get("rename", []), environments))
        aliases = tuple((name, e.aliases) for name, e in environments.items() if e.aliases)
        pairs = tuple(self.pairs(data.get("pair", [])))
        options = CompareOptions(
            expected=expected, overrides=overrides, ignore=ignore, aliases=aliases, renames=renames, pairs=pairs
        )
        return Project(path, self.display, environments, baseline, options)

    def only(self, table: Mapping[str, Any], allowed: Sequence[str], where: Where) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail(f"unknown key {key!r} (expected one of: {', '.join(allowed)})", where, key)

    def environments(self, table: Any) -> dict[str, EnvironmentDefinition]:
        if not isinstance(table, dict):
            raise self.fail("`environments` is a table: [environments.NAME]", (), "environments")
        return {name: self.environment(name, body) for name, body in table.items()}

    def environment(self, name: str, body: Any) -> EnvironmentDefinition:
        where: Where = ("environments", name)
        if not _NAME.fullmatch(name):
            raise self.fail(f"environment name {name!r} must be letters, digits, '-', '_' or '.'", where)
        if not isinstance(body, dict):
            raise self.fail(f"environment {name!r} is a table with `files`", where)
        self.only(body, _ENVIRONMENT_KEYS, where)
        files = body.get("files")
        if not isinstance(files, list) or not files:
            raise self.fail(f"environment {name!r} needs `files`: a list of file names or specs", where, "files")
        files = [self.file_spec(name, f, where) for f in files]
        description = body.get("description", "")
        if not isinstance(description, str):
            raise self.fail("`description` is text", where, "description")
        aliases = body.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and _NAME.fullmatch(a) for a in aliases):
            raise self.fail("`aliases` is a list of names (letters, digits, '-', '_', '.')", where, "aliases")
        workspace = body.get("workspace")
        if workspace is not None and not (isinstance(workspace, str) and workspace.strip()):
            raise self.fail("`workspace` is the name of a Terraform workspace", where, "workspace")
        return EnvironmentDefinition(
            name, tuple(files), description, self.lines.line_of(where), tuple(aliases), workspace
        )

    def file_spec(self, name: str, entry: Any, where: Where) -> str:
        """A file of an environment as a spec: text as written, or ``{ path = …, kind = … }``
        as ``KIND:PATH``."""
        if isinstance(entry, str) and entry.strip():
            return entry
        if not isinstance(entry, dict):
            raise self.fail(f"environment {name!r} needs `files`: a list of file names or specs", where, "files")
        self.only(entry, ("path", "kind"), where)
        path, kind = entry.get("path"), entry.get("kind")
        if not isinstance(path, str) or not path.strip():
            raise self.fail(f"a file of environment {name!r} needs `path`", where, "files")
        if kind is None:
            return path
        known = [k.name for k in registry.kinds()]
        if kind not in known:
            raise self.fail(f"unknown kind {kind!r} for {path}; the kinds are: {', '.join(known)}", where, "files")
        return f"{kind}:{path}"

    def baseline(self, value: Any, environments: Mapping[str, EnvironmentDefinition]) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in environments:
            known = ", ".join(environments) or "none is defined"
            raise self.fail(f"baseline {value!r} is not an environment (environments: {known})", (), "baseline")
        return value

    def expected(self, items: Any, environments: Mapping[str, Any]) -> Iterable[ExpectedDifference]:
        for index, item in enumerate(self.array(items, "expected")):
            where: Where = ("expected", index)
            self.only(item, _EXPECTED_KEYS, where)
            glob = self.glob(item.get("path"), where, "path")
            reason = item.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise self.fail(f"expected difference {glob.pattern} needs a `reason`", where, "reason")
            names = self.environment_names(item.get("environments", []), environments, where)
            yield ExpectedDifference(glob, reason.strip(), names, self.source(where, "path"))

    def overrides(self, items: Any) -> Iterable[SeverityOverride]:
        for index, item in enumerate(self.array(items, "severity")):
            where: Where = ("severity", index)
            self.only(item, _SEVERITY_KEYS, where)
            glob = self.glob(item.get("path"), where, "path")
            if "level" not in item:
                raise self.fail(f"severity override {glob.pattern} needs a `level`", where)
            try:
                severity = Severity.parse(str(item["level"]))
            except ValueError as e:
                raise self.fail(str(e), where, "level") from None
            yield SeverityOverride(glob, severity, self.source(where, "path"))

    def renames(self, items: Any, environments: Mapping[str, Any]) -> Iterable[Rename]:
        """``[[rename]]``: ``ENVIRONMENT = "/path"`` for two or more environments, one parent."""
        for index, item in enumerate(self.array(items, "rename")):
            where: Where = ("rename", index)
            paths = []
            for name, pointer in item.items():
                if name not in environments:
                    raise self.fail(f"no environment named {name!r} (a rename maps environment names to paths)",
                                    where, name)
                paths.append((name, from_pointer(self.glob(pointer, where, name).pattern)))
            if len(paths) < 2:
                raise self.fail("a rename names the path in two or more environments", where)
            if len({p[:-1] for _, p in paths}) > 1 or any(not p for _, p in paths):
                raise self.fail("the paths of a rename differ only in their last segment", where, paths[0][0])
            yield Rename(tuple(paths), self.source(where, paths[0][0]))

    def pairs(self, items: Any) -> Iterable[ServicePair]:
        seen: dict[str, int] = {}
        for index, item in enumerate(self.array(items, "pair")):
            where: Where = ("pair", index)
            self.only(item, _PAIR_KEYS, where)
            names = item.get("services")
            if not isinstance(names, list) or len(names) < 2 or not all(isinstance(n, str) and n for n in names) \
                    or len(set(names)) != len(names):
                raise self.fail("`services` lists two or more different service names", where, "services")
            for name in names:
                if name in seen:
                    raise self.fail(f"service {name!r} is already in another [[pair]]", where, "services")
                seen[name] = index
            yield ServicePair(tuple(names), self.source(where, "services"))

    def array(self, items: Any, key: str) -> list[dict[str, Any]]:
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise self.fail(f"`{key}` is a list of tables: [[{key}]]", (), key)
        return items

    def environment_names(self, names: Any, environments: Mapping[str, Any], where: Where) -> tuple[str, ...]:
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise self.fail("`environments` is a list of environment names", where, "environments")
        for name in names:
            if name not in environments:
                raise self.fail(f"no environment named {name!r}", where, "environments")
        return tuple(names)

    def globs(self, patterns: Any, where: Where, key: str) -> Iterable[PathGlob]:
        if not isinstance(patterns, list):
            raise self.fail(f"`{key}` is a list of paths", where, key)
        return [self.glob(p, where, key) for p in patterns]

    def glob(self, pattern: Any, where: Where, key: str) -> PathGlob:
        if not isinstance(pattern, str) or not pattern.startswith("/"):
            raise self.fail(f"`{key}` is a JSON Pointer path starting with '/': {pattern!r}", where, key)
        return PathGlob(pattern)

    def source(self, where: Where, key: str) -> str:
        """``file:line`` of ``key`` in the table ``where``: where a message about it points."""
        return f"{self.display}:{self.lines.line_of(where, key)}"


class TomlLines:
    """Finds the line of a table or key in TOML text (see the module docstring for how)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str) -> None:
        self.text_lines = text.splitlines()
        self.headers: list[tuple[int, tuple[str, ...], bool]] = []
        for number, line in enumerate(self.text_lines, start=1):
            match = self._HEADER.match(line)
            if match:
                self.headers.append((number, _dotted(match[2]), match[1] == "[["))

    def line_of(self, where: Where, key: str | None = None) -> int | None:
        """The line of ``key`` inside the table ``where`` (or of the table itself)."""
        table = self._table_line(where)
        if key is None:
            return table
        found = self._find_key(key, table) or self._header_line((*where, key)) or table
        return found if found is not None else self._anywhere(key)

    def _anywhere(self, key: str) -> int | None:
        """The first header of a table named ``key`` (``[[expectd]]``), else the first line naming it."""
        header = next((n for n, h, _ in self.headers if h[:1] == (key,)), None)
        if header is not None:
            return header
        return next((n for n, line in enumerate(self.text_lines, start=1) if key in line), None)

    def _table_line(self, where: Where) -> int | None:
        if not where:
            return None
        header = self._header_line(where)
        if header is not None:
            return header
        parent = self._table_line(where[:-1])
        return self._find_key(str(where[-1]), parent) or parent

    def _header_line(self, where: Where) -> int | None:
        last = where[-1]
        if isinstance(last, int):
            name = tuple(str(p) for p in where[:-1])
            arrays = [n for n, h, is_array in self.headers if is_array and h == name]
            return arrays[last] if last < len(arrays) else None
        wanted = tuple(str(p) for p in where)
        return next((n for n, h, is_array in self.headers if h == wanted and not is_array), None)

    def _find_key(self, key: str, table: int | None) -> int | None:
        """The first line of the table starting at ``table`` (top level: None) that sets
        ``key``; failing that, the first that names it (an inline table)."""
        quoted = re.escape(key)
        strict = re.compile(rf"""^\s*(?:"{quoted}"|'{quoted}'|{quoted})\s*[=.]""")
        loose = re.compile(rf"(?<![\w-]){quoted}(?![\w-])")
        first = (table or 0) + 1
        last = self._section_end(table or 0)
        for rule in (strict, loose):
            for number in range(first, last + 1):
                if rule.search(self.text_lines[number - 1]):
                    return number
        return None

    def _section_end(self, after: int) -> int:
        later = [n for n, _, _ in self.headers if n > after]
        return later[0] - 1 if later else len(self.text_lines)


def _dotted(name: str) -> tuple[str, ...]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s]+)', name)
    return tuple(next(p for p in groups if p) if any(groups) else "" for groups in parts)


def unmatched_expectations(
    options: CompareOptions, drift_paths: Iterable[TreePath], names: Iterable[str] = ()
) -> list[Diagnostic]:
    """A warning for each expected difference that matches none of ``drift_paths``.

    Only expectations that apply to the compared environments (``names``) are checked; one
    scoped to other environments is not a mistake in this comparison.
    """
    paths = list(dict.fromkeys(drift_paths))
    involved = tuple(names)
    warnings = []
    for expected in options.expected:
        if expected.environments and involved and not set(expected.environments) & set(involved):
            continue
        if not any(expected.glob.matches(p) for p in paths):
            file, line = _split_source(expected.source)
            message = f"expected difference {expected.glob.pattern} matches no drift ({expected.reason})"
            warnings.append(Diagnostic(message, file, line, level=Level.WARNING))
    return warnings


def _split_source(source: str | None) -> tuple[str | None, int | None]:
    if not source:
        return None, None
    file, _, line = source.rpartition(":")
    return (file, int(line)) if line.isdigit() and file else (source, None)


def load_environment(project: Project, name: str, *, cancelled: CancelCheck | None = None) -> Environment:
    """Load the environment ``name`` of ``project`` from its files, relative to the project.

    Files of one kind load together, in the order written (compose files merge in order, var
    files override in order); a folder or a ``docker://`` spec loads on its own; the pieces are
    combined. A piece that fails (a Terraform syntax error) becomes an error diagnostic and the
    rest still loads; the first error is raised only when nothing does.
    """
    plain, revision = split_revision(name) if name not in project.environments else (name, None)
    if revision is not None:
        return _load_at_revision(project, plain, revision, cancelled)
    definition = project.environment(name)
    parts: list[Environment] = []
    failures: list[ParityError] = []
    for group in _spec_groups(definition.files, project.root):
        spec = _with_build_targets(group, parts, project.root)
        try:
            parts.append(
                registry.load(spec, name, base=project.root, cancelled=cancelled, workspace=definition.workspace)
            )
        except Cancelled:
            raise  # the user stopped the whole load, not one piece of it
        except ParityError as e:
            failures.append(e)
    if not parts:
        raise failures[0] if failures else SourceError(f"environment {name!r} names no files", file=project.display)
    env = combine(parts, name, definition.spec)
    env.diagnostics[:0] = [Diagnostic(e.message, e.file, e.line, e.column, Level.ERROR) for e in failures]
    return env


def _load_at_revision(project: Project, name: str, revision_name: str, cancelled: CancelCheck | None) -> Environment:
    """Environment ``name`` as it was at a revision: defined by the project file of that revision
    when it has one naming the environment, else by today's; every file read at the revision."""
    revision = resolve(revision_name, project.root)
    folder = checkout(revision)
    inside = folder / project.root.resolve().relative_to(revision.root.resolve())
    definition = _definition_then(project, name, inside / project.path.name)
    label = f"{name}@{revision_name}"
    parts: list[Environment] = []
    failures: list[ParityError] = []
    for spec in _spec_groups(definition.files, inside):
        try:
            parts.append(registry.load_at_revision(spec, revision_name, label, base=project.root,
                                                   cancelled=cancelled, workspace=definition.workspace))
        except Cancelled:
            raise
        except ParityError as e:
            failures.append(e)
    if not parts:
        raise failures[0] if failures else SourceError(f"environment {label!r} names no files", file=project.display)
    env = combine(parts, label, f"{definition.spec}@{revision_name}")
    env.diagnostics[:0] = [Diagnostic(e.message, e.file, e.line, e.column, Level.ERROR) for e in failures]
    return env


def _definition_then(project: Project, name: str, then: Path) -> EnvironmentDefinition:
    """How the project file at a revision (``then``) defines ``name``; today's definition when
    that file is missing, unreadable or does not name it."""
    try:
        earlier = read_project(then, f"{project.display}@rev")
    except ParityError:
        return project.environment(name)
    return earlier.environments.get(name) or project.environment(name)


def _with_build_targets(spec: str, loaded: Sequence[Environment], root: Path) -> str:
    """``spec`` with each Dockerfile named without a stage that a compose service already loaded
    builds with ``build.target`` read at that stage (``Dockerfile`` → ``Dockerfile#production``),
    as ``docker compose build`` builds it."""
    compose = next((env for env in loaded if env.tree.get("services") and env.sources), None)
    if compose is None or spec.startswith("docker://"):
        return spec
    first = next((s for s in compose.sources if s.endswith((".yml", ".yaml"))), compose.sources[0])
    targets = build_targets(compose, (root / first).parent)
    if not targets:
        return spec
    parts = []
    for part in spec.split("+"):
        found = None if "#" in part else targets.get((root / part).resolve())
        is_dockerfile = found is not None and registry.kind_of(root / part).name == "dockerfile"
        parts.append(f"{part}#{found}" if is_dockerfile else part)
    return "+".join(parts)


def _spec_groups(files: Sequence[str], root: Path) -> list[str]:
    """``files`` as specs to load one by one: one per kind of file, in order of appearance. A
    file that only a compose file's ``env_file`` tells to be a ``.env`` file loads with the
    compose files, where the registry finds that out again."""
    named = registry.env_files_of([_parsed(spec, root) for spec in files if _is_file(spec, root)])
    groups: dict[str, list[str]] = {}
    for spec in files:
        group = _group_of(spec, root, named)
        if group == "dotenv" and _only_named(spec, root, named):
            group = "compose"
        groups.setdefault(group, []).append(spec)
    return ["+".join(specs) for specs in groups.values()]


def _only_named(spec: str, root: Path, named: frozenset[Path]) -> bool:
    """Whether ``spec`` is a ``.env`` file only because a compose file names it in ``env_file``."""
    parsed = _parsed(spec, root)
    return parsed.kind is None and parsed.path.resolve() in named and _group_of(spec, root, frozenset()) != "dotenv"


def _is_file(spec: str, root: Path) -> bool:
    return not spec.startswith("docker://") and not (root / spec).is_dir()


def _parsed(spec: str, root: Path) -> registry.SpecFile:
    try:
        return registry.parse_file(spec, root)
    except SourceError:
        return registry.SpecFile(root / spec, spec)


def _group_of(spec: str, root: Path, env_files: frozenset[Path]) -> str:
    if not _is_file(spec, root):
        return spec
    try:
        return registry.choose_kind(registry.parse_file(spec, root), env_files).kind.name
    except SourceError:
        return spec
