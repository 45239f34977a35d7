"""The canonical tree every source produces, and the :class:`Environment` that holds it.

The tree itself is plain data so that comparing two of them is a fast walk that skips equal
subtrees with ``==``: a mapping is a ``dict`` keyed by identity (service name, variable name,
``"80/tcp"``, a volume's target path), and a leaf is a ``str``, ``int``, ``float``, ``bool``,
``None`` or a ``list`` of those whose order carries meaning (a command line). Beside the values,
keyed by path, the environment keeps each node's origin and the raw text the user wrote, so a
view can show what was written and jump to where.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path, PathGlob, nearest, to_pointer

Tree = dict[str, Any]

#: Marks a path that an environment does not have (distinct from a ``None`` value).
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()


class Level(enum.Enum):
    """How serious a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A message about one place in the input: an error that stopped a file, or a warning."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    level: Level = Level.WARNING

    def location(self) -> str:
        return str(Origin(self.file, self.line, self.column)) if self.file else ""

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"file": self.file, "line": self.line, "message": self.message}
        if self.column is not None:
            out["column"] = self.column
        if self.level is not Level.WARNING:
            out["level"] = self.level.value
        return out


@dataclass(frozen=True, slots=True)
class Node:
    """One node of an environment's tree, as a view sees it."""

    path: Path
    value: Any
    raw: str | None
    origin: Origin | None

    @property
    def is_branch(self) -> bool:
        return isinstance(self.value, dict)


@dataclass(frozen=True)
class Coverage:
    """What an environment can speak for.

    A compose file knows services but not the engine; a live engine knows resolved digests but
    not build settings. Drift is counted only at paths every compared environment covers.
    """

    include: tuple[PathGlob, ...] = ()
    exclude: tuple[PathGlob, ...] = ()

    @classmethod
    def of(cls, include: Iterable[str], exclude: Iterable[str] = ()) -> Coverage:
        return cls(tuple(PathGlob(p) for p in include), tuple(PathGlob(p) for p in exclude))

    def covers(self, path: Path) -> bool:
        if any(g.matches(path) for g in self.exclude):
            return False
        return any(g.matches(path) for g in self.include)

    def __or__(self, other: Coverage) -> Coverage:
        return Coverage(
            tuple(dict.fromkeys(self.include + other.include)),
            tuple(g for g in dict.fromkeys(self.exclude + other.exclude) if g not in other.include),
        )


@dataclass
class Environment:
    """One loaded environment: its canonical tree plus origins, raw text and diagnostics."""

    name: str
    spec: str
    tree: Tree = field(default_factory=dict)
    origins: dict[Path, Origin] = field(default_factory=dict)
    raw: dict[Path, str] = field(default_factory=dict)
    coverage: Coverage = field(default_factory=lambda: Coverage.of(["/**"]))
    sources: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: The distinctive secret values in :attr:`tree`, when the loader worked them out (see
    #: :func:`parity_gui.core.secrets.secrets_in`); None means "not looked for yet".
    secrets: frozenset[str] | None = None

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is not Level.ERROR]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.ERROR]

    @property
    def failed(self) -> bool:
        """Nothing loaded: the environment holds only the errors that stopped it (a failed column
        of a fleet), and takes no part in the comparison."""
        return not self.tree and bool(self.errors)

    def get(self, path: Path) -> Any:
        """The value at ``path``, or :data:`MISSING`."""
        node: Any = self.tree
        for segment in path:
            if not isinstance(node, dict) or segment not in node:
                return MISSING
            node = node[segment]
        return node

    def node(self, path: Path) -> Node | None:
        value = self.get(path)
        if value is MISSING:
            return None
        return Node(path, value, self.raw.get(path), self.origin(path))

    def origin(self, path: Path) -> Origin | None:
        """The origin of ``path``, or of its nearest ancestor that has one."""
        return nearest(self.origins, path)

    def leaves(self) -> Iterator[tuple[Path, Any]]:
        """Every leaf path and value, depth first in key order."""
        return _leaves(self.tree, ())

    def leaf_count(self) -> int:
        return sum(1 for _ in self.leaves())


def _leaves(node: Mapping[str, Any], prefix: Path) -> Iterator[tuple[Path, Any]]:
    for key, value in node.items():
        path = (*prefix, key)
        if isinstance(value, dict) and value:
            yield from _leaves(value, path)
        else:
            yield path, value


class TreeBuilder:
    """Builds a canonical tree together with its origins and raw text."""

    __slots__ = ("origins", "raw", "root")

    def __init__(self) -> None:
        self.root: Tree = {}
        self.origins: dict[Path, Origin] = {}
        self.raw: dict[Path, str] = {}

    def branch(self, path: Path, origin: Origin | None = None, raw: str | None = None) -> Tree:
        """Return the mapping at ``path``, creating it (and its parents) when absent."""
        node = self.root
        for segment in path:
            child = node.get(segment)
            if not isinstance(child, dict):
                child = node[segment] = {}
            node = child
        self._note(path, origin, raw)
        return node

    def set(self, path: Path, value: Any, origin: Origin | None = None, raw: str | None = None) -> None:
        """Set the leaf (or whole subtree) at ``path``."""
        parent = self.branch(path[:-1])
        parent[path[-1]] = value
        self._note(path, origin, raw)

    def _note(self, path: Path, origin: Origin | None, raw: str | None) -> None:
        if origin is not None:
            self.origins[path] = origin
        if raw is not None:
            self.raw[path] = raw

    def into(self, env: Environment) -> Environment:
        env.tree = self.root
        env.origins = self.origins
        env.raw = self.raw
        return env


def combine(parts: Iterable[Environment], name: str, spec: str) -> Environment:
    """One environment from several loaded pieces (a compose project, a Dockerfile, tfvars…).

    Pieces fill different subtrees; where two fill the same mapping, their keys merge and a
    later piece wins on the same leaf.
    """
    parts = list(parts)
    env = Environment(name=name, spec=spec)
    coverage = Coverage()
    for part in parts:
        _merge_into(env.tree, part.tree)
        env.origins.update(part.origins)
        env.raw.update(part.raw)
        coverage = coverage | part.coverage
        env.sources.extend(s for s in part.sources if s not in env.sources)
        env.diagnostics.extend(part.diagnostics)
    env.coverage = coverage
    found = [part.secrets for part in parts]
    env.secrets = frozenset(s for f in found if f is not None for s in f) if None not in found else None
    return env


def _merge_into(target: Tree, source: Mapping[str, Any]) -> None:
    for key, value in source.items():
        current = target.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _merge_into(current, value)
        else:
            target[key] = value


def describe(path: Path) -> str:
    """A path for messages: its pointer, or ``/`` for the root."""
    return to_pointer(path) or "/"
