"""Fixing ``.env`` files: edit a value where it is written, append a line, or remove one.

A value keeps its quoting: a double-quoted value stays double-quoted (``\\``, ``"`` and line
breaks escaped, ``$`` written ``$$`` so compose does not interpolate it), a single-quoted one
stays single-quoted (literal), an unquoted one stays unquoted when it can (no blanks, ``#``,
quotes, ``$`` or backslashes), else it is double-quoted. A new line is appended at the end with
the file's own line ending; a file without a final newline keeps having none. When a name is
set twice the last assignment wins (as it does when the file is read), so that is the one edited,
and removing a name removes every line that sets it.
"""

from __future__ import annotations

import re

from parity_gui.export.patch.edits import Lines, Span
from parity_gui.export.patch.model import Unfixable, Workspace
from parity_gui.sources.dotenv.load import DotenvEntry, parse_dotenv

_UNQUOTED_SAFE = re.compile(r"[^\s#'\"$\\`]*")


def written(value: str | None, quote: str) -> str:
    """``value`` as it goes after ``NAME=`` in the given quote style ("" for unquoted)."""
    if value is None:
        return ""
    if quote == "'" and "'" not in value and "\\" not in value and "\n" not in value:
        return f"'{value}'"
    if quote == "" and _UNQUOTED_SAFE.fullmatch(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("$", "$$")
    return f'"{escaped}"'


def entries(work: Workspace, display: str, name: str) -> list[DotenvEntry]:
    parsed = parse_dotenv(work.text(display), interpolate=False)
    return [e for e in parsed.entries if e.name == name]


def set_value(work: Workspace, display: str, name: str, value: str | None, why: str) -> None:
    """Make the last assignment of ``name`` in ``display`` read ``value``."""
    found = entries(work, display, name)
    if not found:
        raise Unfixable(f"{name} is not set in {display}")
    entry = found[-1]
    if value is None:
        raise Unfixable(f"the reference passes {name} through from the shell; remove or edit it by hand")
    quote = entry.raw[:1] if entry.raw[:1] in ("'", '"') else ""
    text = written(value, quote)
    if entry.raw == "" and work.text(display).content[entry.start - 1:entry.start] != "=":
        text = "=" + text  # a bare NAME line gains its value
    work.edit(display, Span(entry.start, entry.end, text, why))


def add_value(work: Workspace, display: str, name: str, value: str | None, why: str) -> None:
    """Append ``NAME=value`` (or a bare ``NAME``) at the end of ``display``."""
    content = work.text(display).content
    newline = Lines(content).newline()
    line = name if value is None else f"{name}={written(value, '')}"
    # a file without a final newline keeps having none
    text = line + newline if content == "" or content.endswith("\n") else newline + line
    work.edit(display, Span(len(content), len(content), text, why))


def remove_value(work: Workspace, display: str, name: str, why: str) -> None:
    """Remove every line of ``display`` that sets ``name``."""
    found = entries(work, display, name)
    if not found:
        raise Unfixable(f"{name} is not set in {display}")
    lines = Lines(work.text(display).content)
    for entry in found:
        start = lines.offset(entry.line, 1)
        end = lines.line_end(max(entry.end - 1, entry.start))
        if end == len(lines.content) and not lines.content.endswith("\n") and start > 0:
            start -= len(lines.newline())  # the last line had no newline: keep it so
        work.edit(display, Span(start, end, "", why))
