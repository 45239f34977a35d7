"""One compose service, as written in one file, → its canonical node (before any merge).

Each key has a reader (:mod:`compose_fields`, :mod:`compose_sections`, :mod:`compose_mounts`);
``tmpfs`` lands among the volumes (``volumes/<target>``). Legacy keys whose modern spelling lives
elsewhere (``scale`` → ``deploy/replicas``, ``mem_limit`` → ``deploy/resources/limits/memory``,
:data:`~compose_defaults.LEGACY_PLACES`) stay under their own key until every file is
merged; then :mod:`compose_defaults` moves them, refusing two different values as compose
does. ``x-`` keys inside a service are extensions and are skipped; keys compose does not know
are kept as written, with a warning. A key with no value (``user:``) says nothing: an earlier
file's value stays, as compose-go merges ``null`` — except ``command:`` and ``entrypoint:``,
which compose-go replaces even with ``null``: they clear the earlier value.
"""

from __future__ import annotations

from parity_gui.core.origin import Origin
from parity_gui.sources.compose import envfiles, fields, mounts, sections
from parity_gui.sources.compose.merge import Item, Merge, merge
from parity_gui.sources.compose.reading import RESET_TAG, Reading, branch_merge, is_null
from parity_gui.sources.yamlfile import YMap, YNode

_READERS: dict[str, fields.Field] = {
    "image": fields.image,
    "build": fields.build,
    "command": fields.command_line,
    "entrypoint": fields.command_line,
    "healthcheck": sections.healthcheck,
    "environment": fields.environment,
    "env_file": envfiles.env_file,
    "labels": fields.labels,
    "annotations": fields.labels,
    "sysctls": fields.labels,
    "extra_hosts": fields.extra_hosts,
    "ports": mounts.ports,
    "expose": mounts.expose,
    "volumes": mounts.volumes,
    "tmpfs": mounts.tmpfs,
    "secrets": mounts.secrets,
    "configs": mounts.configs,
    "depends_on": sections.depends_on,
    "networks": sections.networks,
    "ulimits": sections.ulimits,
    "logging": sections.logging,
    "deploy": sections.deploy,
    "scale": fields.integer,
    "mem_limit": fields.size,
    "mem_reservation": fields.size,
    "memswap_limit": fields.size,
    "shm_size": fields.size,
    "cpus": fields.cpus,
    "pids_limit": fields.integer,
    "stop_grace_period": fields.duration,
    **dict.fromkeys(
        ("cap_add", "cap_drop", "dns", "dns_search", "dns_opt", "security_opt", "profiles",
         "group_add", "device_cgroup_rules", "external_links", "links", "volumes_from", "devices"),
        fields.set_map,
    ),
    **dict.fromkeys(
        ("restart", "user", "working_dir", "hostname", "domainname", "platform", "container_name",
         "pull_policy", "stop_signal", "network_mode", "ipc", "pid", "runtime", "cgroup",
         "cgroup_parent", "mac_address", "isolation", "userns_mode", "uts"),
        fields.text,
    ),
    **dict.fromkeys(
        ("privileged", "read_only", "init", "tty", "stdin_open", "oom_kill_disable"), fields.boolean
    ),
}

#: Keys a compose service may have that are kept as written.
_OTHER_KNOWN = frozenset((
    "attach", "blkio_config", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota",
    "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpuset", "credential_spec", "develop",
    "driver_opts", "gpus", "label_file", "mem_swappiness", "models", "oom_score_adj", "post_start",
    "pre_stop", "provider", "pull_refresh_after", "storage_opt", "use_api_socket", "extends",
))

#: Keys whose ``null`` replaces an earlier value (compose-go's ``override`` merge).
_NULL_REPLACES = frozenset(("command", "entrypoint"))

_PLACES: dict[str, tuple[str, ...]] = {"tmpfs": ("volumes",)}


def normalise_service(r: Reading, name: str, node: YNode, origin: Origin) -> Item:
    """The canonical node of service ``name`` as this file writes it (``origin``: its key)."""
    if node.tag == RESET_TAG:
        return Item(None, origin, None, Merge.RESET)
    mapping = r.mapping(node, f"service {name!r}")
    service = Item({}, origin, None, branch_merge(node))
    for key in sorted(mapping, key=lambda k: k not in _PLACES):
        if key == "extends" or key.startswith("x-"):
            continue
        item = _read_key(r, name, mapping, key)
        if item is not None:
            place(service, _PLACES.get(key, (key,)), item)
        if key == "ports" and (modes := mounts.publish_modes(r, mapping[key], f"services.{name}.ports")):
            place(service, ("publish_mode",), modes)
    return service


def _read_key(r: Reading, name: str, mapping: YMap, key: str) -> Item | None:
    node, origin = mapping[key], r.key_at(mapping, key)
    if node.tag == RESET_TAG:
        if key == "tmpfs":  # its entries live among the volumes: which ones to drop is unknown
            r.log.add("'tmpfs: !reset' is not supported; reset the volumes instead", origin)
            return None
        return Item(None, origin, None, Merge.RESET)
    if is_null(node) and node.tag is None:  # says nothing, or clears (see the module docstring)
        return Item(None, origin, None, Merge.RESET) if key in _NULL_REPLACES else None
    reader = _READERS.get(key)
    if reader is None:
        if key not in _OTHER_KNOWN:
            r.log.add(f"unknown key {key!r} in service {name!r}", origin)
        reader = fields.generic
    item = reader(r, node, f"services.{name}.{key}")
    if item is not None and item.is_branch:
        item.origin = origin
    return item


def place(service: Item, path: tuple[str, ...], item: Item) -> None:
    """Put ``item`` at ``path`` inside ``service``, merging with what the same file put there."""
    parent = service
    for segment in path[:-1]:
        parent = parent.sub(segment)
    key = path[-1]
    existing = parent.value.get(key)
    if existing is None:
        parent.value[key] = item
        return
    merged = merge(existing, item)
    if merged is None:
        del parent.value[key]
    else:
        merged.origin = item.origin or merged.origin  # the key written, not the legacy one
        parent.value[key] = merged
