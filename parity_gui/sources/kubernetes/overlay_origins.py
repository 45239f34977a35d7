"""Values an overlay sets itself point at the overlay, not at the base object they land in.

kustomize's origin annotation names the file an object came from; an overlay's ``images:``
entries (``newTag``, ``digest``, ``newName``) and ``replicas:`` entries change values inside
objects of its bases. For the kustomization the user named, the image parts and replica counts
such an entry sets point at the entry's line, which is also where a fix patch edits them.
"""

from __future__ import annotations

from pathlib import Path

from parity_gui.core.origin import Origin
from parity_gui.core.tree import Environment
from parity_gui.errors import ParityError
from parity_gui.sources.compose.values import parse_image
from parity_gui.sources.text import read_text
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq, load_yaml

_IMAGE_FIELDS = {"newTag": "tag", "digest": "digest"}


def point_at_overlay(env: Environment, kustomization: Path, shown: str) -> None:
    """Re-point the origins of the values ``kustomization``'s images and replicas entries set."""
    try:
        root = load_yaml(read_text(kustomization, shown))
    except ParityError:
        return  # kustomize read it; if parity cannot, the origins stay where kustomize put them
    if not isinstance(root, YMap):
        return
    services = env.tree.get("services")
    if not isinstance(services, dict):
        return
    for entry in _entries(root.get("images")):
        _image_entry(env, services, entry, shown)
    for entry in _entries(root.get("replicas")):
        _replicas_entry(env, services, entry, shown)


def _image_entry(env: Environment, services: dict[str, object], entry: YMap, shown: str) -> None:
    name = entry.get("newName") if isinstance(entry.get("newName"), Scalar) else entry.get("name")
    if not isinstance(name, Scalar) or not name.value:
        return
    wanted = parse_image(str(name.value))
    for service, node in services.items():
        image = node.get("image") if isinstance(node, dict) else None
        if not isinstance(image, dict) or (image.get("registry"), image.get("repository")) != (
                wanted.registry, wanted.repository):
            continue
        for field, leaf in _IMAGE_FIELDS.items():
            written = entry.get(field)
            if isinstance(written, Scalar) and leaf in image:
                env.origins[("services", service, "image", leaf)] = Origin(shown, written.line, written.column)


def _replicas_entry(env: Environment, services: dict[str, object], entry: YMap, shown: str) -> None:
    name, count = entry.get("name"), entry.get("count")
    if not isinstance(name, Scalar) or not isinstance(count, Scalar):
        return
    workload = str(name.value)
    for service in services:
        if service == workload or service.startswith(workload + "/"):
            env.origins[("services", service, "deploy", "replicas")] = Origin(shown, count.line, count.column)


def _entries(node: YNode | None) -> list[YMap]:
    return [e for e in node if isinstance(e, YMap)] if isinstance(node, YSeq) else []
