"""``.env`` files, read as python-dotenv reads them, with the position of every value.

A line is ``NAME=value``, optionally prefixed with ``export``; ``#`` starts a comment line, and
`` #`` ends an unquoted value. Values are:

* unquoted: up to the end of the line, trimmed, without a trailing `` # comment``;
* in single quotes: literal (only ``\\'`` and ``\\\\`` are unescaped, as python-dotenv does),
  possibly over several lines, never interpolated;
* in double quotes: ``\\n``, ``\\t``, ``\\"``, ``\\\\`` (and ``\\a \\b \\f \\r \\v \\'``) unescaped,
  possibly over several lines;
* absent (``A=``): the empty string; a bare ``NAME`` line has no value (None).

Unquoted and double-quoted values are interpolated (``$VAR``, ``${VAR:-default}``, … see
:mod:`parity_gui.sources.interpolation`) from the entries above them in the same file only,
never from parity's own environment, so what is compared is what the file says. A reference
to a variable not set above reads as empty, with a warning. Interpolation follows compose (whose
own ``.env`` reader uses the same rules as its YAML), so ``$$`` is a literal ``$`` where
python-dotenv would keep both.

A value that spans lines has them joined by ``\n`` whatever the file's line endings, so CRLF
and LF copies of a file read the same. All values of a file together are capped at
:data:`MAX_TOTAL_CHARACTERS` after interpolation (each one at a million characters), so a few
hundred bytes whose lines repeat each other cannot grow into gigabytes.

Lines that cannot be read are skipped with a warning naming the line, never silently; a name
set twice is a warning naming both lines, and the last value wins. ``line``/``column`` of an
entry are those of its name (where a user looks for it); ``start``/``end`` span its value as
written, quotes included, which is the text a patch replaces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from parity_gui.core.origin import Origin
from parity_gui.core.tree import Coverage, Diagnostic, Environment, Level, TreeBuilder
from parity_gui.errors import LimitExceeded, ParseError, SourceError
from parity_gui.sources.interpolation import interpolate
from parity_gui.sources.text import Text, read_text

if TYPE_CHECKING:
    from parity_gui.sources.registry import SpecFile

_BLANK = re.compile(r"\s*")
_EXPORT = re.compile(r"(?:export[^\S\r\n]+)?")
_QUOTED_KEY = re.compile(r"'([^']+)'")
_KEY = re.compile(r"[^=#\s]+")
_INLINE_BLANK = re.compile(r"[^\S\r\n]*")
_EQUALS = re.compile(r"=[^\S\r\n]*")
_SINGLE = re.compile(r"'((?:\\.|[^'\\])*)'", re.DOTALL)
_DOUBLE = re.compile(r'"((?:\\.|[^"\\])*)"', re.DOTALL)
_UNQUOTED = re.compile(r"[^\r\n]*")
_UNQUOTED_COMMENT = re.compile(r"\s+#.*")
_COMMENT = re.compile(r"[^\S\r\n]*(?:#[^\r\n]*)?")
_END_OF_LINE = re.compile(r"[^\S\r\n]*(?:\r\n|\n|\r|$)")
_REST_OF_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_DOUBLE_ESCAPES = re.compile(r"\\[\\'\"abfnrtv]")
_SINGLE_ESCAPES = re.compile(r"\\[\\']")
#: All values of one file together may not expand past this many characters (see the module docstring).
MAX_TOTAL_CHARACTERS = 10_000_000
#: A file may set at most this many variables (real ones set tens; past this, loading and
#: comparing would take seconds per file and hundreds of MB).
MAX_VARIABLES = 50_000
_ESCAPED = {"\\": "\\", "'": "'", '"': '"', "a": "\a", "b": "\b", "f": "\f", "n": "\n",
            "r": "\r", "t": "\t", "v": "\v"}


@dataclass(frozen=True, slots=True)
class DotenvEntry:
    """One ``NAME=value`` of a ``.env`` file."""

    name: str
    value: str | None  #: unquoted, unescaped, interpolated; None for a bare ``NAME`` line
    raw: str  #: the value as written, quotes included
    line: int  #: 1-based line of the name
    column: int  #: 1-based column of the name
    start: int  #: character offset of ``raw`` in the file's text
    end: int  #: character offset just after ``raw``


@dataclass(frozen=True, slots=True)
class DotenvFile:
    """A parsed ``.env`` file: its entries in file order and what was wrong with it."""

    text: Text
    entries: tuple[DotenvEntry, ...]
    diagnostics: tuple[Diagnostic, ...]

    def values(self) -> dict[str, str | None]:
        """Each name's value; when a name is set twice, the last assignment wins."""
        return {entry.name: entry.value for entry in self.entries}


class _Unreadable(Exception):
    """A line that is not ``NAME=value``; ``message`` says why."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class _Value:
    text: str | None  #: unquoted and unescaped
    raw: str
    start: int
    end: int
    quote: str  #: "'", '"' or "" (unquoted)


def parse_dotenv(
    text: Text, *, interpolate: bool = True, lookup: Callable[[str], str | None] | None = None,
    strict: bool = False, seed: Mapping[str, str | None] | None = None,
) -> DotenvFile:
    """Read a ``.env`` file's entries; problems become warnings (see the module docstring).

    ``lookup`` (a compose ``env_file``: the project's variables) is asked first when a value
    refers to a variable, before the entries above, which start from ``seed`` (what earlier
    files set). ``strict`` makes a required variable left unset (``${X:?message}``) an error at
    its line, as it is for compose, not a warning.
    """
    return _Parser(text, interpolate, lookup, strict, seed).run()


def parse_raw_env(text: Text) -> DotenvFile:
    """An ``env_file`` in compose's ``format: raw``: each ``NAME=value`` line taken as written
    (quotes, ``$`` and ``#`` kept), as ``docker run --env-file`` reads it; lines starting with
    ``#`` and blank lines are skipped, a ``NAME`` line alone has no value (None)."""
    entries: list[DotenvEntry] = []
    line_start = 0
    for number, line in enumerate(text.content.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        stripped = body.lstrip()
        indent = len(body) - len(stripped)
        name, found, value = stripped.partition("=")
        if stripped and not stripped.startswith("#"):
            value_at = line_start + indent + len(name) + 1
            entries.append(DotenvEntry(name, value if found else None, value, number, indent + 1,
                                       value_at, value_at + len(value)))
        line_start += len(line)
    return DotenvFile(text, tuple(entries), ())


class _Parser:
    """One pass over a ``.env`` text, entry by entry."""

    def __init__(
        self, text: Text, interpolating: bool, lookup: Callable[[str], str | None] | None,
        strict: bool, seed: Mapping[str, str | None] | None,
    ) -> None:
        self.text = text
        self.content = text.content
        self.interpolating = interpolating
        self.lookup = lookup
        self.strict = strict
        self.entries: list[DotenvEntry] = []
        self.diagnostics: list[Diagnostic] = []
        self.known: dict[str, str | None] = dict(seed or {})
        self.first_line: dict[str, int] = {}
        self.line = 1
        self.counted_to = 0
        self.total = 0

    def run(self) -> DotenvFile:
        pos, size = 0, len(self.content)
        while True:
            pos = _match(_BLANK, self.content, pos).end()
            if pos >= size:
                break
            pos = self.statement(pos)
        return DotenvFile(self.text, tuple(self.entries), tuple(self.diagnostics))

    def statement(self, pos: int) -> int:
        """Read the statement at ``pos`` (an entry or a comment); return where the next starts."""
        try:
            return self.binding(pos)
        except _Unreadable as e:
            self.warn(e.message, e.position)
            return _match(_REST_OF_LINE, self.content, pos).end()

    def binding(self, pos: int) -> int:
        content = self.content
        name_at = _match(_EXPORT, content, pos).end()
        if content.startswith("#", name_at):
            return self.end_of_line(_match(_COMMENT, content, name_at).end(), pos)
        name, pos = self.name(name_at)
        pos = _match(_INLINE_BLANK, content, pos).end()
        value = None
        if content.startswith("=", pos):
            equals = _match(_EQUALS, content, pos)
            value = self.value(equals.end(), comment_only=len(equals.group()) > 1)
            pos = value.end
        end = self.end_of_line(_match(_COMMENT, content, pos).end(), name_at)
        self.add(name, name_at, value, pos)
        return end

    def name(self, pos: int) -> tuple[str, int]:
        found = (_QUOTED_KEY if self.content.startswith("'", pos) else _KEY).match(self.content, pos)
        if found is None:
            raise _Unreadable("cannot parse this line as NAME=value", pos)
        return found.group(1) if found.lastindex else found.group(), found.end()

    def value(self, pos: int, *, comment_only: bool = False) -> _Value:
        """The value at ``pos``; ``KEY= # note`` (blank before ``#``) is an empty value."""
        content = self.content
        quote = content[pos:pos + 1]
        if comment_only and quote == "#":
            return _Value("", "", pos, pos, "")
        if quote in ("'", '"'):
            found = (_SINGLE if quote == "'" else _DOUBLE).match(content, pos)
            if found is None:
                raise _Unreadable(f"the {quote}-quoted value that starts here is never closed; "
                                  "the line is skipped", pos)
            escapes = _SINGLE_ESCAPES if quote == "'" else _DOUBLE_ESCAPES
            written = found.group(1).replace("\r\n", "\n")
            unescaped = escapes.sub(lambda m: _ESCAPED[m.group()[1]], written)
            return _Value(unescaped, found.group(), pos, found.end(), quote)
        line = _match(_UNQUOTED, content, pos).group()
        raw = _UNQUOTED_COMMENT.sub("", line).rstrip()
        return _Value(raw, raw, pos, pos + len(raw), "")

    def end_of_line(self, pos: int, statement: int) -> int:
        found = _END_OF_LINE.match(self.content, pos)
        if found is None:
            raise _Unreadable("cannot parse this line as NAME=value", statement)
        return found.end()

    def add(self, name: str, name_at: int, value: _Value | None, value_end: int) -> None:
        line, column = self.position(name_at)
        if name in self.first_line:
            self.warn(f"'{name}' is set again here (first at line {self.first_line[name]}); "
                      "the last value wins", name_at)
        else:
            self.first_line[name] = line
            if len(self.first_line) > MAX_VARIABLES:
                raise LimitExceeded(f"sets more than {MAX_VARIABLES:,} variables, the limit for one file",
                                    file=self.text.display, line=line)
        resolved = None if value is None else self.resolve(value, line)
        self.count(resolved, line)
        start, end = (value.start, value.end) if value else (value_end, value_end)
        raw = value.raw if value else ""
        self.entries.append(DotenvEntry(name, resolved, raw, line, column, start, end))
        self.known[name] = resolved

    def count(self, resolved: str | None, line: int) -> None:
        """Add a value to the file's total; refuse a file whose values expand past the cap."""
        self.total += len(resolved or "")
        if self.total > MAX_TOTAL_CHARACTERS:
            raise LimitExceeded(f"the values of this file expand to more than {MAX_TOTAL_CHARACTERS:,} "
                                "characters in all (variables repeating each other?)",
                                file=self.text.display, line=line)

    def resolve(self, value: _Value, line: int) -> str | None:
        """The value after interpolation from the entries above (not for single quotes)."""
        if value.text is None or value.quote == "'" or not self.interpolating:
            return value.text
        try:
            result, substitutions = interpolate(value.text, self.find)
        except LimitExceeded as e:
            raise LimitExceeded(e.message, file=self.text.display, line=line) from e
        except ParseError as e:
            self.warn(f"{e.message}; the value is kept as written", value.start)
            return value.text
        for item in substitutions:
            if item.message is not None and self.strict:
                raise ParseError(item.message, file=self.text.display, line=line)
            if item.message is not None:
                self.warn(item.message, value.start)
            elif item.missing:
                where = "in the project's .env nor above" if self.lookup else "above"
                self.warn(f"'{item.name}' is not set {where} in this file; it reads as empty",
                          value.start)
        return result

    def find(self, name: str) -> str | None:
        """A variable's value: from ``lookup`` first (when given), else from the entries above."""
        if self.lookup is not None:
            found = self.lookup(name)
            if found is not None:
                return found
        return self.known.get(name)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of ``offset``; offsets are asked for in increasing order."""
        if offset >= self.counted_to:
            self.line += self.content.count("\n", self.counted_to, offset)
            self.counted_to = offset
            line = self.line
        else:
            line = self.content.count("\n", 0, offset) + 1
        return line, offset - self.content.rfind("\n", 0, offset)

    def warn(self, message: str, offset: int) -> None:
        line, column = self.position(offset)
        self.diagnostics.append(
            Diagnostic(message, file=self.text.display, line=line, column=column)
        )


def _match(pattern: re.Pattern[str], content: str, pos: int) -> re.Match[str]:
    """A match of a pattern that matches the empty string, so it always matches."""
    found = pattern.match(content, pos)
    assert found is not None
    return found


def load_dotenv_files(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    """The variables of one or more ``.env`` files under ``/variables/<NAME>``; later files win.

    A file that cannot be read is reported as an error and the others still load; when none
    can be read, the first error is raised.
    """
    builder = TreeBuilder()
    env = Environment(name=name, spec=spec, coverage=Coverage.of(["/variables/**"]))
    failures: list[SourceError] = []
    for spec_file in files:
        try:
            parsed = parse_dotenv(read_text(spec_file.path, spec_file.display))
        except SourceError as e:
            failures.append(e)
            env.diagnostics.append(_as_diagnostic(e))
            continue
        env.sources.append(spec_file.display)
        env.diagnostics.extend(parsed.diagnostics)
        if not parsed.entries:
            env.diagnostics.append(Diagnostic("no variables are set in this file",
                                              file=spec_file.display))
        for entry in parsed.entries:
            origin = Origin(parsed.text.display, entry.line, entry.column)
            builder.set(("variables", entry.name), entry.value, origin, entry.raw)
    if failures and not env.sources:
        raise failures[0]
    builder.branch(("variables",))
    return builder.into(env)


def _as_diagnostic(error: SourceError) -> Diagnostic:
    return Diagnostic(error.message, file=error.file, line=error.line, column=error.column,
                      level=Level.ERROR)
