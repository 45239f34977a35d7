"""Where deepdiff earns its place: lists without identity, and renamed entries.

Lists that reach the engine are ordered ones (a command line, a healthcheck test): loaders
turn unordered lists into keyed maps. When such a list changes, deepdiff tells which items
moved, changed or appeared. When a service (or variable) disappears under one name and
another appears beside it with nearly the same content, deepdiff's distance says it is
probably a rename. deepdiff objects never leave this module, and it is imported lazily so the
GUI starts without paying for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parity_gui.core.drift import Drift, DriftKind
from parity_gui.core.secret_text import MASK, secret_arguments
from parity_gui.core.secrets import is_secret_key

#: Two entries whose deep distance is below this look like one entry renamed.
RENAME_DISTANCE = 0.25
#: Beyond this many removed×added pairs under one parent, renames are not looked for.
MAX_RENAME_PAIRS = 400
#: Pairs sharing less than this share of their leaves are not measured by deepdiff at all.
PREFILTER_OVERLAP = 0.5


def describe_list_change(old: list[Any], new: list[Any]) -> str:
    """A short human account of how ``new`` differs from ``old``; the value of a secret flag
    (``"--requirepass", "pw"``) is told as the mask, as nothing but its position says it is one."""
    from deepdiff import DeepDiff

    if sorted(map(repr, old)) == sorted(map(repr, new)):
        return "same items in a different order"
    diff = DeepDiff(old, new, view="tree", threshold_to_diff_deeper=0)
    hidden_old, hidden_new = _secret_items(old), _secret_items(new)
    parts: list[str] = []
    for change in [*diff.get("values_changed", []), *diff.get("type_changes", [])]:
        index = _index(change)
        parts.append(f"item {index}: {_shown(change.t1, index, hidden_old)} → {_shown(change.t2, index, hidden_new)}")
    for change in diff.get("iterable_item_added", []):
        parts.append(f"added {_shown(change.t2, _index(change), hidden_new)}")
    for change in diff.get("iterable_item_removed", []):
        parts.append(f"removed {_shown(change.t1, _index(change), hidden_old)}")
    return "; ".join(parts[:8]) + (f"; … {len(parts) - 8} more" if len(parts) > 8 else "")


def _secret_items(items: list[Any]) -> frozenset[str]:
    if not all(isinstance(item, str) for item in items):
        return frozenset()
    return frozenset(str(i) for i in secret_arguments(items, is_secret_key))


def _shown(value: Any, index: str, hidden: frozenset[str]) -> str:
    return repr(MASK) if index in hidden else repr(value)


def _index(change: Any) -> str:
    path = change.path(output_format="list")
    return str(path[-1]) if path else "?"


def find_renames(drifts: Sequence[Drift]) -> dict[int, str]:
    """For each drift that looks like half of a rename, a note naming the other half.

    Only named entries are looked at (``/services/<name>``, ``/images/<stage>``, ``/variables/…``
    siblings at the second level): settings under a service are fixed keys, never renamed.
    """
    by_parent: dict[tuple[str, ...], dict[DriftKind, list[int]]] = {}
    for index, drift in enumerate(drifts):
        if drift.kind is not DriftKind.CHANGED and len(drift.values) == 2 and len(drift.path) == 2:
            by_parent.setdefault(drift.path[:-1], {}).setdefault(drift.kind, []).append(index)
    notes: dict[int, str] = {}
    for groups in by_parent.values():
        removed, added = groups.get(DriftKind.REMOVED, []), groups.get(DriftKind.ADDED, [])
        if removed and added and len(removed) * len(added) <= MAX_RENAME_PAIRS:
            notes.update(_pair_up(drifts, removed, added))
    return notes


def _pair_up(drifts: Sequence[Drift], removed: list[int], added: list[int]) -> dict[int, str]:
    from deepdiff import DeepDiff

    leaves = {i: _leaf_set(drifts[i].values[0 if i in removed else 1]) for i in (*removed, *added)}
    scored = []
    for r in removed:
        for a in added:
            old, new = drifts[r].values[0], drifts[a].values[1]
            if not isinstance(old, dict) or not isinstance(new, dict):
                continue
            if _overlap(leaves[r], leaves[a]) < PREFILTER_OVERLAP:
                continue  # clearly different: spare the (much slower) deep distance
            if drifts[r].path[0] == "images" and not _stages_alike(leaves[r], leaves[a]):
                continue
            distance = DeepDiff(old, new, get_deep_distance=True).get("deep_distance", 0.0)
            if distance < RENAME_DISTANCE:
                scored.append((distance, r, a))
    notes: dict[int, str] = {}
    for _, r, a in sorted(scored):
        if r in notes or a in notes:
            continue
        notes[r] = f"probably renamed to {drifts[a].path[-1]!r}"
        notes[a] = f"probably renamed from {drifts[r].path[-1]!r}"
    return notes


#: What every stage built from one image shares; it says nothing about a rename.
_STAGE_FRAME = frozenset({"base", "syntax"})


def _stages_alike(left: frozenset[tuple[Any, ...]], right: frozenset[tuple[Any, ...]]) -> bool:
    """Two build stages look alike when they share something besides their base image: two
    stages ``FROM python:3.12`` that install different things are not one stage renamed."""
    own_left = {leaf for leaf in left if leaf[0][0] not in _STAGE_FRAME}
    own_right = {leaf for leaf in right if leaf[0][0] not in _STAGE_FRAME}
    if not own_left and not own_right:
        return left == right
    return bool(own_left & own_right)


def _leaf_set(value: Any) -> frozenset[tuple[Any, ...]]:
    """The (path, value) pairs of a subtree, for a quick first look at similarity."""
    if not isinstance(value, dict):
        return frozenset()
    found: set[tuple[Any, ...]] = set()
    stack: list[tuple[tuple[str, ...], Any]] = [((), value)]
    while stack:
        prefix, node = stack.pop()
        for key, child in node.items():
            if isinstance(child, dict) and child:
                stack.append(((*prefix, key), child))
            else:
                found.add(((*prefix, key), repr(child)))
    return frozenset(found)


def _overlap(left: frozenset[tuple[Any, ...]], right: frozenset[tuple[Any, ...]]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)
