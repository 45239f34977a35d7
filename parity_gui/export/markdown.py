"""The Markdown report: a GitHub-flavoured comment for a pull request.

It opens with one sentence and a summary by severity, lists the environments it covers, then one
table per service (or image, Terraform address, section) with values in code spans and origins as
``file:line``. Expected differences follow in a folded section with their reasons. Secret values
are masked unless the caller asks to reveal them.

GitHub refuses comments over 65,536 characters, so the report stops adding rows once it passes
:data:`LIMIT` characters and ends with a note saying how many drifts were left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from parity_gui.core.drift import Severity
from parity_gui.core.printable import printable
from parity_gui.engine.comparison import Comparison
from parity_gui.export.groups import ShownGroup, shown_groups
from parity_gui.export.sections import (
    ABSENT,
    KIND_GLYPHS,
    SEVERITY_GLYPHS,
    Row,
    Section,
    declared_expectations,
    headline,
    shown,
)

LIMIT = 60_000
#: Longer values are shortened in a table cell (the JSON report has them whole).
CELL_CHARACTERS = 160
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def render(comparison: Comparison, *, reveal_secrets: bool = False, limit: int = LIMIT) -> str:
    """The whole comment; at most about ``limit`` characters (see the module docstring)."""
    view = shown(comparison, reveal_secrets=reveal_secrets)
    found = view.sections
    unexpected = [_only(s, expected=False) for s in found]
    expected = [_only(s, expected=True) for s in found]
    blocks = [*_opening(comparison), *_groups(shown_groups(comparison, found), comparison),
              *_tables([s for s in unexpected if s.rows], comparison)]
    folded = [s for s in expected if s.rows]
    if folded:
        blocks.append(_expected_block(folded, comparison))
    blocks.extend(_warnings(view.warnings))
    if view.notice:
        blocks.insert(0, f"{text(view.notice)}\n")
    return _fit(blocks, limit, len(comparison.drifts))


def _only(section: Section, *, expected: bool) -> Section:
    rows = tuple(r for r in section.rows if r.drift.expected is expected)
    return Section(section.key, section.title, rows)


# --- blocks ------------------------------------------------------------------------------


def _opening(comparison: Comparison) -> list[str]:
    summary = comparison.summary()
    lines = ["| Severity | Unexpected drift |", "|---|---:|"]
    lines += [f"| {SEVERITY_GLYPHS[s]} {s.value} | {summary.by_severity[s]} |" for s in Severity]
    lines.append(f"| expected (by design) | {summary.expected} |")
    environments = [
        f"- **{text(e.name)}**{' (baseline)' if i == 0 else ''}: {code(e.spec)}"
        + (f" — read from {', '.join(code(s) for s in e.sources)}" if e.sources else "")
        for i, e in enumerate(comparison.environments)
    ]
    declared = [f"- {code(glob)}: {text(reason)}" + (f" ({code(source)})" if source else "")
                for glob, reason, source in declared_expectations(comparison)]
    blocks = [f"## parity: {text(headline(comparison))}\n", "\n".join(lines) + "\n",
              "**Environments**\n\n" + "\n".join(environments) + "\n"]
    if declared:
        blocks.append("**Expected differences declared**\n\n" + "\n".join(declared) + "\n")
    return blocks


def _groups(groups: Sequence[ShownGroup], comparison: Comparison) -> list[str]:
    """The same change in many places, each group folded open on its places."""
    if not groups:
        return []
    items = []
    for shown_group in groups:
        group, row = shown_group.group, shown_group.row
        values = " · ".join(f"{text(name)}: {cell(v) if v != ABSENT else '*absent*'}"
                            for name, v in zip(comparison.names, row.cells, strict=True))
        items.append(
            f"<details>\n<summary>{KIND_GLYPHS[group.kind]} {SEVERITY_GLYPHS[group.severity]} "
            f"{group.severity.value} {code(shown_group.pattern)} in {len(group.members)} places</summary>\n\n"
            f"{values} — {text(row.why)} <sub>{text(row.drift.rule)}</sub>\n\n"
            f"In: {text(shown_group.places)}\n</details>\n")
    return ["### Same change in many places\n\n" + "\n".join(items)]


def _tables(found: Sequence[Section], comparison: Comparison) -> list[str]:
    return [f"### {SEVERITY_GLYPHS[s.worst]} {text(s.title)}\n\n" + _table(s.rows, comparison) for s in found]


def _table(rows: Iterable[Row], comparison: Comparison, reasons: bool = False) -> str:
    names = [text(n) for n in comparison.names]
    last = "Reason" if reasons else "Why"
    head = ["", "Severity", "Path", *names, last, "Where"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        lines.append("| " + " | ".join(_cells(row, comparison.names, reasons)) + " |")
    return "\n".join(lines) + "\n"


def _cells(row: Row, names: Sequence[str], reasons: bool) -> list[str]:
    drift = row.drift
    values = [cell(v) if v != ABSENT else "*absent*" for v in row.cells]
    why = str(row.entry["reason"]) if reasons and row.entry.get("reason") else row.why
    where = "<br>".join(f"{text(name)}: {code(p)}" for name, p in zip(names, row.places, strict=True) if p)
    return [
        KIND_GLYPHS[drift.kind],
        f"{SEVERITY_GLYPHS[drift.severity]} {drift.severity.value}",
        code(row.relative_pointer),
        *values,
        f"{text(why)} <sub>{text(drift.rule)}</sub>",
        where,
    ]


def _expected_block(found: Sequence[Section], comparison: Comparison) -> str:
    rows = [r for s in found for r in s.rows]
    body = "\n".join(f"#### {text(s.title)}\n\n" + _table(s.rows, comparison, reasons=True) for s in found)
    return (f"<details>\n<summary>{len(rows)} expected difference{'s' if len(rows) != 1 else ''} "
            f"(declared in the project file)</summary>\n\n{body}\n</details>\n")


def _warnings(warnings: Sequence[tuple[str, str, str]]) -> list[str]:
    lines = [f"- {text(who)}: {code(where) + ' ' if where else ''}{text(message)}" for who, where, message in warnings]
    return ["**Warnings while loading**\n\n" + "\n".join(lines) + "\n"] if lines else []


def _fit(blocks: Sequence[str], limit: int, total: int) -> str:
    """Join blocks; past ``limit``, cut at a table row and say what was left out."""
    out: list[str] = []
    size = 0
    for block in blocks:
        if size + len(block) + 1 <= limit:
            out.append(block)
            size += len(block) + 1
            continue
        kept = _cut_block(block, limit - size)
        if kept:
            out.append(kept)
        shown = sum(_row_count(b) for b in out)
        out.append(f"> **Cut here**: the report passed {limit:,} characters; {max(total - shown, 0)} "
                   "more drift rows are not shown. The HTML or JSON report has them all.\n")
        break
    return "\n".join(out)


def _cut_block(block: str, room: int) -> str:
    """The longest head of a table block that fits in ``room``, ending on a whole row."""
    lines = block.split("\n")
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > room - 200:  # leave room for the note
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept) + "\n" if _row_count("\n".join(kept)) else ""


def _row_count(block: str) -> int:
    return sum(1 for line in block.split("\n") if line.startswith("| ") and line[2:3] in "~+−")


# --- escaping ----------------------------------------------------------------------------


def text(value: str) -> str:
    """Plain text that Markdown shows as written (no emphasis, links, HTML or table breaks)."""
    return _SPECIAL.sub(r"\\\1", printable(value.replace("\r", "").replace("\n", " ")))


def code(value: str) -> str:
    """``value`` in a code span that survives backticks, pipes and line breaks inside it."""
    if value == "":
        return "*(empty)*"
    value = printable(value.replace("\r\n", "\n").replace("\n", " ⏎ ")).replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def cell(value: str) -> str:
    """A value for a table cell: shortened past :data:`CELL_CHARACTERS`, in a code span."""
    if len(value) > CELL_CHARACTERS:
        value = value[: CELL_CHARACTERS - 1] + "…"
    return code(value)
