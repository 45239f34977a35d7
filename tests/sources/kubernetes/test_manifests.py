"""Plain manifests: multi-document files, ``List`` kinds, names keyed by stem, the namespace a
field, Secrets decoded and masked. Follows the Kubernetes API conventions ("Objects": metadata
name, generateName, namespace) and the Secret reference (data is base64, stringData merged over
it on write)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from parity_gui.core.secrets import Masking, is_secret_path, mask_value
from parity_gui.core.tree import Environment
from parity_gui.errors import ParseError, SourceError
from parity_gui.sources.kubernetes.sniff import is_kubernetes_file
from parity_gui.sources.registry import kind_of, load_local
from tests.sources.kubernetes.conftest import SHOP, drift_of

PLAIN = SHOP.parent / "plain"


@pytest.fixture(scope="module")
def production() -> Environment:
    return load_local("production.yaml", "production", PLAIN)


@pytest.fixture(scope="module")
def staging() -> Environment:
    return load_local("staging.yaml", "staging", PLAIN)


def test_every_document_and_list_item_is_an_object_keyed_by_kind_and_name(production: Environment) -> None:
    kinds = {kind: sorted(objects) for kind, objects in production.tree["kubernetes"].items()}
    assert kinds == {
        "Namespace": ["(namespace)"], "ConfigMap": ["billing-config"], "Secret": ["billing-secrets"],
        "Deployment": ["billing"], "Service": ["billing"], "CronJob": ["invoices"], "Job": ["reindex"],
        "DaemonSet": ["node-agent"],
    }


def test_the_namespace_is_a_field_and_never_counted(production: Environment, staging: Environment) -> None:
    assert production.get(("kubernetes", "Deployment", "billing", "namespace")) == "billing-prod"
    assert staging.get(("kubernetes", "Deployment", "billing", "namespace")) == "billing-staging"
    assert not [p for p in drift_of(staging, production) if p.endswith("/namespace")]


def test_generated_names_keep_the_full_name_as_raw_text(production: Environment) -> None:
    path = ("kubernetes", "ConfigMap", "billing-config", "name")
    assert production.get(path) == "billing-config"
    assert production.raw[path] == "billing-config-7h2k9"
    assert production.get(("kubernetes", "Job", "reindex", "name")) == "reindex"


def test_values_point_at_their_line_and_column(production: Environment) -> None:
    origin = production.origin(("kubernetes", "ConfigMap", "billing-config", "data", "CURRENCY"))
    assert (origin.file, origin.line, origin.column) == ("production.yaml", 14, 13)


def test_lists_with_identity_become_maps(production: Environment) -> None:
    pod = production.get(("kubernetes", "Deployment", "billing", "spec", "template", "spec"))
    assert list(pod["initContainers"]) == ["migrate"]
    assert pod["initContainers"]["migrate"]["image"] == "ghcr.io/acme/billing:3.2.0"
    assert list(production.get(("kubernetes", "Service", "billing", "spec", "ports"))) == ["80/TCP"]


def test_what_the_cluster_or_kubectl_adds_is_not_compared(production: Environment) -> None:
    deployment = production.get(("kubernetes", "Deployment", "billing"))
    assert "metadata" not in deployment  # only the last-applied annotation was there
    assert "status" not in deployment


def test_secret_data_is_decoded_merged_with_string_data_and_always_masked(production: Environment) -> None:
    data = production.get(("kubernetes", "Secret", "billing-secrets", "data"))
    assert data == {"STRIPE_KEY": "sk_live_51abcdefGHIJklmn", "username": "billing"}
    path = ("kubernetes", "Secret", "billing-secrets", "data", "username")
    assert is_secret_path(path)
    masking = Masking.of([production])
    shown = mask_value(path, "billing", masking)
    assert "billing" not in shown
    assert shown == mask_value(path, "billing", masking)  # equal secrets, equal tags


def test_equal_secrets_written_as_data_and_as_string_data_compare_equal(tmp_path: Path) -> None:
    head = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
    (tmp_path / "a.yaml").write_text(head + "data:\n  password: aHVudGVyMg==\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(head + "stringData:\n  password: hunter2\n", encoding="utf-8")
    a, b = load_local("a.yaml", "a", tmp_path), load_local("b.yaml", "b", tmp_path)
    assert drift_of(a, b) == {}


def test_manifests_are_told_from_compose_files_by_content(tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text("# web\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n", encoding="utf-8")
    compose = tmp_path / "web.yml"
    compose.write_text("services:\n  web:\n    image: nginx\n    labels: {kind: web}\n", encoding="utf-8")
    assert kind_of(manifest).name == "kubernetes"
    assert kind_of(compose).name == "compose"
    assert kind_of(tmp_path / "kustomization.yaml").name == "kubernetes"


def test_a_document_that_is_not_an_object_is_an_error_naming_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nfoo: bar\n", encoding="utf-8")
    with pytest.raises(ParseError, match="needs apiVersion and kind") as caught:
        load_local("bad.yaml", "bad", tmp_path)
    assert (caught.value.file, caught.value.line) == ("bad.yaml", 5)


def test_bad_yaml_is_one_error_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [a\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_local("bad.yaml", "bad", tmp_path)
    assert caught.value.file == "bad.yaml" and caught.value.line is not None


def test_an_alias_bomb_across_documents_is_stopped(tmp_path: Path) -> None:
    bomb = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: a}", "data:",
            "  a: &a [x, x, x, x, x, x, x, x, x, x]"]
    bomb += [f"  {chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
             f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    (tmp_path / "bomb.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(SourceError, match="alias"):
        load_local("bomb.yaml", "bomb", tmp_path)
    assert time.perf_counter() - started < 2


def test_sniffing_a_long_line_is_linear(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text("apiVersion:" + " " * 200_000 + "\nkind" * 40_000, encoding="utf-8")
    started = time.perf_counter()
    assert not is_kubernetes_file(path)
    assert time.perf_counter() - started < 0.5


def test_a_variable_read_from_a_secret_is_masked_whatever_its_name(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {user: shop}\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: web\n          image: nginx\n          env:\n"
        "            - name: DB_USER\n              valueFrom: {secretKeyRef: {name: db, key: user}}\n"
        "            - {name: MODE, value: plain}\n", encoding="utf-8")
    env = load_local("app.yaml", "app", tmp_path)
    masking = Masking.of([env])
    assert env.get(("services", "web", "environment", "DB_USER")) == "shop"
    assert "shop" not in mask_value(("services", "web", "environment", "DB_USER"), "shop", masking)
    assert mask_value(("services", "web", "environment", "MODE"), "plain", masking) == "plain"
