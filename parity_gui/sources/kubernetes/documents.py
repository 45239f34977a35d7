"""Kubernetes manifests as read from YAML: every object of a multi-document file, with positions.

A manifest file holds any number of documents separated by ``---``; a document may be a
``List`` (``kind: List`` or ``*List``, as ``kubectl get -o yaml`` writes) whose ``items`` are
objects. Empty documents are skipped, as ``kubectl apply`` skips them. Values are read by
:mod:`parity_gui.sources.yamlfile` (YAML 1.2, as Go's ``yaml.v3`` and so kubectl read it), with
the same limits on aliases and nesting, summed over the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from parity_gui.core.collector import collector_paused
from parity_gui.errors import LimitExceeded, ParseError
from parity_gui.sources.text import Text
from parity_gui.sources.yamlfile import (
    MIN_VALUE_BUDGET,
    Scalar,
    YMap,
    YNode,
    YSeq,
    _Builder,
    _Composer,
    _marked_error,
    check_entries,
)

_MAX_VALUES = 4_000_000
_MAX_DEPTH = 128


@dataclass(frozen=True, slots=True)
class Manifest:
    """One Kubernetes object as written: its mapping and the file it is in."""

    kind: str
    api_version: str
    body: YMap
    display: str  #: the file, as shown in messages

    @property
    def metadata(self) -> YMap:
        meta = self.body.get("metadata")
        return meta if isinstance(meta, YMap) else YMap(self.body.line, self.body.column, 0, 0, None)

    def text(self, key: str) -> str:
        node = self.metadata.get(key)
        return str(node.value) if isinstance(node, Scalar) and node.value is not None else ""

    @property
    def name(self) -> str:
        return self.text("name")


def read_manifests(text: Text, *, required: bool = True) -> list[Manifest]:
    """Every object in ``text``; a document without ``apiVersion`` and ``kind`` is an error when
    ``required`` (a file named as a manifest), else it is skipped."""
    found: list[Manifest] = []
    for document in _documents(text):
        found += _objects(document, text.display, required)
    return found


def looks_like_manifest(text: Text) -> bool:
    """Whether the first document of ``text`` is a Kubernetes object (``apiVersion`` + ``kind``)."""
    head = text.content[:4096]
    return "apiVersion:" in head and "kind:" in head


def _documents(text: Text) -> list[YNode]:
    check_entries(text)  # the cap every YAML file has, kustomize's output included
    budget = min(_MAX_VALUES, max(MIN_VALUE_BUDGET, len(text.content)))
    builder = _Builder(text, budget, _MAX_DEPTH)
    built: list[YNode] = []
    used = 0
    with collector_paused():
        for root in _compose_all(text):
            node, count, _height = builder.node(root, 1)
            used += count
            if used > budget:
                raise LimitExceeded(f"YAML aliases expand to more than {budget} values (alias bomb?)",
                                    file=text.display, line=root.start_mark.line + 1)
            if not (isinstance(node, Scalar) and node.value is None):
                built.append(node)
    return built


def _compose_all(text: Text) -> list[yaml.Node]:
    try:
        return list(yaml.compose_all(text.content, Loader=_Composer))
    except yaml.MarkedYAMLError as e:
        raise _marked_error(e, text) from e
    except RecursionError as e:
        raise LimitExceeded("YAML nesting is too deep", file=text.display) from e
    except Exception as e:  # libyaml raises odd types on garbage; never let them escape
        raise ParseError(f"cannot read as YAML ({type(e).__name__})", file=text.display) from e


def _objects(node: YNode, display: str, required: bool) -> list[Manifest]:
    if not isinstance(node, YMap) or not _scalar_text(node, "kind") or not _scalar_text(node, "apiVersion"):
        if required:
            line = node.line
            raise ParseError("not a Kubernetes object: a document needs apiVersion and kind", file=display, line=line)
        return []
    kind = _scalar_text(node, "kind")
    if kind == "List" or kind.endswith("List"):
        items = node.get("items")
        if not isinstance(items, YSeq):
            return []
        return [m for item in items for m in _objects(item, display, required)]
    return [Manifest(kind, _scalar_text(node, "apiVersion"), node, display)]


def _scalar_text(node: YMap, key: str) -> str:
    value = node.get(key)
    return str(value.value) if isinstance(value, Scalar) and value.value is not None else ""
