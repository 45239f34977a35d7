"""Compose settings that hold settings of their own: ``healthcheck``, ``depends_on``,
``networks``, ``ulimits``, ``logging`` and ``deploy``.

Decisions a user may ask about:

* a healthcheck written ``disable: true`` is the same node as ``test: ["NONE"]``; a test written
  as one string is ``["CMD-SHELL", "<string>"]``, even ``test: NONE`` (compose-go only reads the
  list ``["NONE"]`` as "no healthcheck");
* ``depends_on: [db]`` is ``db: {condition: service_started, required: true, restart: false}``;
* ``networks: [front]`` is ``front: {}``, as is ``front:`` with nothing;
* ``ulimits: {nofile: 1024}`` is ``nofile: {soft: 1024, hard: 1024}``;
* durations are seconds, memory sizes bytes, ``cpus`` a float; keys not named here are kept as
  written.
"""

from __future__ import annotations

from parity_gui.sources.compose.fields import (
    Field,
    boolean,
    cpus,
    duration,
    generic,
    integer,
    labels,
    set_map,
    size,
    text,
)
from parity_gui.sources.compose.merge import Item, Merge
from parity_gui.sources.compose.reading import Reading, is_null, leaf_merge
from parity_gui.sources.yamlfile import Scalar, YMap, YNode


def healthcheck(r: Reading, node: YNode, what: str) -> Item:
    """``test`` as a list (a string is ``["CMD-SHELL", …]``), durations in seconds."""
    item = r.branch(node)
    disabled: YNode | None = None
    for key, child in r.items(node, what):
        if key == "disable":
            disabled = child
        else:
            item.value[key] = _HEALTHCHECK_FIELDS.get(key, generic)(r, child, f"{what}.{key}")
    if disabled is not None and r.boolean(disabled, f"{what}.disable"):
        item.value["test"] = r.leaf(disabled, ["NONE"])
    return item


def _health_test(r: Reading, node: YNode, what: str) -> Item:
    if isinstance(node, Scalar):
        return r.leaf(node, ["CMD-SHELL", r.text(node, what)])
    words = [r.text(word, f"a word of {what}") for word in r.sequence(node, what)]
    return Item(words, r.at(node), None, leaf_merge(node))


_HEALTHCHECK_FIELDS: dict[str, Field] = {
    "test": _health_test,
    "interval": duration,
    "timeout": duration,
    "start_period": duration,
    "start_interval": duration,
    "retries": integer,
}


def depends_on(r: Reading, node: YNode, what: str) -> Item:
    """The list form is ``{condition: service_started, required: true, restart: false}`` each."""
    if isinstance(node, YMap):
        return _named(r, node, what, _DEPENDENCY_FIELDS)
    item = r.branch(node)
    for entry in r.entries(node, what):
        name = r.text(entry, f"an entry of {what}")
        origin = r.at(entry)
        dependency = item.value[name] = Item({}, origin, name, Merge.MERGE)
        dependency.put("condition", "service_started", origin)
        dependency.put("required", True, origin)
        dependency.put("restart", False, origin)
    return item


_DEPENDENCY_FIELDS: dict[str, Field] = {"condition": text, "required": boolean, "restart": boolean}


def networks(r: Reading, node: YNode, what: str) -> Item:
    """``- front`` ≡ ``front: {}`` ≡ ``front: null``; aliases as a set."""
    if isinstance(node, YMap):
        return _named(r, node, what, _NETWORK_FIELDS)
    item = r.branch(node)
    for entry in r.entries(node, what):
        name = r.text(entry, f"an entry of {what}")
        item.value[name] = Item({}, r.at(entry), name, Merge.MERGE)
    return item


_NETWORK_FIELDS: dict[str, Field] = {
    "aliases": set_map,
    "link_local_ips": set_map,
    "ipv4_address": text,
    "ipv6_address": text,
    "mac_address": text,
    "priority": integer,
    "gw_priority": integer,
}


def ulimits(r: Reading, node: YNode, what: str) -> Item:
    """``nofile: 1024`` ≡ ``nofile: {soft: 1024, hard: 1024}``."""
    item = r.branch(node)
    if is_null(node):
        return item
    mapping = r.mapping(node, what)
    for name, child in mapping.items():
        if isinstance(child, Scalar) and not is_null(child):
            limit = r.integer(child, f"{what}.{name}")
            entry = item.value[name] = r.branch(child, r.key_at(mapping, name))
            entry.put("soft", limit, r.at(child))
            entry.put("hard", limit, r.at(child))
        else:
            fields: dict[str, Field] = {"soft": integer, "hard": integer}
            item.value[name] = _structured(r, child, f"{what}.{name}", fields)
            item.value[name].origin = r.key_at(mapping, name)
    return item


def logging(r: Reading, node: YNode, what: str) -> Item:
    return _structured(r, node, what, {"driver": text, "options": labels})


def deploy(r: Reading, node: YNode, what: str) -> Item:
    return _structured(r, node, what, _DEPLOY_FIELDS)


def _resources(r: Reading, node: YNode, what: str) -> Item:
    return _structured(r, node, what, {"limits": _resource_limits, "reservations": _resource_limits})


def _resource_limits(r: Reading, node: YNode, what: str) -> Item:
    return _structured(r, node, what, {"memory": size, "cpus": cpus, "pids": integer})


def _update_config(r: Reading, node: YNode, what: str) -> Item:
    fields: dict[str, Field] = {"delay": duration, "monitor": duration, "parallelism": integer}
    return _structured(r, node, what, fields)


def _restart_policy(r: Reading, node: YNode, what: str) -> Item:
    fields: dict[str, Field] = {"condition": text, "delay": duration, "window": duration,
                                "max_attempts": integer}
    return _structured(r, node, what, fields)


_DEPLOY_FIELDS: dict[str, Field] = {
    "replicas": integer,
    "resources": _resources,
    "restart_policy": _restart_policy,
    "update_config": _update_config,
    "rollback_config": _update_config,
    "labels": labels,
    "mode": text,
}


def _named(r: Reading, node: YMap, what: str, fields: dict[str, Field]) -> Item:
    """name → settings, each read by :func:`_structured` (``null`` settings are ``{}``)."""
    item = r.branch(node)
    for name, child in node.items():
        item.value[name] = _structured(r, child, f"{what}.{name}", fields)
        item.value[name].origin = r.key_at(node, name)
    return item


def _structured(r: Reading, node: YNode, what: str, fields: dict[str, Field]) -> Item:
    """A mapping whose known keys have their own readers; the rest kept as written."""
    item = r.branch(node)
    if is_null(node):
        return item
    mapping = r.mapping(node, what)
    for key, child in mapping.items():
        if is_null(child) and child.tag is None:
            continue  # says nothing: an earlier file's value stays, as compose-go merges null
        read = fields.get(key, generic)(r, child, f"{what}.{key}")
        if read is not None:
            if read.is_branch:
                read.origin = r.key_at(mapping, key)
            item.value[key] = read
    return item
