"""The comparison walk: align environments path by path and record where they part.

The walk is the engine's own, over keyed maps: equal subtrees are skipped with one ``==`` (done
in C), so the cost follows the drift, not the size of the trees. deepdiff serves only where it
earns its place — describing what changed inside a list, and spotting renamed entries — see
:mod:`parity_gui.engine.lists`.

Before the walk, entries whose keys differ only by the environments' own names (or that a
``[[rename]]`` rule pairs) are moved under one key in copies of the environments
(:mod:`parity_gui.engine.align`); every drift below such an entry says so.

Equality is Python's: ``True == 1`` and ``1 == 1.0``. Sources therefore emit one type per
setting (a flag is always a ``bool``, a size always an ``int`` of bytes), so a difference in
type never hides a difference in meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parity_gui.core.drift import Drift, DriftKind
from parity_gui.core.options import CompareOptions
from parity_gui.core.pointer import Path, to_pointer
from parity_gui.core.tree import MISSING, Diagnostic, Environment, Level
from parity_gui.engine.align import Alignment, align, name_patterns, notes
from parity_gui.engine.comparison import Comparison, Order, child_keys
from parity_gui.engine.lists import describe_list_change, find_renames
from parity_gui.engine.pairs import paired
from parity_gui.engine.rules import Case, rate
from parity_gui.errors import OptionsError


def compare(baseline: Environment, *others: Environment, options: CompareOptions | None = None) -> Comparison:
    """Compare ``others`` against ``baseline``; at least one other environment is needed."""
    if not others:
        raise OptionsError("a comparison needs at least two environments")
    options = options or CompareOptions()
    paired_environments = tuple(paired(e, options.pairs) for e in (baseline, *others))
    environments, alignments = align(paired_environments, options)
    walk = _Walk(environments, options)
    loaded = tuple(i for i, e in enumerate(environments) if not e.failed)
    walk.visit(tuple(e.tree for e in environments), (), (), loaded)
    walk.annotate_alignments(alignments)
    walk.annotate_renames()
    comparison = Comparison(environments, walk.found, walk.context, walk.options, alignments)
    comparison.warnings.extend(Diagnostic(note, level=Level.NOTE) for note in notes(alignments, walk.names))
    return comparison


class _Walk:
    """One pass over the aligned trees, collecting drift in display order."""

    def __init__(self, environments: Sequence[Environment], options: CompareOptions) -> None:
        self.environments = tuple(environments)
        self.names = tuple(e.name for e in environments)
        self.options = options
        self.found: list[tuple[Order, Drift]] = []
        self.patterns = name_patterns(self.environments, options)
        self.context: list[Drift] = []

    def visit(self, values: tuple[Any, ...], path: Path, order: Order, active: tuple[int, ...]) -> None:
        if self.options.ignore and path and self.options.ignores(path):
            return
        here = [values[i] for i in active]
        present = [i for i in active if values[i] is not MISSING]
        if len(present) < len(active):
            self.record(values, path, order, active)
            active = tuple(present)
            here = [values[i] for i in active]
            if len(active) < 2 or not all(isinstance(v, dict) for v in here):
                return  # the record above already shows every value: one row per path
        first = here[0]
        if all(v == first and type(v) is type(first) for v in here[1:]):
            return
        if all(isinstance(v, dict) for v in here):
            if len(values) == 2:
                self.visit_pair(values[0], values[1], path, order)
            else:
                self.visit_children(values, path, order, active)
            return
        self.record(values, path, order, active)

    def visit_children(self, values: tuple[Any, ...], path: Path, order: Order, active: tuple[int, ...]) -> None:
        for row, key in enumerate(child_keys(values)):
            child = tuple(v.get(key, MISSING) if isinstance(v, dict) else MISSING for v in values)
            self.visit(child, (*path, key), (*order, row), active)

    def visit_pair(self, left: dict[str, Any], right: dict[str, Any], path: Path, order: Order) -> None:
        """The common two-environment case, with equal children skipped inline (the hot loop)."""
        both = (0, 1)
        row = -1
        for row, (key, a) in enumerate(left.items()):
            b = right.get(key, MISSING)
            if a == b and type(a) is type(b):
                continue
            self.visit((a, b), (*path, key), (*order, row), both)
        for key, b in right.items():
            if key not in left:
                row += 1
                self.visit((MISSING, b), (*path, key), (*order, row), both)

    def record(self, values: tuple[Any, ...], path: Path, order: Order, active: tuple[int, ...]) -> None:
        kind = _kind(values, active)
        shown = tuple(values[i] if i in active else MISSING for i in range(len(values)))
        origins = tuple(
            env.origin(path) if shown[i] is not MISSING else None for i, env in enumerate(self.environments)
        )
        involved = [self.environments[i] for i in active]
        rating = rate(Case(path, kind, shown, self.environments, self.patterns))
        override = self.options.override(path)
        severity = override.severity if override else rating.severity
        rule = "severity-override" if override else rating.rule
        explanation = rating.explanation
        if override:
            explanation += f" (rated {severity.value} by {override.source or 'the project file'})"
        drift = Drift(path, kind, severity, rule, explanation, shown, origins, detail=_detail(kind, shown))
        if not all(env.coverage.covers(path) for env in involved):
            self.context.append(drift)
            return
        expectation = self.options.expectation(path, [self.names[i] for i in active])
        if expectation is not None:
            drift = drift.with_expectation(expectation.reason)
        self.found.append((order, drift))

    def annotate_alignments(self, alignments: Sequence[Alignment]) -> None:
        """Say on each drift below an aligned entry that its keys differ (and why they meet)."""
        if not alignments:
            return
        by_path = {a.path: a for a in alignments}
        depths = sorted({len(p) for p in by_path})
        def described(drift: Drift) -> Drift:
            found = next((by_path[drift.path[:d]] for d in depths if drift.path[:d] in by_path), None)
            return drift if found is None else _with_detail(drift, found.describe(self.names))

        self.found = [(order, described(drift)) for order, drift in self.found]
        self.context = [described(drift) for drift in self.context]

    def annotate_renames(self) -> None:
        """Mark a removed entry and an added sibling that look alike as a likely rename."""
        for index, hint in find_renames([d for _, d in self.found]).items():
            order, drift = self.found[index]
            self.found[index] = (order, _with_detail(drift, hint))


def _kind(values: tuple[Any, ...], active: tuple[int, ...]) -> DriftKind:
    if values[0] is MISSING:
        return DriftKind.ADDED
    if any(values[i] is MISSING for i in active):
        return DriftKind.REMOVED
    return DriftKind.CHANGED


def _detail(kind: DriftKind, values: tuple[Any, ...]) -> str | None:
    present = [v for v in values if v is not MISSING]
    if kind is DriftKind.CHANGED and len(present) >= 2 and all(isinstance(v, list) for v in present):
        return describe_list_change(present[0], present[1])
    return None


def _with_detail(drift: Drift, hint: str) -> Drift:
    from dataclasses import replace

    detail = f"{drift.detail}; {hint}" if drift.detail else hint
    return replace(drift, detail=detail)


__all__ = ["compare", "to_pointer"]
