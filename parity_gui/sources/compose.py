"""Compose files → an Environment: one file, or several merged like ``docker compose -f a -f b``.

Each file goes through the same steps: read (:func:`~parity_gui.sources.text.read_text`), parse
(:func:`~parity_gui.sources.yamlfile.load_yaml`: YAML 1.2 values as compose reads them, anchors
and merge keys applied), check the top level, interpolate every string value, resolve
``extends``, and read each service into its canonical form (:mod:`compose_normalise`). The files
are then merged in order by the compose specification's rules (:mod:`compose_merge`), defaults
are filled in (:mod:`compose_defaults`) and the result is written as the canonical tree:
``/project/name``, ``/services/<name>/…``, ``/networks/<name>``, ``/volumes/<name>``,
``/secrets/<name>``, ``/configs/<name>``.

Decisions:

* Interpolation looks variables up in the ``.env`` file next to the first compose file, and
  nowhere else: never in the environment of the process running parity. Two environments must
  compare the same on every machine and in CI; a value that depends on who runs the comparison
  would make drift come and go. An unset variable without a default becomes empty, with one
  warning per variable naming the first place it is used, as ``docker compose`` warns.
* Relative paths in a file are read from that file's folder (``env_file``, ``extends.file``);
  build contexts and bind sources are shown as written, rebased onto the project folder only for
  an ``extends`` base that lives in another folder.
* A compose file speaks for services, networks, volumes, secrets, configs and the project name.
  It does not speak for the digest of an image it names by tag only (the registry decides that
  when the image is pulled), so such digests are outside its coverage; a pinned digest is inside.
* A top-level ``include:`` is not followed; parity says so in a warning.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePath

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import escape
from parity_gui.core.tree import Coverage, Diagnostic, Environment, Level, TreeBuilder
from parity_gui.errors import SourceError
from parity_gui.sources.compose_defaults import apply_defaults
from parity_gui.sources.compose_extends import ServicesOf, read_service
from parity_gui.sources.compose_merge import Item, Merge, merge_children, write
from parity_gui.sources.compose_reading import LoadLog, Reading, beside, is_null
from parity_gui.sources.dotenv import parse_dotenv
from parity_gui.sources.registry import SpecFile
from parity_gui.sources.text import read_text
from parity_gui.sources.yamlfile import YMap, load_yaml

#: The files ``docker compose`` looks for in a folder, in its order of preference.
COMPOSE_FILE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
#: The override it adds when present, in its order of preference.
OVERRIDE_FILE_NAMES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)

_RESOURCES = ("networks", "volumes", "secrets", "configs")
_COVERED = ["/services/**", "/networks/**", "/volumes/**", "/secrets/**", "/configs/**", "/project/**"]


def load_compose_files(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    """Load compose files merged in the order given, like ``docker compose -f a -f b``."""
    if not files:
        raise SourceError("no compose file given", file=spec)
    with _collector_paused():
        return _load(files, name, spec)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a project's nodes are built: a big file
    makes hundreds of thousands of small objects, none of them garbage, and the collector's
    repeated passes over them would cost more than the building itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    log = LoadLog()
    project = _Project(files[0].path.parent, _variables(files[0], log), log)
    merged: dict[str, Item] = {}
    for spec_file in files:
        opened = project.open(spec_file.path, spec_file.display)
        merged = merge_children(merged, project.read(opened), clean=not opened.has_resets)
    services = merged.get("services")
    for service in services.value.values() if services is not None else ():
        apply_defaults(service)
    return _environment(merged, log, name, spec)


def compose_files_in(folder: Path) -> list[Path]:
    """The files ``docker compose`` would read in ``folder``: those ``COMPOSE_FILE`` names in
    the folder's ``.env`` when it sets it, else its compose file and override."""
    return _discover(folder)[0]


def load_folder(folder: Path, display: str, name: str, spec: str) -> Environment:
    """Load the compose project in ``folder``: the files :func:`compose_files_in` names."""
    if not folder.is_dir():
        raise SourceError("no such folder", file=display)
    found, several = _discover(folder)
    if not found:
        looked = ", ".join(COMPOSE_FILE_NAMES)
        raise SourceError(f"no compose file in this folder (looked for {looked})", file=display)
    files = [SpecFile(path, str(PurePath(display) / path.name)) for path in found]
    env = load_compose_files(files, name, spec)
    if several:
        env.diagnostics.insert(0, _several_warning(several, files[0].display, display))
    return env


def _discover(folder: Path) -> tuple[list[Path], list[str]]:
    named = _compose_file_variable(folder)
    if named:
        return named, []
    candidates = [folder / n for n in COMPOSE_FILE_NAMES if (folder / n).is_file()]
    if not candidates:
        return [], []
    overrides = [folder / n for n in OVERRIDE_FILE_NAMES if (folder / n).is_file()]
    several = [p.name for p in candidates] if len(candidates) > 1 else []
    return [candidates[0], *overrides[:1]], several


def _compose_file_variable(folder: Path) -> list[Path]:
    """The files ``COMPOSE_FILE`` names in the folder's ``.env`` (``a.yml:b.yml``), if any.

    ``COMPOSE_PATH_SEPARATOR`` in the same file changes the separator, as in docker compose.
    """
    dotenv = folder / ".env"
    if not dotenv.is_file():
        return []
    values = parse_dotenv(read_text(dotenv, str(dotenv))).values()
    named = values.get("COMPOSE_FILE") or ""
    separator = values.get("COMPOSE_PATH_SEPARATOR") or os.pathsep
    return [folder / part for part in named.split(separator) if part.strip()]


def _several_warning(several: list[str], used: str, display: str) -> Diagnostic:
    message = f"several compose files in this folder ({', '.join(several)}); using {used}"
    return Diagnostic(message, display)


def _variables(first: SpecFile, log: LoadLog) -> Mapping[str, str | None]:
    """The variables of the ``.env`` next to the first compose file (none when it is absent)."""
    path = first.path.parent / ".env"
    if not path.is_file():
        return {}
    shown = beside(first.display, ".env")
    parsed = parse_dotenv(read_text(path, shown))
    log.read(shown)
    log.diagnostics.extend(parsed.diagnostics)
    return parsed.values()


class _Project:
    """The files of one compose project being read: opened once each, sharing variables."""

    def __init__(self, folder: Path, variables: Mapping[str, str | None], log: LoadLog) -> None:
        self.folder = folder
        self.variables = variables
        self.log = log
        self._opened: dict[Path, ServicesOf] = {}
        self._tops: dict[str, YMap | None] = {}

    def open(self, path: Path, display: str) -> ServicesOf:
        """Read, parse and check the top level of one file (once, however often it is named)."""
        key = path.resolve()
        if key not in self._opened:
            self._opened[key] = self._open(path, display)
        return self._opened[key]

    def _open(self, path: Path, display: str) -> ServicesOf:
        text = read_text(path, display)
        self.log.read(display)
        reading = Reading(display, path, path.parent, self.folder, self.variables, self.log)
        root = load_yaml(text)
        if root is None:
            self.log.add("the compose file is empty", Origin(display))
            self._tops[reading.identity] = None
            return ServicesOf(reading, None)
        top = reading.mapping(root, "a compose file's top level")
        self._tops[reading.identity] = top
        services = top.get("services")
        has_resets = "!reset" in text.content
        if is_null(services):
            return ServicesOf(reading, None, has_resets)
        assert services is not None
        return ServicesOf(reading, reading.mapping(services, "services"), has_resets)

    def read(self, opened: ServicesOf) -> dict[str, Item]:
        """One file's canonical items: project name, services, networks, volumes…"""
        r = opened.reading
        top = self._tops[r.identity]
        items: dict[str, Item] = {}
        if top is None:
            return items
        for key, node in top.items():
            if key == "services" and opened.services is not None:
                items[key] = self._services(r, top, opened.services)
            elif key in _RESOURCES:
                items[key] = _resources(r, top, key)
            elif key == "name":
                project = items["project"] = Item({}, r.key_at(top, key), None, Merge.MERGE)
                project.value["name"] = r.leaf(node, r.text(node, "name"))
            else:
                _other_top_level(r, top, key)
        return items

    def _services(self, r: Reading, top: YMap, services: YMap) -> Item:
        item = Item({}, r.key_at(top, "services"), None, Merge.MERGE)
        for name in services:
            if not name.startswith("x-"):
                item.value[name] = read_service(r, services, name, self.open)
        return item


def _resources(r: Reading, top: YMap, key: str) -> Item:
    """Top-level networks, volumes, secrets or configs: name → settings (``null`` is ``{}``)."""
    item = Item({}, r.key_at(top, key), None, Merge.MERGE)
    for name, node in r.items(top[key], key):
        origin = r.key_at(top[key], name)  # type: ignore[arg-type]
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
    elif key == "include":
        r.log.add("'include' is not followed: parity reads only the files named", origin)
    else:
        r.log.add(f"unknown top-level key {key!r} (not a compose setting)", origin, Level.WARNING)


def _environment(merged: dict[str, Item], log: LoadLog, name: str, spec: str) -> Environment:
    builder = TreeBuilder()
    write(merged, builder)
    env = builder.into(Environment(name=name, spec=spec))
    env.coverage = _coverage(merged.get("services"))
    env.sources = log.sources
    env.diagnostics = log.diagnostics
    return env


def _coverage(services: Item | None) -> Coverage:
    """See the module docstring: unpinned digests are outside a compose file's coverage."""
    if services is None:
        return Coverage.of(_COVERED)
    unpinned = [n for n, s in services.value.items() if not _pins_digest(s)]
    if len(unpinned) == len(services.value):
        return Coverage.of(_COVERED, ["/services/*/image/digest"])
    return Coverage.of(_COVERED, [f"/services/{escape(n)}/image/digest" for n in unpinned])


def _pins_digest(service: Item) -> bool:
    image = service.value.get("image")
    return image is not None and image.is_branch and "digest" in image.value
