"""Fixing Terraform: replace a literal value at its origin, or assign a variable in a ``.tfvars``.

Decisions a user may ask about:

* A value written as a literal (``engine = "postgres"``, ``replicas = 3``) is replaced where it is
  written, keeping the rest of the line (alignment, comments).
* A value computed by an expression (``local.is_prod ? "db.r6g.large" : "db.t4g.micro"``) is not
  hard-coded: the expression stays, and the patch fixes what it reads where it can (the variables
  in the ``.tfvars``). When those edits make the computed value match, the self-check says so.
* A variable whose value comes from its ``default`` in a ``.tf`` file gets an assignment in the
  target's last ``.tfvars`` file instead: the default is shared by every environment.
* A removed assignment or argument loses its line when it has the line to itself. A new argument
  of a top-level block goes before the block's closing brace, two spaces deeper than the block.
  Nested blocks are left to the user (the patch says so). ``.tfvars.json`` files are not edited.
"""

from __future__ import annotations

import json
import re
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.tree import Environment
from parity_gui.export.patch.edits import Lines, Span
from parity_gui.export.patch.model import Action, Change, Unfixable, Workspace

_NAME = re.compile(r'(?:[\w.-]+|"[^"]*")[ \t]*=[ \t]*')
_LITERAL = re.compile(r'"(?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{))*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null')


def hcl(value: Any) -> str:
    """A value as an HCL literal (``${`` and ``%{`` escaped so nothing is interpolated)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(hcl(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {hcl(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")


def plan_terraform(work: Workspace, target: Environment, change: Change) -> None:
    """Plan ``change`` (a path under ``/infrastructure``) on the target's Terraform files."""
    origin = target.origins.get(change.path)
    variable = _variable_name(change)
    if variable is not None and (change.action is Action.ADD or _is_default(origin)):
        if change.action is Action.REMOVE:
            raise Unfixable("the value is the variable's default; it cannot be removed, only assigned")
        _assign(work, target, variable, change)
        return
    if change.action is Action.ADD:
        _add_argument(work, target, change)
        return
    if origin is None or origin.file is None or not origin.line:
        raise Unfixable("parity does not know where this is written")
    if origin.file.lower().endswith(".json"):
        raise Unfixable("parity does not edit .tfvars.json files; change the value by hand")
    start, end, raw = _expression(work, target, origin, change)
    if change.action is Action.REMOVE:
        _remove(work, origin, start, end, change)
        return
    if not _LITERAL.fullmatch(raw):
        raise Unfixable(f"computed by the expression {_short(raw)}; change what it reads (a variable) instead")
    work.edit(origin.file, Span(start, end, hcl(change.written(change.path, change.new)), change.pointer))


def _short(expression: str, width: int = 60) -> str:
    """An expression for a message: its first line, cut at ``width`` characters."""
    first = expression.strip().splitlines()[0] if expression.strip() else expression
    return repr(first if len(first) <= width and first == expression.strip() else first[:width] + "…")


def _variable_name(change: Change) -> str | None:
    path = change.path
    if len(path) == 3 and path[1].startswith("variable.") and path[2] == "value":
        return path[1].removeprefix("variable.")
    return None


def _is_default(origin: Origin | None) -> bool:
    return origin is not None and origin.file is not None and origin.file.lower().endswith(".tf")


def _assign(work: Workspace, target: Environment, name: str, change: Change) -> None:
    files = [s for s in target.sources if s.lower().endswith(".tfvars")]
    if not files:
        raise Unfixable(f"the target has no .tfvars file to assign {name} in")
    content = work.text(files[-1]).content
    newline = Lines(content).newline()
    line = f"{name} = {hcl(change.written(change.path, change.new))}"
    text = line + newline if content == "" or content.endswith("\n") else newline + line
    work.edit(files[-1], Span(len(content), len(content), text, change.pointer))


def _expression(work: Workspace, target: Environment, origin: Origin, change: Change) -> tuple[int, int, str]:
    """Where the value's expression is written: start and end offsets, and its text."""
    content = work.text(str(origin.file)).content
    offset = Lines(content).offset(origin.line or 0, origin.column or 1)
    name = _NAME.match(content, offset)
    raw = target.raw.get(change.path)
    if name is None or raw is None or not content.startswith(raw, name.end()):
        raise Unfixable(f"cannot find the value written at {origin}")
    return name.end(), name.end() + len(raw), raw


def _add_argument(work: Workspace, target: Environment, change: Change) -> None:
    """A new ``name = value`` line at the end of a top-level block, indented like its arguments."""
    block = target.origins.get(change.path[:2])
    if len(change.path) != 3 or block is None or block.file is None or not block.line:
        raise Unfixable("parity adds only arguments of a top-level block; add it by hand")
    content = work.text(block.file).content
    lines = Lines(content)
    first = lines.starts[block.line - 1]
    indent = content[first:len(content) - len(content[first:].lstrip(" \t"))]
    closing = re.compile(rf"^{re.escape(indent)}\}}[ \t]*(?:#.*|//.*)?\r?$", re.MULTILINE)
    end = closing.search(content, lines.line_end(first))
    if end is None:
        raise Unfixable(f"cannot find where the block at {block} ends; add the argument by hand")
    name = change.path[2]
    text = f"{indent}  {name} = {hcl(change.written(change.path, change.new))}{lines.newline()}"
    work.edit(block.file, Span(end.start(), end.start(), text, change.pointer))


def _remove(work: Workspace, origin: Origin, start: int, end: int, change: Change) -> None:
    file = str(origin.file)
    lines = Lines(work.text(file).content)
    first = lines.line_start(start)
    last = lines.line_end(max(end - 1, start))
    tail = lines.content[end:last].strip()
    if tail and not tail.startswith(("#", "//")):
        raise Unfixable("the argument shares its line with something else; remove it by hand")
    work.edit(file, Span(first, last, "", change.pointer))
