"""Renamed things meet: keys that name one thing differently in each environment are aligned.

Environments often carry their own name inside keys: Terraform ``module.dev-spoke-vpc`` against
``module.prod-spoke-vpc``, Azure resources ``rn-d-app`` against ``rn-p-app``, a compose service
``api-staging`` against ``api-prod``. Compared key by key, each would show as a whole entry
removed and another added, and what really differs inside would stay hidden. So, before the walk:

* **By the environments' names.** Among the named entries of a section (``/services/<name>``,
  ``/images/<stage>``, ``/infrastructure/<address>``, ``/variables/<NAME>``…), a key found in
  one environment only is aligned with a key found only in an earlier one when the two are the
  same once each environment's own names are taken out of them — its name (``dev``) and the
  ``aliases`` the project file gives it (``d``, ``development``) — matched as whole words
  between separators, case-insensitive. Only names that look like names count (letters,
  digits, ``-``, ``_``: not ``docker-compose.yml``), and only a match that is one to one: when
  two keys could pair with one, none is aligned.
* **By the project's rules.** A ``[[rename]]`` table of ``.parity.toml`` names the path one
  thing has in each environment (``dev = "/infrastructure/module.vpc-legacy"``), for renames no
  name explains.

An aligned entry is compared under the key it has in the first environment that has it; the
comparison keeps an :class:`Alignment` for it, every drift below it says so in its detail, and
a note lists it — nothing is paired silently. Environments are copied, never changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from parity_gui.core.options import CompareOptions
from parity_gui.core.pointer import Path, to_pointer
from parity_gui.core.tree import MISSING, Environment

_NAME_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,40}")
_HOLE = "\0"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Alignment:
    """One thing under different keys: the path it is compared under, its key in each
    environment (None where it is absent), and why they were paired."""

    path: Path
    keys: tuple[str | None, ...]
    reason: str

    def describe(self, names: Sequence[str]) -> str:
        where = ", ".join(f"{key} in {name}" for key, name in zip(self.keys, names, strict=True) if key is not None)
        return f"compared as one: {where} ({self.reason})"


def align(
    environments: Sequence[Environment], options: CompareOptions
) -> tuple[tuple[Environment, ...], tuple[Alignment, ...]]:
    """The environments with renamed keys moved to one key, and what was aligned."""
    moves: list[dict[Path, Path]] = [{} for _ in environments]
    found = [*_by_rules(environments, options, moves)]
    trees = [_moved_tree(env.tree, m) for env, m in zip(environments, moves, strict=True)]
    found += _by_names(environments, trees, options, moves)
    if not found:
        return tuple(environments), ()
    aligned = tuple(_moved_environment(env, m) for env, m in zip(environments, moves, strict=True))
    return aligned, tuple(found)


def _by_rules(
    environments: Sequence[Environment], options: CompareOptions, moves: list[dict[Path, Path]]
) -> Iterable[Alignment]:
    for rule in options.renames:
        present = [
            (i, path) for i, env in enumerate(environments)
            if (path := rule.path_in(env.name)) is not None and env.get(path) is not MISSING
        ]
        if len(present) < 2:
            continue
        target = present[0][1]
        keys: list[str | None] = [None] * len(environments)
        for i, path in present:
            keys[i] = path[-1]
            if path != target and environments[i].get(target) is MISSING:
                moves[i][path] = target
        yield Alignment(target, tuple(keys), f"renamed by {rule.source or 'the project file'}")


def _by_names(
    environments: Sequence[Environment], trees: Sequence[Mapping[str, Any]], options: CompareOptions,
    moves: list[dict[Path, Path]],
) -> list[Alignment]:
    patterns = name_patterns(environments, options)
    found: list[Alignment] = []
    sections = dict.fromkeys(k for tree in trees for k, v in tree.items() if isinstance(v, dict))
    for section in sections:
        entries: list[Mapping[str, Any]] = [_section(tree, section) for tree in trees]
        found += _align_section(section, entries, patterns, moves)
    return found


def _section(tree: Mapping[str, Any], section: str) -> Mapping[str, Any]:
    value = tree.get(section)
    return value if isinstance(value, dict) else {}


def _align_section(
    section: str, entries: Sequence[Mapping[str, Any]], patterns: Sequence[Names | None],
    moves: list[dict[Path, Path]],
) -> list[Alignment]:
    seen: dict[str, int] = dict.fromkeys(entries[0], 0)  # key → the first environment that has it
    found: dict[str, list[str | None]] = {}
    for i in range(1, len(entries)):
        own = entries[i]
        waiting = [key for key in seen if key not in own]
        paired = dict(_pairs([k for k in own if k not in seen], i, waiting, seen, patterns))
        for key, target in paired.items():
            moves[i][(section, key)] = (section, target)
            keys = found.setdefault(target, [None] * len(entries))
            keys[seen[target]], keys[i] = target, key
        for key in own:
            seen.setdefault(paired.get(key, key), i)
    return [
        Alignment((section, target), tuple(keys), "the names differ only by the environments' names")
        for target, keys in found.items()
    ]


def _pairs(
    new: list[str], index: int, waiting: list[str], seen: Mapping[str, int],
    patterns: Sequence[Names | None],
) -> list[tuple[str, str]]:
    """(key, earlier key) pairs that are one thing, one to one."""
    if not new or not waiting or patterns[index] is None:
        return []
    by_shape: dict[str, list[str]] = {}
    for key in waiting:
        shape = _shape(key, patterns[seen[key]])
        if shape is not None:
            by_shape.setdefault(shape, []).append(key)
    mine: dict[str, list[str]] = {}
    for key in new:
        shape = _shape(key, patterns[index])
        if shape is not None:
            mine.setdefault(shape, []).append(key)
    return [(keys[0], by_shape[shape][0]) for shape, keys in mine.items()
            if len(keys) == 1 and len(by_shape.get(shape, ())) == 1]


def name_patterns(environments: Sequence[Environment], options: CompareOptions) -> tuple[Names | None, ...]:
    """For each environment, what finds its names (its own and its aliases) inside a text."""
    return tuple(_names_pattern(options.names_of(env.name)) for env in environments)


def named_alike(values: Sequence[Any], patterns: Sequence[Names | None]) -> bool:
    """True when the texts differ only by each environment's own names (``rn-d-app`` in dev,
    ``rn-p-app`` in prod); values absent (MISSING) are left out."""
    first: str | None = None
    count = 0
    for value, names in zip(values, patterns, strict=True):
        if value is MISSING:
            continue
        shape = _shape(value, names) if isinstance(value, str) else None
        if shape is None or (first is not None and shape != first):
            return False  # at the first value holding no name: the common case costs one look
        first, count = shape, count + 1
    return count >= 2


@dataclass(frozen=True, slots=True)
class Names:
    """The names one environment goes by, and what finds them as whole words in a text."""

    words: tuple[str, ...]  #: lower case, for a quick first look
    pattern: re.Pattern[str]


def _names_pattern(names: Iterable[str]) -> Names | None:
    usable = sorted({n for n in names if _NAME_LIKE.fullmatch(n)}, key=len, reverse=True)
    if not usable:
        return None
    words = "|".join(re.escape(n) for n in usable)
    pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{words})(?![A-Za-z0-9])", re.IGNORECASE)
    return Names(tuple(n.lower() for n in usable), pattern)


def _shape(key: str, names: Names | None) -> str | None:
    """``key`` with the environment's names taken out, or None when it holds none of them."""
    if names is None:
        return None
    lower = key.lower()
    if not any(word in lower for word in names.words) or names.pattern.search(key) is None:
        return None
    return names.pattern.sub(_HOLE, key).lower()


# --- moving keys in a copy of an environment --------------------------------------------------


def _moved_tree(tree: Mapping[str, Any], moves: Mapping[Path, Path]) -> dict[str, Any]:
    """A copy of ``tree`` (shared where untouched) with each moved key renamed in place."""
    out = dict(tree)
    for old, new in moves.items():
        parent = out
        for segment in old[:-1]:
            parent[segment] = dict(parent[segment])
            parent = parent[segment]
        items = list(parent.items())
        parent.clear()
        parent.update((new[-1] if key == old[-1] else key, value) for key, value in items)
    return out


def _moved_environment(env: Environment, moves: Mapping[Path, Path]) -> Environment:
    if not moves:
        return env
    return replace(
        env, tree=_moved_tree(env.tree, moves), origins=_moved_paths(env.origins, moves),
        raw=_moved_paths(env.raw, moves), diagnostics=list(env.diagnostics), sources=list(env.sources),
    )


def _moved_paths(values: Mapping[Path, T], moves: Mapping[Path, Path]) -> dict[Path, T]:
    depths = sorted({len(p) for p in moves})
    out: dict[Path, T] = {}
    for path, value in values.items():
        out[_moved_path(path, moves, depths)] = value
    return out


def _moved_path(path: Path, moves: Mapping[Path, Path], depths: Sequence[int]) -> Path:
    for depth in depths:
        target = moves.get(path[:depth]) if len(path) >= depth else None
        if target is not None:
            return (*target, *path[depth:])
    return path


def notes(alignments: Sequence[Alignment], names: Sequence[str]) -> list[str]:
    """One line per alignment, for the comparison's notes."""
    return [f"{to_pointer(a.path)}: {a.describe(names)}" for a in alignments]
