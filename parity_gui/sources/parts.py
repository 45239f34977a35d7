"""A big environment crosses from its parsing worker in parts, so that receiving it never
holds the window.

Reading a pickled object back is one call that holds the interpreter from its first byte to its
last: a 100,000-row environment read from compose files took about 100 ms, a million rows over
a second, and the window's thread, waiting for the interpreter, could not paint meanwhile. So
the worker sends an environment as parts of at most about :data:`PART_SIZE` values each —
slices of its tree (a path and some of the keys of the mapping there), of its raw texts and of
its origins — and then the environment itself without them. Between two parts the window gets
its turn.

The tree is cut only at mappings (``dict``), in key order, so the environment put together is
equal to the one sent, keys in the same order. Lists and other values travel whole, inside the
slice that holds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import islice
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path
from parity_gui.core.tree import Diagnostic, Environment, Level

#: About how many values (leaves, mappings, lists, origins or raw texts) one part carries: the
#: parts of a generated 100k-leaf compose file read back in 0.4–0.7 ms each.
PART_SIZE = 3_000

#: One part: which of the environment's maps it belongs to, and its piece of that map.
Part = tuple[str, Any]


def parts(env: Environment, size: int = PART_SIZE) -> tuple[Iterator[Part], Environment]:
    """The parts ``env`` is sent in (made one at a time, as they are sent: the worker holds no
    second copy of the environment), and the environment left to send after them.

    Origins and diagnostics always travel as plain tuples (a named tuple or a dataclass costs
    ten times as much to read back, one per value); the tree and the raw texts are cut in parts
    only when the environment holds more than ``size`` values.
    """
    rest = replace(env, origins={}, diagnostics=[])
    sizes: dict[int, int] = {}
    cut = _size(env.tree, sizes) + len(env.raw) > size
    if cut:
        rest.tree, rest.raw = {}, {}
    return _pieces(env, size, sizes, cut), rest


def _pieces(env: Environment, size: int, sizes: dict[int, int], cut: bool) -> Iterator[Part]:
    if cut:
        for branch in _tree_pieces((), env.tree, size, sizes):
            yield "tree", branch
        for texts in _slices(env.raw, size):
            yield "raw", texts
    for origins in _slices(env.origins, size):
        yield "origins", (list(origins), [tuple(o) for o in origins.values()])
    if env.diagnostics:
        yield "diagnostics", [(d.message, d.file, d.line, d.column, d.level.value) for d in env.diagnostics]


class Assembly:
    """Puts the parts back together as they arrive, then into the environment sent after them."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}
        self.raw: dict[Path, str] = {}
        self.cut = False  #: whether the tree and raw texts came in parts
        self.origins: dict[Path, Origin] = {}
        self.diagnostics: list[Diagnostic] = []

    def add(self, part: Part) -> None:
        kind, piece = part
        if kind == "tree":
            path, keys = piece
            node = self.tree
            for segment in path:
                node = node.setdefault(segment, {})
            node.update(keys)
            self.cut = True
        elif kind == "raw":
            self.raw.update(piece)
        elif kind == "origins":
            paths, origins = piece
            self.origins.update(zip(paths, map(Origin._make, origins), strict=True))
        elif kind == "diagnostics":
            self.diagnostics += [Diagnostic(m, f, line, c, Level(level)) for m, f, line, c, level in piece]
        else:
            raise ValueError(f"unknown part {kind!r}")

    def finish(self, env: Environment) -> Environment:
        """``env`` with what the parts carried."""
        if self.cut:
            env.tree, env.raw = self.tree, self.raw
        env.origins, env.diagnostics = self.origins, self.diagnostics
        return env


def _size(value: Any, sizes: dict[int, int]) -> int:
    """How many values ``value`` holds, itself included; mappings' sizes kept in ``sizes``."""
    if isinstance(value, dict):  # a mapping of another type is counted, though cut never
        known = sizes.get(id(value))
        if known is None:
            known = sizes[id(value)] = 1 + sum(_size(child, sizes) for child in value.values())
        return known
    if isinstance(value, list | tuple):
        return 1 + sum(_size(child, sizes) for child in value)
    return 1


def _tree_pieces(
    path: Path, mapping: dict[str, Any], size: int, sizes: dict[int, int]
) -> Iterator[tuple[Path, dict[str, Any]]]:
    """(path, some keys of the mapping there) in key order: a child bigger than ``size`` is cut
    in turn; smaller ones share a piece up to about ``size`` values."""
    batch: dict[str, Any] = {}
    held = 0
    for key, value in mapping.items():
        weight = _size(value, sizes)
        if weight > size and type(value) is dict and value:
            if batch:
                yield path, batch
                batch, held = {}, 0
            yield from _tree_pieces((*path, key), value, size, sizes)
            continue
        if batch and held + weight > size:
            yield path, batch
            batch, held = {}, 0
        batch[key] = value
        held += weight
    if batch or not mapping:
        yield path, batch


def _slices(mapping: dict[Any, Any], size: int) -> Iterator[dict[Any, Any]]:
    items = iter(mapping.items())
    while piece := dict(islice(items, size)):
        yield piece
