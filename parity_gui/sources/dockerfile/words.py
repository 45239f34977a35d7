"""The words of a Dockerfile: quoting, ``$VARIABLE`` substitution, image references, durations.

BuildKit's parser splits an instruction into words but leaves their quotes and variables as
written (``ENV B="two words"``); this module finishes the job the way the builder does: quotes
removed, the escape character honoured, ``$NAME``, ``${NAME}``, ``${NAME:-default}`` and
``${NAME:+alternative}`` replaced by known build arguments and environment variables.

A word may expand to at most :data:`MAX_EXPANDED` characters: variables that repeat each other
(``ENV B=$A$A$A$A``, eight levels deep) would otherwise grow a few lines into gigabytes; past
the cap :class:`~parity_gui.errors.LimitExceeded` is raised (the caller adds the line).

A variable that the file never declares (``$PATH`` in ``ENV PATH=/app/bin:$PATH``) comes from
the base image, which a Dockerfile alone cannot know: it is kept as written rather than replaced
by an empty string, so the comparison shows what the author wrote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from parity_gui.errors import LimitExceeded

MAX_EXPANDED = 1_000_000
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def expand(word: str, known: Mapping[str, str], escape: str = "\\") -> str:
    """``word`` with its quotes removed and known variables substituted, as the builder reads it."""
    out: list[str] = []
    i, quote, substituted = 0, "", 0
    while i < len(word):
        char = word[i]
        if quote == "'":
            i = _single_quoted(word, i, out, char)
            quote = "" if char == "'" else quote
        elif char == escape and i + 1 < len(word):
            nxt = word[i + 1]
            keep = quote == '"' and nxt not in ('"', "$", escape)
            out.append(char + nxt if keep else nxt)
            i += 2
        elif char in "'\"" and (not quote or char == quote):
            quote = "" if quote else char
            i += 1
        elif char == "$":
            before = len(out)
            i = _variable(word, i, known, out)
            substituted += sum(len(piece) for piece in out[before:])
            if substituted > MAX_EXPANDED:
                raise LimitExceeded(f"variables expand this word past {MAX_EXPANDED:,} characters")
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _single_quoted(word: str, i: int, out: list[str], char: str) -> int:
    if char != "'":
        out.append(char)
    return i + 1


def _variable(word: str, i: int, known: Mapping[str, str], out: list[str]) -> int:
    """Substitute the variable starting at ``word[i] == "$"``; return the index after it."""
    if word.startswith("${", i):
        end = word.find("}", i)
        if end < 0:
            out.append(word[i:])
            return len(word)
        out.append(_braced(word[i + 2 : end], word[i : end + 1], known))
        return end + 1
    match = _NAME.match(word, i + 1)
    if match is None:
        out.append("$")
        return i + 1
    name = match.group()
    out.append(known.get(name, word[i : match.end()]))
    return match.end()


def _braced(inner: str, written: str, known: Mapping[str, str]) -> str:
    match = _NAME.match(inner)
    if match is None:
        return written
    name, rest = match.group(), inner[match.end() :]
    value = known.get(name)
    if value is None:
        return written
    for operator in (":-", "-", ":+", "+"):
        if rest.startswith(operator):
            word = rest[len(operator) :]
            is_set = value != "" or ":" not in operator
            if "+" in operator:
                return expand(word, known) if is_set else ""
            return value if is_set else expand(word, known)
    return written if rest else value


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image reference split as Docker normalises it (``python`` → docker.io/library/python)."""

    registry: str
    repository: str
    tag: str | None
    digest: str | None

    def as_tree(self) -> dict[str, str | None]:
        return {
            "registry": self.registry,
            "repository": self.repository,
            "tag": self.tag,
            "digest": self.digest,
        }


def parse_image(ref: str) -> ImageRef:
    """Split ``[registry/]repository[:tag][@digest]``; no tag and no digest means ``latest``."""
    name, _, digest = ref.partition("@")
    tag = None
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
    first, _, rest = name.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        registry, repository = first, rest
    else:
        registry, repository = "docker.io", name
        if "/" not in repository:
            repository = f"library/{repository}"
    if tag is None and not digest:
        tag = "latest"
    return ImageRef(registry, repository.lower(), tag, digest or None)


def parse_duration(text: str) -> float | None:
    """A Go duration (``1m30s``, ``500ms``) in seconds; ``None`` when it is not one."""
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        pos = match.end()
    if pos != len(text) or not text:
        return None
    return int(total) if total == int(total) else total

