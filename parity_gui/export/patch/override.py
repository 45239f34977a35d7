"""Fixing a target with no file behind it (a live Docker engine): a new compose override file.

The patch creates ``compose.parity-override.yml`` in the folder the patch applies from, holding
the reference's value for every selected service setting the live target lacks or has
differently. Bringing it up with the project's compose files (``docker compose -f compose.yml
-f compose.parity-override.yml up -d``) makes the containers match; the patch says so in a note.
An override can add and replace settings but not take one away, so drift the reference does not
have (an extra variable, an extra service) is listed as not fixed.
"""

from __future__ import annotations

from typing import Any

from parity_gui.core.tree import Environment
from parity_gui.export.compose_render import block
from parity_gui.export.patch.model import Action, Change, Workspace

OVERRIDE_NAME = "compose.parity-override.yml"


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
    if services:
        work.new_files[OVERRIDE_NAME] = _text(services, target.name, reference.name)
        work.note(f"{target.name} is a live Docker engine: the patch creates {OVERRIDE_NAME}; bring the "
                  f"project up with it (docker compose -f <your files> -f {OVERRIDE_NAME} up -d)")
    return failed


def _why_not(change: Change) -> str | None:
    if change.path[0] != "services" or len(change.path) < 2:
        return f"a compose override cannot set /{change.path[0]}; change it on the engine by hand"
    if change.action is Action.REMOVE:
        return "a compose override cannot take a setting away; remove it from the running containers by hand"
    return None


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


def _text(services: dict[str, Any], target: str, reference: str) -> str:
    lines = [f"# Written by parity: makes the live environment {target} match {reference}.",
             "# Use it with the project's own compose files: docker compose -f … -f " + OVERRIDE_NAME,
             "services:"]
    for name, settings in services.items():
        lines += block(name, settings, "  ", "  ", "services")
    return "\n".join(lines) + "\n"
