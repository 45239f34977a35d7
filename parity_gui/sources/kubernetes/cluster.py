"""What the workloads of one environment can refer to: its ConfigMaps, Secrets and Services.

Lookups stay inside the environment being loaded: a ``configMapKeyRef`` is resolved from the
ConfigMaps of the same environment (in the workload's namespace, or the only one of that name),
never from another environment or a live cluster.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from parity_gui.sources.kubernetes.documents import Manifest
from parity_gui.sources.kubernetes.manifests import secret_data
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq

Values = dict[str, tuple[str, YNode]]


@dataclass(frozen=True, slots=True)
class ServicePort:
    """One port of a Service: what it publishes and which container port it sends to."""

    port: int
    target: str  #: a container port number or name, as text
    protocol: str


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    namespace: str
    selector: tuple[tuple[str, str], ...]
    ports: tuple[ServicePort, ...]

    def selects(self, namespace: str, labels: dict[str, str]) -> bool:
        same_place = not self.namespace or not namespace or self.namespace == namespace
        return bool(self.selector) and same_place and all(labels.get(k) == v for k, v in self.selector)


@dataclass
class Cluster:
    """The referable objects of one environment, by namespace and full name."""

    config_maps: dict[tuple[str, str], Values] = field(default_factory=dict)
    secrets: dict[tuple[str, str], Values] = field(default_factory=dict)
    services: list[ServiceEntry] = field(default_factory=list)

    @classmethod
    def of(cls, manifests: Iterable[Manifest]) -> Cluster:
        cluster = cls()
        for m in manifests:
            where = (m.text("namespace"), m.name)
            if m.kind == "ConfigMap":
                cluster.config_maps[where] = _config_data(m.body)
            elif m.kind == "Secret":
                cluster.secrets[where] = secret_data(m.body)
            elif m.kind == "Service":
                cluster.services.append(_service(m))
        return cluster

    def config_map(self, namespace: str, name: str) -> Values | None:
        return _find(self.config_maps, namespace, name)

    def secret(self, namespace: str, name: str) -> Values | None:
        return _find(self.secrets, namespace, name)


def _find(table: dict[tuple[str, str], Values], namespace: str, name: str) -> Values | None:
    found = table.get((namespace, name))
    if found is not None:
        return found
    named = [values for (_ns, n), values in table.items() if n == name]
    return named[0] if len(named) == 1 else None


def _config_data(body: YMap) -> Values:
    values: Values = {}
    data = body.get("data")
    if isinstance(data, YMap):
        for key, node in data.items():
            if isinstance(node, Scalar):
                values[key] = (scalar_text(node), node)
    return values


def scalar_text(node: Scalar) -> str:
    """A scalar as the string Kubernetes would hold (``true`` stays ``"true"``)."""
    value = node.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if not isinstance(value, str) else value


def _service(m: Manifest) -> ServiceEntry:
    spec = m.body.get("spec")
    spec = spec if isinstance(spec, YMap) else YMap(0, 0, 0, 0, None)
    selector = spec.get("selector")
    written = selector.items() if isinstance(selector, YMap) else ()
    pairs = tuple((k, scalar_text(v)) for k, v in written if isinstance(v, Scalar))
    ports = spec.get("ports")
    entries = tuple(p for p in (_service_port(n) for n in (ports if isinstance(ports, YSeq) else ())) if p)
    return ServiceEntry(m.text("namespace"), pairs, entries)


def _service_port(node: YNode) -> ServicePort | None:
    if not isinstance(node, YMap):
        return None
    port = node.get("port")
    if not isinstance(port, Scalar) or not isinstance(port.value, int):
        return None
    target = node.get("targetPort")
    protocol = node.get("protocol")
    return ServicePort(
        port.value,
        scalar_text(target) if isinstance(target, Scalar) else str(port.value),
        scalar_text(protocol) if isinstance(protocol, Scalar) else "TCP",
    )
