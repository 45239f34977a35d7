"""Drift groups as the human-readable reports show them: each group with the row of its first
member (whose cells are already masked), so a group reads the same in every format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parity_gui.core.pointer import readable
from parity_gui.engine.comparison import Comparison
from parity_gui.engine.groups import DriftGroup, drift_groups
from parity_gui.export.sections import Row, Section

#: How many places a report names before "and N more".
NAMED_PLACES = 30


@dataclass(frozen=True)
class ShownGroup:
    """A group, its first member's row, and its places as text."""

    group: DriftGroup
    row: Row

    @property
    def pattern(self) -> str:
        return "/" + readable(self.group.pattern)

    @property
    def places(self) -> str:
        entities = self.group.entities
        named = ", ".join(entities[:NAMED_PLACES])
        return named + (f" and {len(entities) - NAMED_PLACES} more" if len(entities) > NAMED_PLACES else "")


def shown_groups(comparison: Comparison, sections: Sequence[Section]) -> list[ShownGroup]:
    """The comparison's unexpected drift groups, with their rows from ``sections``."""
    rows = {id(row.drift): row for section in sections for row in section.rows}
    groups = drift_groups([d for d in comparison.drifts if not d.expected])
    return [ShownGroup(g, rows[id(g.members[0])]) for g in groups if id(g.members[0]) in rows]
