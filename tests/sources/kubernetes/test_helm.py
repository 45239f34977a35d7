"""Helm release values inline in Flux HelmRelease (helm.toolkit.fluxcd.io/v2: spec.values,
spec.chart.spec) and Argo CD Application (argoproj.io/v1alpha1: spec.source(s).helm.values as
YAML text, helm.valuesObject, helm.releaseName) objects compare as the values of the release."""

from __future__ import annotations

from parity_gui.core.tree import Environment
from parity_gui.sources.registry import load_local
from tests.sources.kubernetes.conftest import SHOP, drift_of, load

ARGO = SHOP.parent / "argo"


def argo(name: str) -> Environment:
    return load_local(f"{name}.yaml", name, ARGO)


def test_flux_values_patched_per_environment_are_the_release_values() -> None:
    dev = load("k8s/overlays/dev")
    assert dev.get(("helm", "redis")) == {
        "chart": "redis", "version": "18.19.2",
        "values": {"architecture": "standalone", "auth": {"enabled": False},
                   "master": {"persistence": {"size": "1Gi"}}},
    }
    assert "values" not in dev.get(("kubernetes", "HelmRelease", "redis", "spec"))


def test_argo_values_text_and_values_object_compare_as_release_values() -> None:
    staging, production = argo("staging"), argo("production")
    assert staging.get(("helm", "redis", "values", "master", "persistence", "size")) == "8Gi"
    found = drift_of(staging, production)
    assert set(found) == {
        "/helm/redis/values/architecture",
        "/helm/redis/values/master/persistence/size",
        "/helm/ingress/version",
        "/helm/ingress/values/controller/replicaCount",
    }
    assert found["/helm/ingress/version"][1] == "version-drift"


def test_values_from_text_point_at_the_values_key() -> None:
    origin = argo("staging").origin(("helm", "redis", "values", "architecture"))
    assert (origin.file, origin.line) == ("staging.yaml", 16)
