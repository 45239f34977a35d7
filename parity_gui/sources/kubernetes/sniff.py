"""Telling a Kubernetes manifest from other YAML by its content, cheaply (the first 64 KB)."""

from __future__ import annotations

import re
from pathlib import Path

from parity_gui.sources.kubernetes.kustomize import KUSTOMIZATION_FILES

_HEAD_BYTES = 64 * 1024
#: ``apiVersion:`` and ``kind:`` at the start of a line (top level of a document).
_API_VERSION = re.compile(rb"^apiVersion:[ \t]*\S", re.MULTILINE)
_KIND = re.compile(rb"^kind:[ \t]*[A-Z]\w*", re.MULTILINE)


def is_kubernetes_file(path: Path) -> bool:
    """A ``kustomization.yaml``, or a ``.yaml``/``.yml`` file whose text has top-level
    ``apiVersion:`` and ``kind:`` keys; a file that cannot be read is not claimed (the kind that
    does claim it reports why)."""
    if path.name in KUSTOMIZATION_FILES:
        return True
    if path.suffix.lower() not in (".yaml", ".yml") or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return False
    return bool(_API_VERSION.search(head) and _KIND.search(head))
