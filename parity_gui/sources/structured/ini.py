"""INI files (``uwsgi.ini``, ``setup.cfg``, ``php.ini``, ``my.cnf``) read with every value's place.

As Python's :mod:`configparser` reads them, with the choices real INI files need spelled out:

* ``[section]`` headers; ``key = value`` or ``key: value`` (the first ``=`` or ``:`` splits);
  a line with neither is a key without a value (None), as ``allow_no_value`` reads it;
* whole-line comments start with ``#`` or ``;``; text after the value is kept (configparser
  keeps inline comments too), surrounding blanks are not;
* an indented line after a key continues its value (joined with a line break);
* keys keep their case (configparser would lower-case them, but uWSGI, PHP and MySQL do not);
* keys before the first section sit at the top of the file's tree; ``[DEFAULT]`` is a section
  like the others (its values are not copied into the rest);
* a key or section written twice is a warning naming both lines; the last value wins and a
  repeated section adds to the first.
"""

from __future__ import annotations

from parity_gui.core.tree import Diagnostic
from parity_gui.sources.structured.nodes import Parsed
from parity_gui.sources.text import Text
from parity_gui.sources.yamlfile import Scalar, YMap


def parse_ini(text: Text) -> Parsed:
    return _Reader(text).run()


class _Reader:
    def __init__(self, text: Text) -> None:
        self.text = text
        self.root = YMap(1, 1, 0, len(text.content), None)
        self.section = self.root
        self.diagnostics: list[Diagnostic] = []
        self.last: tuple[YMap, str] | None = None  # the key a continuation line would extend

    def run(self) -> Parsed:
        offset = 0
        for number, line in enumerate(self.text.content.splitlines(keepends=True), start=1):
            self.line(line.rstrip("\r\n"), number, offset)
            offset += len(line)
        return Parsed((self.root if self.root else None,), tuple(self.diagnostics))

    def line(self, line: str, number: int, offset: int) -> None:
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            if not stripped:
                self.last = None
            return
        if line[0] in " \t" and self.last is not None:
            self.continuation(stripped, offset + len(line.rstrip()))
        elif stripped.startswith("[") and stripped.endswith("]"):
            self.header(stripped[1:-1].strip(), number, line.index("[") + 1)
        else:
            self.pair(line, number, offset)

    def header(self, name: str, number: int, column: int) -> None:
        self.last = None
        existing = self.root.get(name)
        if isinstance(existing, YMap):
            self.warn(f"section [{name}] is written twice (first at line {existing.line}); "
                      "its keys are added to the first", number, column)
            self.section = existing
            return
        self.section = YMap(number, column, 0, 0, None)
        self.put(self.root, name, self.section, number, column)

    def pair(self, line: str, number: int, offset: int) -> None:
        split = min((i for i in (line.find("="), line.find(":")) if i >= 0), default=-1)
        key = (line if split < 0 else line[:split]).strip()
        column = len(line) - len(line.lstrip()) + 1
        if split < 0:
            value = Scalar(None, "", number, column, -1, -1)
        else:
            rest = line[split + 1:]
            start = split + 1 + len(rest) - len(rest.lstrip())
            raw = rest.strip()
            value = Scalar(raw, raw, number, start + 1, offset + start, offset + start + len(raw))
        self.put(self.section, key, value, number, column)
        self.last = (self.section, key)

    def continuation(self, stripped: str, end: int) -> None:
        assert self.last is not None
        section, key = self.last
        old = section[key]
        assert isinstance(old, Scalar)
        joined = f"{old.value}\n{stripped}" if old.value else stripped
        start = old.start if old.start >= 0 else end - len(stripped)
        section[key] = Scalar(joined, self.text.content[start:end], old.line, old.column, start, end)

    def put(self, section: YMap, key: str, value: Scalar | YMap, number: int, column: int) -> None:
        if key in section:
            first = section.key_positions[key][0]
            self.warn(f"duplicate key '{key}' (first at line {first}); the last one is used", number, column)
            del section[key]
        section[key] = value
        section.key_positions[key] = (number, column)

    def warn(self, message: str, line: int, column: int) -> None:
        self.diagnostics.append(Diagnostic(message, self.text.display, line, column))
