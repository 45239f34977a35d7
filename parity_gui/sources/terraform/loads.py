"""Whole Terraform loads remembered, with everything they depended on, and reused while it is unchanged.

Parsing is most of a cold load, and the parse cache (:mod:`parity_gui.sources.terraform.parsing`)
takes it away; what a warm load still does — evaluate every expression, expand modules and
``count``/``for_each`` instances, build tens of thousands of leaves — gives the same result as
long as nothing it read has changed. So each load records what it depended on, and its result is
kept in the same cache folder beside the parses:

* every file it read, by the SHA-256 of its bytes (var files, module files, Terragrunt files);
* every folder it listed, by the names in it (a module folder, the folder searched for
  ``*.auto.tfvars``), so a file added or removed anywhere it looked counts as a change;
* what else decides the result: the files named and how they are shown, the environment's name
  and spec, ``terraform.workspace``, the project folders reads are confined to, the size limit
  for one file, parity's own code (each source file's size and time) and python-hcl2's version.

A later load with the same key re-reads those files and folders — reading and hashing 3 MB
costs milliseconds, parsing it half a minute — and returns the remembered environment only when
every one is as it was; otherwise it loads afresh and remembers that. An entry that does not
check out, or cannot be read, is simply not used.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import hcl2

from parity_gui.core.origin import Origin
from parity_gui.core.secrets import secrets_in
from parity_gui.core.tree import Coverage, Diagnostic, Environment, Level
from parity_gui.errors import ParityError
from parity_gui.sources.parse_cache import ParseCache
from parity_gui.sources.text import max_file_bytes, project_roots

#: Bumped whenever what a load produces changes shape.
FORMAT = "2"
#: ``("file", path, shown as, sha256 of its text)`` or ``("folder", path, "", sha256 of its names)``.
Dependency = tuple[str, str, str, str]
#: Reads a file's text as the load did (size and type checked, newlines recorded).
TextReader = Callable[[Path, str], str]

_recorded: ContextVar[list[Dependency] | None] = ContextVar("terraform_dependencies", default=None)


def record_file(path: Path, shown: str, content: str) -> None:
    """Note that the load under way read ``path`` (shown as ``shown``) with this ``content``."""
    found = _recorded.get()
    if found is not None:
        found.append(("file", str(path.resolve()), shown, _text_digest(content)))


def record_folder(folder: Path) -> None:
    """Note that the load under way looked at what ``folder`` holds."""
    found = _recorded.get()
    if found is not None:
        found.append(("folder", str(folder.resolve()), "", _listing(folder)))


@functools.cache
def _code_version() -> str:
    """What the code that produces a load looks like: the size and time of each of its files, so a
    changed parity never reuses an older load (in a bundle without sources, parity's version)."""
    from parity_gui import __version__

    package = Path(__file__).resolve().parent.parent.parent
    try:
        files = sorted(f for part in ("core", "sources") for f in (package / part).rglob("*.py"))
        stamps = [f"{f}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files]
    except OSError:
        stamps = []
    return _digest("\0".join([__version__, *stamps]).encode("utf-8", "surrogateescape"))



def remembered(
    key_parts: Sequence[str], coverage: Coverage, read: TextReader, load: Callable[[], Environment]
) -> Environment:
    """The environment ``load`` makes, from the cache when nothing it depended on has changed
    (files re-read with ``read``, the checked reader the load itself uses)."""
    cache = ParseCache("terraform-loads", f"{FORMAT}/{getattr(hcl2, '__version__', '?')}/{_code_version()}")
    key = cache.key("\0".join([*key_parts, *map(str, project_roots()), str(max_file_bytes())]))
    entry = cache.get(key)
    if entry is not None and _unchanged(entry[0], read):
        return _environment(entry[1], coverage)
    with _recording() as dependencies:
        env = load()
    env.secrets = secrets_in(env.tree)  # worked out once, remembered with the load
    cache.put(key, (tuple(dependencies), _payload(env)))
    cache.prune()
    return env


@contextmanager
def _recording() -> Iterator[list[Dependency]]:
    found: list[Dependency] = []
    token = _recorded.set(found)
    try:
        yield found
    finally:
        _recorded.reset(token)


def _unchanged(dependencies: Sequence[Dependency], read: TextReader) -> bool:
    for kind, name, shown, digest in dependencies:
        path = Path(name)
        try:
            now = _listing(path) if kind == "folder" else _text_digest(read(path, shown))
        except (OSError, ParityError):
            return False
        if now != digest:
            return False
    return True


def _text_digest(content: str) -> str:
    return _digest(content.encode("utf-8", "surrogatepass"))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _listing(folder: Path) -> str:
    try:
        names = sorted(entry.name for entry in folder.iterdir())
    except OSError:
        names = ["(unreadable)"]
    return _digest("\0".join(names).encode("utf-8", "surrogateescape"))


def _payload(env: Environment) -> tuple[Any, ...]:
    """``env`` as tuples, strings and numbers (what the cache stores)."""
    return (
        env.name,
        env.spec,
        env.tree,
        tuple((path, tuple(origin)) for path, origin in env.origins.items()),
        tuple(env.raw.items()),
        tuple(env.sources),
        tuple((d.message, d.file, d.line, d.column, d.level.value) for d in env.diagnostics),
        tuple(sorted(env.secrets or ())),
    )


def _environment(payload: tuple[Any, ...], coverage: Coverage) -> Environment:
    name, spec, tree, origins, raw, sources, diagnostics, secrets = payload
    env = Environment(name=name, spec=spec, tree=tree, coverage=coverage)
    env.origins = {tuple(path): Origin(*origin) for path, origin in origins}
    env.raw = {tuple(path): text for path, text in raw}
    env.sources = list(sources)
    env.diagnostics = [Diagnostic(m, f, line, c, Level(level)) for m, f, line, c, level in diagnostics]
    env.secrets = frozenset(secrets)
    return env
