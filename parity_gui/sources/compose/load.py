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
* A top-level ``include:`` is followed as docker compose follows it (:mod:`compose_project`).
* ``COMPOSE_PROJECT_NAME`` and ``COMPOSE_PROFILES`` set in that ``.env`` apply as in compose v2:
  the first names the project (over a top-level ``name:``), the second (comma-separated, ``*``
  for all) enables services with those profiles. A service whose profiles are not enabled is
  left out, as ``docker compose config`` leaves it out, with a note naming it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

from parity_gui.core.collector import collector_paused
from parity_gui.core.pointer import escape
from parity_gui.core.tree import Coverage, Diagnostic, Environment, Level, TreeBuilder
from parity_gui.errors import SourceError
from parity_gui.sources.compose.defaults import apply_defaults, name_external
from parity_gui.sources.compose.merge import Item, Merge, merge_children, write
from parity_gui.sources.compose.project import Project, dotenv_variables
from parity_gui.sources.compose.reading import LoadLog, beside
from parity_gui.sources.dotenv.load import parse_dotenv
from parity_gui.sources.registry import SpecFile
from parity_gui.sources.text import outside_project, read_text

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
    with collector_paused():
        return _load(files, name, spec)


def _load(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    log = LoadLog()
    first = files[0]
    defined = dotenv_variables(first.path.parent / ".env", beside(first.display, ".env"), log)
    project = Project(first.path.parent, defined, log, shown_root=PurePath(first.display).parent)
    merged: dict[str, Item] = {}
    for spec_file in files:
        opened = project.open_top(spec_file.path, spec_file.display)
        merged = merge_children(merged, project.read(opened), clean=not opened.has_resets)
    _project_name(merged, defined.get("COMPOSE_PROJECT_NAME"))
    services = merged.get("services")
    if services is not None:
        _enabled_services(services, defined.get("COMPOSE_PROFILES"), log)
    for service_name, service in services.value.items() if services is not None else ():
        apply_defaults(service, service_name)
    for key in _RESOURCES:
        if key in merged:
            name_external(merged[key])
    return _environment(merged, log, name, spec)


def _project_name(merged: dict[str, Item], variable: Item | None) -> None:
    """``COMPOSE_PROJECT_NAME`` from the ``.env`` names the project, over ``name:``."""
    if variable is None or not variable.value:
        return
    project = merged.setdefault("project", Item({}, variable.origin, None, Merge.MERGE))
    project.value["name"] = Item(variable.value, variable.origin, variable.raw)


def _enabled_services(services: Item, variable: Item | None, log: LoadLog) -> None:
    """Leave out the services whose profiles ``COMPOSE_PROFILES`` does not enable."""
    enabled = {p.strip() for p in (variable.value or "").split(",")} if variable else set()
    for name, service in list(services.value.items()):
        profiles = _profiles(service)
        if not profiles or "*" in enabled or profiles & enabled:
            continue
        del services.value[name]
        shown = ", ".join(sorted(profiles))
        log.add(f"service {name!r} is left out: its profiles ({shown}) are not enabled "
                "(COMPOSE_PROFILES in the .env enables them)", service.origin, Level.NOTE)


def _profiles(service: Item) -> set[Any]:
    profiles = service.value.get("profiles") if service.is_branch else None
    if profiles is None or not profiles.is_branch:
        return set()
    return {item.value for item in profiles.value.values()}


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
    if not dotenv.is_file() or outside_project(dotenv):
        return []  # a .env leading out of the project is not read (the folder scan says so)
    values = parse_dotenv(read_text(dotenv, str(dotenv))).values()
    named = values.get("COMPOSE_FILE") or ""
    separator = values.get("COMPOSE_PATH_SEPARATOR") or os.pathsep
    return [folder / part for part in named.split(separator) if part.strip()]


def _several_warning(several: list[str], used: str, display: str) -> Diagnostic:
    message = f"several compose files in this folder ({', '.join(several)}); using {used}"
    return Diagnostic(message, display)


def _environment(merged: dict[str, Item], log: LoadLog, name: str, spec: str) -> Environment:
    builder = TreeBuilder()
    write(merged, builder)
    env = builder.into(Environment(name=name, spec=spec))
    env.coverage = _coverage(merged.get("services"))
    env.sources = log.sources
    env.diagnostics = log.diagnostics
    return env


def _coverage(services: Item | None) -> Coverage:
    """See the module docstring: unpinned digests are outside a compose file's coverage, and so
    is a container's run state (running, exited), which only a live engine knows."""
    if services is None:
        return Coverage.of(_COVERED, _LIVE_ONLY)
    unpinned = [n for n, s in services.value.items() if not _pins_digest(s)]
    if len(unpinned) == len(services.value):
        return Coverage.of(_COVERED, ["/services/*/image/digest", *_LIVE_ONLY])
    return Coverage.of(_COVERED, [f"/services/{escape(n)}/image/digest" for n in unpinned] + _LIVE_ONLY)


#: What a live engine reports that no compose file can say, and the probes a Kubernetes
#: workload has beside its health check (compose has no word for them).
_LIVE_ONLY = ["/services/*/state", "/services/*/readiness", "/services/*/startup"]


def _pins_digest(service: Item) -> bool:
    image = service.value.get("image")
    return image is not None and image.is_branch and "digest" in image.value
