"""What a file is, told from its first lines when its name says nothing.

Each check takes a :class:`Peek` (the file's name and the start of its text) and answers
whether the content is of one kind. The registry (:mod:`parity_gui.sources.registry`) asks them
in its table's order; every check here is a single linear pass over at most
:data:`PEEK_CHARACTERS` characters, line by line, without regular expressions that could
backtrack.

* Dockerfile: the first instruction (after blank lines, comments and parser directives) is
  ``FROM`` or ``ARG``, or the file starts with a ``# syntax=`` directive.
* compose: YAML whose top-level keys include ``services`` or ``include``, or are all compose's
  with one of ``networks``, ``volumes``, ``secrets``, ``configs`` (an override that only adds a
  network).
* Kubernetes: YAML whose top-level keys include both ``apiVersion`` and ``kind``.
* dotenv: the first statement line and four in five of all are ``NAME=value`` (``export`` too).
* JSON: the text starts with ``{``, or with ``[`` and a JSON value (not a ``[section]``).
* TOML: it has a ``[table]`` header or ``key = value`` lines and is valid TOML as a whole.
* INI: it has a ``[section]`` header and its other statement lines are ``key = value`` or
  ``key: value``.
* YAML: it has a top-level ``key:`` line or starts with ``---`` or ``- ``.
"""

from __future__ import annotations

import codecs
import stat
import tomllib
from functools import cached_property
from pathlib import Path

#: How much of a file is looked at to tell its kind.
PEEK_CHARACTERS = 256 * 1024
#: The top-level keys of a compose file (``x-*`` extensions aside).
COMPOSE_KEYS = frozenset({"services", "networks", "volumes", "secrets", "configs", "include", "name", "version"})
_COMPOSE_SECTIONS = frozenset({"networks", "volumes", "secrets", "configs"})


class Peek:
    """The name and the first :data:`PEEK_CHARACTERS` characters of a file, read once."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.name = path.name.lower()
        self.text = text[:PEEK_CHARACTERS]
        self.complete = len(text) <= PEEK_CHARACTERS

    @classmethod
    def of(cls, path: Path) -> Peek:
        """The start of ``path`` (undecodable bytes replaced: this only guesses the kind), read as
        UTF-16 after a UTF-16 byte-order mark, as files are (:mod:`parity_gui.sources.text`);
        nothing for what is not a regular file (a named pipe would never answer)."""
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                return cls(path, "")
            with path.open("rb") as handle:
                data = handle.read(2 * PEEK_CHARACTERS + 2)
        except OSError:
            data = b""
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return cls(path, data.decode("utf-16", "replace"))
        return cls(path, data[:PEEK_CHARACTERS + 1].decode("utf-8", "replace").lstrip("\ufeff"))

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def statements(self) -> list[str]:
        """Lines that are neither blank nor whole-line comments (``#``, ``;``, ``!``), stripped."""
        return [s for line in self.lines if (s := line.strip()) and s[0] not in "#;!"]

    @cached_property
    def yaml_keys(self) -> frozenset[str]:
        """The keys written at the start of a line (the top level of a YAML mapping), in every
        document of the file."""
        keys = set()
        for line in self.lines:
            if not line or line[0] in " \t#-%.[{":
                continue
            if line[0] in "\"'":
                key = _quoted_key(line)
            else:
                key, colon, rest = line.partition(":")
                key = key.strip() if colon and (not rest or rest[0] in " \t") else ""
            if key:
                keys.add(key)
        return frozenset(keys)


def _quoted_key(line: str) -> str:
    quote = line[0]
    end = line.find(quote, 1)
    return line[1:end] if end > 0 and line[end + 1:end + 2] == ":" else ""


def dockerfile(peek: Peek) -> bool:
    for line in peek.lines:
        stripped = line.strip()
        if stripped.lower().replace(" ", "").startswith("#syntax="):
            return True
        if not stripped or stripped.startswith("#"):
            continue
        return stripped.split(None, 1)[0].upper() in ("FROM", "ARG")
    return False


def compose(peek: Peek) -> bool:
    keys = {k for k in peek.yaml_keys if not k.startswith("x-")}
    if "services" in keys or "include" in keys:
        return True
    return bool(keys) and keys <= COMPOSE_KEYS and bool(keys & _COMPOSE_SECTIONS)


def not_compose(peek: Peek) -> str | None:
    """Why a file named like a compose file is not one: none of its top-level keys is compose's
    (``x-*`` extensions aside); None when it is, or when it has no top-level keys to judge by."""
    keys = {k for k in peek.yaml_keys if not k.startswith("x-")}
    if not keys or keys & COMPOSE_KEYS:
        return None
    shown = ", ".join(sorted(keys)[:5])
    return f"none of its top-level keys ({shown}) is a compose setting"


def kubernetes(peek: Peek) -> bool:
    return {"apiVersion", "kind"} <= peek.yaml_keys


def dotenv(peek: Peek) -> bool:
    """The first statement is ``NAME=value`` and so are at least four in five (the rest may be
    the lines of a quoted value that spans several)."""
    found = [_is_assignment(s.removeprefix("export ").lstrip()) for s in peek.statements]
    return bool(found) and found[0] and sum(found) * 5 >= len(found) * 4


def _is_assignment(statement: str) -> bool:
    name, equals, _ = statement.partition("=")
    name = name.rstrip()
    return bool(equals) and bool(name) and (name[0].isalpha() or name[0] == "_") and all(
        c.isalnum() or c in "_.-" for c in name
    )


def json(peek: Peek) -> bool:
    text = peek.text.lstrip()
    if text[:1] == "[":  # an array, not a ``[section]`` header
        text = text[1:].lstrip()
        return text[:1] in ("{", "[", '"', "]", "-", "t", "f", "n") or text[:1].isdigit()
    return text[:1] == "{"


def toml(peek: Peek) -> bool:
    if not peek.complete or not peek.statements:
        return False
    try:
        tomllib.loads(peek.text)
    except tomllib.TOMLDecodeError:
        return False
    return True


def ini(peek: Peek) -> bool:
    statements = peek.statements
    if not statements or not any(_is_header(s) for s in statements):
        return False
    return all(_is_header(s) or "=" in s or ":" in s or s[:1] in " \t" for s in statements)


def _is_header(statement: str) -> bool:
    return statement.startswith("[") and statement.endswith("]")


def yaml(peek: Peek) -> bool:
    first = peek.statements[0] if peek.statements else ""
    return bool(peek.yaml_keys) or first.startswith(("---", "- "))
