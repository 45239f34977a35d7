"""A change reviewed: each environment before and after it, and the drift between environments
sorted by how the change moved it (new, resolved, changed). Built by
:mod:`parity_gui.app.review`; reported by :mod:`parity_gui.export.review_report`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from parity_gui.core.drift import Drift
from parity_gui.core.pointer import Path
from parity_gui.engine.comparison import Comparison


class Movement(enum.Enum):
    """How one drift between environments moved with the change."""

    NEW = "new"
    RESOLVED = "resolved"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class MovedDrift:
    """A drift between environments before the change, after it, or both."""

    movement: Movement
    before: Drift | None
    after: Drift | None

    @property
    def drift(self) -> Drift:
        found = self.after or self.before
        assert found is not None
        return found

    @property
    def fails(self) -> bool:
        """Whether this makes the review fail: drift the change adds that nobody expects or knows."""
        after = self.after
        if after is None or after.expected or after.known:
            return False
        return self.before is None or self.before.expected or self.before.known


@dataclass(frozen=True)
class EnvironmentChange:
    """One environment before (the baseline of :attr:`comparison`) and after the change."""

    name: str
    comparison: Comparison


@dataclass(frozen=True)
class Review:
    """Everything ``parity review`` reports."""

    base: str  #: the revision as named (``main``, a merge base's short name)
    commit: str  #: its full object name
    names: tuple[str, ...]
    changes: tuple[EnvironmentChange, ...]
    before: Comparison | None  #: the environments at the base (None with one environment)
    after: Comparison | None
    moved: tuple[MovedDrift, ...]

    def of(self, movement: Movement) -> tuple[MovedDrift, ...]:
        return tuple(m for m in self.moved if m.movement is movement)

    @property
    def failing(self) -> tuple[MovedDrift, ...]:
        return tuple(m for m in self.moved if m.fails)


def moved_drift(before: Comparison, after: Comparison) -> tuple[MovedDrift, ...]:
    """The drift between environments sorted into new, resolved and changed, in path order."""
    then: dict[tuple[Path, str], Drift] = {(d.path, d.kind.value): d for d in before.drifts}
    now: dict[tuple[Path, str], Drift] = {(d.path, d.kind.value): d for d in after.drifts}
    moved = []
    for key in sorted(then.keys() | now.keys()):
        old, new = then.get(key), now.get(key)
        if old is None:
            moved.append(MovedDrift(Movement.NEW, None, new))
        elif new is None:
            moved.append(MovedDrift(Movement.RESOLVED, old, None))
        elif old.values != new.values or old.severity is not new.severity:
            moved.append(MovedDrift(Movement.CHANGED, old, new))
    return tuple(moved)
