"""Opening what a side shows "at a revision": which repository to list, and the spec to load.

A side holds a spec (``compose.yml+compose.prod.yml``, a folder) or the name of a project
environment (``prod``), perhaps already at a revision (``prod@v1.4``). Opening it at another
revision drops the old ``@REV`` and writes the new one; the repository whose branches, tags and
commits are offered is the one holding the spec's first file (or the project's folder).

Decision: a ``docker://`` spec has no revision; it is refused with a one-line error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parity_gui.app import project as projects
from parity_gui.errors import OptionsError
from parity_gui.sources.registry import split_kind
from parity_gui.sources.revision import RevisionChoice, default_base, revision_choices, split_revision

__all__ = ["RevisionChoice", "Target", "default_base", "revision_choices", "target_of"]


@dataclass(frozen=True)
class Target:
    """What a side opens at a revision: its spec without ``@REV``, and the folder whose
    repository offers the revisions."""

    spec: str
    folder: Path

    def at(self, revision: str) -> str:
        """The spec to load: ``prod@main``, ``compose.yml+compose.prod.yml@v1.4``."""
        return f"{self.spec}@{revision}"


def target_of(spec: str, base: Path) -> Target:
    """The :class:`Target` of a side holding ``spec``, read from the folder ``base``."""
    if not spec.strip():
        raise OptionsError("open something on this side first, then open it at a revision")
    if spec.startswith("docker://"):
        raise OptionsError(f"{spec} is a live engine: it has no git revisions")
    project_file = projects.find_project(base)
    if project_file is not None:
        project = projects.read_project(project_file)
        name = project.named(spec)
        if name is not None:
            return Target(name, project.root)
    plain = spec if (base / spec).exists() else split_revision(spec)[0]
    return Target(plain, _folder_of(plain, base))


def _folder_of(spec: str, base: Path) -> Path:
    """The folder of the spec's first file (the folder itself for a folder spec)."""
    first = spec.split("+", maxsplit=1)[0].split("#", maxsplit=1)[0]
    _, first = split_kind(first, base)
    path = base / first
    if path.is_dir():
        return path
    return path.parent if path.parent.is_dir() else base
