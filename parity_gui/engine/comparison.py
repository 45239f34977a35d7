"""The result of a comparison: drift records, the aligned tree and navigation between drifts.

The comparison owns navigation (as Meld's diff matcher precomputes next and previous change):
views ask "the next drift after this path" and never scan rows themselves.
"""

from __future__ import annotations

import bisect
import weakref
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from parity_gui.core.drift import Drift, DriftKind, Severity
from parity_gui.core.options import CompareOptions
from parity_gui.core.pointer import Path, nearest
from parity_gui.core.tree import MISSING, Diagnostic, Environment
from parity_gui.engine.align import Alignment

Order = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for a status bar or a report. ``drift`` counts unexpected drift only."""

    drift: int
    expected: int
    context: int
    by_severity: dict[Severity, int]
    by_kind: dict[DriftKind, int]
    known: int = 0  #: drift already in the baseline report, not counted in ``drift``

    @property
    def worst(self) -> Severity | None:
        present = [s for s in Severity if self.by_severity.get(s)]
        return present[0] if present else None


class AlignedNode:
    """One row of the aligned tree: a path and its value in every environment.

    Children are built on first access, so a comparison of a million leaves costs nothing
    until a view opens its branches. Each node stores its row in its parent.
    """

    __slots__ = ("__weakref__", "_children", "_comparison", "_index", "_parent", "key", "path", "row", "values")

    def __init__(
        self, comparison: Comparison, parent: AlignedNode | None, key: str, row: int, values: tuple[Any, ...],
        *, parent_ref: weakref.ref[AlignedNode] | None = None,
    ) -> None:
        # Decision: a node holds its parent and its comparison weakly (one shared reference per
        # parent), so the tree has no reference cycles: a replaced comparison is freed at once,
        # never left to the cyclic collector, whose pass over a big tree stops the window.
        self._comparison = weakref.ref(comparison)
        self._parent = parent_ref or (weakref.ref(parent) if parent is not None else None)
        self.key = key
        self.row = row
        self.path: Path = (*parent.path, key) if parent is not None else ()
        self.values = values
        self._children: list[AlignedNode] | None = None
        self._index: dict[str, AlignedNode] | None = None

    @property
    def comparison(self) -> Comparison:
        comparison = self._comparison()
        if comparison is None:
            raise ReferenceError("the comparison of this row was replaced")
        return comparison

    @property
    def parent(self) -> AlignedNode | None:
        return self._parent() if self._parent is not None else None

    @property
    def children(self) -> list[AlignedNode]:
        if self._children is None:
            keys = child_keys(self.values)
            comparison, me = self.comparison, weakref.ref(self)
            self._children = [
                AlignedNode(comparison, self, key, row, child_values(self.values, key), parent_ref=me)
                for row, key in enumerate(keys)
            ]
        return self._children

    def child(self, key: str) -> AlignedNode | None:
        if self._index is None:
            self._index = {c.key: c for c in self.children}
        return self._index.get(key)

    @property
    def is_branch(self) -> bool:
        return any(isinstance(v, dict) and v for v in self.values)

    def has_children(self) -> bool:
        return self.is_branch

    def present(self, index: int) -> bool:
        return self.values[index] is not MISSING

    @property
    def drift(self) -> Drift | None:
        """The drift recorded at this very path, if any."""
        return self.comparison.drift_at(self.path)

    @property
    def enclosing_drift(self) -> Drift | None:
        """The drift at this path or at an added/removed ancestor that contains it."""
        return self.comparison.drift_covering(self.path)

    @property
    def drift_count(self) -> int:
        """How many drifts lie at or below this node (for an ancestor's badge)."""
        return self.comparison.count_under(self.path)

    def __repr__(self) -> str:
        return f"AlignedNode({self.path!r})"


def child_keys(values: Sequence[Any]) -> list[str]:
    """The union of child keys, in the first environment's order, then each next one's."""
    keys: dict[str, None] = {}
    for value in values:
        if isinstance(value, dict):
            keys.update(dict.fromkeys(value))
    return list(keys)


def child_values(values: Sequence[Any], key: str) -> tuple[Any, ...]:
    return tuple(v.get(key, MISSING) if isinstance(v, dict) else MISSING for v in values)


class Comparison:
    """Environments aligned path by path, with drift rated against the baseline (index 0)."""

    def __init__(
        self,
        environments: Sequence[Environment],
        drifts: Sequence[tuple[Order, Drift]],
        context: Sequence[Drift],
        options: CompareOptions,
        alignments: Sequence[Alignment] = (),
    ) -> None:
        self.environments = tuple(environments)
        self.options = options
        #: Entries compared as one although their keys differ (see :mod:`parity_gui.engine.align`).
        self.alignments: tuple[Alignment, ...] = tuple(alignments)
        self.drifts: tuple[Drift, ...] = tuple(d for _, d in drifts)
        self.context: tuple[Drift, ...] = tuple(context)
        self._orders: list[Order] = [o for o, _ in drifts]
        self._by_path = {d.path: i for i, d in enumerate(self.drifts)}
        self._context_paths = {d.path: d for d in self.context}
        self._counts: Counter[Path] | None = None
        #: Warnings about the comparison itself (an expected difference that matches nothing).
        self.warnings: list[Diagnostic] = []
        self.root = AlignedNode(self, None, "", 0, tuple(e.tree for e in self.environments))

    # --- what there is -------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.environments)

    @property
    def baseline(self) -> Environment:
        return self.environments[0]

    @property
    def unexpected(self) -> tuple[Drift, ...]:
        """Drift that fails a check: neither expected by design nor known from a baseline report."""
        return tuple(d for d in self.drifts if not d.expected and not d.known)

    def summary(self) -> Summary:
        unexpected = self.unexpected
        known = sum(1 for d in self.drifts if d.known and not d.expected)
        return Summary(
            drift=len(unexpected),
            expected=sum(1 for d in self.drifts if d.expected),
            context=len(self.context),
            by_severity={s: sum(1 for d in unexpected if d.severity is s) for s in Severity},
            by_kind={k: sum(1 for d in unexpected if d.kind is k) for k in DriftKind},
            known=known,
        )

    def mark_known(self, is_known: Callable[[Drift], bool]) -> int:
        """Mark the drift ``is_known`` accepts as known (a baseline report has it); how many."""
        marked = [d.as_known() if not d.known and is_known(d) else d for d in self.drifts]
        count = sum(1 for old, new in zip(self.drifts, marked, strict=True) if old is not new)
        self.drifts = tuple(marked)
        self._counts = None
        return count

    def drift_at(self, path: Path) -> Drift | None:
        index = self._by_path.get(path)
        return None if index is None else self.drifts[index]

    def context_at(self, path: Path) -> Drift | None:
        """A difference outside what every environment covers: shown, never counted."""
        return nearest(self._context_paths, path)

    def drift_covering(self, path: Path) -> Drift | None:
        for end in range(len(path), -1, -1):
            drift = self.drift_at(path[:end])
            if drift is not None and (end == len(path) or drift.kind is not DriftKind.CHANGED):
                return drift
        return None

    def count_under(self, path: Path) -> int:
        if self._counts is None:
            counts: Counter[Path] = Counter()
            for drift in self.drifts:
                for end in range(len(drift.path) + 1):
                    counts[drift.path[:end]] += 1
            self._counts = counts
        return self._counts.get(path, 0)

    def drifts_under(self, path: Path) -> tuple[Drift, ...]:
        """The drift at or below ``path``, in display order (one slice of :attr:`drifts`)."""
        start = bisect.bisect_left(self._orders, self.order_of(path))
        end = start
        depth = len(path)
        while end < len(self.drifts) and self.drifts[end].path[:depth] == path:
            end += 1
        return self.drifts[start:end]

    def drift_position(self, path: Path | None) -> int:
        """How many drifts come before ``path`` or at it in display order ("drift 3 of 35")."""
        return 0 if path is None else bisect.bisect_right(self._orders, self.order_of(path))

    # --- the aligned tree -----------------------------------------------------------------
    def node(self, path: Path) -> AlignedNode | None:
        node: AlignedNode | None = self.root
        for key in path:
            if node is None:
                return None
            node = node.child(key)
        return node

    def walk(self, node: AlignedNode | None = None) -> Iterator[AlignedNode]:
        """Every node below ``node`` (the root by default) in display order; builds them all."""
        stack = list(reversed((node or self.root).children))
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(current.children))

    def order_of(self, path: Path) -> Order:
        """The position of ``path`` in display order (row numbers from the root)."""
        order: list[int] = []
        node = self.root
        for key in path:
            child = node.child(key)
            if child is None:
                order.append(len(node.children))
                break
            order.append(child.row)
            node = child
        return tuple(order)

    # --- navigation -----------------------------------------------------------------------
    def next_drift(
        self, after: Path | None = None, *, wrap: bool = True, accept: Callable[[Drift], bool] | None = None
    ) -> Drift | None:
        """The first drift after ``after`` in display order (from the top when None)."""
        start = 0 if after is None else bisect.bisect_right(self._orders, self.order_of(after))
        candidates = list(range(start, len(self.drifts)))
        if wrap:
            candidates += range(start)
        return self._first(candidates, accept)

    def previous_drift(
        self, before: Path | None = None, *, wrap: bool = True, accept: Callable[[Drift], bool] | None = None
    ) -> Drift | None:
        """The last drift before ``before`` in display order (from the bottom when None)."""
        end = len(self.drifts) if before is None else bisect.bisect_left(self._orders, self.order_of(before))
        candidates = list(range(end - 1, -1, -1))
        if wrap:
            candidates += range(len(self.drifts) - 1, end - 1, -1)
        return self._first(candidates, accept)

    def _first(self, indices: Sequence[int], accept: Callable[[Drift], bool] | None) -> Drift | None:
        for index in indices:
            drift = self.drifts[index]
            if accept is None or accept(drift):
                return drift
        return None
