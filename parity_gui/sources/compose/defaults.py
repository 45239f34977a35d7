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
* ``env_file`` entries move under ``environment`` wherever ``environment`` does not set the name.
"""

from __future__ import annotations

from typing import Any

from parity_gui.sources.compose.merge import Item, Merge

DEFAULT = "(default)"
IMPLIED = "(implied)"

_DEPENDENCY = {"condition": "service_started", "required": True, "restart": False}
_HEALTHCHECK = {"interval": 30, "timeout": 30, "start_period": 0, "start_interval": 5, "retries": 3}


def apply_defaults(service: Item) -> None:
    """Fill in the defaults of the module docstring on one merged service."""
    children: dict[str, Item] = service.value
    _image_tag(children.get("image"))
    _fill(service.sub("deploy", service.origin), {"replicas": 1})
    _fill(service, {"restart": "no"})
    for dependency in _branches(children.get("depends_on")):
        _fill(dependency, _DEPENDENCY)
    for volume in _branches(children.get("volumes")):
        _fill(volume, {"read_only": False})
    health = children.get("healthcheck")
    if health is not None and health.is_branch and _tests_something(health):
        _fill(health, _HEALTHCHECK)
    _fold_env_file(service)


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


def _fold_env_file(service: Item) -> None:
    from_files = service.value.pop("env_file", None)
    if from_files is None or not from_files.is_branch or not from_files.value:
        return
    environment = service.value.get("environment")
    if environment is None or not environment.is_branch:
        environment = service.value["environment"] = Item({}, from_files.origin, None, Merge.MERGE)
    for name, item in from_files.value.items():
        environment.value.setdefault(name, item)
