"""A service's ports, exposed ports, volumes, tmpfs mounts, secrets and configs, read into
their keyed canonical form so that short and long syntax give the same node.

* ``ports/"80/tcp"`` → the sorted list of host bindings (``"8080"``, ``"127.0.0.1:8080"``,
  ``"[::1]:8080"``; ``"(random)"`` when Docker picks the host port). The long form's ``name``
  and ``app_protocol`` describe a binding but do not change where it listens, so they are not
  part of the node. Its ``mode: host`` (swarm publishes on each node's own port instead of the
  routing mesh) is ``publish_mode/"80/tcp"`` ``host`` beside the ports (:func:`publish_modes`);
  ``ingress``, swarm's default, writes nothing.
* ``expose/"3000/tcp"`` → ``"3000/tcp"`` (a set).
* ``volumes/<target>`` → ``{type, source, read_only, bind/…, volume/…, tmpfs/…}``; service-level
  ``tmpfs:`` entries land there too as ``{type: tmpfs}``. ``read_only`` is filled in after the
  merge when nothing set it. Targets and bind sources are cleaned as compose-go cleans them
  (``./data/:/data/`` is the mount ``./data:/data``). A bind in short syntax, or a long one with
  ``bind:`` settings, creates a missing host folder unless told otherwise
  (``bind/create_host_path`` true, marked ``(default)``), as compose-go fills it in. A later
  file's entry for a target replaces the earlier entry whole, as compose does: ``read_only`` or
  bind options never leak from a base file.
* ``secrets/<target or source>`` and ``configs/…`` → ``{source, uid, gid, mode}``.
"""

from __future__ import annotations

from parity_gui.sources.compose.defaults import DEFAULT
from parity_gui.sources.compose.merge import Item, Merge
from parity_gui.sources.compose.reading import RESET_TAG, Reading, is_null, source_text
from parity_gui.sources.compose.values import (
    clean_path,
    expand_ports,
    parse_port,
    parse_tmpfs,
    parse_volume,
    port_key,
    port_range,
    ports_of,
    size_bytes,
)
from parity_gui.sources.yamlfile import Scalar, YMap, YNode

# --- ports ---------------------------------------------------------------------------------


def ports(r: Reading, node: YNode, what: str) -> Item:
    """``ports:`` in any syntax → bindings keyed by ``"<port>/<protocol>"``."""
    item = r.branch(node)
    for entry in r.entries(node, what):
        raw = source_text(entry) if isinstance(entry, Scalar) else None
        for key, bound in _port_entry(r, entry, what):
            existing = item.value.get(key)
            if existing is None:
                item.value[key] = Item([bound], r.at(entry), raw, Merge.UNION)
            elif bound not in existing.value:
                existing.value = sorted([*existing.value, bound])
    for child in item.value.values():
        child.value.sort()
    return item


def publish_modes(r: Reading, node: YNode, what: str) -> Item | None:
    """``publish_mode/"9100/tcp"`` ``host`` for each long-syntax port published in host mode."""
    if is_null(node) or isinstance(node, Scalar):
        return None
    item = r.branch(node)
    for entry in r.entries(node, what):
        mode = entry.get("mode") if isinstance(entry, YMap) else None
        if mode is None or r.text(mode, f"{what}.mode") != "host":
            continue
        for key, _ in _port_entry(r, entry, what):
            item.value[key] = r.leaf(mode, "host")
    return item if item.value else None


def _port_entry(r: Reading, entry: YNode, what: str) -> list[tuple[str, str]]:
    try:
        if isinstance(entry, YMap):
            return _long_port(r, entry, what)
        return parse_port(r.text(entry, f"an entry of {what}"))
    except ValueError as e:
        r.fail(f"{what}: {e}", entry)


def _long_port(r: Reading, entry: YMap, what: str) -> list[tuple[str, str]]:
    if is_null(entry.get("target")):
        r.fail(f"an entry of {what} in long syntax needs a 'target'", entry)
    target = r.text(entry["target"], f"{what}.target")
    published = _optional(r, entry, "published")
    host_ip = _optional(r, entry, "host_ip")
    protocol = _optional(r, entry, "protocol") or "tcp"
    return expand_ports(target, published, host_ip, protocol)


def _optional(r: Reading, mapping: YMap, key: str) -> str | None:
    node = mapping.get(key)
    return None if node is None else r.optional_text(node, key) or None


def expose(r: Reading, node: YNode, what: str) -> Item:
    """``expose:`` → a set of ``"<port>/<protocol>"``; ranges become one entry per port (a
    long range stays one entry, as for ``ports``)."""
    item = r.branch(node)
    for entry in r.entries(node, what):
        port, _, protocol = r.text(entry, f"an entry of {what}").partition("/")
        try:
            numbers = ports_of(*port_range(port))
        except ValueError as e:
            r.fail(f"{what}: {e}", entry)
        for number in numbers:
            key = port_key(number, protocol or "tcp")
            item.value[key] = r.leaf(entry, key)
    return item


# --- volumes -------------------------------------------------------------------------------


def volumes(r: Reading, node: YNode, what: str) -> Item:
    """A service's ``volumes:`` in short or long syntax → mounts keyed by target path."""
    item = r.branch(node)
    for entry in r.entries(node, what):
        if isinstance(entry, YMap):
            target, volume = _long_volume(r, entry, what)
        else:
            target, volume = _short_volume(r, entry, what)
        volume.merge = Merge.RESET if entry.tag == RESET_TAG else Merge.REPLACE
        item.value[clean_path(target)] = volume
    return item


def _creates_host_path(volume: Item) -> None:
    """compose-go's default for a bind it reads from short syntax or with ``bind:`` settings."""
    options = volume.sub("bind")
    if "create_host_path" not in options.value:
        options.value["create_host_path"] = Item(True, None, DEFAULT)


def _short_volume(r: Reading, entry: YNode, what: str) -> tuple[str, Item]:
    text = r.text(entry, f"an entry of {what}")
    try:
        parsed = parse_volume(text)
    except ValueError as e:
        r.fail(f"{what}: {e}", entry)
    origin = r.at(entry)
    volume = Item({}, origin, text, Merge.MERGE)
    volume.put("type", parsed.type, origin)
    if parsed.source is not None:
        source = r.project_path(parsed.source) if parsed.type == "bind" else parsed.source
        volume.put("source", source, origin)
    if parsed.read_only is not None:
        volume.put("read_only", parsed.read_only, origin)
    for group, options in parsed.options.items():
        sub = volume.sub(group)
        for key, value in options.items():
            sub.put(key, value, origin)
    if parsed.type == "bind":
        _creates_host_path(volume)
    return parsed.target, volume


def _long_volume(r: Reading, entry: YMap, what: str) -> tuple[str, Item]:
    if is_null(entry.get("target")):
        r.fail(f"an entry of {what} in long syntax needs a 'target'", entry)
    kind = r.text(entry["type"], f"{what}.type") if "type" in entry else "volume"
    volume = r.branch(entry)
    volume.put("type", kind, r.at(entry["type"]) if "type" in entry else r.at(entry))
    for key, child in entry.items():
        if key in ("target", "type"):
            continue
        volume.value[key] = _volume_field(r, child, f"{what}.{key}", kind)
    bind = volume.value.get("bind")
    if kind == "bind" and bind is not None and bind.is_branch:
        _creates_host_path(volume)
    return r.text(entry["target"], f"{what}.target"), volume


def _volume_field(r: Reading, node: YNode, what: str, kind: str) -> Item:
    key = what.rpartition(".")[2]
    if key == "source":
        source = r.text(node, what)
        return r.leaf(node, r.project_path(source) if kind == "bind" else source)
    if key == "read_only":
        return r.leaf(node, r.boolean(node, what))
    if key in ("bind", "volume", "tmpfs", "image"):
        return _volume_options(r, node, what)
    return r.generic(node, what)


def _volume_options(r: Reading, node: YNode, what: str) -> Item:
    options = r.branch(node)
    for key, child in r.items(node, what):
        if key == "size":
            options.value[key] = r.leaf(child, _size(r, child, f"{what}.size"))
        elif key in ("create_host_path", "nocopy", "recursive") and isinstance(child, Scalar):
            options.value[key] = r.leaf(child, r.boolean(child, f"{what}.{key}"))
        else:
            options.value[key] = r.generic(child, f"{what}.{key}")
    return options


def _size(r: Reading, node: YNode, what: str) -> int:
    value = r.value(node, what)
    try:
        return size_bytes(value)
    except ValueError as e:
        r.fail(f"{what}: {e}", node)


def tmpfs(r: Reading, node: YNode, what: str) -> Item:
    """Service-level ``tmpfs: /run`` or ``[/run, "/tmp:size=64m"]`` → ``volumes/<target>``."""
    item = r.branch(node)
    for entry in r.entries(node, what):
        text = r.text(entry, f"an entry of {what}")
        target, options = parse_tmpfs(text)
        origin = r.at(entry)
        volume = Item({}, origin, text, Merge.MERGE)
        volume.put("type", "tmpfs", origin)
        for key, value in options.items():
            converted: str | int = value
            if key == "size":
                try:
                    converted = size_bytes(value)
                except ValueError as e:
                    r.fail(f"{what}: size: {e}", entry)
            volume.sub("tmpfs").put(key, converted, origin)
        volume.merge = Merge.REPLACE
        item.value[clean_path(target)] = volume
    return item


# --- secrets and configs -------------------------------------------------------------------


def secrets(r: Reading, node: YNode, what: str) -> Item:
    """A service's ``secrets:`` → mounts keyed by target (or source when no target is given)."""
    return _mounts(r, node, what)


def configs(r: Reading, node: YNode, what: str) -> Item:
    """A service's ``configs:`` → mounts keyed by target (or source when no target is given)."""
    return _mounts(r, node, what)


def _mounts(r: Reading, node: YNode, what: str) -> Item:
    item = r.branch(node)
    for entry in r.entries(node, what):
        if isinstance(entry, YMap):
            key, mount = _long_mount(r, entry, what)
        else:
            key = r.text(entry, f"an entry of {what}")
            mount = Item({}, r.at(entry), key, Merge.REPLACE)
            mount.value["source"] = r.leaf(entry, key)
        item.value[key] = mount
    return item


def _long_mount(r: Reading, entry: YMap, what: str) -> tuple[str, Item]:
    if is_null(entry.get("source")):
        r.fail(f"an entry of {what} in long syntax needs a 'source'", entry)
    mount = r.branch(entry)
    mount.merge = Merge.RESET if entry.tag == RESET_TAG else Merge.REPLACE
    for key, child in entry.items():
        if key != "target":
            mount.value[key] = r.leaf(child, r.text(child, f"{what}.{key}"))
    target = entry.get("target")
    key = r.text(target, f"{what}.target") if target is not None else mount.value["source"].value
    return key, mount
