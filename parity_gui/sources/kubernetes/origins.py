"""Where each rendered object came from: kustomize's ``config.kubernetes.io/origin`` annotation
(``path: ../base/deployment.yaml``, or ``configuredIn: kustomization.yaml`` for what a generator
made), resolved to the file as the user names it and the line the object starts on there.

The object is looked up in its file by kind and by name (kustomize may have added a prefix, a
suffix or a hash); when it cannot be found, the origin is the file alone. Values an overlay
changed still point at the object's file: kustomize records where objects come from, not
where each value was last set.

kustomize lets a kustomization name bases in any folder (``resources: [../../../shared]``):
an object whose origin lies outside the project (:func:`~parity_gui.sources.text.within_project`)
refuses the whole rendering with one line naming the file, so nothing from outside is shown.
"""

from __future__ import annotations

from pathlib import Path

from parity_gui.core.origin import Origin
from parity_gui.errors import ParityError, SourceError
from parity_gui.sources.kubernetes.documents import Manifest, read_manifests
from parity_gui.sources.kubernetes.kustomize import Rendered
from parity_gui.sources.kubernetes.manifests import Place
from parity_gui.sources.text import outside_project, read_text
from parity_gui.sources.yamlfile import Scalar, YMap, YNode

_ORIGIN = "config.kubernetes.io/origin"


class OriginFinder:
    """Origins of the objects one kustomize run rendered."""

    def __init__(self, rendered: Rendered) -> None:
        self.rendered = rendered
        self.files: list[str] = []  #: files objects came from, as the user names them
        self._objects: dict[Path, dict[tuple[str, str], int]] = {}

    def place_for(self, manifest: Manifest) -> Place:
        origin = self._origin(manifest)
        return lambda _node: origin

    def _origin(self, manifest: Manifest) -> Origin:
        annotation = _annotation(manifest)
        fields = dict(_fields(annotation))
        relative = fields.get("path") or fields.get("configuredIn")
        if not relative:
            return Origin(self.rendered.display)
        shown = self.rendered.shown(relative)
        if outside_project(self.rendered.absolute(relative)) is not None:
            raise SourceError(
                f"kustomize rendered objects from {shown}, which lies outside the project (the nearest folder "
                "holding .git or .parity.toml); parity shows nothing of a kustomization that reaches out of it",
                file=self.rendered.display)
        if shown not in self.files:
            self.files.append(shown)
        line = self._line(self.rendered.absolute(relative), shown, manifest) if "path" in fields else None
        return Origin(shown, line)

    def _line(self, path: Path, shown: str, manifest: Manifest) -> int | None:
        """The line the object starts on in ``path``: by kind and name, else by the longest name
        of that kind inside the rendered name (a prefix or suffix added)."""
        lines = self._objects.get(path)
        if lines is None:
            lines = self._objects[path] = _object_lines(path, shown)
        kind, name = manifest.kind, manifest.name
        exact = lines.get((kind, name))
        if exact is not None:
            return exact
        inside = [(len(n), line) for (k, n), line in lines.items() if k == kind and n and n in name]
        return max(inside)[1] if inside else None


def _object_lines(path: Path, shown: str) -> dict[tuple[str, str], int]:
    try:
        manifests = read_manifests(read_text(path, shown), required=False)
    except ParityError:
        return {}
    lines: dict[tuple[str, str], int] = {}
    for m in manifests:
        lines.setdefault((m.kind, m.name), m.body.line)
    return lines


def _annotation(manifest: Manifest) -> str:
    annotations = manifest.metadata.get("annotations")
    node: YNode | None = annotations.get(_ORIGIN) if isinstance(annotations, YMap) else None
    return str(node.value) if isinstance(node, Scalar) and node.value else ""


def _fields(annotation: str) -> list[tuple[str, str]]:
    """The top-level ``key: value`` lines of the annotation (a small YAML mapping)."""
    found = []
    for line in annotation.splitlines():
        if line[:1].isspace() or ":" not in line:
            continue
        key, _, value = line.partition(":")
        found.append((key.strip(), value.strip().strip("'\"")))
    return found
