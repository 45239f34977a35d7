"""A swarm stack's services (``GET /services``) → ``/services/<name>/…``, the paths a compose file
(the stack file) produces.

A stack is read from its **services**, never from the containers swarm runs for them: the service spec is what
``docker stack deploy`` sent, the same for every replica on every node. What each field becomes:

* the service name without the ``<stack>_`` prefix; networks, volumes, secrets and configs by
  their names in the stack file (the prefix removed), secrets and configs never by content;
* ``image``: registry, repository, tag and the digest swarm pinned, kept apart (a compose file
  that names a tag does not speak for the digest, so a pinned digest is not drift);
* ``deploy/replicas`` (a global service: ``deploy/mode`` ``global`` and ``replicas`` 1, the
  ``(default)`` compose writes too), ``deploy/resources`` (``NanoCPUs`` → cpus, bytes),
  ``deploy/placement`` (constraints as written, preferences by position as compose reads them),
  ``deploy/labels`` and container ``labels`` without the stack's bookkeeping
  (``com.docker.stack.*``);
* ``update_config``, ``rollback_config`` and ``restart_policy``: swarm fills in every field a
  stack file leaves out. A section equal to swarm's defaults throughout is left out (a file that
  does not write it compares equal); otherwise every field is written, those at swarm's default
  marked ``(default)``, which is what the compose source fills into a section a file writes
  (:mod:`compose_defaults`);
* ``stop_grace_period`` only when it is not swarm's 10 s; a healthcheck with compose's defaults
  filled in (30/30/0/5/3), as the compose source fills them;
* published ports by container port, as compose keys them; a port published in ``host`` mode
  also as ``publish_mode/<port>`` ``host`` (``ingress``, the default, writes nothing), as the
  compose source reads the long syntax's ``mode``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from parity_gui.core.origin import SWARM_SERVICE_ATTRIBUTE, Origin
from parity_gui.core.pointer import Path
from parity_gui.core.tree import TreeBuilder
from parity_gui.sources.compose.defaults import DEFAULT, SWARM_RESTART_POLICY, SWARM_UPDATE_CONFIG
from parity_gui.sources.compose.values import binding, clean_path, port_key
from parity_gui.sources.docker.services import HEALTHCHECK_DEFAULTS, Inspect, put_image

STACK_LABEL = "com.docker.stack.namespace"
STACK_LABELS = "com.docker.stack."
#: How long swarm waits for a container to stop when the stack file does not say.
DEFAULT_STOP_SECONDS = 10
_NANOS = 1_000_000_000
_MODES = {"ReplicatedJob": "replicated-job", "GlobalJob": "global-job"}


@dataclass
class StackSnapshot:
    """One stack as a swarm manager answered: its services and the networks it may name."""

    context: str
    stack: str
    version: Inspect
    info: Inspect
    services: list[Inspect]
    networks: list[Inspect] = field(default_factory=list)


def service_name(service: Inspect, stack: str) -> str:
    """``shop_web`` → ``web`` in stack ``shop``."""
    name = str((service.get("Spec") or {}).get("Name") or service.get("ID", "?"))
    return name.removeprefix(f"{stack}_")


def seconds(nanos: Any) -> int | float:
    """Nanoseconds → seconds, whole when they are whole (compose's durations)."""
    value = Fraction(int(nanos or 0), _NANOS)
    return int(value) if value.denominator == 1 else float(value)


class StackServiceWriter:
    """Writes one swarm service's node under ``/services/<name>``."""

    def __init__(self, builder: TreeBuilder, snapshot: StackSnapshot, service: Inspect, networks: dict[str, str]):
        self.builder = builder
        self.snapshot = snapshot
        self.service_id = str(service.get("ID", ""))
        self.spec: Inspect = service.get("Spec") or {}
        self.template: Inspect = self.spec.get("TaskTemplate") or {}
        self.container: Inspect = self.template.get("ContainerSpec") or {}
        self.name = service_name(service, snapshot.stack)
        self.path: Path = ("services", self.name)
        self.network_names = networks
        #: Targets of bind mounts: their sources are absolute here, relative in the stack file.
        self.bind_targets: list[str] = []

    def origin(self, attribute: str) -> Origin:
        return Origin(context=self.snapshot.context, object_id=self.service_id, attribute=attribute)

    def put(self, where: Path, value: Any, attribute: str, raw: str | None = None) -> None:
        self.builder.set((*self.path, *where), value, self.origin(attribute), raw)

    def unprefixed(self, name: str) -> str:
        return name.removeprefix(f"{self.snapshot.stack}_")

    def write(self) -> None:
        self.builder.branch(self.path, self.origin(SWARM_SERVICE_ATTRIBUTE))
        for write in (
            self._image,
            self._container,
            self._environment,
            self._labels,
            self._healthcheck,
            self._ports,
            self._networks,
            self._mounts,
            self._secrets,
            self._mode,
            self._resources,
            self._placement,
            self._policies,
        ):
            write()

    # --- the container spec ---------------------------------------------------------------

    def _image(self) -> None:
        reference = put_image(self, str(self.container.get("Image") or ""), "ContainerSpec.Image")
        if reference.digest is not None:
            self.put(("image", "digest"), reference.digest, "ContainerSpec.Image")

    def _container(self) -> None:
        for key, attribute in _CONTAINER_FIELDS:
            value = self.container.get(attribute)
            if value not in (None, "", False, [], {}):
                self.put((key,), list(value) if isinstance(value, list) else value, f"ContainerSpec.{attribute}")
        grace = self.container.get("StopGracePeriod")
        if grace is not None and seconds(grace) != DEFAULT_STOP_SECONDS:
            self.put(("stop_grace_period",), seconds(grace), "ContainerSpec.StopGracePeriod")
        for key, attribute in (("cap_add", "CapabilityAdd"), ("cap_drop", "CapabilityDrop")):
            for capability in self.container.get(attribute) or []:
                name = str(capability).removeprefix("CAP_")  # swarm adds the prefix compose leaves off
                self.put((key, name), name, f"ContainerSpec.{attribute}")
        for limit in self.container.get("Ulimits") or []:
            node = {"soft": int(limit.get("Soft") or 0), "hard": int(limit.get("Hard") or 0)}
            self.put(("ulimits", str(limit.get("Name"))), node, "ContainerSpec.Ulimits")
        driver = self.template.get("LogDriver") or {}
        if driver.get("Name"):
            options = {str(k): str(v) for k, v in sorted((driver.get("Options") or {}).items())}
            self.put(("logging",), {"driver": str(driver["Name"]), **({"options": options} if options else {})},
                     "TaskTemplate.LogDriver")
        for entry in self.container.get("Hosts") or []:
            address, _, host = str(entry).partition(" ")
            self.put(("extra_hosts", host.strip()), address, "ContainerSpec.Hosts")

    def _environment(self) -> None:
        for entry in self.container.get("Env") or []:
            name, _, value = str(entry).partition("=")
            self.put(("environment", name), value, "ContainerSpec.Env", str(entry))

    def _labels(self) -> None:
        for where, labels, attribute in (
            (("labels",), self.container.get("Labels"), "ContainerSpec.Labels"),
            (("deploy", "labels"), self.spec.get("Labels"), "Spec.Labels"),
        ):
            for name, value in sorted((labels or {}).items()):
                if not name.startswith(STACK_LABELS):
                    self.put((*where, name), value, attribute)

    def _healthcheck(self) -> None:
        check = self.container.get("Healthcheck")
        if not check:
            return
        node: dict[str, Any] = {"test": list(check.get("Test") or [])}
        if node["test"] != ["NONE"]:
            for attribute, key in (("Interval", "interval"), ("Timeout", "timeout"),
                                   ("StartPeriod", "start_period"), ("StartInterval", "start_interval")):
                nanos = check.get(attribute) or 0
                node[key] = seconds(nanos) if nanos else HEALTHCHECK_DEFAULTS[key]
            node["retries"] = check.get("Retries") or HEALTHCHECK_DEFAULTS["retries"]
        self.put(("healthcheck",), node, "ContainerSpec.Healthcheck")

    # --- endpoint, networks, mounts, secrets ----------------------------------------------

    def _ports(self) -> None:
        ports: dict[str, list[str]] = {}
        for port in (self.spec.get("EndpointSpec") or {}).get("Ports") or []:
            key = port_key(str(port.get("TargetPort")), str(port.get("Protocol") or "tcp"))
            published = port.get("PublishedPort")
            ports.setdefault(key, []).append(binding(None, str(published) if published else None))
            if port.get("PublishMode") == "host":
                self.put(("publish_mode", key), "host", "EndpointSpec.Ports")
        for key, bindings in sorted(ports.items()):
            self.put(("ports", key), sorted(set(bindings)), "EndpointSpec.Ports")

    def _networks(self) -> None:
        attached = self.template.get("Networks") or []
        names = [(self.network_names.get(str(n.get("Target")), str(n.get("Target"))), n) for n in attached]
        if {name for name, _ in names} <= {f"{self.snapshot.stack}_default"}:
            return
        for name, network in sorted(names, key=lambda pair: pair[0]):
            aliases = [a for a in network.get("Aliases") or [] if a != self.name]
            node: dict[str, Any] = {"aliases": {a: a for a in sorted(aliases)}} if aliases else {}
            self.put(("networks", self.unprefixed(name)), node, "TaskTemplate.Networks")

    def _mounts(self) -> None:
        for mount in self.container.get("Mounts") or []:
            kind = str(mount.get("Type") or "volume")
            node: dict[str, Any] = {"type": kind, "read_only": bool(mount.get("ReadOnly"))}
            source = str(mount.get("Source") or "")
            if source:
                node["source"] = clean_path(source) if kind == "bind" else self.unprefixed(source)
            if kind == "bind":
                self.bind_targets.append(clean_path(str(mount.get("Target"))))
            self.put(("volumes", clean_path(str(mount.get("Target")))), node, "ContainerSpec.Mounts")

    def _secrets(self) -> None:
        for key, attribute, name_field in (("secrets", "Secrets", "SecretName"), ("configs", "Configs", "ConfigName")):
            for reference in self.container.get(attribute) or []:
                source = self.unprefixed(str(reference.get(name_field) or ""))
                file = reference.get("File") or {}
                target = str(file.get("Name") or source)
                where = source if target in (source, f"/{source}") else target
                node: dict[str, Any] = {"source": source}
                for option in ("UID", "GID"):
                    if str(file.get(option) or "0") != "0":
                        node[option.lower()] = str(file[option])
                if file.get("Mode") not in (None, 0o444):
                    node["mode"] = f"0{int(file['Mode']):o}"
                self.put((key, where), node, f"ContainerSpec.{attribute}")

    # --- deploy ---------------------------------------------------------------------------

    def _mode(self) -> None:
        endpoint = str((self.spec.get("EndpointSpec") or {}).get("Mode") or "vip")
        if endpoint != "vip":
            self.put(("deploy", "endpoint_mode"), endpoint, "EndpointSpec.Mode")
        mode = self.spec.get("Mode") or {}
        if "Replicated" in mode:
            self.put(("deploy", "replicas"), int((mode["Replicated"] or {}).get("Replicas") or 0), "Spec.Mode")
            return
        kind = next(iter(mode), "Global")
        self.put(("deploy", "mode"), _MODES.get(kind, kind.lower()), "Spec.Mode")
        self.put(("deploy", "replicas"), 1, "Spec.Mode", DEFAULT)

    def _resources(self) -> None:
        resources = self.template.get("Resources") or {}
        for key, attribute in (("limits", "Limits"), ("reservations", "Reservations")):
            found = resources.get(attribute) or {}
            where = ("deploy", "resources", key)
            if found.get("NanoCPUs"):
                self.put((*where, "cpus"), int(found["NanoCPUs"]) / _NANOS, f"Resources.{attribute}.NanoCPUs")
            if found.get("MemoryBytes"):
                self.put((*where, "memory"), int(found["MemoryBytes"]), f"Resources.{attribute}.MemoryBytes")
            if found.get("Pids"):
                self.put((*where, "pids"), int(found["Pids"]), f"Resources.{attribute}.Pids")

    def _placement(self) -> None:
        placement = self.template.get("Placement") or {}
        if placement.get("Constraints"):
            self.put(("deploy", "placement", "constraints"), list(placement["Constraints"]), "Placement.Constraints")
        for index, preference in enumerate(placement.get("Preferences") or []):
            spread = (preference.get("Spread") or {}).get("SpreadDescriptor")
            if spread is not None:
                self.put(("deploy", "placement", "preferences", str(index), "spread"), spread, "Placement.Preferences")
        if placement.get("MaxReplicas"):
            most = placement["MaxReplicas"]
            self.put(("deploy", "placement", "max_replicas_per_node"), most, "Placement.MaxReplicas")

    def _policies(self) -> None:
        restart = self.template.get("RestartPolicy") or {}
        self._section(("deploy", "restart_policy"), "TaskTemplate.RestartPolicy", {
            "condition": restart.get("Condition", "any"),
            "delay": seconds(restart.get("Delay", 5 * _NANOS)),
            "max_attempts": int(restart.get("MaxAttempts") or 0),
            **({"window": seconds(restart["Window"])} if restart.get("Window") else {}),
        }, SWARM_RESTART_POLICY)
        for key, attribute in (("update_config", "UpdateConfig"), ("rollback_config", "RollbackConfig")):
            config = self.spec.get(attribute) or {}
            self._section(("deploy", key), f"Spec.{attribute}", {
                "parallelism": int(config.get("Parallelism", 1)),
                "delay": seconds(config.get("Delay") or 0),
                "failure_action": str(config.get("FailureAction") or "pause"),
                "monitor": seconds(config.get("Monitor", 5 * _NANOS)),
                "max_failure_ratio": config.get("MaxFailureRatio") or 0,
                "order": str(config.get("Order") or "stop-first"),
            }, SWARM_UPDATE_CONFIG)

    def _section(self, where: Path, attribute: str, values: dict[str, Any], defaults: dict[str, Any]) -> None:
        """Nothing when ``values`` are swarm's defaults throughout; else all, defaults marked."""
        if all(defaults.get(key) == value for key, value in values.items()):
            return
        for key, value in values.items():
            self.put((*where, key), value, attribute, DEFAULT if defaults.get(key) == value else None)


_CONTAINER_FIELDS = (
    ("command", "Args"),
    ("entrypoint", "Command"),
    ("user", "User"),
    ("working_dir", "Dir"),
    ("hostname", "Hostname"),
    ("tty", "TTY"),
    ("stdin_open", "OpenStdin"),
    ("read_only", "ReadOnly"),
    ("init", "Init"),
    ("stop_signal", "StopSignal"),
    ("sysctls", "Sysctls"),
)
