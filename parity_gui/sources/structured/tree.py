"""A structured file's nodes (from any of its formats) as a part of the canonical tree.

Every format is first read into the nodes of :mod:`parity_gui.sources.yamlfile` (mappings,
sequences and scalars that know their line, column and character span); this module turns them
into the tree under ``/files/<key>`` with an origin for every value:

* a mapping is a branch, each key's origin where the key is written;
* a list whose items are all mappings with a distinct scalar ``name`` (else ``id``, else
  ``key``) becomes a branch keyed by that identity, so a reordered list is no drift and a
  changed item is named by its identity;
* any other list is one value (compared by position; the comparison describes how the list
  changed);
* a scalar is a leaf, with the text written in the file kept as its raw text.

Documents of a multi-document YAML file are keyed the same way: a Kubernetes-like document by
``Kind/name`` (``Kind/namespace/name`` when it has a namespace), else by identity, else by
position (``0``, ``1`` …); a file of one document has no such level.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path
from parity_gui.core.tree import TreeBuilder
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq

IDENTITY_FIELDS = ("name", "id", "key")


class StructuredTree:
    """Writes one file's nodes into a :class:`TreeBuilder`, noting every scalar's place."""

    def __init__(self, builder: TreeBuilder, display: str) -> None:
        self.builder = builder
        self.display = display
        self.scalars: dict[Path, Scalar] = {}  #: every leaf written from one scalar, for patches

    def add_documents(self, at: Path, documents: Sequence[YNode | None]) -> None:
        present = [d for d in documents if d is not None]
        if len(documents) <= 1:
            self.add(at, present[0] if present else None)
            return
        keys = document_keys(present)
        self.builder.branch(at, Origin(self.display, 1, 1))
        for key, document in zip(keys, present, strict=True):
            self.add((*at, key), document)

    def add(self, path: Path, node: YNode | None, origin: Origin | None = None) -> None:
        if node is None:
            self.builder.set(path, None, origin or Origin(self.display, 1, 1))
        elif isinstance(node, Scalar):
            self.builder.set(path, node.value, Origin(self.display, node.line, node.column), node.raw)
            self.scalars[path] = node
        elif isinstance(node, YMap):
            self.mapping(path, node, origin)
        else:
            self.sequence(path, node, origin)

    def mapping(self, path: Path, node: YMap, origin: Origin | None) -> None:
        self.builder.branch(path, origin or Origin(self.display, node.line, node.column))
        for key, value in node.items():
            line, column = node.key_positions.get(key, (node.line, node.column))
            self.add((*path, key), value, Origin(self.display, line, column))

    def sequence(self, path: Path, node: YSeq, origin: Origin | None) -> None:
        where = origin or Origin(self.display, node.line, node.column)
        field = identity_field(node)
        if field is None:
            self.builder.set(path, plain(node), where)
            return
        self.builder.branch(path, where)
        for item in node:
            assert isinstance(item, YMap)
            identity = item[field]
            assert isinstance(identity, Scalar)
            self.add((*path, str(identity.value)), item, Origin(self.display, item.line, item.column))


def identity_field(node: YSeq) -> str | None:
    """The field naming every item of a list of mappings (distinct scalar values), if any."""
    if not node or not all(isinstance(item, YMap) for item in node):
        return None
    for field in IDENTITY_FIELDS:
        values = [_identity(item, field) for item in node]
        if None not in values and len(set(values)) == len(values):
            return field
    return None


def _identity(item: YNode, field: str) -> str | None:
    value = item.get(field) if isinstance(item, YMap) else None
    if isinstance(value, Scalar) and isinstance(value.value, str | int) and not isinstance(value.value, bool):
        text = str(value.value)
        return text or None
    return None


def document_keys(documents: Sequence[YNode]) -> list[str]:
    """How the documents of one file are told apart (see the module docstring)."""
    named = [_manifest_name(d) for d in documents]
    if None not in named and len(set(named)) == len(named):
        return [n for n in named if n is not None]
    wrapper = YSeq(1, 1, 0, 0, None)
    wrapper.extend(documents)
    field = identity_field(wrapper)
    if field is not None:
        return [str(_identity(d, field)) for d in documents]
    return [str(i) for i in range(len(documents))]


def _manifest_name(document: YNode) -> str | None:
    if not isinstance(document, YMap):
        return None
    kind, metadata = document.get("kind"), document.get("metadata")
    if not isinstance(kind, Scalar) or not isinstance(metadata, YMap):
        return None
    name, namespace = _identity(metadata, "name"), _identity(metadata, "namespace")
    if name is None:
        return None
    return "/".join(str(p) for p in (kind.value, namespace, name) if p is not None)


def plain(node: YNode | None) -> Any:
    """The node's value without positions: scalars, lists and dicts."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, YMap):
        return {k: plain(v) for k, v in node.items()}
    return [plain(item) for item in node]
