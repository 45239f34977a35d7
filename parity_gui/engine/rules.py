"""Severity rules: each one named, so a report can say why a drift matters.

Rules are tried in order; the first that speaks rates the drift. ``.parity.toml`` severity
overrides are applied after the rules by the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parity_gui.core.drift import DriftKind, Rating, Severity
from parity_gui.core.pointer import Path
from parity_gui.core.tree import MISSING, Environment
from parity_gui.engine.images import family, is_unpinned, url_scheme, version_change


@dataclass(frozen=True, slots=True)
class Case:
    """One difference being rated: where, how, and the value in each environment."""

    path: Path
    kind: DriftKind
    values: tuple[Any, ...]
    environments: tuple[Environment, ...]

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
        if len(families) > 1 and families != {None}:
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
        if len(schemes) > 1 and None not in schemes:
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


def unpinned_image(case: Case) -> Rating | None:
    if len(case.path) < 2 or case.path[-1] not in ("tag", "digest") or case.path[-2] not in ("image", "base"):
        return None
    tags = case.sibling("tag")
    digests = case.sibling("digest")
    floating = [
        env.name for env, tag, digest in zip(case.environments, tags, digests, strict=True)
        if tag is not MISSING or digest is not MISSING
        if is_unpinned(None if tag is MISSING else tag, None if digest is MISSING else digest)
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
    if len(case.path) < 2 or case.path[-2] not in ("image", "base") or case.kind is not DriftKind.CHANGED:
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
    if case.kind is not DriftKind.CHANGED or not name.lower().endswith("version"):
        return None
    old, new = case.present()[:2]
    change = version_change(old, new)
    if change is None:
        return None
    severity, words = _TAG_CHANGES[change]
    return Rating(severity, "version-drift", f"{name}: {words}: {old} vs {new}")


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


def labels(case: Case) -> Rating | None:
    if "labels" in case.path[:-1] or case.path[-1] == "labels":
        return Rating(Severity.LOW, "labels", "labels are metadata; they rarely change behaviour")
    return None


#: Settings whose drift changes how a service behaves; other settings rate low.
MEDIUM_KEYS = frozenset({
    "environment", "env", "args", "variables", "ports", "expose", "volumes", "command",
    "entrypoint", "cmd", "user", "healthcheck", "depends_on", "networks", "secrets", "configs",
    "resources", "working_dir", "workdir", "privileged", "read_only", "cap_add", "cap_drop",
    "security_opt", "packages", "build", "shell", "platform", "infrastructure", "restart", "files",
})


def setting_changed(case: Case) -> Rating:
    medium = any(segment in MEDIUM_KEYS for segment in case.path[:1] + case.path[2:])
    severity = Severity.MEDIUM if medium else Severity.LOW
    if case.kind is DriftKind.CHANGED:
        return Rating(severity, "value-changed", f"{case.path[-1]} differs")
    return Rating(severity, "setting-only-on-one-side", f"{case.path[-1]} is set only in {_only(case.names_with())}")


RULES: tuple[RuleFunction, ...] = (
    different_backing_service,
    service_only_on_one_side,
    unpinned_image,
    image_version_drift,
    setting_version_drift,
    image_repository_changed,
    variable_only_on_one_side,
    labels,
)


def rate(case: Case) -> Rating:
    """The rating of the first rule that speaks, else the generic setting rule."""
    for rule in RULES:
        rating = rule(case)
        if rating is not None:
            return rating
    return setting_changed(case)
