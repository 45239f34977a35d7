"""Fixing a target with no file behind it (a live Docker engine): a new compose override file.

The patch creates ``compose.parity-override.yml`` in the folder the patch applies from, holding
the reference's value for every selected service setting the live target lacks or has
differently. Bringing it up with the project's compose files (``docker compose -f compose.yml
-f compose.parity-override.yml up -d``) makes the containers match; the patch says so in a note.
A swarm stack gets ``stack.parity-override.yml`` instead, to deploy with the stack file
(``docker stack deploy -c stack.yml -c stack.parity-override.yml NAME``): the same compose
format, which ``docker stack deploy`` merges file over file.
An override can add and replace settings but not take one away, so drift the reference does not
have (an extra variable, an extra service) is listed as not fixed.
"""

from __future__ import annotations

import json
from typing import Any

from parity_gui.core.origin import SWARM_SERVICE_ATTRIBUTE
from parity_gui.core.tree import Environment
from parity_gui.export.compose_render import block
from parity_gui.export.patch.model import Action, Change, Workspace

OVERRIDE_NAME = "compose.parity-override.yml"
STACK_OVERRIDE_NAME = "stack.parity-override.yml"
#: How much of the reference's stack file is searched for its ``version:`` (it leads the file).
VERSION_LOOKS_BYTES = 64 * 1024


def is_stack(env: Environment) -> bool:
    """A swarm stack read from a manager (its services are swarm services, not containers)."""
    services = env.tree.get("services")
    if not isinstance(services, dict) or not services:
        return False
    origin = env.origin(("services", next(iter(services))))
    return origin is not None and origin.attribute == SWARM_SERVICE_ATTRIBUTE


def plan_override(
    work: Workspace, changes: list[Change], target: Environment, reference: Environment
) -> list[tuple[Change, str]]:
    """Write the override into ``work.new_files``; return the changes it cannot express."""
    services: dict[str, Any] = {}
    failed: list[tuple[Change, str]] = []
    for change in changes:
        reason = _why_not(change)
        if reason:
            failed.append((change, reason))
            continue
        _put(services, change, reference)
    if not services:
        return failed
    if is_stack(target):
        stack = target.spec.rpartition("/")[2].removeprefix("stack:") or "<stack>"
        version = stack_file_version(work, reference)
        header = STACK_USE + (f"\nversion: {json.dumps(version)}" if version else "")
        work.new_files[STACK_OVERRIDE_NAME] = _text(services, target.name, reference.name, header)
        work.note(f"{target.name} is a swarm stack: the patch creates {STACK_OVERRIDE_NAME}; deploy the "
                  f"stack with it (docker stack deploy -c <your stack file> -c {STACK_OVERRIDE_NAME} {stack})")
    else:
        work.new_files[OVERRIDE_NAME] = _text(services, target.name, reference.name, COMPOSE_USE)
        work.note(f"{target.name} is a live Docker engine: the patch creates {OVERRIDE_NAME}; bring the "
                  f"project up with it (docker compose -f <your files> -f {OVERRIDE_NAME} up -d)")
    return failed


def stack_file_version(work: Workspace, reference: Environment) -> str | None:
    """The top-level ``version:`` of the reference's first compose file: ``docker stack deploy``
    refuses files of different versions, so the override repeats it (``None``: none written)."""
    for source in reference.sources[:1]:
        try:
            with work.disk_path(source).open(encoding="utf-8", errors="replace") as file:
                text = file.read(VERSION_LOOKS_BYTES)
        except OSError:
            return None
        for line in text.splitlines():
            if line.startswith("version:"):
                return line.partition(":")[2].split("#")[0].strip().strip("'\"") or None
    return None


COMPOSE_USE = "# Use it with the project's own compose files: docker compose -f … -f " + OVERRIDE_NAME
STACK_USE = "# Deploy it with the stack file: docker stack deploy -c … -c " + STACK_OVERRIDE_NAME + " NAME"


def _why_not(change: Change) -> str | None:
    if change.path[0] != "services" or len(change.path) < 2:
        return f"a compose override cannot set /{change.path[0]}; change it on the engine by hand"
    if change.action is Action.REMOVE:
        return "a compose override cannot take a setting away; remove it from the running containers by hand"
    return _unwritable(change.path[2:], change.new)


#: Canonical settings whose compose syntax is a list the override does not write back (the
#: canonical tree keys them), with what to do instead.
_BY_HAND = {
    ("secrets",): "secrets are a list in compose; add the entry to the service's secrets by hand",
    ("configs",): "configs are a list in compose; add the entry to the service's configs by hand",
    ("publish_mode",): "a port's mode is part of its long syntax; set mode: on the port by hand",
    ("deploy", "placement", "preferences"): "placement preferences are a list; set them by hand",
}


def _unwritable(setting: tuple[str, ...], value: Any) -> str | None:
    """Why ``setting`` (or a setting inside its new ``value``) is left to the user, or None."""
    for start, reason in _BY_HAND.items():
        if setting[:len(start)] == start or (start[:len(setting)] == setting and _holds(value, start[len(setting):])):
            return reason
    return None


def _holds(value: Any, path: tuple[str, ...]) -> bool:
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return False
        value = value[key]
    return True


def _put(services: dict[str, Any], change: Change, reference: Environment) -> None:
    path = change.path[1:]
    if len(path) == 3 and path[1] == "image":  # an image part alone cannot be written: the whole image is
        path, value = path[:2], reference.get(("services", *path[:2]))
    else:
        value = _masked(change, change.path, change.new)
    node = services
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


def _masked(change: Change, path: tuple[str, ...], value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _masked(change, (*path, k), v) for k, v in value.items()}
    return change.written(path, value)


def _text(services: dict[str, Any], target: str, reference: str, use: str) -> str:
    lines = [f"# Written by parity: makes the live environment {target} match {reference}.", use, "services:"]
    for name, settings in services.items():
        lines += block(name, settings, "  ", "  ", "services")
    return "\n".join(lines) + "\n"
