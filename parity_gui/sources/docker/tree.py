"""What a live engine answered → the canonical tree of a ``docker://`` environment.

The tree holds ``/services`` (see :mod:`docker_services`), the images those services run under
``/images/<reference as the container names it>`` (config as in a Dockerfile stage, plus the id
and the digest it resolved to), non-default networks and named volumes under ``/networks`` and
``/volumes`` (for one project: that project's, without the project-name prefix, and without the
default network compose creates unasked), and engine facts under ``/engine``. Every leaf's
origin names the context, the object id and the inspect attribute it came from.

A live engine speaks for all of that except how images were built: build settings of a service,
and a Dockerfile's base image, build args, package pins and syntax line are outside its
coverage, so they show as context, never as drift. Nor does it say how a bind was set up
(``bind/…``: whether it may create its missing host folder, propagation, SELinux relabelling).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path
from parity_gui.core.tree import Coverage, Diagnostic, Environment, Level, TreeBuilder
from parity_gui.sources.docker.services import (
    COMPOSE_LABELS,
    PROJECT_LABEL,
    Inspect,
    ServiceWriter,
    group_services,
    is_anonymous,
)

__all__ = ["COVERAGE", "PROJECT_LABEL", "EngineSnapshot", "build_environment"]

COVERAGE = Coverage.of(
    ["/services/**", "/images/**", "/engine/**", "/networks/**", "/volumes/**"],
    [
        "/services/*/build/**",
        "/services/*/depends_on/**",
        "/services/*/profiles/**",
        "/services/*/pull_policy",
        "/services/*/volumes/*/bind/**",
        "/services/*/develop/**",
        "/services/*/deploy/update_config/**",
        "/services/*/deploy/rollback_config/**",
        "/services/*/deploy/labels/**",
        "/services/*/publish_mode/**",
        "/images/*/base/**",
        "/images/*/args/**",
        "/images/*/packages/**",
        "/images/*/syntax",
    ],
)
DEFAULT_NETWORKS = frozenset({"bridge", "host", "none"})


@dataclass
class EngineSnapshot:
    """One engine's answers, as returned by its API (inspect dicts), for one load."""

    context: str
    project: str | None
    version: Inspect
    info: Inspect
    containers: list[Inspect]
    images: dict[str, Inspect]  #: by image id
    networks: list[Inspect] = field(default_factory=list)
    volumes: list[Inspect] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  #: containers removed while loading


def build_environment(snapshot: EngineSnapshot, name: str, spec: str) -> Environment:
    """The environment of ``spec`` from what the engine answered."""
    builder = TreeBuilder()
    write_engine_facts(builder, snapshot)
    for key, group in group_services(snapshot.containers, snapshot.project).items():
        image = snapshot.images.get(str(group[0].get("Image")))
        ServiceWriter(
            builder, context=snapshot.context, project=snapshot.project, key=key, group=group, image=image
        ).write()
    _images(builder, snapshot)
    _networks(builder, snapshot)
    _volumes(builder, snapshot)
    env = builder.into(Environment(name=name, spec=spec, coverage=COVERAGE))
    env.sources = [spec]
    env.diagnostics = [
        Diagnostic(f"container {gone} was removed while loading; it is left out", level=Level.WARNING)
        for gone in snapshot.gone
    ]
    return env


def _origin(snapshot: EngineSnapshot, object_id: str, attribute: str) -> Origin:
    return Origin(context=snapshot.context, object_id=object_id, attribute=attribute)


def write_engine_facts(builder: TreeBuilder, snapshot: EngineSnapshot) -> None:
    """``/engine/…``: version, OS, storage and cgroup drivers, from ``/version`` and ``/info``."""
    facts = (
        ("version", snapshot.version, "Version"),
        ("api_version", snapshot.version, "ApiVersion"),
        ("os", snapshot.version, "Os"),
        ("architecture", snapshot.version, "Arch"),
        ("kernel_version", snapshot.version, "KernelVersion"),
        ("operating_system", snapshot.info, "OperatingSystem"),
        ("storage_driver", snapshot.info, "Driver"),
        ("cgroup_driver", snapshot.info, "CgroupDriver"),
        ("cgroup_version", snapshot.info, "CgroupVersion"),
    )
    engine_id = str(snapshot.info.get("ID") or snapshot.info.get("Name") or "")
    for key, answer, attribute in facts:
        value = answer.get(attribute)
        if value not in (None, ""):
            where = "Version" if answer is snapshot.version else "Info"
            builder.set(("engine", key), value, _origin(snapshot, engine_id, f"{where}.{attribute}"))


def _images(builder: TreeBuilder, snapshot: EngineSnapshot) -> None:
    for container in snapshot.containers:
        image = snapshot.images.get(str(container.get("Image")))
        reference = str((container.get("Config") or {}).get("Image") or container.get("Image"))
        if image is not None and ("images", reference) not in builder.origins:
            _image(builder, snapshot, reference, image)


def _image(builder: TreeBuilder, snapshot: EngineSnapshot, reference: str, image: Inspect) -> None:
    path: Path = ("images", reference)
    image_id = str(image.get("Id"))
    config = image.get("Config") or {}

    def put(where: Path, value: Any, attribute: str) -> None:
        if value not in (None, "", [], {}):
            builder.set((*path, *where), value, _origin(snapshot, image_id, attribute))

    builder.branch(path, _origin(snapshot, image_id, "Id"), reference)
    put(("id",), image_id, "Id")
    digests = sorted(str(d).partition("@")[2] for d in image.get("RepoDigests") or [])
    put(("digest",), digests[0] if digests else None, "RepoDigests")
    put(("platform",), f"{image.get('Os', '')}/{image.get('Architecture', '')}".strip("/"), "Os")
    for variable, _, text in (str(e).partition("=") for e in config.get("Env") or []):
        put(("env", variable), text, "Config.Env")
    for name, value in sorted((config.get("Labels") or {}).items()):
        put(("labels", name), value, "Config.Labels")
    for port in sorted(config.get("ExposedPorts") or {}):
        put(("expose", port if "/" in port else f"{port}/tcp"), True, "Config.ExposedPorts")
    for volume in sorted(config.get("Volumes") or {}):
        put(("volumes", volume), True, "Config.Volumes")
    for key, attribute in (("user", "User"), ("workdir", "WorkingDir"), ("stopsignal", "StopSignal")):
        put((key,), config.get(attribute), f"Config.{attribute}")
    for key, attribute in (("entrypoint", "Entrypoint"), ("cmd", "Cmd"), ("shell", "Shell")):
        value = config.get(attribute)
        put((key,), list(value) if value else None, f"Config.{attribute}")
    _image_healthcheck(put, config.get("Healthcheck"))


def _image_healthcheck(put: Any, check: Inspect | None) -> None:
    if not check:
        return
    put(("healthcheck", "test"), list(check.get("Test") or []), "Config.Healthcheck")
    for attribute, key in (
        ("Interval", "interval"),
        ("Timeout", "timeout"),
        ("StartPeriod", "start_period"),
        ("StartInterval", "start_interval"),
    ):
        nanos = check.get(attribute) or 0
        if nanos:
            seconds = nanos / 1e9
            put(("healthcheck", key), int(seconds) if seconds.is_integer() else seconds, "Config.Healthcheck")
    if check.get("Retries"):
        put(("healthcheck", "retries"), check["Retries"], "Config.Healthcheck")


def _networks(builder: TreeBuilder, snapshot: EngineSnapshot) -> None:
    for network in _owned(snapshot.networks, snapshot.project):
        name = str(network.get("Name"))
        if name in DEFAULT_NETWORKS or (snapshot.project and name == f"{snapshot.project}_default"):
            continue
        node: dict[str, Any] = {}
        if network.get("Driver") not in (None, "", "bridge"):
            node["driver"] = network["Driver"]
        for flag in ("Internal", "Attachable", "EnableIPv6"):
            if network.get(flag):
                node[flag.lower() if flag != "EnableIPv6" else "enable_ipv6"] = True
        _own_labels(node, network.get("Labels"))
        origin = _origin(snapshot, str(network.get("Id")), "Network")
        builder.set(("networks", _unprefixed(name, snapshot.project)), node, origin)


def _volumes(builder: TreeBuilder, snapshot: EngineSnapshot) -> None:
    for volume in _owned(snapshot.volumes, snapshot.project):
        name = str(volume.get("Name"))
        if is_anonymous(name):
            continue
        node: dict[str, Any] = {}
        if volume.get("Driver") not in (None, "", "local"):
            node["driver"] = volume["Driver"]
        if volume.get("Options"):
            node["driver_opts"] = dict(volume["Options"])
        _own_labels(node, volume.get("Labels"))
        origin = _origin(snapshot, name, "Volume")
        builder.set(("volumes", _unprefixed(name, snapshot.project)), node, origin)


def _owned(objects: list[Inspect], project: str | None) -> list[Inspect]:
    """All networks or volumes of an engine, or the ones compose created for ``project``."""
    if project is None:
        return sorted(objects, key=lambda o: str(o.get("Name")))
    mine = [o for o in objects if (o.get("Labels") or {}).get(PROJECT_LABEL) == project]
    return sorted(mine, key=lambda o: str(o.get("Name")))


def _own_labels(node: dict[str, Any], labels: dict[str, str] | None) -> None:
    own = {k: v for k, v in sorted((labels or {}).items()) if not k.startswith(COMPOSE_LABELS)}
    if own:
        node["labels"] = own


def _unprefixed(name: str, project: str | None) -> str:
    prefix = f"{project}_" if project else ""
    return name.removeprefix(prefix) if prefix else name
