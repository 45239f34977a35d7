"""Workloads → ``/services/<name>``, the shape a compose service has, so the two line up.

Each container of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod becomes
``/services/<workload>`` (``/services/<workload>/<container>`` when the pod has several; init
containers stay under ``/kubernetes`` only). Following the Kubernetes API reference (Container
v1) and the compose specification's service attributes:

* ``image`` → registry, repository, tag, digest, split as Docker does (tag ``latest`` implied);
* ``command`` (Kubernetes) is Docker's ENTRYPOINT → ``entrypoint``; ``args`` is CMD → ``command``
  ("Define a Command and Arguments for a Container", Kubernetes docs);
* ``envFrom`` expanded (ConfigMaps and Secrets, with ``prefix``), then ``env`` over it; a
  ``configMapKeyRef`` or ``secretKeyRef`` resolved from the objects of the same environment (its
  origin is the line of the value in the ConfigMap or Secret); one that cannot be resolved reads
  ``(secretKeyRef name/key)``;
  ``fieldRef`` and ``resourceFieldRef`` read as such references;
* ports as ``"8000/tcp"`` → the published ports: a ``hostPort``, and the ports of Services whose
  selector picks the pod and whose ``targetPort`` is this port (by number or name), which is
  what ``"8080:8000"`` says in compose;
* ``resources.limits``/``requests`` → ``deploy/resources/limits``/``reservations`` in bytes and
  CPUs (:mod:`.quantities`); ``replicas`` → ``deploy/replicas`` (1 when unset, as the API does);
* ``livenessProbe`` → ``healthcheck`` (an ``exec`` probe is ``["CMD", …]``, ``sh -c X`` is
  ``["CMD-SHELL", X]``; ``periodSeconds`` → interval, ``timeoutSeconds`` → timeout,
  ``failureThreshold`` → retries, ``initialDelaySeconds`` → start_period, with the API's
  defaults 10, 1, 3, 0); ``readinessProbe`` → ``readiness`` and ``startupProbe`` → ``startup``
  in the same shape, which compose has no word for;
* ``workingDir`` → ``working_dir``; ``securityContext.runAsUser[:runAsGroup]`` → ``user``.
"""

from __future__ import annotations

from collections.abc import Iterable

from parity_gui.core.pointer import Path
from parity_gui.core.tree import Diagnostic, TreeBuilder
from parity_gui.sources.compose.values import binding, parse_image, port_key
from parity_gui.sources.kubernetes.cluster import Cluster, Values, scalar_text
from parity_gui.sources.kubernetes.documents import Manifest
from parity_gui.sources.kubernetes.manifests import Place, list_keys
from parity_gui.sources.kubernetes.quantities import memory_bytes, parse_quantity
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq

WORKLOAD_KINDS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"})
_SCALED = frozenset({"Deployment", "StatefulSet", "ReplicaSet"})
DEFAULT = "(default)"
_PROBE_FIELDS = (("periodSeconds", "interval", 10), ("timeoutSeconds", "timeout", 1),
                 ("failureThreshold", "retries", 3), ("initialDelaySeconds", "start_period", 0))
_EMPTY = YMap(0, 0, 0, 0, None)


class WorkloadWriter:
    """Writes the services of one environment's workloads into a tree builder."""

    def __init__(self, builder: TreeBuilder, cluster: Cluster, place: Place) -> None:
        self.builder, self.cluster, self.place = builder, cluster, place
        self.diagnostics: list[Diagnostic] = []
        self.unscaled: list[str] = []  #: services whose workload has no replicas (DaemonSet, Job)

    def write(self, manifest: Manifest, key: str) -> None:
        pod = pod_template(manifest)
        spec = _map(pod.get("spec"))
        containers = [c for c in _seq(spec.get("containers")) if isinstance(c, YMap)]
        labels = _labels(_map(pod.get("metadata")))
        replicas, written = self._replicas(manifest) if manifest.kind in _SCALED else (0, None)
        for container in containers:
            name = key if len(containers) == 1 else f"{key}/{_text(container.get('name'))}"
            self._container((("services", name)), manifest, container, spec, labels)
            if manifest.kind not in _SCALED:
                self.unscaled.append(name)
            elif written is not None:
                self.builder.set(("services", name, "deploy", "replicas"), replicas, self.place(written))
            else:
                self.builder.set(("services", name, "deploy", "replicas"), replicas, None, DEFAULT)

    def _container(self, path: Path, manifest: Manifest, c: YMap, pod: YMap, labels: dict[str, str]) -> None:
        self.builder.branch(path, self.place(c))
        namespace = manifest.text("namespace")
        image = c.get("image")
        if isinstance(image, Scalar) and image.value:
            self._image((*path, "image"), image)
        for k8s, compose in (("command", "entrypoint"), ("args", "command")):
            node = c.get(k8s)
            if isinstance(node, YSeq):
                self.builder.set((*path, compose), [scalar_text(n) for n in node if isinstance(n, Scalar)],
                                 self.place(node))
        working_dir = c.get("workingDir")
        if isinstance(working_dir, Scalar) and working_dir.value:
            self.builder.set((*path, "working_dir"), scalar_text(working_dir), self.place(working_dir))
        self._user(path, c, pod)
        self._environment((*path, "environment"), c, namespace)
        self._ports((*path, "ports"), c, namespace, labels)
        self._resources((*path, "deploy", "resources"), _map(c.get("resources")))
        for probe, where in (("livenessProbe", "healthcheck"), ("readinessProbe", "readiness"),
                             ("startupProbe", "startup")):
            node = c.get(probe)
            if isinstance(node, YMap):
                self._probe((*path, where), node, _named_ports(c))

    def _image(self, path: Path, node: Scalar) -> None:
        parsed = parse_image(scalar_text(node))
        origin = self.place(node)
        self.builder.branch(path, origin, scalar_text(node))
        self.builder.set((*path, "registry"), parsed.registry, origin)
        self.builder.set((*path, "repository"), parsed.repository, origin)
        if parsed.tag is not None:
            self.builder.set((*path, "tag"), parsed.tag, origin)
        elif parsed.digest is None:
            self.builder.set((*path, "tag"), "latest", origin, "(implied)")
        if parsed.digest is not None:
            self.builder.set((*path, "digest"), parsed.digest, origin)

    def _replicas(self, manifest: Manifest) -> tuple[int, Scalar | None]:
        """The workload's replica count and where it is written (1 and None when unset)."""
        node = _map(manifest.body.get("spec")).get("replicas")
        if isinstance(node, Scalar) and isinstance(node.value, int) and not isinstance(node.value, bool):
            return node.value, node
        if node is not None:
            self._warn(f"replicas must be a whole number, not {_text(node) or 'a list or mapping'!r}; "
                       "read as unset (1)", node)
        return 1, None

    def _user(self, path: Path, c: YMap, pod: YMap) -> None:
        context = {**_scalars(_map(pod.get("securityContext"))), **_scalars(_map(c.get("securityContext")))}
        user = context.get("runAsUser")
        if user is None:
            return
        group = context.get("runAsGroup")
        text = scalar_text(user) + (f":{scalar_text(group)}" if group is not None else "")
        self.builder.set((*path, "user"), text, self.place(user))

    # --- environment ------------------------------------------------------------------------

    def _environment(self, path: Path, c: YMap, namespace: str) -> None:
        for source in _seq(c.get("envFrom")):
            if isinstance(source, YMap):
                self._env_from(path, source, namespace)
        for entry in _seq(c.get("env")):
            if isinstance(entry, YMap) and isinstance(entry.get("name"), Scalar):
                self._env_entry(path, entry, namespace)

    def _env_from(self, path: Path, source: YMap, namespace: str) -> None:
        prefix = _text(source.get("prefix"))
        for ref_kind, lookup in (("configMapRef", self.cluster.config_map), ("secretRef", self.cluster.secret)):
            ref = source.get(ref_kind)
            if not isinstance(ref, YMap):
                continue
            name = _text(ref.get("name"))
            values = lookup(namespace, name)
            if values is None:
                self._warn(f"envFrom {ref_kind} {name!r} is not in this environment; its variables are unknown", ref)
                continue
            for key, (value, node) in values.items():
                self.builder.set((*path, prefix + key), value, self.place(node))

    def _env_entry(self, path: Path, entry: YMap, namespace: str) -> None:
        name = _text(entry.get("name"))
        value = entry.get("value")
        source = entry.get("valueFrom")
        if isinstance(source, YMap):
            resolved, node = self._value_from(source, namespace)
            self.builder.set((*path, name), resolved, self.place(node))
        else:
            text = scalar_text(value) if isinstance(value, Scalar) else ""
            self.builder.set((*path, name), text, self.place(value if value is not None else entry))

    def _value_from(self, source: YMap, namespace: str) -> tuple[str, YNode]:
        for ref_kind, lookup in (("configMapKeyRef", self.cluster.config_map), ("secretKeyRef", self.cluster.secret)):
            ref = source.get(ref_kind)
            if isinstance(ref, YMap):
                return self._key_ref(ref_kind, ref, lookup(namespace, _text(ref.get("name"))))
        for ref_kind, field in (("fieldRef", "fieldPath"), ("resourceFieldRef", "resource")):
            ref = source.get(ref_kind)
            if isinstance(ref, YMap):
                return f"({ref_kind} {_text(ref.get(field))})", ref
        return "(valueFrom)", source

    def _key_ref(self, ref_kind: str, ref: YMap, values: Values | None) -> tuple[str, YNode]:
        found = values.get(_text(ref.get("key"))) if values is not None else None
        if found is None:
            return f"({ref_kind} {_text(ref.get('name'))}/{_text(ref.get('key'))})", ref
        return found  # the value, and the place it is written (the ConfigMap's or Secret's line)

    # --- ports, resources, probes -------------------------------------------------------------

    def _ports(self, path: Path, c: YMap, namespace: str, labels: dict[str, str]) -> None:
        services = [s for s in self.cluster.services if s.selects(namespace, labels)]
        for node in _seq(c.get("ports")):
            if not isinstance(node, YMap) or not isinstance(node.get("containerPort"), Scalar):
                continue
            number = scalar_text(node["containerPort"])  # type: ignore[arg-type]
            protocol = _text(node.get("protocol")) or "TCP"
            names = {number, _text(node.get("name"))} - {""}
            published = [str(p.port) for s in services for p in s.ports
                         if p.target in names and p.protocol.upper() == protocol.upper()]
            host = node.get("hostPort")
            if isinstance(host, Scalar) and host.value:
                published.append(binding(_text(node.get("hostIP")) or None, scalar_text(host)))
            self.builder.set((*path, port_key(number, protocol)), sorted(set(published)), self.place(node))

    def _resources(self, path: Path, resources: YMap) -> None:
        for k8s, compose in (("limits", "limits"), ("requests", "reservations")):
            amounts = _map(resources.get(k8s))
            for resource, convert, name in (("memory", memory_bytes, "memory"), ("cpu", parse_quantity, "cpus")):
                node = amounts.get(resource)
                if not isinstance(node, Scalar) or node.value is None:
                    continue
                try:
                    value = convert(node.value)
                except ValueError as e:
                    self._warn(str(e), node)
                    continue
                self.builder.set((*path, compose, name), value, self.place(node), scalar_text(node))

    def _probe(self, path: Path, probe: YMap, ports: dict[str, str]) -> None:
        self.builder.branch(path, self.place(probe))
        test = probe_test(probe, ports)
        if test:
            self.builder.set((*path, "test"), test, self.place(probe))
        for k8s, compose, default in _PROBE_FIELDS:
            node = probe.get(k8s)
            if isinstance(node, Scalar) and isinstance(node.value, int):
                self.builder.set((*path, compose), node.value, self.place(node))
            else:
                self.builder.set((*path, compose), default, None, DEFAULT)

    def _warn(self, message: str, node: YNode) -> None:
        origin = self.place(node)
        self.diagnostics.append(Diagnostic(message, origin.file, origin.line, origin.column))


#: Container fields read into ``/services`` and so left out of the object's ``/kubernetes`` copy
#: (one difference is shown once).
NORMALISED = ("image", "command", "args", "env", "envFrom", "ports", "resources", "livenessProbe",
              "readinessProbe", "startupProbe", "workingDir")


def normalised_paths(manifest: Manifest) -> frozenset[Path]:
    """Where, inside a workload, the values written under ``/services`` sit."""
    prefix: Path = {"Pod": ("spec",), "CronJob": ("spec", "jobTemplate", "spec", "template", "spec")}.get(
        manifest.kind, ("spec", "template", "spec"))
    containers = _seq(_map(pod_template(manifest).get("spec")).get("containers"))
    listed = containers if isinstance(containers, YSeq) else YSeq(0, 0, 0, 0, None)
    found = {(*prefix, "containers", key, field) for key in list_keys(listed) for field in NORMALISED}
    if manifest.kind in _SCALED:
        found.add(("spec", "replicas"))
    return frozenset(found)


def pod_template(manifest: Manifest) -> YMap:
    """The pod a workload runs (``spec.template``; a CronJob's ``spec.jobTemplate.spec.template``;
    a Pod itself)."""
    spec = _map(manifest.body.get("spec"))
    if manifest.kind == "Pod":
        return manifest.body
    if manifest.kind == "CronJob":
        spec = _map(_map(spec.get("jobTemplate")).get("spec"))
    return _map(spec.get("template"))


def probe_test(probe: YMap, ports: dict[str, str]) -> list[str]:
    """A probe as a compose healthcheck ``test``: ``exec`` → ``CMD``/``CMD-SHELL``; the other
    handlers as ``HTTP-GET <url>``, ``TCP <port>``, ``GRPC <port>``, a named port (``ports``)
    read as its number."""
    exec_ = _map(probe.get("exec"))
    command = [scalar_text(n) for n in _seq(exec_.get("command")) if isinstance(n, Scalar)]
    if command:
        if len(command) == 3 and command[0] in ("sh", "/bin/sh") and command[1] == "-c":
            return ["CMD-SHELL", command[2]]
        return ["CMD", *command]
    http = probe.get("httpGet")
    if isinstance(http, YMap):
        scheme = (_text(http.get("scheme")) or "HTTP").lower()
        host = _text(http.get("host")) or "localhost"
        port = _text(http.get("port"))
        return ["HTTP-GET", f"{scheme}://{host}:{ports.get(port, port)}{_text(http.get('path')) or '/'}"]
    for handler, word in (("tcpSocket", "TCP"), ("grpc", "GRPC")):
        node = probe.get(handler)
        if isinstance(node, YMap):
            port = _text(node.get("port"))
            return [word, ports.get(port, port)]
    return []


def _named_ports(container: YMap) -> dict[str, str]:
    return {_text(p.get("name")): _text(p.get("containerPort")) for p in _seq(container.get("ports"))
            if isinstance(p, YMap) and _text(p.get("name"))}


def _labels(meta: YMap) -> dict[str, str]:
    return {k: scalar_text(v) for k, v in _map(meta.get("labels")).items() if isinstance(v, Scalar)}


def _scalars(node: YMap) -> dict[str, Scalar]:
    return {k: v for k, v in node.items() if isinstance(v, Scalar) and v.value is not None}


def _map(node: YNode | None) -> YMap:
    return node if isinstance(node, YMap) else _EMPTY


def _seq(node: YNode | None) -> Iterable[YNode]:
    return node if isinstance(node, YSeq) else ()


def _text(node: YNode | None) -> str:
    return scalar_text(node) if isinstance(node, Scalar) else ""
