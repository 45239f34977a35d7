"""Drift records: small immutable facts about where environments part."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path, to_pointer
from parity_gui.core.tree import MISSING


class DriftKind(enum.Enum):
    """How a path differs from the baseline."""

    CHANGED = "changed"
    ADDED = "added"  #: absent from the baseline, present in another environment
    REMOVED = "removed"  #: present in the baseline, absent from another environment


class Severity(enum.Enum):
    """How much a drift matters, most serious first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical up to 4 for info: sorts most serious first."""
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (one of {names})") from None


_RANK = {s: i for i, s in enumerate(Severity)}


@dataclass(frozen=True, slots=True)
class Rating:
    """The verdict of a severity rule on one drift."""

    severity: Severity
    rule: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Drift:
    """One difference between the baseline and at least one other environment.

    ``values`` and ``origins`` hold one entry per environment in comparison order;
    :data:`~parity_gui.core.tree.MISSING` (``null`` in JSON) where the path is absent. ``path`` is
    where the difference starts: a leaf for a changed value, the root of an added or removed
    subtree.
    """

    path: Path
    kind: DriftKind
    severity: Severity
    rule: str
    explanation: str
    values: tuple[Any, ...]
    origins: tuple[Origin | None, ...]
    expected: bool = False
    reason: str | None = None
    detail: str | None = None  #: what changed inside a list, or a likely rename
    known: bool = False  #: already in the baseline report (``--baseline``): shown, never fails a check

    def with_expectation(self, reason: str) -> Drift:
        return replace(self, expected=True, reason=reason)

    def as_known(self) -> Drift:
        return replace(self, known=True)

    @property
    def pointer(self) -> str:
        return to_pointer(self.path)

    def present(self) -> tuple[bool, ...]:
        return tuple(v is not MISSING for v in self.values)
