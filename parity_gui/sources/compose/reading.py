"""Reading the YAML nodes of one compose file: origins, interpolated text and type checks.

A :class:`Reading` is what every normalising function gets: it knows the file's name as the user
gave it, where its relative paths start, the variables for interpolation, and where warnings go.
Values are interpolated here, scalar by scalar, and only values — never mapping keys — as
compose does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePath
from typing import Any, NoReturn

from parity_gui.core.origin import Origin
from parity_gui.core.tree import Diagnostic, Level
from parity_gui.errors import LimitExceeded, ParseError
from parity_gui.sources.compose.merge import Item, Merge
from parity_gui.sources.compose.values import clean_source
from parity_gui.sources.interpolation import interpolate
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq

RESET_TAG = "!reset"
OVERRIDE_TAG = "!override"

#: Characters all interpolated values of one project may add up to: one variable of a few hundred
#: KB named in a thousand places would otherwise make a tree of gigabytes to compare and report.
MAX_INTERPOLATED = 10_000_000

_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


@dataclass
class LoadLog:
    """What loading a compose project reports besides the tree: warnings and files read."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    warned_variables: set[str] = field(default_factory=set)
    interpolated: int = 0  #: characters produced by interpolation so far, for MAX_INTERPOLATED

    def add(self, message: str, origin: Origin | None = None, level: Level = Level.WARNING) -> None:
        """Record a warning (or an error that does not stop the load) at ``origin``."""
        where = origin or Origin()
        self.diagnostics.append(Diagnostic(message, where.file, where.line, where.column, level))

    def read(self, display: str) -> None:
        if display not in self.sources:
            self.sources.append(display)


@dataclass
class Reading:
    """One compose file being read."""

    display: str  #: the file as the user named it, for origins and messages
    path: Path  #: the file on disk
    folder: Path  #: where the file's relative paths start
    project_dir: Path  #: where the project's relative paths are written from (first file's folder)
    variables: Mapping[str, str | None]
    log: LoadLog
    #: where ``folder`` is shown from (the folder of ``display`` unless the file's paths start elsewhere)
    shown_folder: PurePath | None = None
    #: the project's variables with the ``.env`` line that sets each, for pass-through values
    defined: Mapping[str, Item] = field(default_factory=dict)

    @cached_property
    def identity(self) -> str:
        """The file's resolved path: the same file however it was named."""
        return str(self.path.resolve())

    # --- places and errors -------------------------------------------------------------------

    def at(self, node: YNode) -> Origin:
        return Origin(self.display, node.line, node.column)

    def key_at(self, mapping: YMap, key: str) -> Origin:
        line, column = mapping.key_positions.get(key, (mapping.line, mapping.column))
        return Origin(self.display, line, column)

    def error(self, message: str, node: YNode | None) -> ParseError:
        line = node.line if node is not None else None
        column = node.column if node is not None else None
        return ParseError(message, file=self.display, line=line, column=column)

    def fail(self, message: str, node: YNode | None) -> NoReturn:
        raise self.error(message, node)

    def warn(self, message: str, node: YNode | None, level: Level = Level.WARNING) -> None:
        self.log.add(message, self.at(node) if node is not None else Origin(self.display), level)

    # --- shapes ------------------------------------------------------------------------------

    def mapping(self, node: YNode, what: str) -> YMap:
        if not isinstance(node, YMap):
            self.fail(f"{what} must be a mapping, not {kind_of(node)}", node)
        return node

    def sequence(self, node: YNode, what: str) -> YSeq:
        if not isinstance(node, YSeq):
            self.fail(f"{what} must be a list, not {kind_of(node)}", node)
        return node

    def items(self, node: YNode, what: str) -> Iterator[tuple[str, YNode]]:
        """The entries of a mapping, or nothing for ``null``."""
        if is_null(node):
            return iter(())
        return iter(self.mapping(node, what).items())

    def entries(self, node: YNode | None, what: str) -> list[YNode]:
        """The entries of a list; a single scalar counts as a list of one; ``null`` as none."""
        if node is None or is_null(node):
            return []
        if isinstance(node, Scalar):
            return [node]
        return list(self.sequence(node, what))

    # --- scalars -----------------------------------------------------------------------------

    def value(self, node: YNode, what: str) -> Any:
        """A scalar's value, strings interpolated."""
        if not isinstance(node, Scalar):
            self.fail(f"{what} must be a single value, not {kind_of(node)}", node)
        if isinstance(node.value, str) and "$" in node.value:
            return self.interpolated(node)
        return node.value

    def text(self, node: YNode, what: str) -> str:
        """A scalar as the text compose reads: strings interpolated, other scalars as written."""
        value = self.value(node, what)
        if isinstance(value, str):
            return value
        if value is None:
            return ""
        return source_text(node)  # type: ignore[arg-type]

    def optional_text(self, node: YNode, what: str) -> str | None:
        """Like :meth:`text`, but ``null`` stays None (``KEY:`` in an environment mapping)."""
        return None if is_null(node) else self.text(node, what)

    def integer(self, node: YNode, what: str) -> int:
        value = self.value(node, what)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            return int(value)
        raise self.error(f"{what} must be a whole number, not {value!r}", node)

    def number(self, node: YNode, what: str) -> int | float:
        value = self.value(node, what)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        try:
            return float(value)
        except (TypeError, ValueError):
            self.fail(f"{what} must be a number, not {value!r}", node)

    def boolean(self, node: YNode, what: str) -> bool:
        value = self.value(node, what)
        if isinstance(value, bool):
            return value
        if value in _TRUE or value in _FALSE:
            return value in _TRUE
        raise self.error(f"{what} must be true or false, not {value!r}", node)

    def interpolated(self, node: Scalar) -> str:
        assert isinstance(node.value, str)
        try:
            result, substitutions = interpolate(node.value, self.variables.get)
        except ParseError as e:
            raise type(e)(e.message, file=self.display, line=node.line, column=node.column) from e
        if substitutions:
            self.count_interpolated(len(result), node)
        for sub in substitutions:
            where = Origin(self.display, node.line, _column_of(node, sub.offset))
            if sub.message:  # ${VAR:?message} with VAR unset: compose stops here, so does parity
                raise ParseError(sub.message, file=self.display, line=where.line, column=where.column)
            if sub.missing and sub.name not in self.log.warned_variables:
                self.log.warned_variables.add(sub.name)
                self.log.add(f"variable {sub.name} is not set; using an empty string", where)
        return result

    def count_interpolated(self, characters: int, node: Scalar) -> None:
        self.log.interpolated += characters
        if self.log.interpolated > MAX_INTERPOLATED:
            raise LimitExceeded(
                f"interpolated values add up to more than {MAX_INTERPOLATED:,} characters "
                "(a large variable used in many places?)",
                file=self.display, line=node.line, column=node.column,
            )

    # --- items -------------------------------------------------------------------------------

    def leaf(self, node: YNode, value: Any, raw: str | None = None) -> Item:
        """An item for a value read from ``node``; its tag decides how it merges."""
        if raw is None and isinstance(node, Scalar):
            raw = node.value if isinstance(node.value, str) else node.raw
        merge = Merge.RESET if node.tag == RESET_TAG else Merge.REPLACE
        return Item(value, Origin(self.display, node.line, node.column), raw, merge)

    def branch(self, node: YNode, origin: Origin | None = None) -> Item:
        """An empty mapping item for ``node`` (its origin, or the key's when given)."""
        return Item({}, origin or self.at(node), None, branch_merge(node))

    def generic(self, node: YNode, what: str, origin: Origin | None = None) -> Item:
        """Any value kept as written: mappings as mappings, lists of scalars as lists,
        lists holding mappings keyed by position (``"0"``, ``"1"``…)."""
        if isinstance(node, YMap):
            item = self.branch(node, origin)
            for key, child in node.items():
                item.value[key] = self.generic(child, f"{what}.{key}", self.key_at(node, key))
            return item
        if isinstance(node, YSeq):
            if all(isinstance(child, Scalar) for child in node):
                values = [self.value(child, what) for child in node]
                return Item(values, origin or self.at(node), None, leaf_merge(node))
            item = self.branch(node, origin)
            for index, child in enumerate(node):
                item.value[str(index)] = self.generic(child, f"{what}[{index}]")
            return item
        return self.leaf(node, self.value(node, what))

    # --- paths -------------------------------------------------------------------------------

    def file_path(self, written: str) -> tuple[Path, str]:
        """A path written in this file → the file on disk and the name to show for it.

        Relative paths start from :attr:`folder`: the project folder for the files of the
        project (overrides in other folders included, as compose resolves them), the file's
        own folder for an ``extends`` base.
        """
        path = Path(written).expanduser()
        if path.is_absolute():
            return path, written
        shown = self.shown_folder if self.shown_folder is not None else PurePath(self.display).parent
        return self.folder / path, os.path.normpath(shown / written)

    def project_path(self, written: str) -> str:
        """A local path as the project sees it, cleaned like Go's ``path.Clean`` (``./data/`` is
        ``./data``): relative to the project folder, rebased onto it when this file's paths
        start elsewhere (an ``extends`` base in another folder)."""
        if self.folder == self.project_dir or not is_relative_path(written):
            return clean_source(written)
        target = os.path.normpath(self.folder / written)
        return clean_source(os.path.relpath(target, self.project_dir))


def _column_of(node: Scalar, offset: int) -> int:
    """The column of character ``offset`` of a scalar's value, where the text allows telling
    (a one-line value written as is, or quoted without escapes); else the scalar's column."""
    raw = node.raw
    if "\n" in raw:
        return node.column
    if raw == node.value:
        return node.column + offset
    if raw[1:-1] == node.value and raw[:1] in ("'", '"'):
        return node.column + 1 + offset
    return node.column


def is_relative_path(written: str) -> bool:
    """True for a path relative to the file (not absolute, not ``~``, not a URL)."""
    return not (PurePath(written).is_absolute() or written.startswith(("~", "git@")) or "://" in written)


def beside(display: str, written: str) -> str:
    """How to show ``written``, a path relative to the folder of the file shown as ``display``."""
    return os.path.normpath(PurePath(display).parent / written)


def kind_of(node: YNode | None) -> str:
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    if node is None or node.value is None:
        return "empty"
    return f"{type(node.value).__name__} {source_text(node)!r}"


def is_null(node: YNode | None) -> bool:
    return node is None or (isinstance(node, Scalar) and node.value is None)


def source_text(node: Scalar) -> str:
    """A scalar that is not a string, as written (``3.10`` stays ``3.10``, not ``3.1``)."""
    if isinstance(node.value, str):
        return node.value
    return node.raw


def leaf_merge(node: YNode) -> Merge:
    return Merge.RESET if node.tag == RESET_TAG else Merge.REPLACE


def branch_merge(node: YNode) -> Merge:
    if node.tag == RESET_TAG:
        return Merge.RESET
    return Merge.REPLACE if node.tag == OVERRIDE_TAG else Merge.MERGE
