"""Kubernetes manifests and kustomizations → an Environment.

Two ways in, both ending in :func:`build`:

* :func:`load_kubernetes_files`: manifest files named in a spec (``deploy.yaml+svc.yaml``), each
  value's origin its file, line and column; a ``kustomization.yaml`` named as a file renders its
  folder;
* :func:`load_kustomization`: a folder holding a ``kustomization.yaml`` is one environment, as
  kustomize renders it (:mod:`.kustomize`); each object's values point at the file the object
  came from (its ``config.kubernetes.io/origin`` annotation) and the line the object starts on
  there, or at the kustomization whose generator made it.

What an environment of manifests speaks for (its coverage): ``/kubernetes``, ``/helm``, and in
``/services`` only what a workload says (image, entrypoint and command, environment, ports,
resources, replicas where the workload has them, probes, working directory, user). Compose's
``restart``, ``depends_on``, ``build``, volumes and networks have no counterpart there and are
shown as context, never counted, when a compose file is compared with a cluster's manifests.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path as FilePath

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path, escape
from parity_gui.core.tree import Coverage, Environment, TreeBuilder
from parity_gui.errors import SourceError
from parity_gui.sources import text as reading
from parity_gui.sources.kubernetes import helm
from parity_gui.sources.kubernetes.cluster import Cluster
from parity_gui.sources.kubernetes.documents import Manifest, read_manifests
from parity_gui.sources.kubernetes.kustomize import KUSTOMIZATION_FILES, is_kustomization_folder, render
from parity_gui.sources.kubernetes.manifests import Place, Writing, generated_names, object_keys, write_object
from parity_gui.sources.kubernetes.origins import OriginFinder
from parity_gui.sources.kubernetes.overlay_origins import point_at_overlay
from parity_gui.sources.kubernetes.tree_files import kustomization_files
from parity_gui.sources.kubernetes.workloads import WORKLOAD_KINDS, WorkloadWriter, normalised_paths
from parity_gui.sources.registry import SpecFile
from parity_gui.sources.text import Text, read_text
from parity_gui.sources.yamlfile import YNode

__all__ = ["is_kustomization_folder", "load_kubernetes_files", "load_kustomization"]

_SERVICE_FIELDS = ("image/**", "entrypoint", "command", "environment/**", "ports/**", "deploy/replicas",
                   "deploy/resources/**", "healthcheck/**", "readiness/**", "startup/**", "working_dir", "user")
#: Each environment usually lives in a namespace of its own: shown, never counted.
NOT_COUNTED = ["/kubernetes/*/*/namespace", "/kubernetes/Namespace/(namespace)/name",
               "/kubernetes/HelmRelease/*/spec/targetNamespace", "/kubernetes/Application/*/spec/destination/namespace"]
COVERED = ["/kubernetes/**", "/helm/**", "/services/*", *(f"/services/*/{f}" for f in _SERVICE_FIELDS)]
#: Docker's healthcheck knob with no probe counterpart.
NOT_COVERED = ["/services/*/healthcheck/start_interval"]


def load_kubernetes_files(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    """Load manifest files (in order) as one environment; see the module docstring."""
    if not files:
        raise SourceError("no Kubernetes manifest given", file=spec)
    kustomizations = [f for f in files if f.path.name in KUSTOMIZATION_FILES]
    if kustomizations:
        first = kustomizations[0]
        if len(files) > 1:
            raise SourceError("a kustomization is rendered on its own; name its folder alone", file=first.display)
        env = load_kustomization(first.path.parent, str(FilePath(first.display).parent), name, spec)
        env.sources = [first.display, *env.sources[1:]]  # the file named, then what it rendered
        return env
    manifests: list[Manifest] = []
    sources: list[str] = []
    for f in files:
        manifests += read_manifests(read_text(f.path, f.display))
        sources.append(f.display)
    return build(manifests, name, spec, lambda _m: _file_place, sources)


def load_kustomization(folder: FilePath, display: str, name: str, spec: str) -> Environment:
    """Render the kustomization in ``folder`` and load what it renders."""
    if not folder.is_dir():
        raise SourceError("no such folder", file=display)
    _check_kustomization_file(folder, display)
    rendered = render(folder, display)
    if reading.reading_hook is not None:  # parsing what kustomize printed gets a clock of its own
        reading.reading_hook(f"{display} (as kustomize renders it)")
    text = Text(folder / "(kustomize output)", display, rendered.output, b"", "utf-8", b"", "\n")
    manifests = read_manifests(text)
    finder = OriginFinder(rendered)
    env = build(manifests, name, spec, finder.place_for, [display])
    files = kustomization_files(folder)
    env.sources = list(dict.fromkeys([display, *finder.files, *_shown(files, folder, display)]))
    if files:
        point_at_overlay(env, files[0], _shown(files[:1], folder, display)[0])
    return env


def _shown(files: list[FilePath], folder: FilePath, display: str) -> list[str]:
    """Files as the user names them, relative to the folder they named (``../../base/x``
    reads ``k8s/base/x``)."""
    top = folder.resolve()
    return [os.path.normpath(FilePath(display) / os.path.relpath(f, top)) for f in files]


def _check_kustomization_file(folder: FilePath, display: str) -> None:
    """Read the kustomization file as parity reads any file before kustomize does, so that a
    pipe, a huge or binary file is refused the same way (naming its line), and CRLF is noted."""
    for name in KUSTOMIZATION_FILES:
        if (folder / name).exists():
            read_text(folder / name, os.path.normpath(FilePath(display) / name))
            return


def _file_place(node: YNode) -> Origin:
    return Origin(None, node.line, node.column)


def build(manifests: list[Manifest], name: str, spec: str, place_for: Callable[[Manifest], Place],
          sources: list[str]) -> Environment:
    """The environment of ``manifests``: objects, releases and services (module docstring)."""
    builder = TreeBuilder()
    cluster = Cluster.of(manifests)
    keys = object_keys(manifests)
    renames = generated_names(manifests)
    workloads = WorkloadWriter(builder, cluster, _file_place)
    for manifest in manifests:
        place = _with_file(place_for(manifest), manifest.display)
        key = keys[id(manifest)]
        release = helm.is_release(manifest)
        write_object(builder, manifest, key, Writing(place, _written_elsewhere(manifest, release), renames))
        if release:
            helm.write_release(builder, manifest, key, place)
        if manifest.kind in WORKLOAD_KINDS:
            workloads.place = place
            workloads.write(manifest, key)
    env = builder.into(Environment(name=name, spec=spec))
    unscaled = [f"/services/{escape(s)}/deploy/replicas" for s in workloads.unscaled]
    env.coverage = Coverage.of(COVERED, [*NOT_COVERED, *NOT_COUNTED, *unscaled])
    env.sources = sources
    env.diagnostics = workloads.diagnostics
    return env


def _written_elsewhere(manifest: Manifest, release: bool) -> frozenset[Path]:
    if release:
        return helm.release_paths(manifest)
    if manifest.kind in WORKLOAD_KINDS:
        return normalised_paths(manifest)
    return frozenset()


def _with_file(place: Place, display: str) -> Place:
    """``place``, with the manifest's own file filled in where it gives none."""
    def placed(node: YNode) -> Origin:
        origin = place(node)
        return origin if origin.file is not None else origin._replace(file=display)
    return placed
