"""Helm releases declared as objects: values inline in a Flux ``HelmRelease`` or an Argo CD
``Application`` compare as the values of that release, under ``/helm/<release>``.

* Flux (``helm.toolkit.fluxcd.io``): the release is ``spec.releaseName`` or the object's name;
  ``chart`` and ``version`` from ``spec.chart.spec``; ``values`` from ``spec.values``.
* Argo CD (``argoproj.io``, kind ``Application``): each Helm source (``spec.source`` or every
  entry of ``spec.sources``) with ``helm.releaseName`` or the object's name; ``chart`` and
  ``targetRevision`` (as ``version``); values from ``helm.valuesObject`` or the YAML text in
  ``helm.values``, read as YAML (its values' origin is the ``values:`` key).

The chart, version and values are left out of the object's own copy under ``/kubernetes`` so
that a changed value is one difference, not two. The namespace a release is installed into
(Flux ``spec.targetNamespace``, Argo CD ``spec.destination.namespace``) is, like every
namespace, shown and not counted. Values files (``values-prod.yaml``) are structured files, read as such.
"""

from __future__ import annotations

from pathlib import Path as FilePath

from parity_gui.core.pointer import Path
from parity_gui.core.tree import TreeBuilder
from parity_gui.errors import ParseError
from parity_gui.sources.kubernetes.documents import Manifest
from parity_gui.sources.kubernetes.manifests import Place, Writing, write_node
from parity_gui.sources.text import Text
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq, load_yaml

ROOT = "helm"


def is_release(manifest: Manifest) -> bool:
    group = manifest.api_version.split("/")[0]
    return (manifest.kind == "HelmRelease" and group == "helm.toolkit.fluxcd.io") or (
        manifest.kind == "Application" and group == "argoproj.io"
    )


def release_paths(manifest: Manifest) -> frozenset[Path]:
    """Where the release's chart, version and values sit inside the object (left out of its
    ``/kubernetes`` copy)."""
    if manifest.kind == "HelmRelease":
        return frozenset({("spec", "values"), ("spec", "chart", "spec", "chart"), ("spec", "chart", "spec", "version")})
    found: set[Path] = set()
    for where, _source in _argo_sources(manifest):
        found |= {(*where, "helm", "values"), (*where, "helm", "valuesObject"), (*where, "chart"),
                  (*where, "targetRevision")}
    return frozenset(found)


def write_release(builder: TreeBuilder, manifest: Manifest, key: str, place: Place) -> None:
    spec = _map(manifest.body.get("spec"))
    if manifest.kind == "HelmRelease":
        release = _text(spec.get("releaseName")) or key
        chart = _map(_map(spec.get("chart")).get("spec"))
        _write(builder, (ROOT, release), (chart.get("chart"), chart.get("version")), spec.get("values"), place)
        return
    for _where, source in _argo_sources(manifest):
        helm = _map(source.get("helm"))
        release = _text(helm.get("releaseName")) or key
        values = helm.get("valuesObject") or _parsed_values(helm.get("values"), manifest.display)
        at = helm.get("values")
        how = place if values is helm.get("valuesObject") or at is None else _at(place, at)
        _write(builder, (ROOT, release), (source.get("chart"), source.get("targetRevision")), values, how)


def _write(builder: TreeBuilder, path: Path, chart: tuple[YNode | None, YNode | None], values: YNode | None,
           place: Place) -> None:
    builder.branch(path)
    for field, node in zip(("chart", "version"), chart, strict=True):
        if isinstance(node, Scalar) and node.value is not None:
            builder.set((*path, field), node.value, place(node))
    if values is not None:
        write_node(builder, (*path, "values"), values, Writing(place))


def _at(place: Place, at: YNode) -> Place:
    """Values read from a YAML string are all placed at the string's key."""
    return lambda _node: place(at)


def _argo_sources(manifest: Manifest) -> list[tuple[Path, YMap]]:
    spec = _map(manifest.body.get("spec"))
    found: list[tuple[Path, YMap]] = []
    source = spec.get("source")
    if isinstance(source, YMap) and isinstance(source.get("helm"), YMap):
        found.append((("spec", "source"), source))
    sources = spec.get("sources")
    if isinstance(sources, YSeq):
        found += [(("spec", "sources", str(i)), s) for i, s in enumerate(sources)
                  if isinstance(s, YMap) and isinstance(s.get("helm"), YMap)]
    return found


def _parsed_values(node: YNode | None, display: str) -> YNode | None:
    if not isinstance(node, Scalar) or not isinstance(node.value, str) or not node.value.strip():
        return None
    text = Text(FilePath(display), display, node.value, node.value.encode(), "utf-8", b"", "\n")
    try:
        return load_yaml(text)
    except ParseError as e:
        # a block scalar's text starts on the line after its ``|``; a quoted one on its own line
        first = node.line + 1 if node.raw.lstrip()[:1] in ("|", ">") else node.line
        line = first + e.line - 1 if e.line is not None else node.line
        raise type(e)(f"in the Helm values text: {e.message}", file=display, line=line) from None


def _map(node: YNode | None) -> YMap:
    return node if isinstance(node, YMap) else YMap(0, 0, 0, 0, None)


def _text(node: YNode | None) -> str:
    return str(node.value) if isinstance(node, Scalar) and node.value is not None else ""
