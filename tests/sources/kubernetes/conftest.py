"""What the Kubernetes tests share: the shop project (a base, three overlays, a Flux
HelmRelease patched per environment, and the compose file developers run locally)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parity_gui.core.tree import Environment
from parity_gui.engine import compare
from parity_gui.sources.registry import load_local

SHOP = Path(__file__).resolve().parents[2] / "data" / "kubernetes" / "shop"
OVERLAYS = SHOP / "k8s" / "overlays"


def load(spec: str, name: str | None = None, base: Path = SHOP) -> Environment:
    """Load ``spec`` (relative to ``base``) in this process, as a worker would."""
    return load_local(spec, name or Path(spec.split("+", maxsplit=1)[0]).name, base)


def drift_of(*environments: Environment) -> dict[str, tuple[str, str, tuple[Any, ...]]]:
    """Counted drift by pointer: (severity, rule, values)."""
    comparison = compare(*environments)
    return {d.pointer: (d.severity.value, d.rule, d.values) for d in comparison.drifts}
