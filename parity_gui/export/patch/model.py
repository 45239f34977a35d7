"""The pieces a fix patch is planned with: one change per drift, and the files being edited.

A :class:`Change` says what the target must become at one path: take the reference's value
(``SET``), gain a value it lacks (``ADD``) or lose one the reference does not have (``REMOVE``).
Planners (one per file format) turn changes into :class:`~parity_gui.export.patch.edits.Span`
edits on the target's files, held by the :class:`Workspace`; a change a planner cannot make
comes back as a sentence saying why, and is listed in the patch as not fixed automatically.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from parity_gui.core.drift import Drift
from parity_gui.core.pointer import Path, to_pointer
from parity_gui.core.tree import Environment
from parity_gui.errors import ParityError
from parity_gui.export.patch.diff import FileChange
from parity_gui.export.patch.edits import FileEdits, Span
from parity_gui.export.patch.secrets import SecretPolicy
from parity_gui.export.yaml_places import YamlFile
from parity_gui.sources.compose.fields import FROM_SHELL
from parity_gui.sources.text import Text, read_text

#: Loads an environment again from its spec, with relative files read from the given folder.
Reloader = Callable[[str, str, FilePath], Environment]


class Action(enum.Enum):
    SET = "set"  #: both have the path; the target takes the reference's value
    ADD = "add"  #: only the reference has it
    REMOVE = "remove"  #: only the target has it


@dataclass(frozen=True, slots=True)
class Change:
    """What the target must become at ``path`` to match the reference."""

    drift: Drift
    path: Path
    action: Action
    old: Any  #: the target's value (MISSING for ADD)
    new: Any  #: the reference's value (MISSING for REMOVE)
    secrets: SecretPolicy = field(default_factory=SecretPolicy)

    @property
    def pointer(self) -> str:
        return to_pointer(self.path)

    @property
    def reveal_secrets(self) -> bool:
        return self.secrets.reveal

    def written(self, path: Path, value: Any) -> Any:
        """``value`` as the patch may write it at ``path`` (see :mod:`patch_secrets`); a
        variable passed through from the shell is written bare (``- KEY``), as None."""
        if value == FROM_SHELL:
            return None
        return self.secrets.value(path, value)

    def written_raw(self, path: Path, raw: str) -> str:
        """The reference's own text (variables kept) as the patch may write it at ``path``."""
        return self.secrets.raw(path, raw)

    def has_secret(self) -> bool:
        """True when the new value, or anything inside it, is a secret the patch must not write."""
        return self.secrets.holds(self.path, self.new)


@dataclass(frozen=True, slots=True)
class NotFixed:
    """A selected drift the patch does not fix, and why."""

    drift: Drift
    reason: str

    def __str__(self) -> str:
        return f"{self.drift.pointer}: {self.reason}"


@dataclass(frozen=True)
class FixPatch:
    """A patch and what it does. ``text`` is empty when there is nothing to change."""

    reference: str
    target: str
    text: bytes
    files: tuple[FileChange, ...]
    fixed: tuple[Drift, ...]
    not_fixed: tuple[NotFixed, ...]
    notes: tuple[str, ...] = ()
    checked: bool = False  #: the self-check ran (applied to a copy, re-loaded and compared)
    root: FilePath = field(default_factory=FilePath)  #: the folder the patch applies from
    base: FilePath = field(default_factory=FilePath)  #: the folder relative file names start from
    placeholders: tuple[str, ...] = ()  #: pointers where a placeholder stands for a secret
    revealed: bool = False  #: secrets are written in clear, as the user asked
    load_errors: int = 0  #: errors met loading the environments: what failed was not compared

    @property
    def preview(self) -> str:
        """The patch as text for a preview pane (bytes that are not UTF-8 shown as �)."""
        return self.text.decode("utf-8", "replace")

    @property
    def empty(self) -> bool:
        """True when the patch changes no file (nothing to fix, or nothing that could be)."""
        return not self.files

    def summary(self) -> str:
        """A few lines for a person: what is fixed, what is not, and how to apply."""
        if self.empty and not self.not_fixed:
            return f"fix patch: {self.target} already matches {self.reference}; nothing to change"
        lines = [f"fix patch: make {self.target} match {self.reference}: "
                 f"{len(self.fixed)} drift fixed, {len(self.not_fixed)} not fixed automatically"]
        if self.files:
            lines.append(f"  apply it with: parity apply <patch file> -C {self.root}  (or git apply, from there)")
        lines += [f"  not fixed: {item}" for item in self.not_fixed]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


class Unfixable(ParityError):
    """A change a planner cannot make; the message says why, in the user's words."""


@dataclass
class Workspace:
    """The target's files as read for editing, and the edits planned on each."""

    base: FilePath  #: where relative file names (as origins give them) start
    edits: dict[str, FileEdits] = field(default_factory=dict)
    new_files: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: The target's files that other environments read too: file (as origins name it) → names.
    shared: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _yaml: dict[str, YamlFile] = field(default_factory=dict)

    def disk_path(self, display: str) -> FilePath:
        path = FilePath(display)
        return path if path.is_absolute() else self.base / path

    def text(self, display: str) -> Text:
        if display not in self.edits:
            self.edits[display] = FileEdits(read_text(self.disk_path(display), display))
        return self.edits[display].text

    def yaml(self, display: str) -> YamlFile:
        if display not in self._yaml:
            self._yaml[display] = YamlFile(self.text(display))
        return self._yaml[display]

    def edit(self, display: str, span: Span) -> None:
        """Plan ``span`` on ``display``; an overlap with another edit is :class:`Unfixable`."""
        self.text(display)
        if not self.edits[display].add(span):
            raise Unfixable(f"it would edit {display} where another fix in this patch already does")

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)


def target_files(env: Environment, suffixes: tuple[str, ...]) -> list[str]:
    """The target's source files whose names end with one of ``suffixes``, in load order."""
    return [s for s in env.sources if s.lower().endswith(suffixes)]


def is_env_file(name: str) -> bool:
    """``.env``, ``.env.prod``, ``prod.env``: the files parity reads as variables."""
    base = FilePath(name).name.lower()
    return base == ".env" or base.startswith(".env.") or base.endswith(".env")


def is_live(env: Environment) -> bool:
    """A target with no file behind it: a live Docker engine."""
    return env.spec.startswith("docker://") or not env.sources
