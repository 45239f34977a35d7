"""Fix patches for Kubernetes targets: values in plain manifests written in place; a kustomize
overlay's own ``images:`` (newTag, digest) and ``replicas:`` (count) entries changed or added,
following the kustomize reference for those fields; everything else listed as not fixable."""

from __future__ import annotations

from pathlib import Path

from parity_gui.export.patch.kubernetes import quantity
from tests.export.patching import apply, patched, project, unexpected

KUBERNETES = Path(__file__).resolve().parents[1] / "data" / "kubernetes"


def test_an_overlay_takes_the_image_tag_and_replicas_of_another(tmp_path: Path) -> None:
    shop = project(KUBERNETES / "shop", tmp_path / "shop")
    patch = patched(shop, "k8s/overlays/production", "k8s/overlays/staging")
    assert {d.pointer for d in patch.fixed} == {
        "/services/backend/image/tag", "/services/worker/image/tag", "/services/backend/deploy/replicas"}
    assert [c.path for c in patch.files] == ["k8s/overlays/staging/kustomization.yaml"]  # never the base
    reasons = {n.drift.pointer: n.reason for n in patch.not_fixed}
    assert "it comes from k8s/base/backend.yaml" in reasons["/services/backend/deploy/resources/limits/memory"]
    apply(shop, patch)
    text = (shop / "k8s/overlays/staging/kustomization.yaml").read_text(encoding="utf-8")
    assert '  newTag: "1.4.3"\n' in text and "  count: 3\n" in text
    left = set(unexpected(shop, "k8s/overlays/production", "k8s/overlays/staging"))
    assert not left & {"/services/backend/image/tag", "/services/backend/deploy/replicas"}


def test_a_missing_replicas_entry_is_added(tmp_path: Path) -> None:
    shop = project(KUBERNETES / "shop", tmp_path / "shop")
    patch = patched(shop, "k8s/overlays/staging", "k8s/overlays/dev", only=["/services/backend/deploy/replicas",
                                                                             "/services/backend/image/tag"])
    assert {d.pointer for d in patch.fixed} == {"/services/backend/image/tag", "/services/backend/deploy/replicas"}
    apply(shop, patch)
    text = (shop / "k8s/overlays/dev/kustomization.yaml").read_text(encoding="utf-8")
    assert text.endswith("replicas:\n- name: backend\n  count: 2\n")
    assert "    newTag: 1.4.3-rc.1\n" in text


def test_values_in_plain_manifests_are_written_in_place(tmp_path: Path) -> None:
    plain = project(KUBERNETES / "plain", tmp_path / "plain")
    patch = patched(plain, "production.yaml", "staging.yaml")
    assert patch.checked
    assert {d.pointer for d in patch.fixed} >= {
        "/kubernetes/ConfigMap/billing-config/data/CURRENCY", "/services/billing~1api/deploy/replicas",
        "/services/billing~1api/deploy/resources/limits/memory", "/services/node-agent/image/tag"}
    assert [(n.drift.pointer, n.reason) for n in patch.not_fixed] == [
        ("/services/billing~1api/readiness",
         "adding or removing settings in a manifest is left to you: write it by hand")]
    apply(plain, patch)
    after = (plain / "staging.yaml").read_bytes()
    assert b"limits: {cpu: \"2\", memory: 1Gi}\r\n" in after  # units, quoting and CRLF kept
    assert unexpected(plain, "production.yaml", "staging.yaml") == ["/services/billing~1api/readiness"]


def test_amounts_are_written_in_kubernetes_units() -> None:
    assert quantity("memory", 1 << 30) == "1Gi"
    assert quantity("memory", 768 << 20) == "768Mi"
    assert quantity("memory", 1000) == "1000"
    assert quantity("cpus", 2) == "2"
    assert quantity("cpus", 0.25) == "250m"
