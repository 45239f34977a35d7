"""A compose definition on its way into the canonical tree, and how two of them merge.

Each file (and each ``extends`` base) is first read into a tree of :class:`Item` — canonical
keys already (ports by ``"80/tcp"``, volumes by target, environment by name), each item keeping
the origin and raw text of what the user wrote. Merging two such trees then follows the compose
specification's rules, because short syntax has already become its keyed form:

* mappings merge key by key, the later file winning on a leaf;
* ``ports`` bindings of the same container port accumulate (``docker compose`` publishes both);
* lists whose order carries meaning (``command``, ``entrypoint``, ``healthcheck.test``) and whole
  values such as an image reference are replaced;
* ``!reset`` removes the value (and a mapping left empty by it), ``!override`` replaces it
  instead of merging;
* ``logging`` with another driver replaces the earlier logging settings (options of one driver
  mean nothing to another).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path
from parity_gui.core.tree import TreeBuilder


class Merge(enum.Enum):
    """What happens when a later file sets the same key again."""

    MERGE = "merge"  #: a mapping: keys merge one by one
    REPLACE = "replace"  #: the later value replaces the earlier one whole
    UNION = "union"  #: a list of bindings: both sides kept, sorted, without repeats
    RESET = "reset"  #: ``!reset``: the key is removed


@dataclass(slots=True)
class Item:
    """One value of a compose definition with where it was written and how it merges."""

    value: Any  #: a leaf value, or ``dict[str, Item]`` for a mapping
    origin: Origin | None = None
    raw: str | None = None
    merge: Merge = Merge.REPLACE

    @property
    def is_branch(self) -> bool:
        return isinstance(self.value, dict)

    def put(self, key: str, value: Any, origin: Origin | None = None, raw: str | None = None) -> Item:
        """Set a leaf under this mapping (replacing any) and return it."""
        child = Item(value, origin, raw)
        self.value[key] = child
        return child

    def sub(self, key: str, origin: Origin | None = None) -> Item:
        """The mapping under ``key``, created (merging key by key) when absent."""
        child: Item | None = self.value.get(key)
        if child is None or not child.is_branch:
            child = self.value[key] = Item({}, origin or self.origin, None, Merge.MERGE)
        return child


def merge(base: Item | None, later: Item, clean: bool = False) -> Item | None:
    """``later`` laid over ``base`` by the rules in the module docstring; None when reset.

    ``clean`` says that ``later`` holds no ``!reset`` anywhere, which spares looking for one.
    """
    if later.merge is Merge.RESET:
        return None
    if base is None:
        return later if clean else without_resets(later)
    if later.merge is Merge.UNION and isinstance(base.value, list) and isinstance(later.value, list):
        union = sorted(set(base.value) | set(later.value))
        return Item(union, later.origin, later.raw, Merge.UNION)
    if later.merge is not Merge.MERGE or not (base.is_branch and later.is_branch):
        return later if clean else without_resets(later)
    merged = merge_children(base.value, later.value, clean)
    if base.value and not merged:
        return None  # everything in it was reset: nothing is left to show
    return Item(merged, base.origin, base.raw, base.merge)


def merge_children(
    base: dict[str, Item], later: dict[str, Item], clean: bool = False
) -> dict[str, Item]:
    """Key-by-key merge of two mappings; neither argument is changed."""
    merged = dict(base)
    for key, item in later.items():
        earlier = merged.get(key)
        if key == "logging" and _other_driver(earlier, item):
            earlier = None  # another logging driver: the earlier options mean nothing to it
        result = merge(earlier, item, clean)
        if result is None:
            merged.pop(key, None)
        else:
            merged[key] = result
    return merged


def _other_driver(earlier: Item | None, later: Item) -> bool:
    if earlier is None or not (earlier.is_branch and later.is_branch):
        return False
    before, after = earlier.value.get("driver"), later.value.get("driver")
    return before is not None and after is not None and before.value != after.value


def without_resets(item: Item) -> Item:
    """``item`` with any ``!reset`` keys inside it dropped (nothing earlier to reset)."""
    if not item.is_branch or not any(_has_reset(child) for child in item.value.values()):
        return item
    children = {
        key: without_resets(child) for key, child in item.value.items() if child.merge is not Merge.RESET
    }
    return Item(children, item.origin, item.raw, item.merge)


def _has_reset(item: Item) -> bool:
    if item.merge is Merge.RESET:
        return True
    return item.is_branch and any(_has_reset(child) for child in item.value.values())


def write(children: dict[str, Item], builder: TreeBuilder, prefix: Path = ()) -> None:
    """Write a merged definition into ``builder``: plain values, origins and raw text by path."""
    target = builder.branch(prefix)
    _write_into(children, target, builder.origins, builder.raw, prefix)


def _write_into(
    children: dict[str, Item],
    target: dict[str, Any],
    origins: dict[Path, Origin],
    raws: dict[Path, str],
    prefix: Path,
) -> None:
    for key, item in children.items():
        if item.merge is Merge.RESET:
            continue  # a reset with nothing before it to clear: nothing to show
        path = (*prefix, key)
        if item.origin is not None:
            origins[path] = item.origin
        if item.raw is not None:
            raws[path] = item.raw
        value = item.value
        if value.__class__ is dict:
            child: dict[str, Any] = {}
            target[key] = child
            _write_into(value, child, origins, raws, path)
        else:
            target[key] = value
