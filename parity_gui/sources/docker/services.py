"""Running (and stopped) containers → ``/services/<name>/…``, the paths a compose file produces.

Containers are grouped into services by compose's labels; a container without them is a service
of its own, named after the container. For a whole engine (no project in the spec) a compose
service is keyed ``<project>/<service>`` so that two projects cannot collide; for one project it is
the bare service name, as in the compose file. A group's first container (lowest container
number) speaks for the service; ``deploy/replicas`` counts the group and ``state`` says how many
are in which state when they differ.

To meet a compose file in the same canonical form:

* what the image brings is subtracted: environment entries, labels, command, entrypoint, user,
  working dir, healthcheck, stop signal and exposed ports equal to the image's are left out, as
  are anonymous volumes at the image's ``VOLUME`` paths (the image's values are under
  ``/images/<reference>``). A compose file that repeats the image's own value therefore
  shows it as removed: the engine cannot tell the two apart;
* compose's bookkeeping labels (``com.docker.compose.*``) are left out;
* the project-name prefix of networks and named volumes is removed (``shop_data`` → ``data``);
  bind sources inside the project folder read ``./relative`` as a compose file writes them,
  and targets and sources are path-cleaned as the compose file's are (``/data/`` is ``/data``);
  a container only on the project's default network lists no networks;
* the values compose fills in when a file is silent are what the engine reports anyway
  (``restart`` ``"no"``, ``read_only`` false, the healthcheck's 30/30/0/5/3), and the engine's
  own defaults that compose never writes are left out (shm size 64 MiB, private IPC, the
  container id as host name, false flags, empty lists).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Protocol

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path
from parity_gui.core.tree import TreeBuilder
from parity_gui.sources.compose.values import (
    ImageReference,
    binding,
    clean_path,
    parse_image,
    port_key,
    size_bytes,
)

PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
NUMBER_LABEL = "com.docker.compose.container-number"
WORKDIR_LABEL = "com.docker.compose.project.working_dir"
COMPOSE_LABELS = "com.docker.compose."
DEFAULT_SHM_BYTES = 64 * 1024 * 1024
HEALTHCHECK_DEFAULTS = {"interval": 30, "timeout": 30, "start_period": 0, "start_interval": 5, "retries": 3}
_ANONYMOUS = re.compile(r"^[0-9a-f]{64}$")
_HEALTH_FIELDS = (
    ("Interval", "interval"),
    ("Timeout", "timeout"),
    ("StartPeriod", "start_period"),
    ("StartInterval", "start_interval"),
)

Inspect = dict[str, Any]


def labels_of(container: Inspect) -> dict[str, str]:
    """A container's labels, from an inspect answer or a list entry (the answer's own mapping)."""
    labels = (container.get("Config") or {}).get("Labels") if "Config" in container else container.get("Labels")
    return labels or {}


def service_key(container: Inspect, project: str | None) -> str:
    """The service a container belongs to, as a key under ``/services``."""
    labels = labels_of(container)
    service = labels.get(SERVICE_LABEL)
    if service is None:
        return str(container.get("Name", container.get("Id", "?")[:12])).lstrip("/")
    if project is None:
        return f"{labels.get(PROJECT_LABEL, '')}/{service}"
    return service


def group_services(containers: list[Inspect], project: str | None) -> dict[str, list[Inspect]]:
    """Containers by service key, each group in container-number order."""
    groups: dict[str, list[tuple[tuple[int, str], Inspect]]] = {}
    for container in containers:
        groups.setdefault(service_key(container, project), []).append((_number(container), container))
    return {key: [c for _, c in sorted(group, key=lambda pair: pair[0])] for key, group in sorted(groups.items())}


def _number(container: Inspect) -> tuple[int, str]:
    text = labels_of(container).get(NUMBER_LABEL, "")
    return (int(text) if text.isdigit() else 0, str(container.get("Name", "")))


class Writer(Protocol):
    """What writes one service's node (a container's or a swarm service's)."""

    builder: TreeBuilder
    path: Path

    def origin(self, attribute: str) -> Origin: ...

    def put(self, where: Path, value: Any, attribute: str, raw: str | None = None) -> None: ...


def put_image(writer: Writer, written: str, attribute: str) -> ImageReference:
    """The service's ``image`` as compose reads it: the reference as written, split into
    registry, repository and tag (``latest`` when it names neither tag nor digest); its digest is
    the caller's to write, from wherever the engine keeps it."""
    reference = parse_image(written)
    writer.builder.branch((*writer.path, "image"), writer.origin(attribute), written)
    writer.put(("image", "registry"), reference.registry, attribute)
    writer.put(("image", "repository"), reference.repository, attribute)
    if reference.tag is not None or reference.digest is None:
        writer.put(("image", "tag"), reference.tag or "latest", attribute)
    return reference


class ServiceWriter:
    """Writes one service's node from its containers and the image of the first one."""

    def __init__(
        self,
        builder: TreeBuilder,
        *,
        context: str,
        project: str | None,
        key: str,
        group: list[Inspect],
        image: Inspect | None,
    ) -> None:
        self.builder = builder
        self.context = context
        self.project = project
        self.group = group
        self.path: Path = ("services", key)
        self.container = group[0]
        self.config: dict[str, Any] = self.container.get("Config") or {}
        self.host: dict[str, Any] = self.container.get("HostConfig") or {}
        self.image_inspect = image
        self.image: dict[str, Any] = (image or {}).get("Config") or {}
        self.origins: dict[str, Origin] = {}

    def write(self) -> None:
        group = self.group
        self.builder.branch(self.path, self.origin("Name"))
        self._image(self.image_inspect)
        for write in (
            self._commands,
            self._environment,
            self._labels,
            self._ports,
            self._expose,
            self._volumes,
            self._networks,
            self._healthcheck,
            self._restart,
            self._settings,
            self._resources,
        ):
            write()
        self.put(("deploy", "replicas"), len(group), "Config.Labels")
        self.put(("state",), _state(group), "State.Status")

    def origin(self, attribute: str) -> Origin:
        """Where a value came from: this service's first container, ``attribute`` of its inspect.

        Origins are immutable, so every leaf read from one attribute shares one.
        """
        found = self.origins.get(attribute)
        if found is None:
            found = self.origins[attribute] = Origin(
                context=self.context, object_id=str(self.container.get("Id")), attribute=attribute
            )
        return found

    def put(self, where: Path, value: Any, attribute: str, raw: str | None = None) -> None:
        self.builder.set((*self.path, *where), value, self.origin(attribute), raw)

    # --- image, command lines, environment, labels ----------------------------------------

    def _image(self, image: Inspect | None) -> None:
        written = str(self.config.get("Image") or "")
        if written.startswith("sha256:"):
            self.put(("image", "id"), written, "Config.Image", written)
            return
        reference = put_image(self, written, "Config.Image")
        digest = reference.digest or resolved_digest(image, reference.registry, reference.repository)
        if digest is not None:
            self.put(("image", "digest"), digest, "Image.RepoDigests")

    def _commands(self) -> None:
        for attribute, key in (("Cmd", "command"), ("Entrypoint", "entrypoint")):
            value = self.config.get(attribute)
            if value and value != self.image.get(attribute):
                self.put((key,), list(value), f"Config.{attribute}")

    def _environment(self) -> None:
        own = _env_map(self.image.get("Env"))
        for name, value in _env_map(self.config.get("Env")).items():
            if own.get(name) != value:
                self.put(("environment", name), value, "Config.Env", f"{name}={value}")

    def _labels(self) -> None:
        own = self.image.get("Labels") or {}
        for name, value in sorted((self.config.get("Labels") or {}).items()):
            if not name.startswith(COMPOSE_LABELS) and own.get(name) != value:
                self.put(("labels", name), value, "Config.Labels")

    # --- ports, volumes, networks ---------------------------------------------------------

    def _ports(self) -> None:
        for port, bindings in sorted((self.host.get("PortBindings") or {}).items()):
            published = sorted({binding(b.get("HostIp") or None, b.get("HostPort") or None) for b in bindings or [{}]})
            self.put(("ports", _port(port)), published, "HostConfig.PortBindings")

    def _expose(self) -> None:
        own = set(self.image.get("ExposedPorts") or {})
        published = set(self.host.get("PortBindings") or {})
        for port in sorted(set(self.config.get("ExposedPorts") or {}) - own - published):
            self.put(("expose", _port(port)), _port(port), "Config.ExposedPorts")

    def _volumes(self) -> None:
        for mount in self.container.get("Mounts") or []:
            target = clean_path(str(mount.get("Destination")))
            if self._image_volume(mount):
                continue
            node: dict[str, Any] = {"type": mount.get("Type", "volume"), "read_only": not mount.get("RW", True)}
            source = self._mount_source(mount)
            if source is not None:
                node["source"] = source
            self.put(("volumes", target), node, "Mounts")
        for target, options in sorted((self.host.get("Tmpfs") or {}).items()):
            node = {"type": "tmpfs", "read_only": False, **_tmpfs_options(options)}
            self.put(("volumes", clean_path(target)), node, "HostConfig.Tmpfs")

    def _image_volume(self, mount: Inspect) -> bool:
        """An anonymous volume where the image declares ``VOLUME``: the image's doing."""
        anonymous = mount.get("Type") == "volume" and is_anonymous(str(mount.get("Name") or ""))
        return anonymous and str(mount.get("Destination")) in (self.image.get("Volumes") or {})

    def _mount_source(self, mount: Inspect) -> str | None:
        if mount.get("Type") == "bind":
            return self._project_path(clean_path(str(mount.get("Source", ""))))
        name = str(mount.get("Name") or "")
        if not name or is_anonymous(name):
            return None
        return self.unprefixed(name)

    def _project_path(self, source: str) -> str:
        folder = labels_of(self.container).get(WORKDIR_LABEL)
        if not folder or not (source == folder or source.startswith(folder.rstrip("/") + "/")):
            return source
        relative = os.path.relpath(source, folder)
        return "." if relative == "." else "./" + relative

    def unprefixed(self, name: str) -> str:
        """``shop_data`` → ``data`` when loading the project ``shop``."""
        prefix = f"{self.project}_" if self.project else None
        return name.removeprefix(prefix) if prefix and name.startswith(prefix) else name

    def _networks(self) -> None:
        mode = str(self.host.get("NetworkMode") or "")
        if mode in ("none", "host") or mode.startswith(("container:", "service:")):
            self.put(("network_mode",), mode, "HostConfig.NetworkMode")
            return
        attached = (self.container.get("NetworkSettings") or {}).get("Networks") or {}
        project = labels_of(self.container).get(PROJECT_LABEL)
        if set(attached) <= {f"{project}_default", "bridge", "default"}:
            return
        for name, settings in sorted(attached.items()):
            self.put(
                ("networks", self.unprefixed(name)), self._network_settings(settings or {}), "NetworkSettings.Networks"
            )

    def _network_settings(self, settings: Inspect) -> dict[str, Any]:
        implied = {
            labels_of(self.container).get(SERVICE_LABEL),
            str(self.container.get("Id", ""))[:12],
            str(self.container.get("Name", "")).lstrip("/"),
        }
        aliases = [a for a in settings.get("Aliases") or [] if a not in implied]
        node: dict[str, Any] = {}
        if aliases:
            node["aliases"] = {a: a for a in sorted(aliases)}
        address = (settings.get("IPAMConfig") or {}).get("IPv4Address")
        if address:
            node["ipv4_address"] = address
        return node

    # --- healthcheck, restart, plain settings, resources ----------------------------------

    def _healthcheck(self) -> None:
        check = self.config.get("Healthcheck")
        if not check or check == self.image.get("Healthcheck"):
            return
        node: dict[str, Any] = {"test": list(check.get("Test") or [])}
        if node["test"] != ["NONE"]:
            for attribute, key in _HEALTH_FIELDS:
                nanos = check.get(attribute) or 0
                node[key] = _seconds(nanos) if nanos else HEALTHCHECK_DEFAULTS[key]
            node["retries"] = check.get("Retries") or HEALTHCHECK_DEFAULTS["retries"]
        self.put(("healthcheck",), node, "Config.Healthcheck")

    def _restart(self) -> None:
        policy = self.host.get("RestartPolicy") or {}
        name = policy.get("Name") or "no"
        retries = policy.get("MaximumRetryCount") or 0
        text = f"{name}:{retries}" if name == "on-failure" and retries else name
        self.put(("restart",), text, "HostConfig.RestartPolicy")

    def _settings(self) -> None:
        for key, attribute, read in _SETTINGS:
            value = read(self)
            if value not in (None, "", False, [], {}):
                self.put((key,), value, attribute)

    def _resources(self) -> None:
        limits = (("deploy", "resources", "limits"), ("deploy", "resources", "reservations"))
        memory = self.host.get("Memory") or 0
        if memory:
            self.put((*limits[0], "memory"), memory, "HostConfig.Memory")
        cpus = _cpus(self.host)
        if cpus:
            self.put((*limits[0], "cpus"), cpus, "HostConfig.NanoCpus")
        pids = self.host.get("PidsLimit") or 0
        if pids > 0:
            self.put((*limits[0], "pids"), pids, "HostConfig.PidsLimit")
        reserved = self.host.get("MemoryReservation") or 0
        if reserved:
            self.put((*limits[1], "memory"), reserved, "HostConfig.MemoryReservation")

    # --- readers for _SETTINGS ------------------------------------------------------------

    def unless_image(self, attribute: str) -> Any:
        value = self.config.get(attribute)
        return None if value == self.image.get(attribute) else value

    def container_name(self) -> str | None:
        labels = labels_of(self.container)
        if SERVICE_LABEL not in labels:
            return None
        name = str(self.container.get("Name", "")).lstrip("/")
        parts = (labels.get(PROJECT_LABEL), labels.get(SERVICE_LABEL), labels.get(NUMBER_LABEL))
        generated = {"_".join(map(str, parts)), "-".join(map(str, parts))}
        return None if name in generated else name

    def hostname(self) -> str | None:
        value = str(self.config.get("Hostname") or "")
        return None if str(self.container.get("Id", "")).startswith(value) else value


def is_anonymous(volume: str) -> bool:
    """True for a volume Docker named itself (64 hex digits): it has no name to compare."""
    return bool(_ANONYMOUS.match(volume))


def _set_map(items: Any) -> dict[str, str]:
    return {str(i): str(i) for i in items or []}


def _hosts(entries: Any) -> dict[str, str]:
    pairs = (str(e).split(":", 1) for e in entries or [])
    return {p[0]: p[1] if len(p) > 1 else "" for p in pairs}


Setting = tuple[str, str, Callable[[ServiceWriter], Any]]
_SETTINGS: tuple[Setting, ...] = (
    ("user", "Config.User", lambda w: w.unless_image("User")),
    ("working_dir", "Config.WorkingDir", lambda w: w.unless_image("WorkingDir")),
    ("stop_signal", "Config.StopSignal", lambda w: w.unless_image("StopSignal")),
    ("stop_grace_period", "Config.StopTimeout", lambda w: w.config.get("StopTimeout")),
    ("container_name", "Name", ServiceWriter.container_name),
    ("hostname", "Config.Hostname", ServiceWriter.hostname),
    ("domainname", "Config.Domainname", lambda w: w.config.get("Domainname")),
    ("tty", "Config.Tty", lambda w: w.config.get("Tty")),
    ("stdin_open", "Config.OpenStdin", lambda w: w.config.get("OpenStdin")),
    ("privileged", "HostConfig.Privileged", lambda w: w.host.get("Privileged")),
    ("read_only", "HostConfig.ReadonlyRootfs", lambda w: w.host.get("ReadonlyRootfs")),
    ("init", "HostConfig.Init", lambda w: w.host.get("Init")),
    ("cap_add", "HostConfig.CapAdd", lambda w: _set_map(w.host.get("CapAdd"))),
    ("cap_drop", "HostConfig.CapDrop", lambda w: _set_map(w.host.get("CapDrop"))),
    ("dns", "HostConfig.Dns", lambda w: _set_map(w.host.get("Dns"))),
    ("dns_search", "HostConfig.DnsSearch", lambda w: _set_map(w.host.get("DnsSearch"))),
    ("extra_hosts", "HostConfig.ExtraHosts", lambda w: _hosts(w.host.get("ExtraHosts"))),
    ("pid", "HostConfig.PidMode", lambda w: w.host.get("PidMode")),
    (
        "ipc",
        "HostConfig.IpcMode",
        lambda w: None if w.host.get("IpcMode") in ("private", "shareable") else w.host.get("IpcMode"),
    ),
    (
        "shm_size",
        "HostConfig.ShmSize",
        lambda w: None if w.host.get("ShmSize") in (DEFAULT_SHM_BYTES, 0) else w.host.get("ShmSize"),
    ),
    ("sysctls", "HostConfig.Sysctls", lambda w: dict(w.host.get("Sysctls") or {})),
)


def resolved_digest(image: Inspect | None, registry: str, repository: str) -> str | None:
    """The digest the engine resolved ``registry/repository`` to, from the image's RepoDigests."""
    for entry in (image or {}).get("RepoDigests") or []:
        name, _, digest = str(entry).partition("@")
        found = parse_image(name)
        if (found.registry, found.repository) == (registry, repository):
            return digest
    return None


def _env_map(entries: Any) -> dict[str, str]:
    pairs = (str(e).partition("=") for e in entries or [])
    return {name: value for name, _, value in pairs}


def _port(text: str) -> str:
    number, _, protocol = str(text).partition("/")
    return port_key(number, protocol or "tcp")


def _tmpfs_options(options: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for option in filter(None, str(options).split(",")):
        key, _, value = option.partition("=")
        found[key] = _size(value) if key == "size" else value
    return {"tmpfs": found} if found else {}


def _size(text: str) -> int | str:
    try:
        return size_bytes(text)
    except ValueError:
        return text


def _seconds(nanos: int) -> int | float:
    value = Fraction(nanos, 1_000_000_000)
    return int(value) if value.denominator == 1 else float(value)


def _cpus(host: Inspect) -> float | None:
    if host.get("NanoCpus"):
        return float(host["NanoCpus"]) / 1e9
    quota, period = host.get("CpuQuota") or 0, host.get("CpuPeriod") or 0
    return quota / period if quota > 0 and period > 0 else None


def _state(group: list[Inspect]) -> str:
    states = Counter(str((c.get("State") or {}).get("Status", "unknown")) for c in group)
    if len(states) == 1:
        return next(iter(states))
    return ", ".join(f"{count} {state}" for state, count in sorted(states.items()))
