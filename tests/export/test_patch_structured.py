"""Fix patches for YAML, JSON, TOML, INI and .properties files: values replaced where they are
written, every other byte kept, and checked by applying the patch to a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parity_gui.export.patch.model import Unfixable
from parity_gui.export.patch.structured import write_properties, write_toml, write_yaml
from parity_gui.sources.yamlfile import Scalar
from tests.export.patching import apply, git, patched, unexpected

STRUCTURED = Path(__file__).resolve().parent.parent / "data" / "structured"


def repository(tmp_path: Path, name: str, edits: list[tuple[bytes, bytes]]) -> tuple[Path, bytes]:
    """A git repository with ``prod/NAME`` (the reference) and ``staging/NAME``, the same file
    with ``edits`` made; and the reference's bytes."""
    folder = tmp_path / "repo"
    (folder / "prod").mkdir(parents=True)
    (folder / "staging").mkdir()
    reference = (STRUCTURED / name).read_bytes()
    staging = reference
    for old, new in edits:
        assert old in staging, old
        staging = staging.replace(old, new, 1)
    (folder / "prod" / name).write_bytes(reference)
    (folder / "staging" / name).write_bytes(staging)
    git(folder, "init", "-q", ".")
    return folder, reference


def fix(tmp_path: Path, name: str, edits: list[tuple[bytes, bytes]], **options: object) -> tuple[Path, bytes]:
    """Patch staging to match prod, apply it with git; the folder and the reference bytes."""
    folder, reference = repository(tmp_path, name, edits)
    patch = patched(folder, f"prod/{name}", f"staging/{name}", **options)
    assert patch.checked
    apply(folder, patch)
    return folder, reference


@pytest.mark.parametrize(("name", "edits"), [
    ("values-production.yaml", [  # comments, an anchor and a merge key, quoted and plain values
        (b"replicaCount: 3", b"replicaCount: 1"), (b'tag: "1.4.2"', b'tag: "1.4.1-rc1"'),
        (b"value: warn", b"value: debug"), (b"memory: 1Gi", b"memory: 256Mi"), (b"enabled: true", b"enabled: false")]),
    ("appsettings.Production.json", [  # comments and trailing commas
        (b'"Default": "Warning"', b'"Default": "Information"'), (b'"Retries": 5', b'"Retries": 3'),
        (b"https://0.0.0.0:8443", b"https://0.0.0.0:9443"), (b'"Tracing": null', b'"Tracing": "otlp"')]),
    ("config.production.toml", [  # tables, dotted keys, arrays of tables, a literal string, a date
        (b"port = 8080", b"port = 8000"), (b"db.internal:5432", b"db.staging:5432"),
        (b"timeout = 2.0", b"timeout = 3.5"), (b"2024-03-01T10:00:00Z", b"2024-02-01T00:00:00Z"),
        (b"size = 20", b"size = 5")]),
    ("uwsgi.ini", [(b"processes = 8", b"processes = 2"), (b"86400", b"3600")]),  # CRLF line endings
])
def test_values_are_replaced_in_place_and_every_other_byte_is_kept(
    tmp_path: Path, name: str, edits: list[tuple[bytes, bytes]]
) -> None:
    folder, reference = fix(tmp_path, name, edits)
    assert (folder / "staging" / name).read_bytes() == reference
    assert unexpected(folder, f"prod/{name}", f"staging/{name}") == []


def test_a_yaml_list_is_not_fixed_and_the_patch_says_why(tmp_path: Path) -> None:
    name = "values-production.yaml"
    hosts = (b"hosts: [shop.example.com, www.shop.example.com]", b"hosts: [staging.example.com]")
    folder, _ = repository(tmp_path, name, [hosts, (b"replicaCount: 3", b"replicaCount: 1")])
    patch = patched(folder, f"prod/{name}", f"staging/{name}")
    assert [d.pointer for d in patch.fixed] == ["/files/yaml/replicaCount"]
    assert [str(n) for n in patch.not_fixed] == [
        "/files/yaml/ingress/hosts: this is a list or a mapping, not one value; edit it by hand"]


def test_a_multi_line_toml_string_becomes_one_basic_string(tmp_path: Path) -> None:
    name = "config.production.toml"
    folder, reference = fix(tmp_path, name, [(b"Be nice.", b"Be kind.")])
    assert (folder / "staging" / name).read_bytes() == reference.replace(
        b'"""\nWelcome to shop.\nBe nice."""', b'"Welcome to shop.\\nBe nice."')
    assert unexpected(folder, f"prod/{name}", f"staging/{name}") == []


def test_properties_values_are_replaced_with_their_escapes(tmp_path: Path) -> None:
    name = "application-prod.properties"
    edits = [(b"server.port 8080", b"server.port 9090"), (b"C:\\\\shop", b"D:\\\\shop"),
             (b"root=WARN", b"root=DEBUG"), (b"s3cr3t-Prod", b"s3cr3t-Staging")]
    folder, reference = fix(tmp_path, name, edits, reveal_secrets=True)
    assert (folder / "staging" / name).read_bytes() == reference


def test_a_secret_in_a_properties_file_becomes_a_placeholder(tmp_path: Path) -> None:
    name = "application-prod.properties"
    folder, _ = repository(tmp_path, name, [(b"s3cr3t-Prod", b"s3cr3t-Staging")])
    patch = patched(folder, f"prod/{name}", f"staging/{name}")
    assert b"s3cr3t-Prod" not in patch.text
    assert b"+spring.datasource.password: CHANGE-ME-secret-spring.datasource.password" in patch.text


def test_a_key_only_one_side_has_is_not_fixed(tmp_path: Path) -> None:
    name = "uwsgi.ini"
    folder, _ = repository(tmp_path, name, [(b"master = true\r\n", b"")])
    patch = patched(folder, f"prod/{name}", f"staging/{name}")
    assert [str(n) for n in patch.not_fixed] == [
        "/files/ini/uwsgi/master: parity edits values already written in structured files; add this by hand"]


def scalar(raw: str, *, quoted: bool = False) -> Scalar:
    return Scalar(raw, raw, 1, 1, 0, len(raw), None, quoted)


@pytest.mark.parametrize(("old", "new", "written"), [
    ("debug", "info", "info"),
    ("debug", "true", '"true"'),  # plain true would read back as a boolean
    ("debug", "8080", '"8080"'),
    ("debug", "a: b", '"a: b"'),
    ("debug", "- item", '"- item"'),
    ("'debug'", "it's", "'it''s'"),
    ('"debug"', "info", '"info"'),
    ("3", 5, "5"),
    ("on", False, "false"),
    ("x", None, "null"),
    ("1.0", float("inf"), ".inf"),
])
def test_yaml_values_keep_their_style_when_they_can(old: str, new: object, written: str) -> None:
    assert write_yaml(new, scalar(old, quoted=old[:1] in "'\"")) == written  # type: ignore[arg-type]


def test_a_yaml_block_scalar_is_left_to_the_user() -> None:
    with pytest.raises(Unfixable, match="block scalar"):
        write_yaml("x", scalar("|\n  text\n"))


def test_toml_and_properties_writers() -> None:
    assert write_toml("it's", scalar("'old'", quoted=True)) == '"it\'s"'
    assert write_toml("new", scalar("'old'", quoted=True)) == "'new'"
    with pytest.raises(Unfixable, match="no null"):
        write_toml(None, scalar("1"))
    assert write_properties(" lead\\tab\tnew\nline", scalar("x")) == "\\ lead\\\\tab\\tnew\\nline"


def test_the_target_file_only_changes_where_the_patch_says(tmp_path: Path) -> None:
    name = "values-production.yaml"
    folder, _ = repository(tmp_path, name, [(b"replicaCount: 3", b"replicaCount: 1")])
    before = (folder / "staging" / name).read_bytes()
    patch = patched(folder, f"prod/{name}", f"staging/{name}")
    assert (folder / "staging" / name).read_bytes() == before  # making a patch writes nothing
    assert patch.text.count(b"\n-replicaCount: 1\n+replicaCount: 3\n") == 1
    shutil.rmtree(folder)
