"""JSON Pointers (RFC 6901) and the path globs used by expected differences and coverage.

Inside parity a path is a tuple of unescaped segments (``("services", "db", "image", "tag")``);
a pointer is its string form (``/services/db/image/tag``). ``~`` is written ``~0`` and ``/`` is
written ``~1``, so ``ports/"80/tcp"`` becomes ``/ports/80~1tcp``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TypeVar

Path = tuple[str, ...]
T = TypeVar("T")

ROOT: Path = ()


def escape(segment: str) -> str:
    """Escape one segment for use in a pointer."""
    return segment.replace("~", "~0").replace("/", "~1")


def unescape(segment: str) -> str:
    """Undo :func:`escape`; ``~1`` is replaced before ``~0`` as RFC 6901 requires."""
    return segment.replace("~1", "/").replace("~0", "~")


def to_pointer(path: Path) -> str:
    """``("a", "b/c")`` → ``/a/b~1c``; the root is the empty string."""
    return "".join("/" + escape(s) for s in path)


def readable(path: Path) -> str:
    """A path as people read it: segments joined by ``/``, and a segment that holds a ``/`` (a
    volume's target, a port) in brackets after its parent: ``volumes[/etc/netbox/config]``,
    ``ports[80/tcp]``. For display only; :func:`to_pointer` is the exact form."""
    out: list[str] = []
    for segment in path:
        if "/" in segment or not segment or segment != segment.strip() or "[" in segment:
            out.append(f"[{segment}]")
        else:
            out.append(("/" if out else "") + segment)
    return "".join(out)


def from_pointer(pointer: str) -> Path:
    """Parse a pointer; raise :class:`ValueError` if it does not start with ``/``."""
    if pointer == "":
        return ROOT
    if not pointer.startswith("/"):
        raise ValueError(f"a JSON Pointer starts with '/': {pointer!r}")
    return tuple(unescape(s) for s in pointer[1:].split("/"))


def nearest(table: Mapping[Path, T], path: Path) -> T | None:
    """The entry of ``table`` at ``path`` or at its nearest ancestor, or None."""
    for end in range(len(path), -1, -1):
        found = table.get(path[:end])
        if found is not None:
            return found
    return None


def is_prefix(prefix: Path, path: Path) -> bool:
    """True when ``path`` is ``prefix`` or lies below it."""
    return path[: len(prefix)] == prefix


class PathGlob:
    """A pointer pattern: ``*`` matches one segment, ``**`` any number (including none).

    Segments may also contain ``*`` as a wildcard inside them (``/services/api-*/image``).
    """

    __slots__ = ("_segments", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._segments = from_pointer(pattern)

    def matches(self, path: Path) -> bool:
        """True when the whole of ``path`` matches."""
        return _match(self._segments, tuple(path))

    def __repr__(self) -> str:
        return f"PathGlob({self.pattern!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PathGlob) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)


@lru_cache(maxsize=4096)
def _match(pattern: Path, path: Path) -> bool:
    """Whether ``path`` matches ``pattern`` segment by segment, ``**`` standing for any number
    of segments: the classic wildcard walk (backtrack to the last ``**`` only), iterative, so
    hundreds of ``**`` neither recurse nor take exponential time (at most len × len steps)."""
    p = s = 0
    star, resume = -1, 0
    while s < len(path):
        if p < len(pattern) and pattern[p] == "**":
            star, resume = p, s
            p += 1
        elif p < len(pattern) and _segment_matches(pattern[p], path[s]):
            p += 1
            s += 1
        elif star >= 0:
            resume += 1
            p, s = star + 1, resume
        else:
            return False
    while p < len(pattern) and pattern[p] == "**":
        p += 1
    return p == len(pattern)


def _segment_matches(pattern: str, segment: str) -> bool:
    if pattern == "*":
        return True
    if "*" not in pattern:
        return pattern == segment
    parts = pattern.split("*")
    if not segment.startswith(parts[0]) or not segment.endswith(parts[-1]):
        return False
    pos = len(parts[0])
    end = len(segment) - len(parts[-1])
    for middle in parts[1:-1]:
        found = segment.find(middle, pos, end)
        if found < 0:
            return False
        pos = found + len(middle)
    return pos <= end
