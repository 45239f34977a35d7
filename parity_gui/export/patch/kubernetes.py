"""Fixing Kubernetes targets, where the edit is unambiguous.

* **Plain manifests**: a changed value is written where the target's value is (its origin's line
  and column): object fields under ``/kubernetes``, Helm values inline in a HelmRelease, and the
  service fields a workload spells the same way (image, command and args, an environment
  value — where the ConfigMap or Secret holds it —, replicas, memory and CPU in Kubernetes units,
  probe timings, working directory).
* **kustomize overlays**: only the overlay's own ``kustomization.yaml`` is edited, in the two
  places that say per environment what a base says for all: an ``images:`` entry (``newTag``,
  ``digest``) and a ``replicas:`` entry (``count``), changed or added. Everything else in an
  overlay's render comes from files other overlays share, and is listed as not fixable.

Adding or removing settings, probe commands, ports, and values from a generator are listed as not
fixable, with the reason. Secrets are written as placeholders unless asked
(:mod:`.secrets`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.tree import MISSING, Environment
from parity_gui.export.compose_render import image_reference
from parity_gui.export.patch.edits import Span
from parity_gui.export.patch.model import Action, Change, Unfixable, Workspace
from parity_gui.export.yaml_text import flow_list, scalar_text, value_text
from parity_gui.sources.compose.values import parse_image
from parity_gui.sources.kubernetes.documents import read_manifests
from parity_gui.sources.kubernetes.kustomize import KUSTOMIZATION_FILES
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq, load_yaml

#: Service fields whose value a manifest spells the same way (after units for resources).
_SAME_SPELLING = {"entrypoint", "command", "environment", "working_dir"}
_PROBE_TIMINGS = {"interval", "timeout", "retries", "start_period"}


def is_kubernetes(env: Environment) -> bool:
    """A target loaded from Kubernetes manifests or a kustomization."""
    return "kubernetes" in env.tree and "project" not in env.tree


def plan_kubernetes(work: Workspace, changes: Sequence[Change], target: Environment) -> list[tuple[Change, str]]:
    """Plan ``changes`` on ``target``'s files; the changes that cannot be made, with why."""
    overlay = _overlay(work, target)
    planner = _OverlayPlanner(work, target, overlay) if overlay else _ManifestPlanner(work, target)
    failed: list[tuple[Change, str]] = []
    for change in changes:
        try:
            planner.plan(change)
        except Unfixable as e:
            failed.append((change, e.message))
    return failed


def _overlay(work: Workspace, target: Environment) -> str | None:
    """The overlay's kustomization file (as the user names it) when the target is rendered."""
    folder = work.disk_path(target.sources[0]) if target.sources else None
    if folder is None or not folder.is_dir():
        return None
    for name in KUSTOMIZATION_FILES:
        if (folder / name).is_file():
            return str(FilePath(target.sources[0]) / name)
    return None


# --- plain manifests ------------------------------------------------------------------------


class _ManifestPlanner:
    def __init__(self, work: Workspace, target: Environment) -> None:
        self.work, self.target = work, target
        self._nodes: dict[str, dict[tuple[int, int], YNode]] = {}

    def plan(self, change: Change) -> None:
        if change.action is not Action.SET:
            raise Unfixable("adding or removing settings in a manifest is left to you: write it by hand")
        path = change.path
        if path[0] == "services":
            self._service(change)
        elif path[0] in ("kubernetes", "helm"):
            self._write(change, change.written(path, change.new))
        else:
            raise Unfixable(f"parity does not edit /{path[0]} settings in manifests")

    def _service(self, change: Change) -> None:
        path = change.path
        field = path[2] if len(path) > 2 else ""
        if field == "image":
            self._image(change)
        elif field in _SAME_SPELLING or path[2:] == ("deploy", "replicas") or (
                field in ("healthcheck", "readiness", "startup") and path[-1] in _PROBE_TIMINGS):
            self._write(change, change.written(path, change.new))
        elif path[2:4] == ("deploy", "resources") and len(path) == 6:
            self._write(change, quantity(path[-1], change.new))
        else:
            raise Unfixable(f"{field or path[1]} is spelled differently in a manifest; change it by hand")

    def _image(self, change: Change) -> None:
        image = self.target.get(change.path[:3])
        if not isinstance(image, dict):
            raise Unfixable("the target names no image here")
        if len(change.path) != 4:
            raise Unfixable("a whole image is added or removed; change it by hand")
        parts = {**image, change.path[-1]: change.new}
        if change.path[-1] != "tag" and self.target.raw.get((*change.path[:3], "tag")) == "(implied)":
            parts.pop("tag", None)
        self._write(change, image_reference(parts), at=change.path[:3])

    def _write(self, change: Change, value: Any, at: tuple[str, ...] | None = None) -> None:
        file, node = self._node(self.target.origins.get(at or change.path))
        if isinstance(node, Scalar) and not isinstance(value, list | dict):
            text = scalar_text(value_text(value), node, keep_type=not isinstance(value, str))
            self.work.edit(file, Span(node.start, node.end, text, change.pointer))
        elif isinstance(node, YSeq) and isinstance(value, list) and self._flow_or_own_line(file, node):
            self.work.edit(file, Span(node.start, node.end, flow_list(value), change.pointer))
        else:
            raise Unfixable("parity cannot tell where this value is written; change it by hand")

    def _node(self, origin: Origin | None) -> tuple[str, YNode | None]:
        if origin is None or origin.file is None or origin.line is None or origin.column is None:
            raise Unfixable("the value is not written in the target's files (a default)")
        if origin.file not in self._nodes:
            nodes: dict[tuple[int, int], YNode] = {}
            for manifest in read_manifests(self.work.text(origin.file), required=False):
                _index(manifest.body, nodes)
            self._nodes[origin.file] = nodes
        return origin.file, self._nodes[origin.file].get((origin.line, origin.column))

    def _flow_or_own_line(self, file: str, node: YSeq) -> bool:
        """A list written ``[a, b]``, or in block style starting on a line of its own: replacing
        its text with a flow list keeps the YAML valid."""
        content = self.work.text(file).content
        line_start = content.rfind("\n", 0, node.start) + 1
        return content[node.start:node.start + 1] == "[" or not content[line_start:node.start].strip(" ")


def _index(node: YNode, nodes: dict[tuple[int, int], YNode]) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        nodes.setdefault((current.line, current.column), current)
        if isinstance(current, YMap):
            stack.extend(current.values())
        elif isinstance(current, YSeq):
            stack.extend(current)


def quantity(resource: str, value: Any) -> str:
    """Bytes or CPUs as a Kubernetes quantity (``1073741824`` → ``1Gi``, ``0.25`` → ``250m``)."""
    if value is MISSING or not isinstance(value, int | float):
        raise Unfixable("the reference has no amount to write")
    if resource == "memory":
        for suffix, size in (("Ti", 1 << 40), ("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)):
            if value % size == 0:
                return f"{int(value // size)}{suffix}"
        return str(int(value))
    return str(int(value)) if float(value).is_integer() else f"{round(value * 1000)}m"


# --- kustomize overlays ---------------------------------------------------------------------


class _OverlayPlanner:
    def __init__(self, work: Workspace, target: Environment, kustomization: str) -> None:
        self.work, self.target, self.file = work, target, kustomization

    def plan(self, change: Change) -> None:
        path = change.path
        if len(path) == 4 and path[0] == "services" and path[2] == "image" and path[3] in ("tag", "digest") \
                and change.new is not MISSING:
            self._image(change)
        elif path[0] == "services" and path[2:] == ("deploy", "replicas") and isinstance(change.new, int):
            self._replicas(change)
        else:
            origin = self.target.origin(path)
            where = f" (it comes from {origin.file})" if origin is not None and origin.file else ""
            raise Unfixable(f"only an overlay's images: and replicas: entries are edited{where}; "
                            "change the overlay by hand, with a patch in its kustomization")

    def _root(self) -> YMap:
        root = load_yaml(self.work.text(self.file))
        if not isinstance(root, YMap):
            raise Unfixable(f"{self.file} is not a mapping")
        return root

    def _image(self, change: Change) -> None:
        image = self.target.get(change.path[:3])
        if not isinstance(image, dict):
            raise Unfixable("the target names no image here")
        name = image_reference({k: image.get(k) for k in ("registry", "repository")})
        field = "newTag" if change.path[3] == "tag" else "digest"
        entries = self._root().get("images")
        entry = _entry(entries, lambda e: _same_image(_text(e.get("newName")) or _text(e.get("name")), name))
        value = str(change.written(change.path, change.new))
        if entry is not None:
            self._set(entry, field, value, change.pointer)
        else:
            self._append("images", entries, [("name", name), (field, value)], change.pointer)

    def _replicas(self, change: Change) -> None:
        workload = change.path[1].split("/")[0]
        entries = self._root().get("replicas")
        entry = _entry(entries, lambda e: _text(e.get("name")) == workload)
        if entry is not None:
            self._set(entry, "count", change.new, change.pointer)
        else:
            self._append("replicas", entries, [("name", workload), ("count", change.new)], change.pointer)

    def _set(self, entry: YMap, key: str, value: Any, why: str) -> None:
        node = entry.get(key)
        text = scalar_text(value_text(value), node if isinstance(node, Scalar) else None,
                           keep_type=not isinstance(value, str))
        if isinstance(node, Scalar):
            self.work.edit(self.file, Span(node.start, node.end, text, why))
            return
        if self.work.text(self.file).content[entry.start:entry.start + 1] == "{":
            self.work.edit(self.file, Span(entry.start + 1, entry.start + 1, f"{key}: {text}, ", why))
            return
        indent = " " * (entry.column - 1)
        line_end = self.work.text(self.file).content.find("\n", entry.start)
        self.work.edit(self.file, Span(line_end, line_end, f"\n{indent}{key}: {text}", why))

    def _append(self, section: str, entries: YNode | None, fields: list[tuple[str, Any]], why: str) -> None:
        content = self.work.text(self.file).content
        newline = self.work.text(self.file).newline
        body = [f"{k}: {scalar_text(value_text(v), None, keep_type=not isinstance(v, str))}" for k, v in fields]
        if isinstance(entries, YSeq) and entries and content[entries.start:entries.start + 1] != "[":
            first = entries[0]
            dash = content.rfind("-", 0, first.start)
            indent = content[content.rfind("\n", 0, dash) + 1:dash]
            gap = " " * (first.column - 1 - len(indent) - 1)
            item = f"{indent}-{gap}{body[0]}" + "".join(f"{newline}{indent} {gap}{b}" for b in body[1:])
            end = content.find("\n", _last_offset(content, entries))
            end = len(content) if end < 0 else end
            self.work.edit(self.file, Span(end, end, newline + item, why))
        elif entries is None:
            lead = "" if content.endswith("\n") or not content else newline
            block = f"{section}:{newline}- " + f"{newline}  ".join(body) + newline
            self.work.edit(self.file, Span(len(content), len(content), lead + block, why))
        else:
            raise Unfixable(f"the {section}: list of {self.file} is written in flow style; add the entry by hand")


def _last_offset(content: str, node: YSeq) -> int:
    last = node[-1]
    if isinstance(last, YMap) and last:
        return max(_last_offset_of(v) for v in last.values())
    return last.end


def _last_offset_of(node: YNode) -> int:
    if isinstance(node, YMap) and node:
        return max(_last_offset_of(v) for v in node.values())
    if isinstance(node, YSeq) and node:
        return _last_offset_of(node[-1])
    return node.end


def _entry(entries: YNode | None, wanted: Any) -> YMap | None:
    if not isinstance(entries, YSeq):
        return None
    return next((e for e in entries if isinstance(e, YMap) and wanted(e)), None)


def _same_image(written: str, name: str) -> bool:
    if not written:
        return False
    parsed = parse_image(written)
    return image_reference({"registry": parsed.registry, "repository": parsed.repository}) == name


def _text(node: YNode | None) -> str:
    return str(node.value) if isinstance(node, Scalar) and node.value is not None else ""
