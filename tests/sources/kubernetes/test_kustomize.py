"""Overlays rendered with the real kustomize (``kubectl kustomize``), never re-implemented.
Follows the kustomize reference: images (newTag), replicas, configMapGenerator with
``behavior: merge``, patches, and ``buildMetadata: [originAnnotations]``."""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
from pathlib import Path

import pytest

from parity_gui.errors import LimitExceeded, SourceError
from parity_gui.sources.kubernetes import kustomize
from parity_gui.sources.registry import load_local
from tests.sources.kubernetes.conftest import OVERLAYS, SHOP, drift_of, load


def test_staging_against_production_shows_what_the_overlays_change() -> None:
    staging, production = load("k8s/overlays/staging"), load("k8s/overlays/production")
    found = {pointer: (severity, rule) for pointer, (severity, rule, _values) in drift_of(staging, production).items()}
    assert found == {
        "/kubernetes/ConfigMap/app-config/data/LOG_LEVEL": ("medium", "config-data-drift"),
        "/services/backend/image/tag": ("medium", "image-version-drift"),
        "/services/backend/command": ("medium", "value-changed"),
        "/services/backend/environment/LOG_LEVEL": ("medium", "value-changed"),
        "/services/backend/deploy/resources/limits/memory": ("medium", "resource-drift"),
        "/services/backend/deploy/replicas": ("medium", "replica-drift"),
        "/services/worker/image/tag": ("medium", "image-version-drift"),
        "/services/worker/environment/LOG_LEVEL": ("medium", "value-changed"),
        "/helm/redis/values/architecture": ("low", "value-changed"),
        "/helm/redis/values/master/persistence/size": ("low", "value-changed"),
        "/helm/redis/values/master/resources": ("medium", "setting-only-on-one-side"),
    }


def test_objects_meet_across_namespaces_and_generated_names() -> None:
    staging, production = load("k8s/overlays/staging"), load("k8s/overlays/production")
    for env, namespace in ((staging, "shop-staging"), (production, "shop-prod")):
        assert env.get(("kubernetes", "Deployment", "backend", "namespace")) == namespace
        assert env.raw[("kubernetes", "ConfigMap", "app-config", "name")].startswith("app-config-")
    # the ConfigMap's hash differs (its data does), its key does not
    assert staging.raw[("kubernetes", "ConfigMap", "app-config", "name")] != production.raw[
        ("kubernetes", "ConfigMap", "app-config", "name")]
    assert list(staging.tree["kubernetes"]["ConfigMap"]) == list(production.tree["kubernetes"]["ConfigMap"])


def test_three_overlays_compare_n_way() -> None:
    dev, staging, production = (load(f"k8s/overlays/{e}") for e in ("dev", "staging", "production"))
    found = drift_of(dev, staging, production)
    assert found["/services/backend/image/tag"][2] == ("main-7c1e2f0", "1.4.3-rc.1", "1.4.3")
    assert found["/services/backend/deploy/replicas"][2] == (1, 2, 3)
    assert found["/helm/redis/values/master/persistence/size"][2] == ("1Gi", "8Gi", "50Gi")


def test_origins_name_the_file_each_object_came_from() -> None:
    production = load("k8s/overlays/production")
    backend = production.origin(("services", "backend", "entrypoint"))
    assert (backend.file, backend.line) == ("k8s/base/backend.yaml", 2)  # after its comment line
    generated = production.origin(("kubernetes", "ConfigMap", "app-config", "data", "LOG_LEVEL"))
    assert generated.file == "k8s/base/kustomization.yaml"
    assert "k8s/base/redis-helmrelease.yaml" in production.sources


def test_what_the_overlay_sets_itself_points_at_the_overlay() -> None:
    production = load("k8s/overlays/production")
    tag = production.origin(("services", "worker", "image", "tag"))
    assert (tag.file, tag.line) == ("k8s/overlays/production/kustomization.yaml", 8)  # images: newTag
    replicas = production.origin(("services", "backend", "deploy", "replicas"))
    assert (replicas.file, replicas.line) == ("k8s/overlays/production/kustomization.yaml", 11)
    assert ("services", "worker", "deploy", "replicas") not in production.origins  # a default, written nowhere


def test_a_folder_or_its_kustomization_file_is_the_same_environment() -> None:
    by_folder = load("k8s/overlays/production")
    by_file = load("k8s/overlays/production/kustomization.yaml", "production")
    assert by_folder.tree == by_file.tree


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_users_files_are_never_written(tmp_path: Path) -> None:
    copy = tmp_path / "shop"
    shutil.copytree(SHOP, copy)
    (copy / ".git").mkdir()  # a checkout: its overlays may use bases anywhere in the repository
    (copy / "k8s" / "overlays" / "production").chmod(0o555)  # nothing may be created there either
    before = _digest(copy)
    try:
        load("k8s/overlays/production", base=copy)
    finally:
        (copy / "k8s" / "overlays" / "production").chmod(0o755)
    assert _digest(copy) == before


def test_a_kustomize_error_is_one_line_naming_the_folder(tmp_path: Path) -> None:
    broken = tmp_path / "overlay"
    broken.mkdir()
    (broken / "kustomization.yaml").write_text("resources:\n  - ../missing-base\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_local("overlay", "broken", tmp_path)
    assert caught.value.file == "overlay"
    assert "\n" not in caught.value.message
    assert caught.value.message.startswith("kustomize failed: ")
    assert "missing-base" in caught.value.message


def test_without_kubectl_or_kustomize_the_error_names_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(SourceError, match=r"needs kubectl \(kubectl kustomize\) or kustomize"):
        load("k8s/overlays/production")


def _program(folder: Path, body: str) -> Path:
    script = folder / "kustomize"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_a_kustomize_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a fault the real tool cannot be made to show on demand: a stand-in that never finishes
    monkeypatch.setenv("PARITY_KUSTOMIZE", str(_program(tmp_path, "exec sleep 30")))
    monkeypatch.setenv("PARITY_KUSTOMIZE_SECONDS", "0.5")
    with pytest.raises(LimitExceeded, match=r"did not finish within 0\.5 s"):
        load("k8s/overlays/production")


def test_output_past_the_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kustomize, "MAX_OUTPUT_BYTES", 1024)
    with pytest.raises(LimitExceeded, match="printed more than"):
        load("k8s/overlays/production")


def test_the_real_tool_is_used() -> None:
    command = kustomize.tool()
    assert Path(command[0]).name in ("kubectl", "kustomize")
    assert OVERLAYS.is_dir()


@pytest.mark.parametrize("adversarial", [
    "accumulating resources: accumulation err='accumulating resources from '" + "'" * 200_000,
    "E1203 09:47:16.4 " + "1" * 200_000 + " run.go:72]",
    "': must build at directory: " * 8_000,
    "x" * 200_000,
])
def test_reading_kustomize_errors_is_linear(adversarial: str) -> None:
    started = time.perf_counter()
    message = kustomize._one_line(adversarial.encode(), "../overlay", "overlay")
    assert time.perf_counter() - started < 0.5
    assert "\n" not in message and len(message) <= 400
