"""Per-path facts about the drift below each node, computed once per comparison.

A tree view asks, for every row it draws, "how much drift is under here and how bad is the
worst of it?" (the badge), and the drift filter asks "does anything under here, or around here,
pass the filter?". Both are answered from one dictionary keyed by path prefix, built in a
worker thread together with the comparison, so no view ever walks a subtree.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter
from typing import Any

from parity_gui.core.drift import Drift, Severity
from parity_gui.core.pointer import Path
from parity_gui.engine.comparison import Comparison, child_keys, child_values
from parity_gui.engine.groups import drift_groups

ALL_SEVERITIES = (1 << len(Severity)) - 1

#: At the first showing, the branches of this many drifts open (a few screens);
#: F8 and "Reveal all drift" reach the rest.
REVEAL_LIMIT = 30


def severity_bit(severity: Severity) -> int:
    return 1 << severity.rank


def mask_at_least(severity: Severity | None) -> int:
    """The bit mask of severities at least as serious as ``severity`` (all when None)."""
    if severity is None:
        return ALL_SEVERITIES
    return (1 << (severity.rank + 1)) - 1


@dataclass(slots=True)
class Below:
    """The drift at and below one path."""

    unexpected: int = 0
    expected: int = 0
    worst: Severity | None = None  #: the worst unexpected severity
    mask: int = 0  #: one bit per severity present (expected or not)
    by_rank: list[int] | None = None  #: unexpected drift per severity rank, once there is some

    def add(self, drift: Drift) -> None:
        self.mask |= severity_bit(drift.severity)
        if drift.expected:
            self.expected += 1
            return
        self.unexpected += 1
        if self.by_rank is None:
            self.by_rank = [0] * len(Severity)
        self.by_rank[drift.severity.rank] += 1
        if self.worst is None or drift.severity.rank < self.worst.rank:
            self.worst = drift.severity

    def counted(self, mask: int) -> tuple[int, Severity | None]:
        """How much unexpected drift passes ``mask``, and the worst of it."""
        if mask == ALL_SEVERITIES or self.by_rank is None:
            return self.unexpected, self.worst
        ranks = [rank for rank, count in enumerate(self.by_rank) if count and mask & (1 << rank)]
        worst = next((s for s in Severity if ranks and s.rank == ranks[0]), None)
        return sum(self.by_rank[rank] for rank in ranks), worst


class DriftIndex:
    """What the views need to know about drift by path, without walking the tree."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.below: dict[Path, Below] = {}
        self._covered: dict[int, dict[Path, bool]] = {}
        for drift in comparison.drifts:
            for end in range(len(drift.path) + 1):
                prefix = drift.path[:end]
                entry = self.below.get(prefix)
                if entry is None:
                    entry = self.below[prefix] = Below()
                entry.add(drift)

        self.positions = ruler_positions(comparison)
        #: (position, drift) from top to bottom: the overview ruler's marks, sorted here in the worker
        self.marks: list[tuple[float, Drift]] = sorted(zip(self.positions, comparison.drifts, strict=True),
                                                      key=itemgetter(0))
        self.groups = drift_groups(comparison.drifts)  #: the same change in many places
        #: how many unexpected drifts come up to and including each drift ("drift 3 of 35")
        self.unexpected_upto: list[int] = list(accumulate(int(not d.expected) for d in comparison.drifts))
        #: per branch with drift below: the key of each child with drift at or below it, and the
        #: severities there (what the drift filter asks of each child, without walking any)
        self.drift_children: dict[Path, dict[str, int]] = {}
        for drift in comparison.drifts:
            bit = severity_bit(drift.severity)
            for end in range(len(drift.path)):
                keys = self.drift_children.setdefault(drift.path[:end], {})
                keys[drift.path[end]] = keys.get(drift.path[end], 0) | bit
        self._build_first_screens()

    def _build_first_screens(self) -> None:
        """Build the aligned nodes the first showing opens (the branches of the first
        :data:`REVEAL_LIMIT` drifts and their siblings): done here, in the worker that compares,
        a million-row comparison's 20,000 services cost the window nothing when it opens them."""
        for path in self.branches_to_reveal(REVEAL_LIMIT):
            node = self.comparison.node(path)
            if node is not None:
                node.child("")  # its children and their index by key
        first = self.comparison.next_drift(None)
        if first is not None:
            self.comparison.node(first.path)

    def under(self, path: Path) -> Below | None:
        return self.below.get(path)

    def expected_only(self, path: Path) -> bool:
        """Whether every drift at, below or around ``path`` is declared expected (a row that
        "hide expected" leaves out)."""
        entry = self.below.get(path)
        if entry is not None:
            return entry.unexpected == 0
        drift = self.comparison.drift_covering(path) if path else None
        return drift is not None and drift.expected

    def accepts(self, path: Path, mask: int) -> bool:
        """True when drift passing ``mask`` lies at, below, or at an ancestor of ``path``."""
        entry = self.below.get(path)
        if entry is not None and entry.mask & mask:
            return True
        return bool(path) and self.covered(path[:-1], mask)

    def passing_children(self, path: Path, mask: int) -> set[str] | None:
        """The keys of the children of ``path`` that the drift filter keeps at ``mask``: those with
        passing drift at or below them; None when every child passes (``path`` or an ancestor
        is itself a passing drift, an added or removed subtree)."""
        if path and self.covered(path, mask):
            return None
        return {key for key, bits in self.drift_children.get(path, {}).items() if bits & mask}

    def covered(self, path: Path, mask: int) -> bool:
        """Whether ``path`` or an ancestor is itself a drift passing ``mask`` (remembered per path)."""
        cache = self._covered.setdefault(mask, {})
        known = cache.get(path)
        if known is None:
            drift = self.comparison.drift_at(path) if path else None
            known = bool(drift is not None and severity_bit(drift.severity) & mask) or (
                bool(path) and self.covered(path[:-1], mask)
            )
            cache[path] = known
        return known

    def branches_to_reveal(self, limit: int | None = None, mask: int = ALL_SEVERITIES) -> list[Path]:
        """The branch paths to expand so that drift rows show, in display order.

        With ``limit``, only the ancestors of the first ``limit`` drifts are returned: a huge
        comparison opens on its first screens of drift, and F8 reaches the rest.
        """
        seen: dict[Path, None] = {}
        shown = 0
        for drift in self.comparison.drifts:
            if not severity_bit(drift.severity) & mask:
                continue
            if limit is not None and shown >= limit:
                break
            shown += 1
            for end in range(1, len(drift.path)):
                seen.setdefault(drift.path[:end])
        return list(seen)


#: How deep the ruler looks to weigh a branch by its size; below it, children share equally.
WEIGH_DEPTH = 2


def ruler_positions(comparison: Comparison) -> list[float]:
    """Where each drift sits in the comparison's display order, from 0 (top) to 1 (bottom), for
    the overview ruler; one entry per drift, in the order of :attr:`Comparison.drifts`.

    Decision: near the top (above :data:`WEIGH_DEPTH`) a branch's stretch is shared among its
    children by their estimated size, so a big ``services`` section fills most of the ruler as it
    fills most of the tree; deeper, children share equally. No row is walked and no view's node
    built.
    """
    shares: dict[Path, tuple[dict[str, tuple[float, float]], tuple[Any, ...]]] = {}

    def share_of(parent: Path, values: tuple[Any, ...]) -> dict[str, tuple[float, float]]:
        known = shares.get(parent)
        if known is None:
            keys = child_keys(values)
            depth = len(parent) + 1
            weights = ([_size(child_values(values, key), depth) for key in keys] if depth < WEIGH_DEPTH
                       else [1] * len(keys))
            total = float(sum(weights)) or 1.0
            spans, start = {}, 0.0
            for key, weight in zip(keys, weights, strict=True):
                spans[key] = (start / total, weight / total)
                start += weight
            known = shares[parent] = (spans, values)
        return known[0]

    root = tuple(e.tree for e in comparison.environments)
    positions = []
    for drift in comparison.drifts:
        start, span, values = 0.0, 1.0, root
        for depth, key in enumerate(drift.path):
            spans = share_of(drift.path[:depth], values)
            if key not in spans:
                break
            offset, width = spans[key]
            start += offset * span
            span *= width
            values = child_values(values, key)
        positions.append(start + span / 2)
    return positions


def _size(values: tuple[Any, ...], depth: int) -> int:
    """About how many rows a branch shows when open: counted to :data:`WEIGH_DEPTH`, estimated below."""
    keys = child_keys(values)
    if depth >= WEIGH_DEPTH or not keys:
        return 1 + len(keys)
    return 1 + sum(_size(child_values(values, key), depth + 1) for key in keys)
