"""The text printed by ``parity review``: each environment's change, then the drift it moved."""

from __future__ import annotations

from typing import Any

from parity_gui.cli import text
from parity_gui.cli.text import Style
from parity_gui.core.pointer import readable
from parity_gui.core.printable import printable
from parity_gui.core.secrets import Masking, mask_value
from parity_gui.core.tree import MISSING
from parity_gui.engine.review import MovedDrift, Movement, Review
from parity_gui.export.review_report import summary_sentence

_HEADINGS = {
    Movement.NEW: "New drift between environments",
    Movement.RESOLVED: "Resolved drift between environments",
    Movement.CHANGED: "Changed drift between environments",
}


def render(found: Review, *, colour: bool = False, reveal_secrets: bool = False) -> str:
    style = Style(colour)
    lines = [style.bold(f"parity review: {found.base} ({found.commit[:12]}) → the work tree"), ""]
    for change in found.changes:
        lines.append(style.bold(f"== What the change does to {printable(change.name)}"))
        if change.comparison.drifts:
            body = text.render(change.comparison, colour=colour, reveal_secrets=reveal_secrets)
            lines += body.rstrip("\n").split("\n")[2:]  # without the comparison's own heading
        else:
            lines.append("  nothing")
        lines.append("")
    if found.after is not None:
        masking = None if reveal_secrets else Masking.for_report(found.after, found.after.environments)
        for movement in Movement:
            moved = found.of(movement)
            lines.append(style.bold(f"== {_HEADINGS[movement]} ({len(moved)})"))
            lines += [line for m in moved for line in _moved_lines(m, found, style, masking)]
            lines.append("")
    lines.append(style.bold(summary_sentence(found).replace("**", "")))
    return "\n".join(lines) + "\n"


def _moved_lines(moved: MovedDrift, found: Review, style: Style, masking: Masking | None) -> list[str]:
    drift = moved.drift
    flag = "FAILS" if moved.fails else ("known" if drift.known else ("expected" if drift.expected else ""))
    head = f"  {style.severity(drift.severity)} {printable('/' + readable(drift.path))}  {style.dim(drift.rule)}"
    lines = [head + (f"  {style.dim(flag)}" if flag else "")]
    width = max(len(n) for n in found.names)
    after = moved.after.values if moved.after is not None else None
    before = moved.before.values if moved.before is not None else None
    for index, name in enumerate(found.names):
        now = _shown(drift.path, after[index], masking) if after is not None else None
        then = _shown(drift.path, before[index], masking) if before is not None else None
        if moved.movement is Movement.CHANGED and now != then:
            lines.append(f"      {printable(name):<{width}}  {printable(str(then))} → {printable(str(now))}")
        else:
            lines.append(f"      {printable(name):<{width}}  {printable(str(now if now is not None else then))}")
    return lines


def _shown(path: Any, value: Any, masking: Masking | None) -> str:
    if value is MISSING:
        return "(absent)"
    return str(value if masking is None else mask_value(path, value, masking))
