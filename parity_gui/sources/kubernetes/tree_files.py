"""The files a kustomization is made of: each ``kustomization.yaml`` and every file it names
(resources, patches, generator files and env files, components, replacements, CRDs, the
OpenAPI schema), following folders it names. The list is what the environment's sources are
(a self-check copies them; a note names each file written with CRLF); kustomize itself is the
one that reads them. A name that does not resolve is left for kustomize to report.
"""

from __future__ import annotations

from pathlib import Path

from parity_gui.errors import ParityError
from parity_gui.sources.kubernetes.kustomize import KUSTOMIZATION_FILES
from parity_gui.sources.text import decode, read_bytes
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq, load_yaml

_NAMED_LISTS = ("resources", "components", "crds", "patchesStrategicMerge", "bases")
_PATHS_IN_ENTRIES = ("patches", "patchesJson6902", "replacements")
_GENERATORS = ("configMapGenerator", "secretGenerator")
MAX_FILES = 2000


def kustomization_files(folder: Path) -> list[Path]:
    """Every file the kustomization in ``folder`` names, itself first, each once."""
    found: list[Path] = []
    seen: set[Path] = set()
    pending = [folder.resolve()]
    while pending and len(found) < MAX_FILES:
        current = pending.pop(0)
        if current in seen:
            continue
        seen.add(current)
        if current.is_dir():
            kustomization = next((current / n for n in KUSTOMIZATION_FILES if (current / n).is_file()), None)
            if kustomization is not None:
                found.append(kustomization)
                pending += [current / name for name in _named(kustomization)]
        elif current.is_file():
            found.append(current)
    return found


def _named(kustomization: Path) -> list[str]:
    try:
        # read to learn which files it names, not as a source: its line endings are noted where it is
        root = load_yaml(decode(read_bytes(kustomization), kustomization, str(kustomization)))
    except ParityError:
        return []
    if not isinstance(root, YMap):
        return []
    names: list[str] = []
    for key in _NAMED_LISTS:
        names += _texts(root.get(key))
    for key in _PATHS_IN_ENTRIES:
        names += [_text(e.get("path")) for e in _maps(root.get(key))]
    for key in _GENERATORS:
        for entry in _maps(root.get(key)):
            names += [f.rpartition("=")[2] for f in _texts(entry.get("files"))]
            names += [*_texts(entry.get("envs")), _text(entry.get("env"))]
    openapi = root.get("openapi")
    if isinstance(openapi, YMap):
        names.append(_text(openapi.get("path")))
    return [n for n in names if n and "://" not in n and not n.startswith("git@")]


def _texts(node: YNode | None) -> list[str]:
    return [str(n.value) for n in node if isinstance(n, Scalar) and n.value] if isinstance(node, YSeq) else []


def _maps(node: YNode | None) -> list[YMap]:
    return [n for n in node if isinstance(n, YMap)] if isinstance(node, YSeq) else []


def _text(node: YNode | None) -> str:
    return str(node.value) if isinstance(node, Scalar) and node.value else ""
