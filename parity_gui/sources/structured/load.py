"""Structured configuration files as environments: YAML, JSON, TOML, INI and ``.properties``.

Each file's own tree goes under ``/files/<key>/…`` (:mod:`parity_gui.sources.structured.tree`
says how lists and documents are keyed), every value with its file, line and column. The key:

* in a folder, the file's path relative to the folder (``config/app.toml``), so the same file
  in two checkouts lines up;
* named in a spec, the format (``yaml``, ``json``, ``toml``, ``ini``, ``properties``) when it
  is the only file of that format in the spec, so ``values-dev.yaml`` and
  ``values-prod.yaml`` line up; else the file's name as written.

A file that cannot be read is an error diagnostic and the others still load; when none can be
read, the first error is raised. A key written twice is reported: an error in YAML and TOML
(both formats forbid it, and yaml.v3 and tomllib refuse the file), a warning naming both lines
in JSON, INI and ``.properties``, where the last one wins as their usual readers do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from parity_gui.core.tree import Coverage, Diagnostic, Environment, Level, TreeBuilder
from parity_gui.errors import LimitExceeded, ParseError, SourceError
from parity_gui.sources.structured.formats import FORMATS, Parsed
from parity_gui.sources.structured.tree import StructuredTree
from parity_gui.sources.text import Text, check_regular_file, read_text
from parity_gui.sources.yamlfile import MAX_ENTRIES

if TYPE_CHECKING:
    from parity_gui.sources.registry import SpecFile

#: Where every structured file's tree goes.
ROOT = "files"


def load_yaml_files(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    return load_structured(files, name, spec, "yaml")


def load_json_files(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    return load_structured(files, name, spec, "json")


def load_toml_files(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    return load_structured(files, name, spec, "toml")


def load_ini_files(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    return load_structured(files, name, spec, "ini")


def load_properties_files(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    return load_structured(files, name, spec, "properties")


def load_structured(files: Sequence[SpecFile], name: str, spec: str, form: str) -> Environment:
    """Every file of ``files`` read as ``form`` under ``/files/<key>``."""
    builder = TreeBuilder()
    env = Environment(name=name, spec=spec, coverage=Coverage.of([f"/{ROOT}/**"]))
    failures: list[SourceError] = []
    for spec_file in files:
        key = file_key(spec_file, form, len(files))
        try:
            parsed = parse(_read(spec_file, form, env), form)
        except SourceError as e:
            failures.append(e)
            env.diagnostics.append(Diagnostic(e.message, e.file, e.line, e.column, Level.ERROR))
            continue
        env.sources.append(spec_file.display)
        env.diagnostics.extend(parsed.diagnostics)
        StructuredTree(builder, spec_file.display).add_documents((ROOT, key), parsed.documents)
        if not any(d is not None for d in parsed.documents):
            env.diagnostics.append(Diagnostic(f"no values in this {form.upper()} file", file=spec_file.display))
    if failures and not env.sources:
        raise failures[0]
    return builder.into(env)


def _read(spec_file: SpecFile, form: str, env: Environment) -> Text:
    """The file's text; a ``.properties`` file that is not UTF-8 is read as ISO-8859-1, as
    ``Properties.load`` reads a byte stream (and Java's resource bundles fall back to), with a note."""
    try:
        return read_text(spec_file.path, spec_file.display)
    except ParseError as e:
        if form != "properties" or "is not valid UTF-8" not in e.message:
            raise
    check_regular_file(spec_file.path, spec_file.display)
    data = spec_file.path.read_bytes()
    content = data.decode("latin-1")
    newline = "\r\n" if "\r\n" in content[:content.find("\n") + 1] else "\n"
    env.diagnostics.append(Diagnostic("not UTF-8: read as ISO-8859-1 (Latin-1), as Properties.load reads it",
                                      spec_file.display, level=Level.NOTE))
    return Text(spec_file.path, spec_file.display, content, data, "latin-1", b"", newline)


def file_key(spec_file: SpecFile, form: str, count: int) -> str:
    """The key a file's tree goes under (see the module docstring)."""
    if spec_file.key:
        return spec_file.key
    return form if count == 1 else spec_file.display


def parse(text: Text, form: str) -> Parsed:
    """``text`` read as ``form`` (one of :data:`FORMATS`)."""
    _check_entries(text, form)
    reader: Callable[[Text], Parsed] = FORMATS[form]
    return reader(text)


#: What marks each entry of a format, counted before parsing (YAML counts its own, in
#: :mod:`parity_gui.sources.yamlfile`): every JSON value after the first of its array or object
#: follows a comma, every TOML key or array item a line break or a comma, every INI and
#: ``.properties`` entry a line break. An upper bound: marks inside strings count too.
_ENTRY_MARKS = {"json": (",", "[", "{"), "toml": (",", "\n"), "ini": ("\n",), "properties": ("\n",)}
_MARKS_SAID = {"json": "commas and opening brackets", "toml": "commas and line breaks",
               "ini": "line breaks", "properties": "line breaks"}


def _check_entries(text: Text, form: str) -> None:
    """Refuse a file of more than :data:`MAX_ENTRIES` entries (the limit YAML files have): the
    readers build a few hundred thousand values a second, so past it a load takes many seconds."""
    entries = sum(text.content.count(mark) for mark in _ENTRY_MARKS.get(form, ()))
    if entries > MAX_ENTRIES:
        raise LimitExceeded(f"holds about {entries:,} {form.upper()} entries (counting {_MARKS_SAID[form]}), "
                            f"over the limit of {MAX_ENTRIES:,} for one file", file=text.display)
