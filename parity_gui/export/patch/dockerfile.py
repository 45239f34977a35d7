"""Fixing Dockerfiles: edit the instruction line, or add one at the end of the right stage.

Decisions a user may ask about:

* The base image is changed on the stage's ``FROM`` line, keeping the name as written. When the
  reference is written with a build arg (``FROM python:${PYTHON_VERSION}-slim``), the arg's
  default (``ARG PYTHON_VERSION=3.12``) is changed instead, where it is defined.
* ``ENV``, ``LABEL`` and ``ARG`` values are changed inside their instruction, keeping the other
  pairs on the line and the value's quoting; a removed pair is taken out of its line, and the
  line goes when nothing is left on it.
* A value a stage inherits from an earlier stage (``FROM base AS prod``) is not changed where
  it is written — that would change the earlier stage too — but set again in the stage itself,
  by a new instruction at its end. An inherited value cannot be taken away (Docker has no way to
  unset an ``ENV`` or un-``EXPOSE`` a port); the patch says so.
* New instructions (``ENV``, ``LABEL``, ``USER``, ``WORKDIR``, ``EXPOSE``, ``CMD`` …) go after the
  stage's last instruction; ``ARG`` goes right after its ``FROM``. ``CMD`` and ``ENTRYPOINT`` are
  written in exec form (``CMD ["gunicorn", "app.wsgi"]``).
* An instruction continued over several lines (``\\``) is not edited automatically.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from parity_gui.core.pointer import Path
from parity_gui.core.tree import MISSING, Environment
from parity_gui.export.compose_render import image_reference
from parity_gui.export.patch.edits import Lines, Span
from parity_gui.export.patch.model import Action, Change, Unfixable, Workspace
from parity_gui.sources.dockerfile.load import INHERITED
from parity_gui.sources.text import Text

_FROM = re.compile(r"^[ \t]*FROM[ \t]+((?:--\S+[ \t]+)*)(\S+)", re.IGNORECASE)
_SAFE = re.compile(r"[^\s\"'\\$]+")
_KEYWORDS = {"env": "ENV", "labels": "LABEL", "args": "ARG", "user": "USER", "workdir": "WORKDIR",
             "stopsignal": "STOPSIGNAL", "cmd": "CMD", "entrypoint": "ENTRYPOINT", "expose": "EXPOSE"}


@dataclass(frozen=True, slots=True)
class _Stage:
    """Where one stage is written: its file, its FROM line and the line after its last one."""

    file: str
    text: Text
    lines: Lines
    first: int  #: the FROM line (1-based)
    end: int  #: the line after the stage's last line (1-based), or one past the last line

    def has(self, line: int | None) -> bool:
        return line is not None and self.first <= line < self.end

    def line_text(self, line: int) -> tuple[int, str]:
        start = self.lines.starts[line - 1]
        return start, self.text.content[start:self.lines.line_end(start)]

    def instruction_text(self, line: int) -> tuple[int, str]:
        """The instruction starting at ``line`` with its continuation lines (``\\`` at the end)."""
        start, text = self.line_text(line)
        end = start + len(text)
        while text.rstrip("\r\n").endswith("\\") and end < len(self.text.content):
            text = self.text.content[start:self.lines.line_end(end)]
            end = start + len(text)
        return start, text


def plan_dockerfile(work: Workspace, target: Environment, change: Change, selected: set[tuple[Path, str]],
                    reference: Environment | None = None) -> None:
    """Plan ``change`` (a path under ``/images/<stage>``) on the target's Dockerfile.

    ``selected`` holds (path, repr of the new value) of every change in the patch: a stage that
    inherits a value the patch changes in the earlier stage needs no edit of its own.
    """
    if _fixed_upstream(target, change, selected):
        return
    stage = _stage(work, target, change)
    field = change.path[2] if len(change.path) > 2 else ""
    if field == "base":
        _base(work, target, stage, change)
    elif field in ("env", "labels", "args") and len(change.path) == 4:
        _pair(work, target, stage, change)
    elif field in ("user", "workdir", "stopsignal", "cmd", "entrypoint") and len(change.path) == 3:
        _single(work, target, stage, change)
    elif field == "expose" and len(change.path) == 4:
        _expose(work, target, stage, change)
    elif field == "healthcheck":
        _healthcheck(work, target, stage, change, reference)
    else:
        raise Unfixable(f"parity does not edit {field or 'whole stages'} in Dockerfiles; change it by hand")


def _fixed_upstream(target: Environment, change: Change, selected: set[tuple[Path, str]]) -> bool:
    """True when the value is inherited from another stage that this patch changes the same way."""
    rest = change.path[2:]
    parent = target.get((*change.path[:2], "base", "stage"))
    if rest[:1] == ("base",) or (change.action is Action.ADD and rest[:1] and rest[0] in INHERITED):
        return isinstance(parent, str) and (("images", parent, *rest), repr(change.new)) in selected
    origin = target.origins.get(change.path)
    stage_origin = target.origins.get(change.path[:2])
    if origin is None or stage_origin is None or origin.line is None or origin.line >= (stage_origin.line or 0):
        return False
    others = [("images", other, *rest) for other in target.get(("images",)) or {} if other != change.path[1]]
    return any((path, repr(change.new)) in selected and target.origins.get(path) == origin for path in others)


def _stage(work: Workspace, target: Environment, change: Change) -> _Stage:
    origin = target.origins.get(change.path[:2])
    if origin is None or origin.file is None or not origin.line:
        raise Unfixable("parity does not know where this stage is written")
    text = work.text(origin.file)
    lines = Lines(text.content)
    end = len(lines.starts) + 1
    for number in range(origin.line + 1, len(lines.starts) + 1):
        start = lines.starts[number - 1]
        if _FROM.match(text.content[start:lines.line_end(start)]):
            end = number
            break
    return _Stage(origin.file, text, lines, origin.line, end)


# --- FROM --------------------------------------------------------------------------------


def _base(work: Workspace, target: Environment, stage: _Stage, change: Change) -> None:
    if len(change.path) != 4 or change.path[3] not in ("registry", "repository", "tag", "digest"):
        raise Unfixable("parity changes only the base image's name, tag and digest")
    current = target.get(change.path[:3])
    if not isinstance(current, dict) or "stage" in current:
        raise Unfixable("the stage is built from another stage; change that stage instead")
    start, line = stage.line_text(stage.first)
    match = _FROM.match(line)
    if match is None:
        raise Unfixable(f"cannot find the FROM instruction at {stage.file}:{stage.first}")
    desired = _new_reference(current, change, match.group(2))
    written = match.group(2)
    if "$" in written:
        _through_arg(work, stage, written, desired, change)
        return
    work.edit(stage.file, Span(start + match.start(2), start + match.end(2), desired, change.pointer))


def _new_reference(current: dict[str, Any], change: Change, written: str) -> str:
    parts = dict(current)
    if change.new is MISSING or change.new is None:
        parts.pop(change.path[3], None)
    else:
        parts[change.path[3]] = change.new
    name = image_reference({k: parts.get(k) for k in ("registry", "repository")})
    if change.path[3] not in ("registry", "repository") and "$" not in written.partition("@")[0].rpartition(":")[0]:
        plain = written.partition("@")[0]
        colon = plain.rfind(":")
        name = plain[:colon] if colon > plain.rfind("/") else plain
    return name + (f":{parts['tag']}" if parts.get("tag") else "") + (f"@{parts['digest']}" if parts.get("digest")
                                                                     else "")


def _through_arg(work: Workspace, stage: _Stage, written: str, desired: str, change: Change) -> None:
    found = list(re.finditer(r"\$\{(\w+)\}|\$(\w+)", written))
    if len(found) != 1:
        raise Unfixable(f"{written!r} uses several build args; edit it by hand")
    match = found[0]
    prefix, suffix = written[:match.start()], written[match.end():]
    if not (desired.startswith(prefix) and desired.endswith(suffix) and len(desired) >= len(prefix) + len(suffix)):
        raise Unfixable(f"the new image {desired!r} does not fit around {match.group(0)} in {written!r}")
    value = desired[len(prefix):len(desired) - len(suffix)]
    name = match.group(1) or match.group(2)
    for number in range(1, len(stage.lines.starts) + 1):
        start, line = stage.line_text(number)
        if _FROM.match(line):
            break
        arg = re.match(rf"^[ \t]*ARG[ \t]+{re.escape(name)}=(\S*)", line, re.IGNORECASE)
        if arg:
            work.edit(stage.file, Span(start + arg.start(1), start + arg.end(1), _quoted(value, arg.group(1)),
                                       change.pointer))
            work.note(f"{change.pointer} is set through the build arg {name}: the patch changes its default")
            return
    raise Unfixable(f"the build arg {name} has no default before the first FROM; pass --build-arg {name}=… instead")


# --- ENV, LABEL, ARG -----------------------------------------------------------------------


def _pair(work: Workspace, target: Environment, stage: _Stage, change: Change) -> None:
    keyword = _KEYWORDS[change.path[2]]
    name = change.path[3]
    origin = target.origins.get(change.path)
    value = change.written(change.path, change.new)
    inherited = origin is None or not stage.has(origin.line)
    if change.action is Action.ADD or (change.action is Action.SET and inherited):
        line = f"{keyword} {_key(name)}" + ("" if value is None and keyword == "ARG" else f"={_quoted(value, '')}")
        _insert(work, stage, line, change, after_from=keyword == "ARG")
        return
    if origin is None or inherited:
        raise Unfixable(f"inherited from an earlier stage; Docker cannot unset a {keyword} value")
    start, text = stage.instruction_text(origin.line or 0)
    match = re.search(rf"(?:(?<=\s)|^)(\"?){re.escape(name)}\1=(\"(?:\\.|[^\"\\])*\"|'[^']*'|\S*)", text)
    if match is None:
        raise Unfixable(f"cannot find {name}=… at {stage.file}:{origin.line}; edit it by hand")
    if change.action is Action.SET:
        work.edit(stage.file, Span(start + match.start(2), start + match.end(2), _quoted(value, match.group(2)),
                                   change.pointer))
        return
    _single_line(text, stage, origin.line or 0)
    _remove_word(work, stage, origin.line or 0, match, change)


def _remove_word(work: Workspace, stage: _Stage, line: int, match: re.Match[str], change: Change) -> None:
    """Take the word ``match`` found out of ``line``; the whole line when nothing else is left."""
    start, text = stage.line_text(line)
    rest = (text[:match.start()] + text[match.end():]).split()
    if len(rest) <= 1:  # only the keyword would be left
        work.edit(stage.file, Span(start, start + len(text), "", change.pointer))
        return
    begin = match.start()
    while begin > 0 and text[begin - 1] in " \t":
        begin -= 1
    work.edit(stage.file, Span(start + begin, start + match.end(), "", change.pointer))


# --- USER, WORKDIR, STOPSIGNAL, CMD, ENTRYPOINT ----------------------------------------------


def _single(work: Workspace, target: Environment, stage: _Stage, change: Change) -> None:
    keyword = _KEYWORDS[change.path[2]]
    origin = target.origins.get(change.path)
    line = origin.line if origin is not None and stage.has(origin.line) else None
    if change.action is Action.REMOVE:
        if line is None:
            raise Unfixable(f"inherited from an earlier stage; Docker cannot unset {keyword}")
        start, text = stage.line_text(line)
        _single_line(text, stage, line)
        work.edit(stage.file, Span(start, start + len(text), "", change.pointer))
        return
    value = change.written(change.path, change.new)
    argument = json.dumps(value) if isinstance(value, list) else str(value)
    if line is None:
        _insert(work, stage, f"{keyword} {argument}", change)
        return
    start, text = stage.line_text(line)
    _single_line(text, stage, line)
    match = re.match(rf"^([ \t]*{keyword}[ \t]+)(.*?)([ \t]*\r?\n?)$", text, re.IGNORECASE | re.DOTALL)
    if match is None:
        raise Unfixable(f"cannot find {keyword} at {stage.file}:{line}")
    work.edit(stage.file, Span(start + match.start(2), start + match.end(2), argument, change.pointer))


# --- HEALTHCHECK ----------------------------------------------------------------------------


def healthcheck_instruction(check: dict[str, Any]) -> str:
    """``{"test": ["CMD", "curl", …], "interval": 30, …}`` → ``HEALTHCHECK --interval=30s … CMD [...]``."""
    test = check.get("test") or ["NONE"]
    if test[0] == "NONE":
        return "HEALTHCHECK NONE"
    flags = [f"--{key.replace('_', '-')}={_duration(check[key])}" for key in _HEALTH_DURATIONS if key in check]
    if "retries" in check:
        flags.append(f"--retries={check['retries']}")
    command = test[1] if test[0] == "CMD-SHELL" else json.dumps(test[1:])
    return " ".join(["HEALTHCHECK", *flags, "CMD", command])


_HEALTH_DURATIONS = ("interval", "timeout", "start_period", "start_interval")


def _duration(seconds: Any) -> str:
    if isinstance(seconds, float) and not seconds.is_integer():
        return f"{round(seconds * 1000)}ms"
    return f"{int(seconds)}s"


def _healthcheck(work: Workspace, target: Environment, stage: _Stage, change: Change,
                 reference: Environment | None) -> None:
    """The whole instruction is written again as the reference's healthcheck (one edit for all
    of its settings)."""
    if change.has_secret():
        raise Unfixable("the healthcheck holds a secret; change it by hand")
    whole = reference.get(change.path[:3]) if reference is not None else MISSING
    if len(change.path) == 3:
        wanted = change.new
    else:
        wanted = whole if isinstance(whole, dict) else _changed_check(target, change)
    origin = target.origins.get((*change.path[:3], "test")) or target.origins.get(change.path[:3])
    here = origin is not None and stage.has(origin.line)
    if wanted is MISSING:
        if not here:
            raise Unfixable("inherited from an earlier stage; write HEALTHCHECK NONE in the stage by hand")
        start, text = stage.instruction_text(origin.line or 0)  # type: ignore[union-attr]
        work.edit(stage.file, Span(start, start + len(text), "", change.pointer))
        return
    instruction = healthcheck_instruction(wanted)
    if not here:
        _insert(work, stage, instruction, change)
        return
    start, text = stage.instruction_text(origin.line or 0)  # type: ignore[union-attr]
    ending = text[len(text.rstrip("\r\n")):]
    work.edit(stage.file, Span(start, start + len(text), instruction + ending, change.pointer))


def _changed_check(target: Environment, change: Change) -> Any:
    """The target's healthcheck with the changed setting set as the reference has it."""
    check = target.get(change.path[:3])
    updated = dict(check) if isinstance(check, dict) else {}
    if change.new is MISSING:
        updated.pop(change.path[3], None)
    else:
        updated[change.path[3]] = change.new
    return updated


# --- EXPOSE ------------------------------------------------------------------------------


def _expose(work: Workspace, target: Environment, stage: _Stage, change: Change) -> None:
    port, _, protocol = change.path[3].partition("/")
    written = port if protocol in ("", "tcp") else change.path[3]
    if change.action is Action.ADD:
        _insert(work, stage, f"EXPOSE {written}", change)
        return
    origin = target.origins.get(change.path)
    if change.action is not Action.REMOVE or origin is None or not stage.has(origin.line):
        raise Unfixable("inherited from an earlier stage; Docker cannot un-expose a port")
    _, text = stage.line_text(origin.line or 0)
    _single_line(text, stage, origin.line or 0)
    match = re.search(rf"(?<=\s){re.escape(port)}(?:/{protocol})?(?=\s|$)", text)
    if match is None:
        raise Unfixable(f"{change.path[3]} is part of a port range at {stage.file}:{origin.line}; edit it by hand")
    _remove_word(work, stage, origin.line or 0, match, change)


# --- shared ------------------------------------------------------------------------------


def _insert(work: Workspace, stage: _Stage, instruction: str, change: Change, *, after_from: bool = False) -> None:
    """Add ``instruction`` as a new line: after the stage's last instruction, or after its FROM."""
    content = stage.text.content
    last = stage.first
    if not after_from:
        for number in range(stage.end - 1, stage.first, -1):
            _, text = stage.line_text(number)
            if text.strip() and not text.lstrip().startswith("#"):
                last = number
                break
    at = stage.lines.line_end(stage.lines.starts[last - 1])
    newline = stage.lines.newline()
    text = instruction + newline
    if at == len(content) and not content.endswith("\n"):
        text = newline + instruction
    work.edit(stage.file, Span(at, at, text, change.pointer))


def _single_line(text: str, stage: _Stage, line: int) -> None:
    if text.rstrip("\r\n").endswith("\\"):
        raise Unfixable(f"the instruction at {stage.file}:{line} continues over several lines; edit it by hand")


def _key(name: str) -> str:
    return name if _SAFE.fullmatch(name) and "=" not in name else json.dumps(name)


def _quoted(value: Any, old: str) -> str:
    """A Dockerfile word: plain when safe and the old one was plain, else double-quoted."""
    text = "" if value is None else str(value)
    if not old.startswith(("'", '"')) and _SAFE.fullmatch(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'
