"""Unified diffs in git's format, computed on bytes.

Lines are split on ``\\n`` only and compared as bytes, so CRLF line ends, a BOM, tabs and bytes
that are not UTF-8 pass through unchanged. A last line without a newline gets the
``\\ No newline at end of file`` marker that :mod:`difflib` leaves out (without it ``git apply``
and ``patch`` reject the hunk). Paths that hold spaces, quotes, backslashes, control characters
or non-ASCII bytes are written C-quoted (``"a/my file.yml"``), which both ``git apply`` and GNU
``patch`` read. A new file is diffed from ``/dev/null``.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

#: Lines of unchanged context around each change.
CONTEXT = 3
_NO_NEWLINE = b"\\ No newline at end of file\n"
_ESCAPES = {ord('"'): b'\\"', ord("\\"): b"\\\\", ord("\t"): b"\\t", ord("\n"): b"\\n", ord("\r"): b"\\r"}


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file's content before and after; ``before`` is None for a new file."""

    path: str  #: relative, with ``/`` separators
    before: bytes | None
    after: bytes
    #: The changed lines when known (see :meth:`FileEdits.regions`): the diff then needs no matching.
    regions: tuple[tuple[int, int, int], ...] | None = None

    @property
    def sha256(self) -> str | None:
        """The SHA-256 of the file the change was made from (None for a new file)."""
        return None if self.before is None else hashlib.sha256(self.before).hexdigest()


def git_blob_id(data: bytes) -> str:
    """The object id git gives ``data`` (the ``index`` line of a git diff)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def quote_path(path: bytes) -> bytes:
    """``a/file.yml`` as is; ``a/my file.yml`` as ``"a/my file.yml"`` (C-style, like git)."""
    if not any(b in b' "\\' or b < 0x20 or b >= 0x7F for b in path):
        return path
    out = bytearray(b'"')
    for b in path:
        if b in _ESCAPES:
            out += _ESCAPES[b]
        elif b < 0x20 or b >= 0x7F:
            out += b"\\%03o" % b
        else:
            out.append(b)
    return bytes(out + b'"')


def diff(change: FileChange, context: int = CONTEXT) -> bytes:
    """One file's part of a git-style patch; empty when nothing changed."""
    before = change.before or b""
    if change.before is not None and before == change.after:
        return b""
    name = change.path.encode("utf-8")
    a, b = quote_path(b"a/" + name), quote_path(b"b/" + name)
    head = [b"diff --git " + a + b" " + b + b"\n"]
    if change.before is None:
        head.append(b"new file mode 100644\n")
        head.append(b"index 0000000.." + git_blob_id(change.after).encode()[:12] + b"\n")
        head.append(b"--- /dev/null\n")
    else:
        head.append(b"index " + git_blob_id(before).encode()[:12] + b".." + git_blob_id(change.after).encode()[:12]
                    + b" 100644\n")
        head.append(b"--- " + a + b"\n")
    head.append(b"+++ " + b + b"\n")
    old, new = lines(before), lines(change.after)
    if change.regions is not None:
        return b"".join(head) + b"".join(_hunks(known_opcodes(change.regions, len(old), len(new)), old, new, context))
    return b"".join(head) + b"".join(hunks(old, new, context))


def lines(data: bytes) -> list[bytes]:
    """``data`` split after each ``\\n``; the last line may lack one."""
    parts = data.split(b"\n")
    out = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def hunks(a: Sequence[bytes], b: Sequence[bytes], context: int = CONTEXT) -> list[bytes]:
    """The ``@@`` hunks turning lines ``a`` into lines ``b``, matching lines with difflib."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [_hunk(group, a, b) for group in matcher.get_grouped_opcodes(context)]


Opcode = tuple[str, int, int, int, int]


def known_opcodes(regions: Sequence[tuple[int, int, int]], old: int, new: int) -> list[Opcode]:
    """difflib-style opcodes for regions already known to have changed."""
    codes: list[Opcode] = []
    i = j = 0
    for first, end, count in regions:
        if first > i:
            codes.append(("equal", i, first, j, j + first - i))
            j += first - i
        tag = "insert" if first == end else "delete" if count == 0 else "replace"
        codes.append((tag, first, end, j, j + count))
        i, j = end, j + count
    if i < old or j < new:
        codes.append(("equal", i, old, j, new))
    return codes


def _hunks(codes: list[Opcode], a: Sequence[bytes], b: Sequence[bytes], context: int) -> list[bytes]:
    """Group opcodes into hunks with ``context`` lines around each change, as difflib does."""
    if codes and codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2
    if codes and codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)
    groups: list[list[Opcode]] = [[]]
    for tag, i1, i2, j1, j2 in codes:
        start_a, start_b = i1, j1
        if tag == "equal" and i2 - i1 > 2 * context:
            groups[-1].append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append([])
            start_a, start_b = max(i1, i2 - context), max(j1, j2 - context)
        groups[-1].append((tag, start_a, i2, start_b, j2))
    return [_hunk(g, a, b) for g in groups if g and not (len(g) == 1 and g[0][0] == "equal")]


def _hunk(group: list[tuple[str, int, int, int, int]], a: Sequence[bytes], b: Sequence[bytes]) -> bytes:
    first, last = group[0], group[-1]
    out = [b"@@ -" + _range(first[1], last[2]) + b" +" + _range(first[3], last[4]) + b" @@\n"]
    for tag, i1, i2, j1, j2 in group:
        if tag == "equal":
            out.extend(_line(b" ", line) for line in a[i1:i2])
            continue
        out.extend(_line(b"-", line) for line in a[i1:i2])
        out.extend(_line(b"+", line) for line in b[j1:j2])
    return b"".join(out)


def _range(start: int, stop: int) -> bytes:
    """difflib's unified range: ``start,length`` 1-based; an empty range names the line before."""
    length = stop - start
    first = start + 1 if length else start
    return b"%d" % first if length == 1 else b"%d,%d" % (first, length)


def _line(sign: bytes, line: bytes) -> bytes:
    return sign + line if line.endswith(b"\n") else sign + line + b"\n" + _NO_NEWLINE


def patch_text(changes: Sequence[FileChange], preface: Sequence[str] = ()) -> bytes:
    """The whole patch: ``preface`` lines (before the first ``diff --git``, ignored by git), then
    one section per changed file."""
    head = b"".join(line.encode("utf-8") + b"\n" for line in preface)
    return head + b"".join(diff(change) for change in changes)
