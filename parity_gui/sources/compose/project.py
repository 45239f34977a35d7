"""The files of one compose project as they are read: each opened once, its top level checked,
and turned into canonical items (project name, services, networks, volumes, secrets, configs).

``include:`` is followed as docker compose follows it: each included file (or list of files,
merged) is read as a project of its own, its relative paths starting from its own folder and
shown rebased onto the including project's folder. Its variables are the including project's,
completed (never overridden) by its own ``.env`` or the ``env_file`` the include names — and
never parity's own environment. What it defines comes first; a service the including file
defines too is reported, and the including file's definition wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePath

from parity_gui.core.origin import Origin
from parity_gui.core.tree import Level
from parity_gui.errors import LimitExceeded
from parity_gui.sources.compose.extends import ServicesOf, read_service
from parity_gui.sources.compose.merge import Item, Merge, merge_children
from parity_gui.sources.compose.reading import LoadLog, Reading, beside, is_null
from parity_gui.sources.dotenv.load import parse_dotenv
from parity_gui.sources.text import not_a_file, outside_project, read_text
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, load_yaml

RESOURCES = ("networks", "volumes", "secrets", "configs")

#: A compose file may define at most this many services (real ones define tens).
MAX_SERVICES = 10_000
#: Includes nested deeper than this (or including each other) are refused.
MAX_INCLUDE_DEPTH = 16
#: One include as read: its files, its env files (resolved) and the variables it starts from.
IncludeKey = tuple[tuple[Path, ...], tuple[Path, ...], frozenset[tuple[str, str | None]]]


def dotenv_variables(path: Path, shown: str, log: LoadLog) -> dict[str, Item]:
    """The variables of a ``.env`` file (none when it is absent), each with the line that sets
    it, recorded as a source. A required variable left unset (``${X:?}``) is an error, as in
    compose."""
    problem = not_a_file(path)
    if problem == "not found":
        return {}
    if problem:  # a FIFO or a device would block or never end: said, not read
        log.add(f"{problem}; not read", Origin(shown), Level.ERROR)
        return {}
    outside = outside_project(path)
    if outside is not None:
        log.add(f"not read: {outside}", Origin(shown), Level.WARNING)
        return {}
    parsed = parse_dotenv(read_text(path, shown), strict=True)
    log.read(shown)
    log.diagnostics.extend(parsed.diagnostics)
    return {
        entry.name: Item(entry.value, Origin(shown, entry.line, entry.column), entry.raw)
        for entry in parsed.entries
    }


class Project:
    """The files of one compose project being read: opened once each, sharing variables.

    ``root`` is the project folder, where the relative paths of its files start (an override in
    another folder included, as compose resolves them); ``shown_root`` is how it is shown.
    """

    def __init__(
        self, folder: Path, defined: Mapping[str, Item], log: LoadLog, depth: int = 0,
        included: dict[IncludeKey, dict[str, Item]] | None = None, *,
        root: Path | None = None, shown_root: PurePath | None = None,
    ) -> None:
        self.folder = folder  #: where the project's relative paths are shown from
        self.defined = defined
        self.variables = {name: item.value for name, item in defined.items()}
        self.log = log
        self.depth = depth
        self.root = root if root is not None else folder
        self.shown_root = shown_root
        self._opened: dict[tuple[Path, Path], ServicesOf] = {}
        #: What each include read, shared by the whole load: a file included from several
        #: places (with the same variables) is read once, so a fan-out of includes stays linear.
        self._included_once = {} if included is None else included

    def open_top(self, path: Path, display: str) -> ServicesOf:
        """A file of the project itself (``-f``): its relative paths start at the project folder."""
        return self._once(path, display, self.root)

    def open(self, path: Path, display: str) -> ServicesOf:
        """A file named by ``extends``: its relative paths start at its own folder."""
        return self._once(path, display, path.parent)

    def _once(self, path: Path, display: str, folder: Path) -> ServicesOf:
        key = (path.resolve(), folder)
        if key not in self._opened:
            self._opened[key] = self._open(path, display, folder)
        return self._opened[key]

    def _open(self, path: Path, display: str, folder: Path) -> ServicesOf:
        text = read_text(path, display)
        self.log.read(display)
        shown = self.shown_root if folder == self.root else None
        reading = Reading(display, path, folder, self.folder, self.variables, self.log, shown,
                          self.defined)
        root = load_yaml(text)
        if root is None:
            self.log.add("the compose file is empty", Origin(display))
            return ServicesOf(reading, None)
        top = reading.mapping(root, "a compose file's top level")
        services = top.get("services")
        has_resets = "!reset" in text.content
        if is_null(services):
            return ServicesOf(reading, None, has_resets, top)
        assert services is not None
        mapping = reading.mapping(services, "services")
        if len(mapping) > MAX_SERVICES:
            raise LimitExceeded(f"defines {len(mapping):,} services, over the limit of {MAX_SERVICES:,} for one file",
                                file=display, line=services.line)
        return ServicesOf(reading, mapping, has_resets, top)

    def read(self, opened: ServicesOf) -> dict[str, Item]:
        """One file's canonical items: project name, services, networks, volumes…"""
        r = opened.reading
        top = opened.top
        if top is None:
            return {}
        items: dict[str, Item] = {}
        included: dict[str, Item] = {}
        for key, node in top.items():
            if key == "services" and opened.services is not None:
                items[key] = self._services(r, top, opened.services)
            elif key in RESOURCES:
                items[key] = _resources(r, top, key)
            elif key == "name":
                project = items["project"] = Item({}, r.key_at(top, key), None, Merge.MERGE)
                project.value["name"] = r.leaf(node, r.text(node, "name"))
            elif key == "include":
                included = merge_children(included, self._included(r, node))
            else:
                _other_top_level(r, top, key)
        if included:
            _report_conflicts(r, included, items)
        return merge_children(included, items) if included else items

    def _services(self, r: Reading, top: YMap, services: YMap) -> Item:
        item = Item({}, r.key_at(top, "services"), None, Merge.MERGE)
        for name in services:
            if not name.startswith("x-"):
                item.value[name] = read_service(r, services, name, self.open)
        return item

    # --- include ------------------------------------------------------------------------------

    def _included(self, r: Reading, node: YNode) -> dict[str, Item]:
        if self.depth >= MAX_INCLUDE_DEPTH:
            r.fail(f"include nests deeper than {MAX_INCLUDE_DEPTH} files (do files include each other?)",
                   node)
        items: dict[str, Item] = {}
        for entry in r.entries(node, "include"):
            files, env_files = _include_entry(r, entry)
            items = merge_children(items, self._read_included(r, entry, files, env_files))
        return items

    def _read_included(
        self, r: Reading, entry: YNode, files: list[str], env_files: list[str]
    ) -> dict[str, Item]:
        paths = [_existing(r, entry, written) for written in files]
        dotenvs = [r.file_path(written) for written in env_files]
        key = (tuple(p.resolve() for p, _ in paths), tuple(p.resolve() for p, _ in dotenvs),
               frozenset(self.variables.items()))
        if key not in self._included_once:
            self._included_once[key] = self._read_files(paths, dotenvs)
        return self._included_once[key]

    def _read_files(self, paths: list[tuple[Path, str]], dotenvs: list[tuple[Path, str]]) -> dict[str, Item]:
        first, first_shown = paths[0]
        defined = dict(self.defined)
        for path, shown in dotenvs or [(first.parent / ".env", beside(first_shown, ".env"))]:
            for name, value in dotenv_variables(path, shown, self.log).items():
                defined.setdefault(name, value)
        project = Project(self.folder, defined, self.log, self.depth + 1, self._included_once,
                          root=first.parent, shown_root=PurePath(first_shown).parent)
        items: dict[str, Item] = {}
        for path, shown in paths:
            opened = project.open_top(path, shown)
            items = merge_children(items, project.read(opened), clean=not opened.has_resets)
        return items


def _include_entry(r: Reading, entry: YNode) -> tuple[list[str], list[str]]:
    """The files of one ``include`` entry and the ``env_file`` it names, as written."""
    if isinstance(entry, Scalar):
        return [r.text(entry, "include")], []
    spec = r.mapping(entry, "an include entry")
    if is_null(spec.get("path")):
        r.fail("an include entry needs a 'path'", entry)
    files = [r.text(n, "include.path") for n in r.entries(spec["path"], "include.path")]
    env_files = [r.text(n, "include.env_file") for n in r.entries(spec.get("env_file"), "include.env_file")]
    return files, env_files


def _existing(r: Reading, entry: YNode, written: str) -> tuple[Path, str]:
    path, shown = r.file_path(written)
    problem = not_a_file(path)
    if problem:
        r.fail(f"include: file {written} {problem} ({shown})", entry)
    return path, shown


def _report_conflicts(r: Reading, included: dict[str, Item], own: dict[str, Item]) -> None:
    for key in ("services", *RESOURCES):
        theirs, ours = included.get(key), own.get(key)
        if theirs is None or ours is None:
            continue
        for name in theirs.value.keys() & ours.value.keys():
            r.log.add(f"{key} {name!r} is defined here and in an included file; this one is used",
                      ours.value[name].origin, Level.WARNING)


def _resources(r: Reading, top: YMap, key: str) -> Item:
    """Top-level networks, volumes, secrets or configs: name → settings (``null`` is ``{}``)."""
    item = Item({}, r.key_at(top, key), None, Merge.MERGE)
    if is_null(top[key]):
        return item
    mapping = r.mapping(top[key], key)
    for name, node in mapping.items():
        origin = r.key_at(mapping, name)
        if is_null(node):
            item.value[name] = Item({}, origin, None, Merge.MERGE)
        else:
            item.value[name] = r.generic(node, f"{key}.{name}", origin)
    return item


def _other_top_level(r: Reading, top: YMap, key: str) -> None:
    origin = r.key_at(top, key)
    if key.startswith("x-"):
        return
    if key == "version":
        r.log.add("the top-level 'version' is obsolete and ignored by docker compose", origin)
    else:
        r.log.add(f"unknown top-level key {key!r} (not a compose setting)", origin)
