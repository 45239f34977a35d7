"""What compose and Docker assume when a merged service does not say, written into the tree so
that saying it and not saying it compare equal. Applied once, after every file is merged (a
default filled in per file would win over an earlier file's explicit value).

Filled in, each with raw text ``(default)`` (``(implied)`` for the tag):

* ``image/tag`` ``latest`` when the reference has neither tag nor digest;
* ``deploy/replicas`` 1, ``restart`` ``"no"``;
* ``depends_on/<service>``: ``condition: service_started``, ``required: true``, ``restart: false``;
* ``volumes/<target>/read_only`` false;
* a healthcheck with a test: ``interval`` 30, ``timeout`` 30, ``start_period`` 0,
  ``start_interval`` 5 (seconds) and ``retries`` 3, Docker's values;
* ``env_file`` entries move under ``environment`` wherever ``environment`` does not set the name;
* ``build/context`` ``.`` and ``build/dockerfile`` ``Dockerfile`` (unless ``dockerfile_inline``);
* an external network, volume, secret or config is named by its key (:func:`name_external`);
* in a ``deploy`` section that a file writes, ``restart_policy`` (condition ``any``, delay 5,
  max_attempts 0), ``update_config`` and ``rollback_config`` (parallelism 1, delay 0,
  failure_action ``pause``, monitor 5, max_failure_ratio 0, order ``stop-first``): the fields
  swarm fills in, so that the stack file and the stack deployed from it compare equal. A section
  the file does not write stays absent (swarm's defaults throughout).

``pull_policy: if_not_present`` is read as ``missing``, its equivalent in compose-go. A deploy
section's ``mode: replicated`` and ``endpoint_mode: vip``, the values used when a file is silent
and the only ones a deployed stack cannot tell from silence, are read as saying nothing. Legacy
keys (``scale``, ``mem_limit``, ``cpus``…) move to their modern place here, after the merge, and
what compose refuses is refused with the line to fix (:class:`~parity_gui.errors.ParseError`):
two different values for one setting (``mem_limit`` and ``deploy.resources.limits.memory``), or
a service with neither ``image`` nor ``build``.
"""

from __future__ import annotations

from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.errors import ParseError
from parity_gui.sources.compose.envfiles import fold_env_files
from parity_gui.sources.compose.merge import Item

DEFAULT = "(default)"
IMPLIED = "(implied)"

_DEPENDENCY = {"condition": "service_started", "required": True, "restart": False}
_HEALTHCHECK = {"interval": 30, "timeout": 30, "start_period": 0, "start_interval": 5, "retries": 3}
#: What swarm fills into a restart policy, and into an update or rollback config (seconds).
SWARM_RESTART_POLICY: dict[str, Any] = {"condition": "any", "delay": 5, "max_attempts": 0}
SWARM_UPDATE_CONFIG: dict[str, Any] = {
    "parallelism": 1, "delay": 0, "failure_action": "pause", "monitor": 5, "max_failure_ratio": 0,
    "order": "stop-first",
}
_SWARM_SECTIONS = {
    "restart_policy": SWARM_RESTART_POLICY,
    "update_config": SWARM_UPDATE_CONFIG,
    "rollback_config": SWARM_UPDATE_CONFIG,
}


#: Where a legacy key lands in the canonical service once the files are merged, and the
#: modern spelling compose names when the two disagree.
LEGACY_PLACES: dict[str, tuple[str, ...]] = {
    "scale": ("deploy", "replicas"),
    "mem_limit": ("deploy", "resources", "limits", "memory"),
    "mem_reservation": ("deploy", "resources", "reservations", "memory"),
    "cpus": ("deploy", "resources", "limits", "cpus"),
    "pids_limit": ("deploy", "resources", "limits", "pids"),
}


def apply_defaults(service: Item, name: str = "") -> None:
    """Fill in the defaults of the module docstring on one merged service ``name``."""
    children: dict[str, Item] = service.value
    _needs_image_or_build(service, name)
    for legacy, place in LEGACY_PLACES.items():
        _fold_legacy(service, name, legacy, place)
    _image_tag(children.get("image"))
    _build(children.get("build"))
    _pull_policy(children.get("pull_policy"))
    deploy = service.sub("deploy", service.origin)
    _fill(deploy, {"replicas": 1})
    for key, silent in (("mode", "replicated"), ("endpoint_mode", "vip")):
        if key in deploy.value and deploy.value[key].value == silent:
            del deploy.value[key]
    for key, defaults in _SWARM_SECTIONS.items():
        section = deploy.value.get(key)
        if section is not None and section.is_branch:
            _fill(section, defaults)
    _fill(service, {"restart": "no"})
    for dependency in _branches(children.get("depends_on")):
        _fill(dependency, _DEPENDENCY)
    for volume in _branches(children.get("volumes")):
        _fill(volume, {"read_only": False})
    health = children.get("healthcheck")
    if health is not None and health.is_branch and _tests_something(health):
        _fill(health, _HEALTHCHECK)
    fold_env_files(service)


def _needs_image_or_build(service: Item, name: str) -> None:
    if not ({"image", "build", "provider"} & service.value.keys()):
        _refuse(f"service {name!r} has neither an image nor a build context specified", service.origin)


def _fold_legacy(service: Item, name: str, legacy: str, place: tuple[str, ...]) -> None:
    """Move ``legacy`` (``mem_limit``) to ``place``; two different values are refused."""
    item = service.value.pop(legacy, None)
    if item is None:
        return
    parent = service
    for segment in place[:-1]:
        parent = parent.sub(segment)
    modern = parent.value.get(place[-1])
    if modern is not None and modern.value != item.value:
        written = ".".join(place)
        _refuse(f"services.{name}: can't set distinct values on '{legacy}' and '{written}' "
                f"({item.value} here, {modern.value} at {_line(modern.origin)})", item.origin)
    if modern is None:
        parent.value[place[-1]] = item


def _refuse(message: str, origin: Origin | None) -> None:
    where = origin or Origin()
    raise ParseError(message, file=where.file, line=where.line, column=where.column)


def _line(origin: Origin | None) -> str:
    if origin is None or origin.line is None:
        return "?"
    return f"{origin.file}:{origin.line}"


def _build(build: Item | None) -> None:
    if build is None or not build.is_branch:
        return
    _fill(build, {"context": "."})
    if "dockerfile_inline" not in build.value:
        _fill(build, {"dockerfile": "Dockerfile"})


def _pull_policy(policy: Item | None) -> None:
    if policy is not None and policy.value == "if_not_present":
        policy.value = "missing"


def name_external(resources: Item) -> None:
    """An external network, volume, secret or config without ``name`` is named by its key."""
    for key, resource in resources.value.items():
        external = resource.value.get("external") if resource.is_branch else None
        if external is not None and external.value in (True, "true") and "name" not in resource.value:
            resource.value["name"] = Item(key, None, DEFAULT)


def _image_tag(image: Item | None) -> None:
    if image is None or not image.is_branch:
        return
    if "tag" not in image.value and "digest" not in image.value:
        image.value["tag"] = Item("latest", image.origin, IMPLIED)


def _fill(item: Item, defaults: dict[str, Any]) -> None:
    for key, value in defaults.items():
        if key not in item.value:
            item.value[key] = Item(value, None, DEFAULT)


def _branches(item: Item | None) -> list[Item]:
    if item is None or not item.is_branch:
        return []
    return [child for child in item.value.values() if child.is_branch]


def _tests_something(health: Item) -> bool:
    test = health.value.get("test")
    return test is not None and test.value not in (["NONE"], None, [])
