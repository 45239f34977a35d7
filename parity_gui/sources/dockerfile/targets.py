"""Which stage of a Dockerfile a compose service builds: its ``build.target``.

``docker compose build`` builds ``build.target`` of the Dockerfile at ``build.context`` /
``build.dockerfile`` (compose specification, "Build support": ``target`` defines the stage to
build as defined inside a multi-stage Dockerfile; ``dockerfile`` defaults to ``Dockerfile`` and a
relative ``context`` is resolved from the project directory). When a folder holds both, the image
a service runs is that stage, so it is the one keyed as the file's image (see
:mod:`parity_gui.sources.dockerfile.load`). Services that build different stages of one file
leave the file's key to its final stage (each stage stays under its own name), and a
context that is a URL (``https://…git``) is not on disk to read.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from parity_gui.core.tree import Environment


def build_targets(compose: Environment, project_dir: Path) -> dict[Path, str]:
    """The stage each Dockerfile is built at, by resolved path, where every service building it
    names the same ``build.target``."""
    wanted: dict[Path, set[str]] = {}
    services = compose.tree.get("services")
    for service in services.values() if isinstance(services, Mapping) else ():
        found = _target(service, project_dir)
        if found is not None:
            wanted.setdefault(found[0], set()).add(found[1])
    return {path: next(iter(stages)) for path, stages in wanted.items() if len(stages) == 1}


def _target(service: Any, project_dir: Path) -> tuple[Path, str] | None:
    build = service.get("build") if isinstance(service, Mapping) else None
    if not isinstance(build, Mapping) or not isinstance(build.get("target"), str) or not build["target"]:
        return None
    context = build.get("context") or "."
    dockerfile = build.get("dockerfile") or "Dockerfile"
    if not isinstance(context, str) or not isinstance(dockerfile, str):
        return None
    if "://" in context or context.startswith("git@"):  # a remote context: nothing on disk
        return None
    return (project_dir / context / dockerfile).resolve(), build["target"]
