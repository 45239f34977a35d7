"""Severity rules: each one named, so a report can say why a drift matters.

Rules are tried in order; the first that speaks rates the drift. ``.parity.toml`` severity
overrides are applied after the rules by the engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parity_gui.core.drift import DriftKind, Rating, Severity
from parity_gui.core.pointer import Path
from parity_gui.core.secrets import is_secret_key
from parity_gui.core.tree import MISSING, Environment
from parity_gui.engine.align import Names, named_alike
from parity_gui.engine.images import family, is_unpinned, points_at_other_service, url_scheme, version_change


@dataclass(frozen=True, slots=True)
class Case:
    """One difference being rated: where, how, and the value in each environment."""

    path: Path
    kind: DriftKind
    values: tuple[Any, ...]
    environments: tuple[Environment, ...]
    #: For each environment, what finds its own names in a text (see :mod:`engine.align`).
    names: tuple[Names | None, ...] = ()

    def present(self) -> list[Any]:
        return [v for v in self.values if v is not MISSING]

    def names_with(self) -> list[str]:
        return [e.name for e, v in zip(self.environments, self.values, strict=True) if v is not MISSING]

    def names_without(self) -> list[str]:
        return [e.name for e, v in zip(self.environments, self.values, strict=True) if v is MISSING]

    def sibling(self, name: str) -> list[Any]:
        """The value of a sibling leaf (``digest`` beside ``tag``) in each environment."""
        path = (*self.path[:-1], name)
        return [env.get(path) for env in self.environments]

    def service_image(self, index: int) -> Any:
        """The image repository of the service this path belongs to, in one environment."""
        if len(self.path) < 2 or self.path[0] != "services":
            return MISSING
        return self.environments[index].get(("services", self.path[1], "image", "repository"))


RuleFunction = Callable[[Case], Rating | None]


def _only(names: list[str]) -> str:
    return ", ".join(names) or "no environment"


def different_backing_service(case: Case) -> Rating | None:
    path = case.path
    if path[-2:] == ("image", "repository") and path[0] == "services" and case.kind is DriftKind.CHANGED:
        families = {family(v) for v in case.present()}
        if len(families) > 1 and None not in families:  # an unknown image is rated as a repository change
            shown = " vs ".join(str(v).rsplit("/", 1)[-1] for v in case.present())
            return _critical(f"service {path[1]} runs a different backing service ({shown})")
    if len(path) == 2 and path[0] == "services" and case.kind is not DriftKind.CHANGED:
        images = [case.service_image(i) for i, v in enumerate(case.values) if v is not MISSING]
        kinds = sorted({f for f in map(family, images) if f})
        if kinds:
            return _critical(
                f"backing service {path[1]} ({', '.join(kinds)}) exists only in "
                f"{_only(case.names_with())}; {_only(case.names_without())} runs without it"
            )
    if case.kind is DriftKind.CHANGED and _is_variable(path):
        schemes = {url_scheme(v) for v in case.present()}
        if points_at_other_service(schemes):
            named = sorted(s for s in schemes if s)
            return _critical(f"{path[-1]} points at different backing services ({' vs '.join(named)})")
    return None


def _critical(explanation: str) -> Rating:
    return Rating(Severity.CRITICAL, "different-backing-service", explanation)


def service_only_on_one_side(case: Case) -> Rating | None:
    if len(case.path) == 2 and case.path[0] in ("services", "images") and case.kind is not DriftKind.CHANGED:
        what = "service" if case.path[0] == "services" else "image"
        return Rating(
            Severity.HIGH, "service-only-on-one-side",
            f"{what} {case.path[1]} exists only in {_only(case.names_with())}",
        )
    return None


def is_image_field(path: Path) -> bool:
    """A field of an image reference: a service's image, a stage's base, or an image a stage
    copies or mounts from (``/images/<stage>/dependencies/<image>/tag``)."""
    return len(path) >= 2 and (path[-2] in ("image", "base") or (len(path) >= 3 and path[-3] == "dependencies"))


def unpinned_image(case: Case) -> Rating | None:
    if case.path[-1] not in ("tag", "digest") or not is_image_field(case.path):
        return None
    tags, digests, repositories = case.sibling("tag"), case.sibling("digest"), case.sibling("repository")
    floating = [
        env.name for env, tag, digest, repository in zip(case.environments, tags, digests, repositories, strict=True)
        if tag is not MISSING or digest is not MISSING
        if is_unpinned(None if tag is MISSING else tag, None if digest is MISSING else digest, repository)
    ]
    if not floating:
        return None
    return Rating(
        Severity.HIGH, "unpinned-image",
        f"the image floats (tag latest or none, no digest) in {', '.join(floating)}: "
        "what runs can change without any file changing",
    )


_TAG_CHANGES = {
    "major": (Severity.HIGH, "major version drift"),
    "minor": (Severity.HIGH, "minor version drift"),
    "patch": (Severity.MEDIUM, "patch version drift"),
    "variant": (Severity.MEDIUM, "same version, different image variant"),
    None: (Severity.MEDIUM, "different image tags"),
}


def image_version_drift(case: Case) -> Rating | None:
    if not is_image_field(case.path) or case.kind is not DriftKind.CHANGED:
        return None
    if case.path[-1] == "digest":
        return Rating(Severity.MEDIUM, "image-digest-drift", "the same tag resolves to different image digests")
    if case.path[-1] != "tag":
        return None
    old, new = case.present()[:2]
    severity, words = _TAG_CHANGES[version_change(old, new)]
    return Rating(severity, "image-version-drift", f"{words}: {old} vs {new}")


def setting_version_drift(case: Case) -> Rating | None:
    """A setting named ``*version`` (``engine_version``, ``PYTHON_VERSION``) read as a version."""
    name = setting_name(case.path)
    if case.kind is not DriftKind.CHANGED or not VERSION_NAME.search(name):
        return None
    old, new = case.present()[:2]
    change = version_change(old, new)
    if change is None:
        return None
    severity, words = _TAG_CHANGES[change]
    return Rating(severity, "version-drift", f"{name}: {words}: {old} vs {new}")


#: ``version``, ``engine_version``, ``PYTHON-VERSION``, ``kubernetesVersion`` — not ``conversion``.
VERSION_NAME = re.compile(r"(?:^|[_.-])[Vv][Ee][Rr][Ss][Ii][Oo][Nn]$|[a-z0-9]Version$|^VERSION$")


def setting_name(path: Path) -> str:
    """The name a user gave the setting: a Terraform variable's name for its value."""
    if len(path) == 3 and path[0] == "infrastructure" and path[1].startswith("variable.") and path[2] in (
        "value", "default"
    ):
        return path[1].removeprefix("variable.")
    return path[-1]


def image_repository_changed(case: Case) -> Rating | None:
    if case.path[-1:] == ("repository",) and case.path[-2:-1] in (("image",), ("base",)):
        return Rating(Severity.HIGH, "image-repository-changed", "built from a different image repository")
    return None


def _is_variable(path: Path) -> bool:
    if path[0] == "variables" and len(path) == 2:
        return True
    return len(path) >= 2 and path[-2] in ("environment", "env", "args")


def variable_only_on_one_side(case: Case) -> Rating | None:
    if case.kind is DriftKind.CHANGED or not _is_variable(case.path):
        return None
    return Rating(
        Severity.MEDIUM, "variable-only-on-one-side",
        f"{case.path[-1]} is set only in {_only(case.names_with())}",
    )


#: Label prefixes other tools act on (a reverse proxy's routes, an updater, a backup job):
#: drift there changes behaviour, so it is not rated as metadata.
ACTING_LABELS = ("traefik.", "caddy", "com.centurylinklabs.watchtower.", "autoheal", "docker-volume-backup.",
                 "ofelia.", "prometheus.io/", "diun.")


def named_after_environment(case: Case) -> Rating | None:
    """``rn-d-app`` against ``rn-p-app``, ``Environment = "dev"`` against ``"prod"``: values that
    differ only by the environments' own names are there by design. Secrets are left to the
    other rules (their change is what matters)."""
    if case.kind is not DriftKind.CHANGED or not case.names or not named_alike(case.values, case.names):
        return None
    if is_secret_key(case.path[-1]):
        return None
    return Rating(Severity.INFO, "named-after-environment",
                  "the values differ only by the environments' names, as the environments do")


def labels(case: Case) -> Rating | None:
    if "labels" in case.path[:-1] or case.path[-1] == "labels":
        key = case.path[-1] if case.path[-1] != "labels" else ""
        if key.lower().startswith(ACTING_LABELS):
            return Rating(Severity.MEDIUM, "labels",
                          f"{key} configures another tool (a proxy, an updater, a scheduler): it changes behaviour")
        return Rating(Severity.LOW, "labels", "labels are metadata; they rarely change behaviour")
    return None


# --- Kubernetes (and the service shape workloads share with compose) ----------------------

_PROBES = {"healthcheck": "health check (liveness probe)", "readiness": "readiness probe", "startup": "startup probe"}
_CONFIG_KINDS = ("ConfigMap", "Secret")


def replica_drift(case: Case) -> Rating | None:
    if case.path[-2:] != ("deploy", "replicas") or case.kind is not DriftKind.CHANGED:
        return None
    shown = " vs ".join(str(v) for v in case.present())
    return Rating(Severity.MEDIUM, "replica-drift", f"a different number of replicas: {shown}")


def resource_drift(case: Case) -> Rating | None:
    """A limit or reservation (memory in bytes, CPUs) that differs or is set on one side only."""
    path = case.path
    if len(path) >= 2 and path[-2] == "resources" and path[-1] in ("limits", "reservations"):
        section, what = path[-1], path[-1]
    elif len(path) >= 3 and path[-3] == "resources" and path[-2] in ("limits", "reservations"):
        section, what = path[-2], f"{path[-1]} {path[-2].removesuffix('s')}"
    else:
        return None
    if case.kind is DriftKind.CHANGED:
        shown = " vs ".join(_amount(path[-1], v) for v in case.present())
        return Rating(Severity.MEDIUM, "resource-drift", f"{what} differs: {shown}")
    severity = Severity.HIGH if section == "limits" else Severity.MEDIUM
    return Rating(severity, "resource-drift", f"{what} set only in {_only(case.names_with())}")


def _amount(resource: str, value: Any) -> str:
    if resource == "memory" and isinstance(value, int) and value >= 1024 * 1024:
        unit, size = ("GiB", 1 << 30) if value % (1 << 30) == 0 else ("MiB", 1 << 20)
        return f"{value / size:g} {unit}"
    return str(value)


def on_one_side_only(case: Case) -> Rating | None:
    """A probe (liveness, readiness, startup) or a ConfigMap/Secret that exists on one side only."""
    path = case.path
    if len(path) != 3 or case.kind is DriftKind.CHANGED:
        return None
    where = _only(case.names_with())
    if path[0] == "services" and path[2] in _PROBES:
        return Rating(Severity.HIGH, "probe-only-on-one-side",
                      f"a {_PROBES[path[2]]} is configured only in {where}: failures are noticed "
                      "(and restarted or taken out of service) in one environment only")
    if path[0] == "kubernetes" and path[1] in _CONFIG_KINDS:
        return Rating(Severity.HIGH, "config-object-only-on-one-side",
                      f"{path[1]} {path[2]} exists only in {where}: pods that refer to it do not "
                      "start where it is missing")
    return None


def config_data_changed(case: Case) -> Rating | None:
    path = case.path
    if len(path) >= 5 and path[0] == "kubernetes" and path[1] in _CONFIG_KINDS and path[3] == "data":
        if case.kind is DriftKind.CHANGED:
            return Rating(Severity.MEDIUM, "config-data-drift", f"{path[1]} {path[2]} holds a different {path[4]}")
        return Rating(Severity.MEDIUM, "config-data-drift", f"{path[1]} {path[2]} has {path[4]} only in "
                      f"{_only(case.names_with())}")
    return None


#: Settings whose drift changes how a service behaves; other settings rate low.
MEDIUM_KEYS = frozenset({
    "environment", "env", "args", "variables", "ports", "expose", "volumes", "command",
    "entrypoint", "cmd", "user", "healthcheck", "depends_on", "networks", "secrets", "configs",
    "resources", "working_dir", "workdir", "privileged", "read_only", "cap_add", "cap_drop",
    "security_opt", "packages", "build", "shell", "platform", "infrastructure", "restart", "files",
    "readiness", "startup", "volumeMounts", "initContainers", "securityContext",
})


def setting_changed(case: Case) -> Rating:
    medium = any(segment in MEDIUM_KEYS for segment in case.path[:1] + case.path[2:])
    severity = Severity.MEDIUM if medium else Severity.LOW
    if case.kind is DriftKind.CHANGED:
        return Rating(severity, "value-changed", f"{case.path[-1]} differs")
    return Rating(severity, "setting-only-on-one-side", f"{case.path[-1]} is set only in {_only(case.names_with())}")


# --- fleets: the same project or stack on several live engines ---------------------------

_LIVE = "docker://"


def _is_fleet(case: Case) -> bool:
    """Every environment that loaded is a live engine: hosts that should run the same thing."""
    loaded = [env for env in case.environments if not env.failed]
    return len(loaded) >= 2 and all(env.spec.startswith(_LIVE) for env in loaded)


def _hosts(case: Case, present: bool) -> str:
    """The hosts (loaded environments) with, or without, a value here."""
    return _only([
        env.name for env, value in zip(case.environments, case.values, strict=True)
        if not env.failed and (value is not MISSING) == present
    ])


def fleet_drift(case: Case) -> Rating | None:
    """Between hosts of a fleet: a different image (tag or digest), a different replica count, or
    a service missing on a host. Between a file and an engine the other rules speak."""
    path = case.path
    if not _is_fleet(case) or len(path) < 2 or path[0] != "services":
        return None
    if len(path) == 2 and case.kind is not DriftKind.CHANGED:
        return Rating(Severity.CRITICAL, "fleet-service-missing",
                      f"service {path[1]} runs on {_hosts(case, True)} but is missing on {_hosts(case, False)}")
    if path[2:] in (("image", "tag"), ("image", "digest"), ("image", "repository")):
        shown = " vs ".join(str(v) for v in case.present())
        return Rating(Severity.HIGH, "fleet-image-drift",
                      f"hosts run service {path[1]} from different images ({path[-1]}: {shown})")
    if path[2:] in (("deploy", "replicas"), ("deploy", "mode")):
        shown = " vs ".join(str(v) for v in case.present())
        return Rating(Severity.HIGH, "fleet-replica-drift",
                      f"hosts run a different number of {path[1]} replicas ({shown})")
    return None


RULES: tuple[RuleFunction, ...] = (
    fleet_drift,
    different_backing_service,
    service_only_on_one_side,
    unpinned_image,
    image_version_drift,
    named_after_environment,  # after the image rules: an image tagged per environment is another image
    labels,  # before version-drift: an org.opencontainers.image.version label is metadata
    setting_version_drift,
    image_repository_changed,
    variable_only_on_one_side,
    replica_drift,
    resource_drift,
    on_one_side_only,
    config_data_changed,
)


def rate(case: Case) -> Rating:
    """The rating of the first rule that speaks, else the generic setting rule."""
    for rule in RULES:
        rating = rule(case)
        if rating is not None:
            return rating
    return setting_changed(case)
