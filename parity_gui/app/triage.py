"""Triage: recording in ``.parity.toml`` that a drift is expected, or how severe it is.

The edit is byte-exact: the file's own bytes stay as they are (comments, order, quoting, line
endings) and one new ``[[expected]]`` or ``[[severity]]`` table is appended, written with the
file's line ending. The result is read back as a project file before it replaces the old one,
atomically; a file that would not read is never written. Where there is no project file yet,
one is made holding only the new entry.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from parity_gui.app import project as projects
from parity_gui.core.drift import Severity
from parity_gui.core.pointer import Path as TreePath
from parity_gui.core.pointer import to_pointer
from parity_gui.errors import OptionsError
from parity_gui.export.files import write_atomically

#: The segment of a path that names the entity a glob may widen to every one of.
ENTITY = 1


@dataclass(frozen=True)
class Triage:
    """One decision about drift: expected (with a reason), or rated at a severity."""

    pattern: str  #: a JSON-Pointer glob: the drift's path, or it with the entity as ``*``
    reason: str
    severity: Severity | None = None  #: None: expected; else the severity to rate it at
    environments: tuple[str, ...] = ()  #: only when these are compared (expected only)

    def to_toml(self, newline: str = "\n") -> str:
        """The table to append, in TOML's basic strings (JSON's escapes are TOML's too)."""
        if not self.reason.strip():
            raise OptionsError("say why: a triage decision needs a reason")
        table = "severity" if self.severity is not None else "expected"
        lines = [f"[[{table}]]", f"path = {json.dumps(self.pattern, ensure_ascii=False)}"]
        if self.severity is not None:
            lines.append(f"level = {json.dumps(self.severity.value)}")
        elif self.environments:
            lines.append(f"environments = {json.dumps(list(self.environments), ensure_ascii=False)}")
        lines.append(f"reason = {json.dumps(self.reason.strip(), ensure_ascii=False)}")
        return newline.join(lines) + newline


def patterns_for(path: TreePath) -> list[str]:
    """The globs a drift at ``path`` can be recorded under: the path itself, and the same
    setting in every entity (``/services/*/image/tag``) when the path names one."""
    exact = to_pointer(path)
    if len(path) <= ENTITY + 1:
        return [exact]
    return [exact, to_pointer((*path[:ENTITY], "*", *path[ENTITY + 1:]))]


def record(project_file: Path, decision: Triage) -> None:
    """Append ``decision`` to ``project_file`` (made when missing), byte-exact, checked, atomic."""
    before = project_file.read_bytes() if project_file.exists() else b""
    newline = "\r\n" if b"\r\n" in before else "\n"
    joint = b"" if not before or before.endswith(b"\n") else newline.encode()
    gap = newline.encode() if before else b""
    after = before + joint + gap + decision.to_toml(newline).encode("utf-8")
    projects.parse_project(after.decode("utf-8"), project_file, str(project_file))  # raises when it would not read
    write_atomically(project_file, after)


def project_file_for(specs: Sequence[str], cwd: Path) -> Path:
    """The project file a decision about these environments goes into: the one that governs
    them, else a new ``.parity.toml`` in ``cwd``."""
    from parity_gui.app.compare import governing_project

    project = governing_project(specs, cwd)
    return project.path if project is not None else cwd / projects.FILE_NAME
