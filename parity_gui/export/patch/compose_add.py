"""Adding settings to compose files: under the deepest mapping already written, in the file's style.

A missing setting goes into the last compose file of the target that writes the service (the
override a human would edit), under the deepest mapping of the setting's path already written
there, with the file's own indentation step. Several settings added under one new mapping
(``deploy.replicas`` and ``deploy.resources``) are written together under one ``deploy:`` key.
When the reference writes the setting as a self-contained block, its text is copied (so
``memory: 1g`` stays ``1g``); otherwise it is written from the canonical tree
(:mod:`compose_render`). A key a service gets through ``<<: *anchor`` is never declared again in
the service: YAML merges are shallow, so that would hide the anchor's other keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path
from parity_gui.core.tree import Environment
from parity_gui.errors import ParityError
from parity_gui.export.compose_render import KEY_VALUE_KEYS, Verbatim, key_text, port_entry, scalar, service_lines
from parity_gui.export.patch.edits import Span
from parity_gui.export.patch.model import Change, Unfixable, Workspace
from parity_gui.export.yaml_places import Entry, YamlFile
from parity_gui.export.yaml_text import double_quoted, scalar_text, value_text
from parity_gui.sources.text import read_text
from parity_gui.sources.yamlfile import YMap, YNode, YSeq

_ALIAS = re.compile(r"(?:^|[\s\[{,:])\*[^\s,\[\]{}]+|<<\s*:")


class ComposeAdditions:
    """Plans the settings a compose target lacks; :meth:`finish` writes them."""

    def __init__(self, work: Workspace, target: Environment, reference: Environment, files: list[str],
                 *, may_add_service: bool = False) -> None:
        self.work = work
        self.target = target
        self.reference = reference
        self.files = files  #: the target's compose files, in load order
        #: An override of the target's own may name a service anew (compose merges it by name).
        self.may_add_service = may_add_service
        self.pending: dict[tuple[str, int], _Pending] = {}
        self._reference_files: dict[str, YamlFile] = {}

    def add(self, change: Change) -> None:
        file, yaml, container, rest = self._container(change.path)
        if yaml.is_flow(container):
            self._add_flow(file, yaml, container, change, rest)
            return
        if isinstance(container, YSeq):
            self._add_items(file, yaml, container, change, rest)
            return
        indent = " " * (yaml.indent_of_keys(container) or 0)
        depth = len(change.path) - len(rest)
        parent = "services" if depth == 1 else "service" if depth == 2 else change.path[depth - 1]
        key = (file, id(container))
        if key not in self.pending:
            self.pending[key] = _Pending(file, yaml, container, indent, _step(yaml, container), parent)
        self.pending[key].items.append((rest, change))

    def finish(self) -> list[tuple[Change, str]]:
        """Write the additions gathered by :meth:`add`, several keys under one new mapping
        together; return the changes that could not be written, with why."""
        failed: list[tuple[Change, str]] = []
        # Deeper blocks first: two blocks ending at one place go in nesting order (a service's
        # new environment entry before a new service after it).
        for pending in sorted(self.pending.values(), key=lambda p: -len(p.indent)):
            lines = self._render(pending.items, pending.indent, pending.step, pending.parent)
            why = "\n".join(change.pointer for _, change in pending.items)
            try:
                self._insert_lines(pending.file, pending.yaml, pending.container, lines, why)
            except Unfixable as e:
                failed += [(change, e.message) for _, change in pending.items]
        self.pending.clear()
        return failed

    def _render(self, items: list[tuple[Path, Change]], indent: str, step: str, parent: str) -> list[str]:
        groups: dict[str, list[tuple[Path, Change]]] = {}
        for rest, change in items:
            groups.setdefault(rest[0], []).append((rest, change))
        lines: list[str] = []
        for key, members in groups.items():
            if len(members) == 1:
                rest, change = members[0]
                lines += self._copied(change, rest, indent, step) or service_lines(
                    rest, self._new_value(change), indent, step, parent)
                continue
            child = "service" if parent == "services" else key
            lines += [f"{indent}{key_text(key)}:",
                      *self._render([(r[1:], c) for r, c in members], indent + step, step, child)]
        return lines

    def _new_value(self, change: Change) -> Any:
        """The reference's value to write, secrets replaced, and text written with variables in
        the reference kept as written."""
        return self._written(change, change.path, change.new)

    def _written(self, change: Change, path: Path, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self._written(change, (*path, k), v) for k, v in value.items()}
        raw = self.reference.raw.get(path)
        if isinstance(value, str) and raw and "$" in raw and "=" not in raw.split("$", 1)[0]:
            return Verbatim(change.written_raw(path, raw))
        return change.written(path, value)

    def _container(self, path: Path) -> tuple[str, YamlFile, YMap | YSeq, Path]:
        """The last target file writing the service, its deepest mapping (or list) on ``path``
        already written, and the keys still missing under it."""
        for file in reversed(self.files):
            yaml = self.work.yaml(file)
            services = own(yaml, yaml.root, "services")
            if not isinstance(services, YMap):
                continue
            if len(path) == 2:
                return file, yaml, services, path[1:]
            service = own(yaml, services, path[1])
            if isinstance(service, YMap):
                return self._descend(file, yaml, service, path, 2)
        if self.may_add_service:
            for file in reversed(self.files):
                yaml = self.work.yaml(file)
                services = own(yaml, yaml.root, "services")
                if isinstance(services, YMap) and not yaml.is_flow(services):
                    return file, yaml, services, path[1:]
        if len(path) == 2 and self.files:
            raise Unfixable(f"{self.files[-1]} has no services: mapping to add to")
        raise Unfixable(f"no compose file of the target writes service {path[1]}")

    def _descend(self, file: str, yaml: YamlFile, node: YMap, path: Path,
                 depth: int) -> tuple[str, YamlFile, YMap | YSeq, Path]:
        while depth < len(path):
            key = path[depth]
            if key in node and own(yaml, node, key) is None:
                raise Unfixable(f"{key} comes from a YAML anchor merged into the service; adding a key "
                                "here would hide the anchor's other values")
            child = own(yaml, node, key)
            if isinstance(child, YSeq) and (key == "ports" or key in KEY_VALUE_KEYS):
                return file, yaml, child, path[depth + 1:]
            if not isinstance(child, YMap):
                if child is not None:
                    shape = "a list" if isinstance(child, YSeq) else "a single value"
                    raise Unfixable(f"{key} is written as {shape} in {file}; edit it by hand")
                break
            node, depth = child, depth + 1
        return file, yaml, node, path[depth:]

    def _add_items(self, file: str, yaml: YamlFile, sequence: YSeq, change: Change, rest: Path) -> None:
        shape = yaml.item_indent(sequence)
        if shape is None or len(rest) != 1:
            raise Unfixable("the list to add to is empty or written in a way parity cannot extend; edit it by hand")
        texts = self._item_texts(change, rest[0])
        self._insert_lines(file, yaml, sequence, [f"{shape[0]}-{shape[1]}{t}" for t in texts], change.pointer)

    def _item_texts(self, change: Change, key: str) -> list[str]:
        """The list items that write ``key`` (a port, or a ``NAME=value`` entry)."""
        new = self._new_value(change)
        if change.path[-2] == "ports":
            return [double_quoted(port_entry(key, b)) for b in new]
        return [scalar_text((key if new is None else f"{key}={value_text(new)}").replace("$", "$$"), None)]

    def _add_flow(self, file: str, yaml: YamlFile, container: YMap | YSeq, change: Change, rest: Path) -> None:
        """Add to a mapping or list written on one line (``{A: 1}``, ``["80:80"]``), before its bracket."""
        new = self._new_value(change)
        if len(rest) != 1 or (isinstance(container, YMap) and isinstance(new, dict | list)):
            raise Unfixable("the mapping to add to is written in flow style ({…}); edit it by hand")
        if isinstance(container, YMap):
            items = [f"{key_text(rest[0])}: {scalar(new, rest[0])}"]
        else:
            items = self._item_texts(change, rest[0])
        content = yaml.content
        at = container.end - 1
        if content[at:at + 1] not in ("}", "]"):
            raise Unfixable("cannot find the end of the flow collection; edit it by hand")
        while content[at - 1] in " \t\r\n":
            at -= 1
        separator = "" if content[at - 1] in "{[" else ", "
        self.work.edit(file, Span(at, at, separator + ", ".join(items), change.pointer))

    def _copied(self, change: Change, rest: Path, indent: str, step: str) -> list[str] | None:
        """The reference's own text for the setting, re-indented, when it can be copied whole."""
        body = self._reference_text(change)
        if body is None:
            return None
        depth_indent = indent + step * (len(rest) - 1)
        lines = [f"{indent}{step * i}{key}:" for i, key in enumerate(rest[:-1])]
        return lines + [depth_indent + line if line else "" for line in body]

    def _reference_text(self, change: Change) -> list[str] | None:
        """The lines of the reference's entry for the change, without their indentation; None
        when it holds a secret, an alias, a variable, or is not a self-contained block."""
        origin = self.reference.origins.get(change.path)
        if change.has_secret() or origin is None or origin.file is None or not origin.line:
            return None
        found = self._reference_entry(origin)
        if found is None:
            return None
        entry, yaml = found
        if entry.key != change.path[-1] or entry.key_start is None:
            return None
        place = yaml.entry_lines(entry)
        text = yaml.content[place[0]:place[1]] if place else "$"
        if _ALIAS.search(text):
            return None
        own = entry.key_start - yaml.lines.line_start(entry.key_start)
        body = [line[own:] if line[:own].strip() == "" else None for line in text.splitlines()]
        return None if any(line is None for line in body) else [line or "" for line in body]

    def _reference_entry(self, origin: Origin) -> tuple[Entry, YamlFile] | None:
        try:
            yaml = self.read(str(origin.file))
        except ParityError:
            return None
        entry = yaml.key_at(origin.line or 0, origin.column or 0)
        return None if entry is None else (entry, yaml)

    def read(self, display: str) -> YamlFile:
        """A reference file, read once (a target file being edited is read as it was)."""
        if display not in self._reference_files:
            self._reference_files[display] = YamlFile(read_text(self.work.disk_path(display), display))
        return self._reference_files[display]

    def _insert_lines(self, file: str, yaml: YamlFile, container: YMap | YSeq, lines: list[str], why: str) -> None:
        content = yaml.content
        newline = yaml.lines.newline()
        last = yaml.last_offset(container)
        at = yaml.lines.line_end(max(last - 1, container.start))
        if _spaced_entries(yaml, container):
            lines = ["", *lines]
        text = newline.join(lines) + newline
        if at == len(content) and not content.endswith("\n"):
            text = newline + newline.join(lines)  # no final newline before: none after
        self.work.edit(file, Span(at, at, text, why))


def _spaced_entries(yaml: YamlFile, container: YMap | YSeq) -> bool:
    """True when a block mapping separates its entries with blank lines (services often are)."""
    if not isinstance(container, YMap) or yaml.is_flow(container):
        return False
    starts = sorted(e.key_start for e in (yaml.parent(v) for v in container.values()) if e is not None
                    and e.container is container and e.key_start is not None)
    if len(starts) < 2:
        return False
    before = yaml.lines.line_start(starts[-1]) - 1  # the newline ending the line above the last key
    previous = yaml.content[yaml.lines.line_start(max(before, 0)):before + 1]
    return before > 0 and previous.strip() == ""


@dataclass
class _Pending:
    """Additions waiting to be written under one mapping of one file."""

    file: str
    yaml: YamlFile
    container: YMap
    indent: str
    step: str
    parent: str
    items: list[tuple[Path, Change]] = field(default_factory=list)


def own(yaml: YamlFile, mapping: YNode | None, key: str) -> YNode | None:
    """``mapping[key]`` when the key is written in that mapping itself (not merged in)."""
    if not isinstance(mapping, YMap) or key not in mapping:
        return None
    line, column = mapping.key_positions[key]
    entry = yaml.key_at(line, column)
    return mapping[key] if entry is not None and entry.container is mapping else None


def _step(yaml: YamlFile, container: YMap) -> str:
    """The file's indentation step, from how ``container`` nests under its parent."""
    parent = yaml.parent(container)
    if parent is not None and isinstance(parent.container, YMap) and not yaml.is_flow(parent.container):
        width = (container.column - 1) - (parent.container.column - 1)
        if width > 0:
            return " " * width
    for child in container.values():
        if isinstance(child, YMap) and yaml.inside(child, container) and not yaml.is_flow(child):
            width = child.column - container.column
            if width > 0:
                return " " * width
    return "  "


def _masked(change: Change, path: Path, value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _masked(change, (*path, k), v) for k, v in value.items()}
    return change.written(path, value)
