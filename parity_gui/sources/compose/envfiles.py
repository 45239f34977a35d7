"""A service's ``env_file:`` entries: found when a file is read, their lines read once every file
is merged, as compose-go reads them (``Project.WithServicesEnvironmentResolved``).

* Each entry is ``path`` (relative to the project folder), ``required`` (default true: a missing
  file is an error at the entry's line) and ``format`` (``raw``: each line taken as written).
* A merged service's files are read in order, a later file winning; the names they set fill
  ``environment`` wherever ``environment`` does not set them itself.
* ``${VAR}`` in a line reads, in this order: the project's variables (its ``.env``), the
  service's own ``environment:`` values, then what the files read so far and the lines above
  set. A ``NAME`` line alone is passed through: the project's ``.env`` value, else
  :data:`~compose_fields.FROM_SHELL`. A required variable left unset (``${X:?}``) is an error
  at its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parity_gui.core.origin import Origin
from parity_gui.sources.compose.fields import FROM_SHELL, passed_through
from parity_gui.sources.compose.merge import Item, Merge
from parity_gui.sources.compose.reading import Reading, is_null
from parity_gui.sources.dotenv.load import DotenvEntry, parse_dotenv, parse_raw_env
from parity_gui.sources.text import not_a_file, read_text
from parity_gui.sources.yamlfile import YMap, YNode


@dataclass(frozen=True, eq=False)
class EnvFile:
    """One ``env_file`` entry found on disk, waiting to be read after the merge."""

    path: Path
    shown: str
    raw: bool  #: ``format: raw``
    reading: Reading  #: the compose file naming it: its project's variables and log


def env_file(r: Reading, node: YNode, what: str) -> Item:
    """``env_file:`` → the files it names, keyed by how they are shown (later entries win)."""
    item = r.branch(node)
    for entry in r.entries(node, what):
        written, required, raw = _entry(r, entry, what)
        path, shown = r.file_path(written)
        problem = not_a_file(path)
        if problem == "not found" and not required:
            continue  # compose skips a missing optional env_file; anything else is an error
        if problem:
            r.fail(f"env_file {written} {problem} ({shown})", entry)
        r.log.read(shown)
        item.value[shown] = Item(EnvFile(path, shown, raw, r), r.at(entry), None, Merge.REPLACE)
    return item


def _entry(r: Reading, entry: YNode, what: str) -> tuple[str, bool, bool]:
    """The path, whether it is required, and whether it is in ``format: raw``."""
    if not isinstance(entry, YMap):
        return r.text(entry, what), True, False
    if is_null(entry.get("path")):
        r.fail(f"an entry of {what} in long syntax needs a 'path'", entry)
    required = r.boolean(entry["required"], f"{what}.required") if "required" in entry else True
    form = r.text(entry["format"], f"{what}.format") if not is_null(entry.get("format")) else ""
    if form not in ("", "raw"):
        r.fail(f"unsupported env_file format {form!r} (compose knows only 'raw')", entry["format"])
    return r.text(entry["path"], f"{what}.path"), required, form == "raw"


def fold_env_files(service: Item) -> None:
    """Read the merged service's ``env_file`` entries into its ``environment``."""
    files = service.value.pop("env_file", None)
    if files is None or not files.is_branch or not files.value:
        return
    environment = service.value.get("environment")
    if environment is None or not environment.is_branch:
        environment = service.value["environment"] = Item({}, files.origin, None, Merge.MERGE)
    own = {name: item.value for name, item in environment.value.items()
           if isinstance(item.value, str) and item.value != FROM_SHELL}
    seen: dict[str, str | None] = dict(own)  # what compose-go's reader has set so far
    found: dict[str, Item] = {}
    for spec in files.value.values():
        if isinstance(spec.value, EnvFile):
            _read(spec.value, own, seen, found)
    for name, item in found.items():
        environment.value.setdefault(name, item)


def _read(spec: EnvFile, own: dict[str, str], seen: dict[str, str | None], found: dict[str, Item]) -> None:
    r = spec.reading

    def lookup(name: str) -> str | None:
        value = r.variables.get(name)
        return value if value is not None else own.get(name)

    text = read_text(spec.path, spec.shown)
    parsed = parse_raw_env(text) if spec.raw else parse_dotenv(text, lookup=lookup, strict=True, seed=seen)
    r.log.diagnostics.extend(parsed.diagnostics)
    for entry in parsed.entries:
        item = found[entry.name] = _value(r, spec.shown, entry)
        if item.value != FROM_SHELL:
            seen[entry.name] = item.value


def _value(r: Reading, shown: str, entry: DotenvEntry) -> Item:
    origin = Origin(shown, entry.line, entry.column)
    if entry.value is not None:
        return Item(entry.value, origin, entry.raw, Merge.REPLACE)
    return passed_through(r, entry.name) or Item(FROM_SHELL, origin, entry.name)
