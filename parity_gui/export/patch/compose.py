"""Fixing compose files in place: change, add or remove values where they are written.

Decisions a user may ask about:

* A value is edited at its origin (the file, line and column of the value that won the merge),
  keeping its quoting style. A value that came from a variable is fixed where the variable is
  set — its line in the ``.env`` file, else the default in ``${VAR:-default}`` — never by
  hard-coding the result into the YAML. A variable set nowhere (taken from the shell) is not
  fixed, and the patch says so. When the new value does not fit around the variable (a postgres
  URL that becomes a sqlite path), the text is replaced by the value, and the patch says so. A
  reference written with variables (``${POSTGRES_PASSWORD}``) is copied with its variables.
* A value written once in an anchor (``&app``) and merged into several services is edited only
  when every service sharing it is fixed the same way; otherwise editing it would change the
  others, and the patch says so instead.
* A missing setting is added as :mod:`patch_compose_add` describes: in the last file writing the
  service, with the file's own indentation, copied from the reference when it can be.
* A removed setting loses its whole lines (key, value and nested block); an entry sharing its
  line with others (flow style ``{a: 1, b: 2}``) is not removed automatically. A service is
  removed from every file of the target that writes it.
* A value compose fills in by default (``deploy.replicas: 1``) is not written anywhere: changing
  it adds the setting; removing it is not possible.
* A file the target shares with another environment (``docker-compose.yml`` read by dev and
  prod) is not edited when a file of the target's own can carry the change: a value written in
  the shared file, or a setting to add, goes into the target's own compose file that comes later
  (its override), where compose's merge lets it win (compose specification, "Merge and
  override"). Settings compose merges by appending (``ports``, ``volumes``, ``expose``, …) and
  removals cannot be expressed that way; they are made in the shared file, and the patch says so.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path, to_pointer
from parity_gui.core.tree import MISSING, Environment
from parity_gui.errors import ParityError
from parity_gui.export.compose_render import KEY_VALUE_KEYS, image_reference, port_entry, short_volume
from parity_gui.export.patch import dotenv as patch_dotenv
from parity_gui.export.patch.compose_add import ComposeAdditions, own
from parity_gui.export.patch.edits import Span
from parity_gui.export.patch.model import Action, Change, Unfixable, Workspace, is_env_file, target_files
from parity_gui.export.yaml_places import Entry, YamlFile
from parity_gui.export.yaml_text import double_quoted, flow_list, is_plain_safe, scalar_text, value_text
from parity_gui.sources.compose.reading import source_text
from parity_gui.sources.compose.values import parse_port
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq

COMPOSE_SUFFIXES = (".yml", ".yaml")
_REFERENCE = re.compile(
    r"\$\{(?P<name>[_a-zA-Z][_a-zA-Z0-9]*)(?:(?P<op>:?-)(?P<default>[^${}]*))?\}|\$(?P<plain>[_a-zA-Z][_a-zA-Z0-9]*)"
)
_COMMAND_KEYS = ("command", "entrypoint")
#: Service settings compose merges by appending entries, so an override cannot replace one.
_MERGED_BY_APPENDING = frozenset((k,) for k in (
    "ports", "expose", "volumes", "dns", "dns_search", "tmpfs", "extra_hosts", "devices", "cap_add",
    "cap_drop", "security_opt", "secrets", "configs", "external_links", "links", "env_file",
))


class ComposePlanner:
    """Plans the edits that make a compose target match its reference."""

    def __init__(self, work: Workspace, target: Environment, reference: Environment,
                 selected: set[tuple[Path, str]]) -> None:
        self.work = work
        self.target = target
        self.reference = reference
        self.selected = selected  #: (path, repr of the new value) of every change in this patch
        self.files = [f for f in target_files(target, COMPOSE_SUFFIXES) if not is_env_file(f)]
        self._by_origin: dict[Origin, list[Path]] | None = None
        self.additions = ComposeAdditions(work, target, reference, self.files)
        own = self._own_files()
        self.own_additions = ComposeAdditions(work, target, reference, own, may_add_service=True) if own else None
        if self.own_additions is not None:  # one queue, so blocks ending at one place go in nesting order
            self.own_additions.pending = self.additions.pending

    # --- entry points ---------------------------------------------------------------------

    def finish(self) -> list[tuple[Change, str]]:
        """Write the additions planned so far; the changes that could not be written, with why."""
        return self.additions.finish()

    def _own_files(self) -> list[str]:
        """The target's compose files after its last shared one, when some file is shared."""
        shared = [i for i, f in enumerate(self.files) if f in self.work.shared]
        return self.files[shared[-1] + 1:] if shared else []

    def _in_own_file(self, change: Change) -> bool:
        """Put ``change`` into the target's own override when it would otherwise edit a shared
        file and an override can express it; True when it was planned there."""
        if self.own_additions is None or change.action is Action.REMOVE or change.path[2:3] in _MERGED_BY_APPENDING:
            return False
        origin = self._origin(change.path) if self._written(change.path) else None
        if origin is not None and origin.file not in self.work.shared:
            return False
        try:
            self.own_additions.add(change)
        except Unfixable:
            return False
        return True

    def plan(self, change: Change) -> None:
        """Plan ``change``, or raise :class:`Unfixable` saying why it cannot be done."""
        if not self.files:
            raise Unfixable("the target has no compose file to edit")
        if self._in_own_file(change):
            return
        if change.path[2:3] == ("volumes",) and len(change.path) > 4:
            self._volume(change)
        elif change.action is Action.REMOVE:
            self.remove(change)
        elif change.action is Action.ADD or not self._written(change.path):
            self.additions.add(change)
        else:
            self.set(change)

    def plan_image(self, service: str, changes: list[Change]) -> None:
        """Change the parts of one service's image (tag, digest, repository…) in one edit."""
        path = ("services", service, "image")
        current = self.target.get(path)
        if not isinstance(current, dict):
            raise Unfixable("the target names no image for this service")
        parts = dict(current)
        for change in changes:
            if change.new is MISSING:
                parts.pop(change.path[-1], None)
            else:
                parts[change.path[-1]] = change.new
        origins = [self._origin(c.path) for c in changes] + [self._origin((*path, k)) for k in current]
        origin = next((o for o in origins if o is not None), self._origin(path))
        file, node = self._scalar(origin, path)
        written = self.target.raw.get(path, source_text(node))
        name = image_reference({k: v for k, v in parts.items() if k in ("registry", "repository")})
        same_name = all(parts.get(k) == current.get(k) for k in ("registry", "repository"))
        if same_name and "$" not in written:
            name = _image_name(written)
        desired = name + (f":{parts['tag']}" if parts.get("tag") else "") + (
            f"@{parts['digest']}" if parts.get("digest") else "")
        whole = Change(changes[0].drift, path, Action.ADD, current, parts, changes[0].secrets)
        if origin is not None and origin.file in self.work.shared and self._in_own_file(whole):
            return
        if origin is not None:
            self._check_shared(origin, changes[0])
        self.write_scalar(file, node, desired, False, to_pointer(path))

    # --- SET ------------------------------------------------------------------------------

    def set(self, change: Change) -> None:
        origin = self._origin(change.path)
        assert origin is not None  # checked by _written
        yaml = self.work.yaml(str(origin.file))
        self._check_shared(origin, change)
        node = yaml.scalar_at(origin.line or 0, origin.column or 0)
        if node is None:
            collection = yaml.collection_at(origin.line or 0, origin.column or 0)
            if isinstance(collection, YSeq) and isinstance(change.new, list):
                self._replace_list(str(origin.file), yaml, collection, change)
                return
            if isinstance(collection, YMap) and change.path[2:3] == ("ports",) and len(change.path) == 4:
                self._long_port(str(origin.file), collection, change)
                return
            raise Unfixable(f"cannot find the value written at {origin}")
        if isinstance(change.new, list) and change.path[-1] == "test" and change.new[:1] not in (["CMD-SHELL"],
                                                                                                   ["NONE"]):
            self._check_current_text(node)
            words = change.written(change.path, change.new)  # whole: a secret flag's value is known by position
            self.work.edit(str(origin.file), Span(node.start, node.end, flow_list(words), change.pointer))
            return
        verbatim = self._verbatim(change, yaml, node)
        if verbatim is not None:
            text = scalar_text(verbatim, node)
            self.work.edit(str(origin.file), Span(node.start, node.end, self._spaced(str(origin.file), node, text),
                                                  change.pointer))
            return
        desired, keep_type = self._desired(change, yaml, node)
        self.write_scalar(str(origin.file), node, desired, keep_type, change.pointer)

    def _verbatim(self, change: Change, yaml: YamlFile, node: Scalar) -> str | None:
        """The reference's own text when it is written with variables (``${POSTGRES_PASSWORD}``)
        and the target's value is not: the variables are kept, not their values."""
        raw = self.reference.raw.get(change.path)
        if not isinstance(change.new, str) or not raw or "$" not in raw or "$" in node.raw:
            return None
        text = change.written_raw(change.path, raw)
        parent = yaml.parent(node)
        if _key_value_field(change.path) and parent is not None and parent.index is not None:
            return None if raw.startswith(f"{change.path[-1]}=") else f"{change.path[-1]}={text}"
        return text

    def _desired(self, change: Change, yaml: YamlFile, node: Scalar) -> tuple[str, bool]:
        """The full text the scalar at the change's origin must read, and whether it may be
        a number or boolean."""
        new = change.written(change.path, change.new)
        parent = yaml.parent(node)
        if _key_value_field(change.path) and (new is None or (parent is not None and parent.index is not None)):
            return _key_value_text(change.path[-1], new, in_list=parent is not None and parent.index is not None)
        if change.path[2:3] == ("ports",) and len(change.path) == 4:
            return self._port_text(change, node), False
        in_list = parent is not None and parent.index is not None
        if change.path[2:3] == ("volumes",) and len(change.path) > 4 and in_list:
            return self._volume_text(change), False
        if isinstance(new, list):
            return self._words_text(change, node, new), False
        if isinstance(new, dict):
            raise Unfixable("the reference has a whole mapping where the target has one value")
        self._check_current(change, node)
        if isinstance(new, str):
            return new, False
        return self._reference_written(change.path) or value_text(new), True

    def _reference_written(self, path: Path) -> str | None:
        """The reference's value as its file writes it (``1g`` for 1073741824 bytes), when it is
        written as one plain scalar without variables."""
        origin = self.reference.origins.get(path)
        if origin is None or origin.file is None or not origin.line:
            return None
        try:
            node = self.additions.read(origin.file).scalar_at(origin.line, origin.column or 0)
        except ParityError:
            return None
        if node is None or "$" in node.raw or (isinstance(node.value, str) and node.quoted):
            return None
        return node.raw

    def _check_current(self, change: Change, node: Scalar) -> None:
        if "$" in node.raw:
            return
        known = {value_text(change.old), self.target.raw.get(change.path)}
        if source_text(node) not in known:
            raise Unfixable(f"{source_text(node)!r} holds more than this value; edit it by hand")

    def _port_text(self, change: Change, node: Scalar) -> str:
        if len(change.old) != 1 or len(change.new) != 1:
            raise Unfixable("the port is published more than once; edit its entries by hand")
        try:
            keys = {key for key, _ in parse_port(source_text(node))}
        except ValueError as e:
            raise Unfixable(str(e)) from None
        if keys != {change.path[-1]}:
            raise Unfixable(f"{source_text(node)!r} publishes a range of ports; edit it by hand")
        return port_entry(change.path[-1], change.new[0])

    def _volume(self, change: Change) -> None:
        """A setting of one volume: its short-syntax entry is written again as the reference's
        volume; in long syntax, the setting's own value is changed."""
        origin = self._origin(change.path[:4])
        if origin is None:
            raise Unfixable("parity does not know where this volume is written")
        yaml = self.work.yaml(str(origin.file))
        node = yaml.scalar_at(origin.line or 0, origin.column or 0)
        if node is not None:
            self._check_shared(origin, change)
            self.write_scalar(str(origin.file), node, self._volume_text(change), False, change.pointer)
            return
        entry = yaml.collection_at(origin.line or 0, origin.column or 0)
        value = entry.get(change.path[4]) if isinstance(entry, YMap) and len(change.path) == 5 else None
        if not isinstance(value, Scalar) or isinstance(change.new, dict) or change.new is MISSING:
            raise Unfixable("the volume is written in long syntax; edit its entry by hand")
        self.write_scalar(str(origin.file), value, value_text(change.new), not isinstance(change.new, str),
                          change.pointer)

    def _volume_text(self, change: Change) -> str:
        """A short-syntax volume entry written again as the reference's volume at that target."""
        text = short_volume(change.path[3], self.reference.get(change.path[:4]))
        if text is None:
            raise Unfixable("the reference's volume needs the long syntax; edit the entry by hand")
        return text

    def _long_port(self, file: str, entry: YMap, change: Change) -> None:
        """A long-syntax port (``target:``/``published:``): its ``published`` value is changed."""
        if len(change.old) != 1 or len(change.new) != 1:
            raise Unfixable("the port is published more than once; edit its entries by hand")
        host, _, port = str(change.new[0]).rpartition(":")
        published, host_ip = entry.get("published"), entry.get("host_ip")
        written_ip = host_ip.value if isinstance(host_ip, Scalar) and host_ip.value else ""
        if not port.isdigit() or not isinstance(published, Scalar) or host.strip("[]") != written_ip:
            raise Unfixable("the port's host address or range changes; edit its entry by hand")
        self.write_scalar(file, published, port, True, change.pointer)

    def _check_current_text(self, node: Scalar) -> None:
        if "$" in node.raw:
            raise Unfixable("the value is written with variables; edit it by hand")

    def _words_text(self, change: Change, node: Scalar, new: list[Any]) -> str:
        if change.path[-1] == "test" and new[:1] == ["NONE"]:
            return "NONE"
        if change.path[-1] == "test" and len(new) == 2 and new[0] == "CMD-SHELL":
            return str(new[1])
        if change.path[-1] in _COMMAND_KEYS or change.path[-1] == "test":
            return shlex.join(str(w) for w in new)
        raise Unfixable("the target writes one value where the reference has a list")

    def _replace_list(self, file: str, yaml: YamlFile, node: YSeq, change: Change) -> None:
        words = change.written(change.path, change.new)  # whole: a secret flag's value is known by position
        if any(not isinstance(item, Scalar) for item in node):
            raise Unfixable("the list holds mappings; edit it by hand")
        if yaml.is_flow(node):
            self.work.edit(file, Span(node.start, node.end, flow_list(words), change.pointer))
            return
        if len(node) == len(words):
            for item, old, new in zip(node, change.old, words, strict=True):
                if old != new and isinstance(item, Scalar):
                    self.write_scalar(file, item, value_text(new), False, change.pointer)
            return
        shape = yaml.item_indent(node)
        entry = yaml.parent(node)
        place = yaml.entry_lines(Entry(node, node[0], index=0)) if shape else None
        if shape is None or entry is None or place is None:
            raise Unfixable("the list is written in a way parity cannot edit; edit it by hand")
        first = yaml.lines.line_start(node.start)
        end = yaml.lines.line_end(max(yaml.last_offset(node) - 1, node.start))
        newline = yaml.lines.newline()
        lines = [f"{shape[0]}-{shape[1]}{scalar_text(value_text(w).replace('$', '$$'), None)}" for w in words]
        self.work.edit(file, Span(first, end, newline.join(lines) + newline, change.pointer))

    def write_scalar(self, file: str, node: Scalar, desired: str, keep_type: bool, why: str) -> None:
        """Make ``node`` read ``desired``: in place, or where its variable is set."""
        if "$" in node.raw:
            self._through_variable(file, node, desired, why)
            return
        text = scalar_text(desired.replace("$", "$$"), node, keep_type=keep_type)
        self.work.edit(file, Span(node.start, node.end, self._spaced(file, node, text), why))

    def _spaced(self, file: str, node: Scalar, text: str) -> str:
        """``text`` with a blank before it when it fills an empty value right after ``KEY:``."""
        content = self.work.text(file).content
        return " " + text if node.raw == "" and content[node.start - 1:node.start] == ":" else text

    # --- values set through variables -------------------------------------------------------

    def _through_variable(self, file: str, node: Scalar, desired: str, why: str) -> None:
        written = source_text(node)
        found = list(_REFERENCE.finditer(written))
        if "$$" in written or len(found) != 1 or written.count("$") != 1 or "\\" in node.raw:
            raise Unfixable(f"{written!r} combines several variables; edit it by hand")
        match = found[0]
        prefix, suffix = written[:match.start()], written[match.end():]
        fits = desired.startswith(prefix) and desired.endswith(suffix) and len(desired) >= len(prefix) + len(suffix)
        if not fits:
            self.work.note(f"{why}: the new value does not fit around {match.group(0)}, so the patch writes "
                           "the value itself in place of the text using the variable")
            text = scalar_text(desired.replace("$", "$$"), node)
            self.work.edit(file, Span(node.start, node.end, text, why))
            return
        value = desired[len(prefix):len(desired) - len(suffix)]
        name = match["name"] or match["plain"]
        env_file = self._defining(name)
        if env_file is not None:
            patch_dotenv.set_value(self.work, env_file, name, value, why)
            self.work.note(f"{why} is set through ${{{name}}}: the patch edits {env_file}, which every "
                           f"value using {name} reads")
            return
        if match["op"] is None:
            raise Unfixable(f"the value comes from ${{{name}}}, which no file parity read sets (compose "
                            "takes it from the shell running it); set it there")
        self._default(file, node, match, value, why)

    def _default(self, file: str, node: Scalar, match: re.Match[str], value: str, why: str) -> None:
        if any(c in value for c in "${}"):
            raise Unfixable(f"{value!r} cannot be written inside ${{…:-default}}")
        written = source_text(node)
        new_written = written[:match.start("default")] + value + written[match.end("default"):]
        if node.quoted or is_plain_safe(new_written):
            offset = node.start + (1 if node.quoted else 0)
            span = Span(offset + match.start("default"), offset + match.end("default"), value, why)
        else:
            span = Span(node.start, node.end, double_quoted(new_written), why)
        self.work.edit(file, span)

    def _defining(self, name: str) -> str | None:
        """The target's ``.env`` file that sets ``name``, if any."""
        for env_file in (s for s in self.target.sources if is_env_file(s)):
            if patch_dotenv.entries(self.work, env_file, name):
                return env_file
        return None

    # --- REMOVE ---------------------------------------------------------------------------

    def remove(self, change: Change) -> None:
        if len(change.path) == 2:
            self._remove_service(change)
            return
        origin = self._origin(change.path)
        if origin is None or origin.file is None:
            raise Unfixable("parity does not know where this is written")
        yaml = self.work.yaml(origin.file)
        entry = self._entry_at(yaml, origin, change.path)
        self._check_shared(origin, change)
        self._remove_entry(origin.file, yaml, entry, change.pointer)

    def _entry_at(self, yaml: YamlFile, origin: Origin, path: Path) -> Entry:
        line, column = origin.line or 0, origin.column or 0
        entry = yaml.key_at(line, column)
        if entry is not None and entry.key == path[-1]:
            return entry
        node: YNode | None = yaml.scalar_at(line, column) or yaml.collection_at(line, column)
        found = yaml.parent(node) if node is not None else None
        if found is None or (found.key is not None and found.key != path[-1]):
            if entry is not None:
                raise Unfixable("compose sets this by default; it is not written in any file")
            raise Unfixable(f"cannot find the entry written at {origin}")
        return found

    def _remove_entry(self, file: str, yaml: YamlFile, entry: Entry, why: str) -> None:
        place = yaml.entry_lines(entry)
        if place is None:
            raise Unfixable("it shares its line with other values; edit it by hand")
        start, end = place
        content = yaml.content
        if end == len(content) and not content.endswith("\n") and start > 0:
            start -= len(yaml.lines.newline())
        self.work.edit(file, Span(start, end, "", why))

    def _remove_service(self, change: Change) -> None:
        removed = False
        for file in self.files:
            yaml = self.work.yaml(file)
            services = own(yaml, yaml.root, "services")
            if isinstance(services, YMap) and own(yaml, services, change.path[1]) is not None:
                entry = yaml.parents[id(services[change.path[1]])]
                self._remove_entry(file, yaml, entry, change.pointer)
                removed = True
        if not removed:
            raise Unfixable("no compose file of the target writes this service")

    # --- shared values ----------------------------------------------------------------------

    def _check_shared(self, origin: Origin, change: Change) -> None:
        """Refuse to edit a value other services read too, unless they are fixed the same way."""
        others = [p for p in self._paths_at(origin) if p[:2] != change.path[:2]]
        unfixed = [p for p in others if (p, repr(change.new)) not in self.selected]
        if unfixed:
            names = ", ".join(sorted({to_pointer(p[:2]) for p in unfixed}))
            raise Unfixable(f"it is written once at {origin} and shared (through a YAML anchor) with {names}; "
                            "editing it would change them too")

    def _paths_at(self, origin: Origin) -> list[Path]:
        if self._by_origin is None:
            index: dict[Origin, list[Path]] = {}
            for path, found in self.target.origins.items():
                index.setdefault(found, []).append(path)
            self._by_origin = index
        return [p for p in self._by_origin.get(origin, []) if not _is_image_part(p)]

    # --- places ---------------------------------------------------------------------------

    def _origin(self, path: Path) -> Origin | None:
        origin = self.target.origins.get(path)
        return origin if origin is not None and origin.file is not None and origin.line else None

    def _written(self, path: Path) -> bool:
        """True when the target's value at ``path`` is written at its origin (not a default)."""
        origin = self._origin(path)
        if origin is None or not str(origin.file).lower().endswith(COMPOSE_SUFFIXES):
            return False
        yaml = self.work.yaml(str(origin.file))
        line, column = origin.line or 0, origin.column or 0
        if yaml.scalar_at(line, column) is not None or yaml.collection_at(line, column) is not None:
            return True
        entry = yaml.key_at(line, column)
        return entry is None or entry.key == path[-1]

    def _scalar(self, origin: Origin | None, path: Path) -> tuple[str, Scalar]:
        if origin is None or origin.file is None:
            raise Unfixable(f"parity does not know where {to_pointer(path)} is written")
        yaml = self.work.yaml(origin.file)
        node = yaml.scalar_at(origin.line or 0, origin.column or 0)
        entry = yaml.key_at(origin.line or 0, origin.column or 0)
        if node is None and entry is not None and entry.key == path[-1] and isinstance(entry.value, Scalar):
            node = entry.value
        if node is None:
            raise Unfixable(f"cannot find the value written at {origin}")
        return origin.file, node


def _image_name(written: str) -> str:
    """``registry/repo:tag@digest`` as written → ``registry/repo`` as written."""
    name = written.partition("@")[0]
    colon = name.rfind(":")
    return name[:colon] if colon > name.rfind("/") else name


def _key_value_text(key: str, new: Any, *, in_list: bool) -> tuple[str, bool]:
    """An entry of an environment-like list (``KEY=value``, ``KEY`` alone when passed through),
    or a mapping value passed through (``KEY: ~``, which is ``KEY:`` with no value)."""
    if not in_list:
        return "~", True
    return (key if new is None else f"{key}={value_text(new)}"), False


def _key_value_field(path: Path) -> bool:
    return len(path) >= 4 and path[-2] in KEY_VALUE_KEYS


def _is_image_part(path: Path) -> bool:
    return len(path) == 4 and path[0] == "services" and path[2] == "image"


def image_changes(changes: list[Change]) -> Iterator[tuple[str, list[Change]]]:
    """Changes to the parts of a service's image, grouped by service."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        if _is_image_part(change.path):
            groups.setdefault(change.path[1], []).append(change)
    yield from groups.items()
