"""Dockerfiles: every build stage becomes an image under ``/images/<stage>``.

The file is read by BuildKit's own parser (the ``dockerfile`` package), which understands
heredocs (``RUN <<EOF``), line continuations, comments inside continuations and the
``# escape=`` directive exactly as ``docker build`` does. This module is the only caller of that
library; its errors become :class:`~parity_gui.errors.ParseError` with file and line.

Each stage holds (all optional but ``base``)::

    /images/<stage>/base/{registry, repository, tag, digest, platform}
                               (+ stage, when built FROM an earlier stage)
    /images/<stage>/args/<NAME>          default value, or null
    /images/<stage>/env/<NAME>           with build args and earlier ENV substituted
    /images/<stage>/labels/<key>
    /images/<stage>/expose/<port>/<proto>   one key, "80/tcp"; ranges expand up to 1024 ports
    /images/<stage>/user, workdir, stopsignal, syntax
    /images/<stage>/entrypoint, cmd, shell       lists; shell form becomes [*SHELL, "…"]
    /images/<stage>/healthcheck/{test, interval, timeout, start_period, start_interval, retries}
    /images/<stage>/volumes/<path>       true
    /images/<stage>/packages/<manager>/<name>   pinned version, or null when unpinned
    /images/<stage>/dependencies/<registry/repository>/{registry, repository, tag, digest}
                               images the stage copies or mounts from (``COPY --from=IMAGE``,
                               ``RUN --mount=from=IMAGE``)

Decisions:

* A stage is keyed by its ``AS`` name in lower case, or by its index (``"0"``) when unnamed.
* The image a file builds — its selected stage (``Dockerfile#production``) or, without a
  selection, its **final stage** (what ``docker build`` builds without ``--target``) — is keyed
  ``Dockerfile`` whatever the file is called, so ``Dockerfile#dev`` against
  ``Dockerfile#production``, or ``Dockerfile`` against ``Dockerfile.prod``, compares the two
  images that run. The other stages keep their names and meet by name.
* When one environment reads several Dockerfiles, keys are prefixed with the file's path
  relative to the folder they share, so that they cannot collide and two checkouts align: the
  image a file builds is keyed by the path alone (``worker.dockerfile``,
  ``services/api/dockerfile``), its other stages by ``path:stage``
  (``services/api/dockerfile:builder``).
* A stage built ``FROM`` an earlier stage inherits what an image carries: env, labels, user,
  workdir, entrypoint, cmd, exposed ports, healthcheck, shell, volumes, stop signal and the
  installed packages. Build args do not carry over (Docker scopes them to a stage). Setting
  ENTRYPOINT clears an inherited CMD, as Docker does.
* ``# syntax=`` is kept per stage as ``syntax`` (the frontend version is part of the build).
* ``COPY --from=NAME``, ``ADD --from=NAME`` and ``RUN --mount=from=NAME`` name a stage when a
  stage has that name (or index); otherwise NAME is an image reference, as BuildKit reads it
  (Dockerfile reference, "COPY --from" and "RUN --mount=type=bind"), recorded under the stage's
  ``dependencies`` — a build needs that image as much as its base. Variables in NAME are
  expanded with the stage's build args; one still unknown (``$TARGETOS``) leaves NAME as written.
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import re
from collections import ChainMap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

import dockerfile

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path
from parity_gui.core.tree import Coverage, Diagnostic, Environment, TreeBuilder
from parity_gui.errors import LimitExceeded, ParseError, SourceError
from parity_gui.sources.dockerfile.packages import installed_packages
from parity_gui.sources.dockerfile.words import (
    expand,
    parse_duration,
    parse_image,
)
from parity_gui.sources.text import read_text

if TYPE_CHECKING:
    from parity_gui.sources.registry import SpecFile

COVERAGE = ("/images/**",)
DEFAULT_SHELL = ("/bin/sh", "-c")
MAX_PORT_RANGE = 1024
INHERITED = frozenset(
    {
        "env",
        "labels",
        "user",
        "workdir",
        "entrypoint",
        "cmd",
        "expose",
        "healthcheck",
        "shell",
        "volumes",
        "stopsignal",
        "packages",
        "syntax",
    }
)
#: Build args BuildKit fills from the builder's platform ("Automatic platform ARGs in the global
#: scope"); declared without a value (``ARG TARGETOS``) they are still the builder's to set.
PLATFORM_ARGS = frozenset({
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
    "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
})
_DIRECTIVE = re.compile(r"#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$")
_HEREDOC_OPENER = re.compile(r"<<(-?)\s*([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\2")
_WINDOWS_PATH = re.compile(r"[A-Za-z]:[\\/]")
_HEALTH_FLAGS = {"interval", "timeout", "start-period", "start-interval", "retries"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One value of a stage, with the line it was written on and the text that wrote it."""

    value: Any
    line: int
    raw: str


@dataclass
class Stage:
    """One build stage: its key, where it starts, and its values by path below the stage."""

    key: str
    name: str | None
    line: int
    entries: dict[Path, Entry] = field(default_factory=dict)
    args: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    own_cmd: bool = False

    def known(self) -> Mapping[str, str]:
        """Variables a word of this stage can use: build args and env (env wins)."""
        return ChainMap(self.env, self.args)

    def put(self, path: Path, value: Any, line: int, raw: str) -> None:
        self.entries[path] = Entry(value, line, raw)
        if path[0] == "env":
            self.env[path[1]] = value

    def drop(self, top: str) -> None:
        for path in [p for p in self.entries if p[0] == top]:
            del self.entries[path]


@dataclass(frozen=True)
class Dockerfile:
    """A parsed Dockerfile: its stages in file order."""

    display: str
    stages: tuple[Stage, ...]
    warnings: tuple[Diagnostic, ...] = ()

    def stage(self, selector: str) -> Stage:
        """The stage named ``selector`` (any case) or with that index."""
        wanted = selector.lower()
        for stage in self.stages:
            if stage.key == wanted:
                return stage
        if wanted.isdigit() and int(wanted) < len(self.stages):
            return self.stages[int(wanted)]
        names = ", ".join(s.key for s in self.stages)
        raise SourceError(f"no build stage {selector!r} (stages: {names})", file=self.display)


def load_dockerfiles(
    files: Sequence[SpecFile], name: str, spec: str, *, targets: Mapping[FilePath, str] | None = None
) -> Environment:
    """Read Dockerfiles (``Dockerfile``, ``Dockerfile#stage``) into an environment's ``/images``.
    ``targets``: the stage a compose service builds of a file (by resolved path), which is then
    the image the file builds in place of its final stage."""
    builder = TreeBuilder()
    env = Environment(name=name, spec=spec, coverage=Coverage.of(COVERAGE))
    used: set[str] = set()
    prefixes = file_prefixes([f.path for f in files])
    for spec_file in files:
        text = read_text(spec_file.path, spec_file.display)
        parsed = parse_dockerfile(text.content, spec_file.display)
        target = (targets or {}).get(spec_file.path.resolve())
        for key, stage in _placements(parsed, spec_file, prefixes[spec_file.path], target):
            unique = key if key not in used else f"{key}#{stage.key}"
            used.add(unique)
            _emit(builder, ("images", unique), stage, spec_file.display)
        env.sources.append(spec_file.display)
        env.diagnostics.extend(parsed.warnings)
    return builder.into(env)


#: The key of the image a single Dockerfile builds (see the module docstring).
IMAGE_KEY = "Dockerfile"


def file_prefixes(paths: Sequence[FilePath]) -> dict[FilePath, str]:
    """The prefix of each file's stage keys: none for a single file, else its path (lower case)
    relative to the folder the files share (``api.dockerfile:``, ``services/api/dockerfile:``)."""
    if len(set(paths)) <= 1:
        return dict.fromkeys(paths, "")
    common = FilePath(os.path.commonpath([p.parent for p in paths]))
    return {p: p.relative_to(common).as_posix().lower() + ":" for p in paths}


def _placements(
    parsed: Dockerfile, spec_file: SpecFile, prefix: str, target: str | None = None
) -> list[tuple[str, Stage]]:
    built = prefix[:-1] if prefix else IMAGE_KEY
    if spec_file.fragment:
        return [(built, parsed.stage(spec_file.fragment))]
    chosen = parsed.stage(target) if target is not None else parsed.stages[-1]
    return [(built if stage is chosen else prefix + stage.key, stage) for stage in parsed.stages]


def _emit(builder: TreeBuilder, root: Path, stage: Stage, display: str) -> None:
    builder.branch(root, Origin(display, stage.line))
    for path, entry in stage.entries.items():
        builder.set(root + path, entry.value, Origin(display, entry.line), entry.raw)


def parse_dockerfile(text: str, display: str) -> Dockerfile:
    """Parse Dockerfile text into stages; raise :class:`ParseError` naming the file and line."""
    directives = parse_directives(text)
    _check_stage_count(text, display)
    commands = _commands(text, display)
    _check_instructions(commands, display)
    reader = _StageReader(display, directives)
    for command in commands:
        reader.read(command)
    stages = reader.finish()
    return Dockerfile(display, stages, tuple(reader.warnings))


#: A Dockerfile may have at most this many stages (real ones have a handful); counted before
#: the parser runs, so a generated file of 100,000 stages is refused in milliseconds.
MAX_STAGES = 10_000
_FROM_LINE = re.compile(r"^[ \t]*from[ \t]", re.IGNORECASE | re.MULTILINE)


def _check_stage_count(text: str, display: str) -> None:
    for count, match in enumerate(_FROM_LINE.finditer(text), start=1):
        if count > MAX_STAGES:
            line = text.count("\n", 0, match.start()) + 1
            raise LimitExceeded(f"has more than {MAX_STAGES:,} build stages (FROM lines), the limit for one file",
                                file=display, line=line)


def parse_directives(text: str) -> dict[str, str]:
    """The parser directives atop the file (``# syntax=…``, ``# escape=…``), keys lower-cased."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = _DIRECTIVE.fullmatch(line.strip())
        if match is None or match.group(1).lower() in found:
            break
        found[match.group(1).lower()] = match.group(2)
    return found


def _commands(text: str, display: str) -> tuple[Any, ...]:
    """The one seam to BuildKit's parser."""
    try:
        parsed = dockerfile.parse_string(text)
    except dockerfile.GoParseError as e:
        message = _QUOTED.sub('"…"', str(e)) or "cannot parse"  # quoted text may be a secret
        line = _unterminated_heredoc_line(text) if "heredoc" in message else None
        raise ParseError(message, file=display, line=line) from e
    return tuple(c for c in parsed if c.cmd)  # a lone trailing "\\" yields an empty command


_QUOTED = re.compile(r'"[^"\n]*"')


def _unterminated_heredoc_line(text: str) -> int | None:
    """The line of the first heredoc whose closing word never comes."""
    pending: list[tuple[str, int, bool]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if pending:
            word, _, dash = pending[0]
            if (line.lstrip("\t") if dash else line).rstrip("\r") == word:
                pending.pop(0)
            continue
        pending = [(m.group(3), number, m.group(1) == "-") for m in _HEREDOC_OPENER.finditer(line)]
    return pending[0][1] if pending else None


def _check_instructions(commands: Sequence[Any], display: str) -> None:
    known = set(dockerfile.all_cmds())
    for command in commands:
        word = command.cmd
        if word.startswith(("{{", "{%", "{#")) or (word.lower() == "from" and "{{" in command.original):
            raise ParseError(
                "looks like a template ({{ … }} / {% … %}), not a Dockerfile; render it first",
                file=display,
                line=command.start_line,
            )
        if word.lower() not in known:
            raise ParseError(f"unknown instruction {word.upper()}", file=display, line=command.start_line)
    if not any(c.cmd.lower() == "from" for c in commands):
        first = commands[0].start_line if commands else 1
        raise ParseError(
            "no FROM instruction: a Dockerfile starts its first stage with FROM",
            file=display,
            line=first,
        )


class _StageReader:
    """Walks the instructions in order, filling one :class:`Stage` after another."""

    def __init__(self, display: str, directives: dict[str, str]) -> None:
        self.display = display
        self.escape = directives.get("escape", "\\")[:1] or "\\"
        self.syntax = directives.get("syntax")
        self.global_args: dict[str, str] = {}
        self.stages: list[Stage] = []
        self.by_key: dict[str, Stage] = {}  #: the stages by key, so a FROM finds its parent at once
        self.handlers: dict[str, Callable[[Stage, Any], None]] = {
            "arg": self._arg,
            "env": self._env,
            "label": self._label,
            "expose": self._expose,
            "user": self._user,
            "workdir": self._workdir,
            "entrypoint": self._entrypoint,
            "cmd": self._cmd,
            "healthcheck": self._healthcheck,
            "shell": self._shell,
            "volume": self._volume,
            "stopsignal": self._stopsignal,
            "run": self._run,
            "copy": self._copy,
            "add": self._copy,
        }
        self.sources: list[tuple[Stage, str, Any]] = []
        self.warnings: list[Diagnostic] = []

    def read(self, command: Any) -> None:
        try:
            self._read(command)
        except LimitExceeded as e:  # from expanding variables, which knows no line
            raise LimitExceeded(e.message, file=self.display, line=command.start_line) from None

    def _read(self, command: Any) -> None:
        word = command.cmd.lower()
        if word == "from":
            self._from(command)
        elif not self.stages:
            self._before_first_stage(command, word)
        elif word in self.handlers:
            self.handlers[word](self.stages[-1], command)

    def finish(self) -> tuple[Stage, ...]:
        for stage, source, command in self.sources:
            if not self._is_stage(source):
                self._dependency(stage, source, command)
        return tuple(self.stages)

    def _warn_bare_name(self, source: str, command: Any) -> None:
        """A bare word that is no stage is pulled as an image: likely a typo, so say so."""
        if "$" in source or any(c in source for c in "/:@."):
            return
        stages = ", ".join(s.key for s in self.stages)
        self.warnings.append(Diagnostic(
            f"{command.cmd.upper()} --from={source}: no stage has this name (stages: {stages}), so "
            f"docker build pulls the image docker.io/library/{source.lower()}",
            self.display, command.start_line,
        ))

    def _is_stage(self, source: str) -> bool:
        return any(s.key == source.lower() for s in self.stages) or (
            source.isdigit() and int(source) < len(self.stages)
        )

    def _dependency(self, stage: Stage, source: str, command: Any) -> None:
        """An image a stage copies or mounts from, keyed by where it comes from."""
        self._warn_bare_name(source, command)
        if "$" in source:
            stage.put(("dependencies", source, "ref"), source, command.start_line, command.original)
            return
        image = parse_image(source)
        key = f"{image.registry}/{image.repository}"
        for field_name, value in image.as_tree().items():
            stage.put(("dependencies", key, field_name), value, command.start_line, command.original)

    def _copy(self, stage: Stage, command: Any) -> None:
        source = _flag(command, "from")
        if source:
            self._source(stage, source, command)

    def _source(self, stage: Stage, written: str, command: Any) -> None:
        known = {k: v for k, v in ChainMap(stage.env, stage.args, self.global_args).items()
                 if v or k not in PLATFORM_ARGS}  # the builder fills these: kept as written
        source = expand(written, known, self.escape)
        if not source:
            raise self._error(f"{command.cmd.upper()} --from={written} names nothing (the build arg is empty)", command)
        self.sources.append((stage, source, command))

    def _error(self, message: str, command: Any) -> ParseError:
        return ParseError(message, file=self.display, line=command.start_line)

    def _before_first_stage(self, command: Any, word: str) -> None:
        if word != "arg":
            raise self._error(f"{command.cmd.upper()} before the first FROM", command)
        for token in command.value:
            key, has_value, default = token.partition("=")
            self.global_args[key] = expand(default, self.global_args, self.escape) if has_value else ""

    def _from(self, command: Any) -> None:
        words = list(command.value)
        name = None
        if len(words) == 3 and words[1].lower() == "as":
            name = words[2]
        elif len(words) != 1:
            raise self._error("FROM takes an image and an optional 'AS name'", command)
        key = name.lower() if name else str(len(self.stages))
        if key in self.by_key:
            raise self._error(f"duplicate stage name {name!r}", command)
        stage = Stage(key, name, command.start_line)
        self._base(stage, command, expand(words[0], self.global_args, self.escape))
        self.stages.append(stage)
        self.by_key[key] = stage

    def _base(self, stage: Stage, command: Any, ref: str) -> None:
        if not ref:
            raise self._error(f"FROM {command.value[0]} names no image (the build arg is empty)", command)
        line, raw = command.start_line, command.original
        parent = self.by_key.get(ref.lower())
        platform = _flag(command, "platform")
        if parent is not None:
            for path, entry in parent.entries.items():
                if path[0] in INHERITED or path[0] == "base":
                    stage.put(path, entry.value, entry.line, entry.raw)
            stage.put(("base", "stage"), parent.key, line, raw)
        else:
            for key, value in parse_image(ref).as_tree().items():
                stage.put(("base", key), value, line, raw)
        if parent is None or platform is not None:
            stage.put(
                ("base", "platform"),
                expand(platform, self.global_args) if platform else None,
                line,
                raw,
            )
        if self.syntax is not None:
            stage.put(("syntax",), self.syntax, 1, f"# syntax={self.syntax}")

    def _words(self, stage: Stage, command: Any) -> list[str]:
        known = stage.known()
        return [expand(w, known, self.escape) for w in command.value]

    def _pairs(self, stage: Stage, command: Any) -> list[tuple[str, str]]:
        words = list(command.value)
        if len(words) % 2:
            raise self._error(f"{command.cmd.upper()} needs NAME=value pairs", command)
        known = stage.known()
        return [
            (expand(words[i], known, self.escape), expand(words[i + 1], known, self.escape))
            for i in range(0, len(words), 2)
        ]

    def _arg(self, stage: Stage, command: Any) -> None:
        for token in command.value:
            key, has_value, default = token.partition("=")
            value = expand(default, stage.known(), self.escape) if has_value else self.global_args.get(key)
            stage.args[key] = value if value is not None else ""
            stage.put(("args", key), value, command.start_line, command.original)

    def _env(self, stage: Stage, command: Any) -> None:
        for key, value in self._pairs(stage, command):
            stage.put(("env", key), value, command.start_line, command.original)

    def _label(self, stage: Stage, command: Any) -> None:
        for key, value in self._pairs(stage, command):
            stage.put(("labels", key), value, command.start_line, command.original)

    def _expose(self, stage: Stage, command: Any) -> None:
        for word in self._words(stage, command):
            for key in _port_keys(word):
                stage.put(("expose", key), True, command.start_line, command.original)

    def _single(self, stage: Stage, command: Any) -> str:
        words = self._words(stage, command)
        if not words:
            raise self._error(f"{command.cmd.upper()} needs a value", command)
        return " ".join(words)

    def _user(self, stage: Stage, command: Any) -> None:
        stage.put(("user",), self._single(stage, command), command.start_line, command.original)

    def _stopsignal(self, stage: Stage, command: Any) -> None:
        stage.put(("stopsignal",), self._single(stage, command), command.start_line, command.original)

    def _workdir(self, stage: Stage, command: Any) -> None:
        previous = stage.entries.get(("workdir",))
        base = previous.value if previous is not None else "/"
        path = _join_workdir(base, self._single(stage, command))
        stage.put(("workdir",), path, command.start_line, command.original)

    def _command_line(self, stage: Stage, command: Any) -> list[str]:
        if command.json:
            return list(command.value)
        shell = stage.entries.get(("shell",))
        prefix = list(shell.value) if shell is not None else list(DEFAULT_SHELL)
        return [*prefix, " ".join(command.value)]

    def _entrypoint(self, stage: Stage, command: Any) -> None:
        stage.put(
            ("entrypoint",),
            self._command_line(stage, command),
            command.start_line,
            command.original,
        )
        if not stage.own_cmd:
            stage.drop("cmd")

    def _cmd(self, stage: Stage, command: Any) -> None:
        stage.put(("cmd",), self._command_line(stage, command), command.start_line, command.original)
        stage.own_cmd = True

    def _shell(self, stage: Stage, command: Any) -> None:
        if not command.json:
            raise self._error('SHELL takes the JSON form: SHELL ["/bin/bash", "-c"]', command)
        stage.put(("shell",), list(command.value), command.start_line, command.original)

    def _volume(self, stage: Stage, command: Any) -> None:
        words = list(command.value) if command.json else self._words(stage, command)
        for path in words:
            stage.put(("volumes", path), True, command.start_line, command.original)

    def _healthcheck(self, stage: Stage, command: Any) -> None:
        stage.drop("healthcheck")
        line, raw = command.start_line, command.original
        words = list(command.value)
        if words and words[0].upper() == "NONE":
            stage.put(("healthcheck", "test"), ["NONE"], line, raw)
            return
        if not words or words[0].upper() != "CMD" or len(words) < 2:
            raise self._error("HEALTHCHECK needs CMD and a command (or NONE)", command)
        test = ["CMD", *words[1:]] if command.json else ["CMD-SHELL", " ".join(words[1:])]
        stage.put(("healthcheck", "test"), test, line, raw)
        for flag in command.flags:
            self._health_option(stage, command, flag)

    def _health_option(self, stage: Stage, command: Any, flag: str) -> None:
        key, _, text = flag.lstrip("-").partition("=")
        if key not in _HEALTH_FLAGS:
            raise self._error(f"HEALTHCHECK has no option --{key}", command)
        value: Any = _int_or_none(text) if key == "retries" else parse_duration(text)
        if value is None:
            raise self._error(f"HEALTHCHECK --{key}={text} is not a valid value", command)
        stage.put(("healthcheck", key.replace("-", "_")), value, command.start_line, flag)

    def _run(self, stage: Stage, command: Any) -> None:
        for source in _mount_sources(command):
            self._source(stage, source, command)
        script = " ".join(command.value)
        bodies = [_heredoc_body(h, script) for h in command.heredocs if _runs_heredoc(script)]
        for text in (script, *bodies):
            for manager, packages in installed_packages(text).items():
                for package, version in packages.items():
                    stage.put(
                        ("packages", manager, package),
                        version,
                        command.start_line,
                        command.original,
                    )



def _flag(command: Any, name: str) -> str | None:
    prefix = f"--{name}="
    return next((f[len(prefix) :] for f in command.flags if f.lower().startswith(prefix)), None)


def _mount_sources(command: Any) -> list[str]:
    """The ``from=`` of each ``--mount`` of a RUN (``--mount=type=bind,from=builder,source=/out``)."""
    found = []
    for flag in command.flags:
        if flag.lower().startswith("--mount="):
            options = dict(part.partition("=")[::2] for part in flag[len("--mount=") :].split(","))
            if options.get("from"):
                found.append(options["from"])
    return found


def _join_workdir(base: str, path: str) -> str:
    """WORKDIR relative to the previous one; Windows paths (``C:\\app``) stay as written."""
    if _WINDOWS_PATH.match(path):
        return ntpath.normpath(path)
    if _WINDOWS_PATH.match(base):
        return ntpath.normpath(ntpath.join(base, path))
    return posixpath.normpath(posixpath.join(base, path))


def _int_or_none(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _port_keys(word: str) -> list[str]:
    """``80`` → ``["80/tcp"]``; ``8000-8002/udp`` → three keys (over 1024 ports: one key)."""
    port, _, protocol = word.partition("/")
    protocol = (protocol or "tcp").lower()
    first, dash, last = port.partition("-")
    if dash and first.isdigit() and last.isdigit() and 0 <= int(last) - int(first) < MAX_PORT_RANGE:
        return [f"{p}/{protocol}" for p in range(int(first), int(last) + 1)]
    return [f"{port}/{protocol}"]


def _runs_heredoc(script: str) -> bool:
    """True when the heredoc is the shell script itself (``RUN <<EOF`` or ``RUN bash <<EOF``)."""
    before = script.split("<<", 1)[0].split()
    return not before or before[-1].rsplit("/", 1)[-1] in ("sh", "bash", "ash", "dash", "zsh")


def _heredoc_body(heredoc: Any, script: str) -> str:
    content: str = heredoc.content
    if f"<<-{heredoc.name}" in script.replace('"', "").replace("'", ""):
        return "\n".join(line.lstrip("\t") for line in content.split("\n"))
    return content
