"""The pieces a fix patch is planned with: one change per drift, and the files being edited.

A :class:`Change` says what the target must become at one path: take the reference's value
(``SET``), gain a value it lacks (``ADD``) or lose one the reference does not have (``REMOVE``).
Planners (one per file format) turn changes into :class:`~parity_gui.export.patch_edits.Span`
edits on the target's files, held by the :class:`Workspace`; a change a planner cannot make
comes back as a sentence saying why, and is listed in the patch as not fixed automatically.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any

from parity_gui.core.drift import Drift
from parity_gui.core.pointer import Path, to_pointer
from parity_gui.core.secrets import fingerprint, is_secret_path
from parity_gui.core.tree import MISSING, Environment
from parity_gui.errors import ParityError
from parity_gui.export.patch_diff import FileChange
from parity_gui.export.patch_edits import FileEdits, Span
from parity_gui.export.yaml_places import YamlFile
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
    reveal_secrets: bool = False

    @property
    def pointer(self) -> str:
        return to_pointer(self.path)

    def written(self, path: Path, value: Any) -> Any:
        """``value`` as the patch may write it at ``path``: a secret becomes a placeholder, and
        so does the password inside a URL (``postgres://user:…@host``)."""
        if self.reveal_secrets or value is None or value == "":
            return value
        if is_secret_path(path):
            return placeholder(value)
        if isinstance(value, str):
            return _URL_PASSWORD.sub(lambda m: m["head"] + placeholder(m["pw"]) + m["tail"], value)
        return value

    def written_raw(self, path: Path, raw: str) -> str:
        """Text as the reference writes it (``${VAR:-default}`` kept), with any secret default or
        URL password in it replaced by a placeholder unless secrets may be revealed."""
        if self.reveal_secrets:
            return raw
        if is_secret_path(path):
            return _VARIABLE.sub(_without_default, raw) if _VARIABLE.fullmatch(raw) else placeholder(raw)

        def password(m: re.Match[str]) -> str:
            pw = m["pw"]
            hidden = _VARIABLE.sub(_without_default, pw) if _VARIABLE.fullmatch(pw) else placeholder(pw)
            return m["head"] + hidden + m["tail"]

        return _URL_PASSWORD.sub(password, raw)

    def has_secret(self) -> bool:
        """True when the new value, or anything inside it, is a secret the patch must not write."""
        return not self.reveal_secrets and _holds_secret(self.path, self.new)


def placeholder(value: Any) -> str:
    """What a patch writes instead of a secret: says what to do, and which value is meant."""
    return f"{PLACEHOLDER_MARK}{fingerprint(value)}"


_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]+:)(?P<pw>[^@\s/]+)(?P<tail>@)")


_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?-)(?P<default>[^${}]*))?\}|\$\w+")
#: Marks every placeholder a patch writes.
PLACEHOLDER_MARK = "CHANGE-ME-secret-"


def _without_default(match: re.Match[str]) -> str:
    if match["default"] is None or match["default"] == "":
        return match.group(0)
    return f"${{{match['name']}{match['op']}{placeholder(match['default'])}}}"


def _holds_secret(path: Path, value: Any) -> bool:
    if isinstance(value, dict):
        return any(_holds_secret((*path, k), v) for k, v in value.items())
    if value is MISSING or value in (None, ""):
        return False
    return is_secret_path(path) or (isinstance(value, str) and _URL_PASSWORD.search(value) is not None)


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
            lines.append(f"  apply it from {self.root} with: git apply <patch file>")
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
