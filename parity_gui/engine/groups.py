"""Drift groups: the same change in many places, told once.

One tag bump in 40 services, one label in 300 objects: drifts of the same kind, with the same
values in every environment, at paths that differ only in the entity they belong to (the second
segment: a service, an image, a Terraform address, a Kubernetes object). Such drifts form a
:class:`DriftGroup` when there are at least :data:`GROUP_MIN` of them; front ends show the
group as one row that opens to its members.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from parity_gui.core.drift import Drift, DriftKind, Severity
from parity_gui.core.pointer import Path

#: The fewest drifts that make a group.
GROUP_MIN = 3
#: The segment of a path that names the entity (``/services/<name>/…``).
ENTITY = 1
ANY = "*"


@dataclass(frozen=True)
class DriftGroup:
    """Drifts that make the same change in several entities."""

    pattern: Path  #: the path with the entity as ``*``: ``("services", "*", "image", "tag")``
    kind: DriftKind
    members: tuple[Drift, ...]

    @property
    def severity(self) -> Severity:
        return min((d.severity for d in self.members), key=lambda s: s.rank)

    @property
    def values(self) -> tuple[object, ...]:
        return self.members[0].values

    @property
    def entities(self) -> tuple[str, ...]:
        return tuple(d.path[ENTITY] for d in self.members)

    @property
    def expected(self) -> bool:
        return all(d.expected for d in self.members)


def _signature(drift: Drift) -> tuple[object, ...] | None:
    if len(drift.path) <= ENTITY:
        return None
    pattern = (*drift.path[:ENTITY], ANY, *drift.path[ENTITY + 1:])
    values = json.dumps(drift.values, sort_keys=True, default=repr)
    return pattern, drift.kind, drift.expected, values


def drift_groups(drifts: Sequence[Drift], minimum: int = GROUP_MIN) -> list[DriftGroup]:
    """The groups among ``drifts``, in the order of their first member; one pass, no pairwise
    comparison."""
    found: dict[tuple[object, ...], list[Drift]] = {}
    for drift in drifts:
        signature = _signature(drift)
        if signature is not None:
            found.setdefault(signature, []).append(drift)
    return [
        DriftGroup(signature[0], members[0].kind, tuple(members))  # type: ignore[arg-type]
        for signature, members in found.items()
        if len(members) >= minimum
    ]
