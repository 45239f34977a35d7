"""Kubernetes objects → ``/kubernetes/<Kind>/<name>`` in the canonical tree.

* The key is the object's name stem (:mod:`.names`); the namespace is a field beside it
  (``/kubernetes/Deployment/backend/namespace``), so objects meet across environments that each
  live in a namespace of their own. Two objects of one kind and name in different namespaces of
  one environment are keyed ``name (namespace)``.
* What the cluster fills in or tools leave behind is not compared: ``status``,
  ``metadata.uid``/``resourceVersion``/``generation``/``creationTimestamp``/``managedFields``,
  the ``kubectl.kubernetes.io/last-applied-configuration`` annotation, and kustomize's origin
  annotation (which becomes the origin of the object's values instead).
* Lists whose entries carry an identity become maps by it, as Kubernetes' strategic merge keys
  them (containers, env, volumes by ``name``; ports by ``containerPort``; volume mounts by
  ``mountPath``); other lists of scalars stay lists, lists of mappings are keyed by position.
* A Secret's ``data`` is decoded from base64 and ``stringData`` merged over it, as the API server
  does, so equal secrets compare equal whichever way they were written; every value under a
  Secret's ``data`` is masked (:func:`parity_gui.core.secrets.is_secret_path`).
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as default

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path
from parity_gui.core.tree import TreeBuilder
from parity_gui.sources.kubernetes.documents import Manifest
from parity_gui.sources.kubernetes.names import name_stem
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq

#: Where a value came from: the place of a YAML node (or the object's file when rendered).
Place = Callable[[YNode], Origin]

ROOT = "kubernetes"
_DROPPED_METADATA = frozenset(
    {"name", "namespace", "generateName", "uid", "resourceVersion", "generation", "creationTimestamp",
     "managedFields", "selfLink", "ownerReferences"}
)
_DROPPED_ANNOTATIONS = frozenset(
    {"kubectl.kubernetes.io/last-applied-configuration", "config.kubernetes.io/origin",
     "internal.config.kubernetes.io/previousKinds", "internal.config.kubernetes.io/previousNames",
     "internal.config.kubernetes.io/previousNamespaces"}
)
_IDENTITIES = ("name", "containerPort", "mountPath", "devicePath", "key", "ip", "port")


def generated_names(manifests: Iterable[Manifest]) -> dict[str, str]:
    """Full name → stem of each ConfigMap and Secret whose name carries a generated suffix, so
    references to them (``envFrom``, volumes) compare by stem too."""
    found: dict[str, str] = {}
    for m in manifests:
        if m.kind in ("ConfigMap", "Secret"):
            stem = name_stem(m.kind, m.name, m.text("generateName"))
            if stem != m.name:
                found[m.name] = stem
    return found


#: The key of the Namespace object the environment's objects live in.
OWN_NAMESPACE = "(namespace)"


def object_keys(manifests: Sequence[Manifest]) -> dict[int, str]:
    """The key of each manifest (by ``id``), ``name (namespace)`` where stems collide; the
    Namespace most objects live in is keyed :data:`OWN_NAMESPACE`, so it meets its counterpart."""
    own = _own_namespace(manifests)
    stems: dict[tuple[str, str], list[Manifest]] = {}
    for m in manifests:
        stem = OWN_NAMESPACE if m.kind == "Namespace" and m.name == own else name_stem(
            m.kind, m.name, m.text("generateName"))
        stems.setdefault((m.kind, stem), []).append(m)
    keys: dict[int, str] = {}
    for (_kind, stem), group in stems.items():
        for m in group:
            namespace = m.text("namespace")
            keys[id(m)] = stem if len(group) == 1 else f"{stem} ({namespace or 'no namespace'})"
    return keys


@dataclass(frozen=True, slots=True)
class Writing:
    """How the values of one object are written: where each came from, which paths inside it
    are left out (a HelmRelease's values), which generated names read as their stems."""

    place: Place
    skip: frozenset[Path] = frozenset()
    renames: Mapping[str, str] = default(default_factory=dict)


def write_object(builder: TreeBuilder, manifest: Manifest, key: str, how: Writing) -> Path:
    """Write one object under ``/kubernetes/<Kind>/<key>``, leaving out ``how.skip`` (paths
    inside it written elsewhere: a HelmRelease's values). Returns the object's path."""
    path: Path = (ROOT, manifest.kind, key)
    body = manifest.body
    place = how.place
    builder.branch(path, place(body))
    builder.set((*path, "apiVersion"), manifest.api_version, place(body["apiVersion"]))
    _write_identity(builder, path, manifest, place)
    _write_metadata(builder, path, manifest.metadata, place)
    for field, node in body.items():
        if field in ("apiVersion", "kind", "metadata", "status"):
            continue
        if manifest.kind == "Secret" and field in ("data", "stringData"):
            continue
        write_node(builder, (*path, field), node, how)
    if manifest.kind == "Secret":
        _write_secret_data(builder, path, body, place)
    return path


def _own_namespace(manifests: Sequence[Manifest]) -> str:
    counts = Counter(m.text("namespace") for m in manifests if m.text("namespace"))
    return counts.most_common(1)[0][0] if counts else ""


def _write_identity(builder: TreeBuilder, path: Path, manifest: Manifest, place: Place) -> None:
    meta = manifest.metadata
    name_node = meta.get("name") or meta.get("generateName")
    if name_node is not None:
        full = manifest.name or manifest.text("generateName")
        builder.set((*path, "name"), name_stem(manifest.kind, manifest.name, manifest.text("generateName")),
                    place(name_node), full)
    namespace = meta.get("namespace")
    if isinstance(namespace, Scalar):
        builder.set((*path, "namespace"), namespace.value, place(namespace))


def _write_metadata(builder: TreeBuilder, path: Path, meta: YMap, place: Place) -> None:
    for field, node in meta.items():
        if field in _DROPPED_METADATA:
            continue
        if field == "annotations" and isinstance(node, YMap):
            kept = {k: v for k, v in node.items() if k not in _DROPPED_ANNOTATIONS}
            for k, v in kept.items():
                write_node(builder, (*path, "metadata", "annotations", k), v, Writing(place))
            continue
        write_node(builder, (*path, "metadata", field), node, Writing(place))


def write_node(builder: TreeBuilder, path: Path, node: YNode, how: Writing) -> None:
    """Write ``node`` at ``path``: mappings as branches, identity lists as maps, scalars as
    leaves (a generated name as its stem, the full name as raw text)."""
    if how.skip and path[3:] in how.skip:
        return
    if isinstance(node, YMap):
        builder.branch(path, how.place(node))
        for key, child in node.items():
            write_node(builder, (*path, key), child, how)
    elif isinstance(node, YSeq):
        _write_list(builder, path, node, how)
    elif isinstance(node.value, str) and node.value in how.renames:
        builder.set(path, how.renames[node.value], how.place(node), node.value)
    else:
        builder.set(path, node.value, how.place(node))


def _write_list(builder: TreeBuilder, path: Path, node: YSeq, how: Writing) -> None:
    if all(isinstance(item, Scalar) for item in node):
        builder.set(path, [item.value for item in node if isinstance(item, Scalar)], how.place(node))
        return
    builder.branch(path, how.place(node))
    keys = list_keys(node)
    for key, item in zip(keys, node, strict=True):
        write_node(builder, (*path, key), item, how)


def list_keys(node: YSeq) -> list[str]:
    """The key of each entry of a list: its identity field when every entry has a distinct one
    (a port is ``8080/TCP`` with its protocol), else its position."""
    for field in _IDENTITIES:
        keys = [_identity(item, field) for item in node]
        if all(keys) and len(set(keys)) == len(keys):
            return [k for k in keys if k]
    return [str(i) for i in range(len(node))]


def _identity(item: YNode, field: str) -> str | None:
    if not isinstance(item, YMap):
        return None
    value = item.get(field)
    if not isinstance(value, Scalar) or value.value is None or isinstance(value.value, bool):
        return None
    if field in ("containerPort", "port"):
        protocol = item.get("protocol")
        proto = protocol.value if isinstance(protocol, Scalar) and protocol.value else "TCP"
        return f"{value.value}/{proto}"
    return str(value.value)


def secret_data(body: YMap) -> dict[str, tuple[str, YNode]]:
    """A Secret's values by key, decoded, with the node each came from (``stringData`` wins)."""
    values: dict[str, tuple[str, YNode]] = {}
    data = body.get("data")
    if isinstance(data, YMap):
        for key, node in data.items():
            if isinstance(node, Scalar):
                values[key] = (decode_secret(node.value), node)
    strings = body.get("stringData")
    if isinstance(strings, YMap):
        for key, node in strings.items():
            if isinstance(node, Scalar):
                values[key] = ("" if node.value is None else str(node.value), node)
    return values


def decode_secret(value: object) -> str:
    """A Secret ``data`` value as text; bytes that are not UTF-8 stay as ``base64:…``."""
    text = "" if value is None else str(value)
    try:
        return base64.b64decode("".join(text.split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return f"base64:{text}"


def _write_secret_data(builder: TreeBuilder, path: Path, body: YMap, place: Place) -> None:
    for key, (value, node) in secret_data(body).items():
        builder.set((*path, "data", key), value, place(node))
