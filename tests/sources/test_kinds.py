"""Which kind reads a file: by ``KIND:`` prefix, by name, by content; and never a silent read."""

from __future__ import annotations

import contextlib
import importlib.util
from pathlib import Path

import pytest

from parity_gui.core.tree import Level
from parity_gui.errors import SourceError
from parity_gui.sources import registry
from parity_gui.sources.registry import FILE_KINDS, SpecFile, choose_kind, load_local, parse_file

STRUCTURED = Path(__file__).resolve().parent.parent / "data" / "structured"
KUBERNETES = "kubernetes" if importlib.util.find_spec("parity_gui.sources.kubernetes") else "yaml"


def kind(path: Path, forced: str | None = None) -> str:
    return choose_kind(SpecFile(path, path.name, kind=forced)).kind.name


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    return path


@pytest.mark.parametrize(("name", "expected"), [
    ("Dockerfile", "dockerfile"), ("Dockerfile.prod", "dockerfile"), ("api.Dockerfile", "dockerfile"),
    ("Containerfile", "dockerfile"), ("main.tf", "terraform"), ("prod.tfvars", "terraform"),
    ("root.hcl", "terraform"), ("terragrunt.hcl", "terraform"), ("env.hcl", "terraform"),
    (".env", "dotenv"), (".env.production", "dotenv"), ("app.env", "dotenv"),
    ("appsettings.Production.json", "json"), ("config.production.toml", "toml"), ("uwsgi.ini", "ini"),
    ("setup.cfg", "ini"), ("application-prod.properties", "properties"),
])
def test_kinds_by_name(tmp_path: Path, name: str, expected: str) -> None:
    assert kind(write(tmp_path, name, "")) == expected


def test_yaml_by_name_is_refined_by_content(tmp_path: Path) -> None:
    assert kind(write(tmp_path, "docker-compose.prod.yml", "services:\n  web:\n    image: nginx\n")) == "compose"
    assert kind(write(tmp_path, "stack.yml", "# a compose file by content\nservices:\n  web: {}\n")) == "compose"
    assert kind(write(tmp_path, "extra.yml", "x-net: &net\n  driver: bridge\nnetworks:\n  back: *net\n")) == "compose"
    assert kind(write(tmp_path, "chart.yml", "name: shop\nversion: 1.4.2\n")) == "yaml"
    assert kind(STRUCTURED / "values-production.yaml") == "yaml"  # Helm values: generic
    assert kind(write(tmp_path, "values.staging.yaml", "services:\n  api:\n    replicas: 2\n")) == "yaml"
    assert kind(STRUCTURED / "manifests.yaml") == KUBERNETES


def test_a_compose_named_file_without_compose_keys_is_not_compose(tmp_path: Path) -> None:
    # compose-spec 01-status.md: the top-level elements are version, name, include, services,
    # networks, volumes, configs, secrets and x-* extensions; a file with none of them is not compose
    path = write(tmp_path, "compose.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n")
    choice = choose_kind(SpecFile(path, "compose.yaml"))
    assert choice.kind.name == KUBERNETES
    assert choice.note is not None and "none of its top-level keys (apiVersion, kind, metadata)" in choice.note
    only_extensions = write(tmp_path, "docker-compose.yml", "x-common: &common\n  restart: always\n")
    assert kind(only_extensions) == "compose"  # nothing to judge by: the name stands


@pytest.mark.parametrize(("content", "expected"), [
    ("# syntax=docker/dockerfile:1\nFROM python:3.12\n", "dockerfile"),
    ("ARG BASE=python:3.12-slim\nFROM ${BASE}\n", "dockerfile"),
    ("\n# builder\nfrom alpine AS build\n", "dockerfile"),
    ("DJANGO_DEBUG=False\n# comment\nexport DJANGO_SECRET_KEY=abc\n", "dotenv"),
    ('{\n  "level": "info"\n}\n', "json"),
    ('[server]\nport = 8080\nname = "x"\n', "toml"),
    ("[uwsgi]\nmodule = app:app\n", "ini"),
    ("apiVersion: v1\nkind: Secret\n", KUBERNETES),
    ("services:\n  web:\n    image: nginx\n", "compose"),
    ("level: info\nlisten: 8080\n", "yaml"),
])
def test_kinds_by_content_where_the_name_says_nothing(tmp_path: Path, content: str, expected: str) -> None:
    choice = choose_kind(SpecFile(write(tmp_path, ".envs/.production/.django", content), "django"))
    assert choice.kind.name == expected
    assert choice.note == f"read as {expected}: its name says nothing, its content looks so"


def test_a_file_nothing_claims_is_refused_with_the_kinds_and_the_prefix(tmp_path: Path) -> None:
    path = write(tmp_path, "notes", "just some words\nand more\n")
    with pytest.raises(SourceError, match=r"name its kind as KIND:notes \(kinds: dockerfile, terraform"):
        kind(path)


def test_a_kind_prefix_forces_the_kind(tmp_path: Path) -> None:
    write(tmp_path, ".envs/.production/.django", "DJANGO_DEBUG=False\n")
    spec_file = parse_file("dotenv:.envs/.production/.django", tmp_path)
    assert (spec_file.kind, spec_file.display) == ("dotenv", ".envs/.production/.django")
    env = load_local("dotenv:.envs/.production/.django", "prod", tmp_path)
    assert env.tree["variables"] == {"DJANGO_DEBUG": "False"}
    write(tmp_path, "settings.conf", "level: info\n")
    assert load_local("yaml:settings.conf", "prod", tmp_path).tree["files"]["yaml"] == {"level": "info"}


def test_a_colon_in_an_existing_file_name_is_not_a_prefix(tmp_path: Path) -> None:
    write(tmp_path, "json:odd.json", '{"a": 1}')
    assert parse_file("json:odd.json", tmp_path).kind is None
    assert parse_file("C:/configs/app.json", tmp_path).kind is None  # a drive letter


def test_an_unknown_kind_is_an_error_listing_the_kinds(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"unknown kind 'yml'; the kinds are: dockerfile, .*yaml"):
        parse_file("yml:values.yaml", tmp_path)


def test_compose_forced_on_a_file_that_is_not_compose_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "apiVersion: v1\nkind: ConfigMap\n")
    with pytest.raises(SourceError, match=r"not a compose file: none of its top-level keys .*; name another kind"):
        load_local("compose:a.yaml", "x", tmp_path)


def test_a_file_whose_content_its_kind_skips_is_refused_not_read_as_empty(tmp_path: Path) -> None:
    write(tmp_path, "settings", "level: info\nlisten: 8080\n")
    with pytest.raises(SourceError, match="read as dotenv, but nothing in it is something dotenv reads"):
        load_local("dotenv:settings", "x", tmp_path)


def test_an_empty_file_is_still_an_empty_environment(tmp_path: Path) -> None:
    write(tmp_path, "empty.yaml", "# nothing yet\n")
    env = load_local("empty.yaml", "x", tmp_path)
    assert env.tree == {"files": {"yaml": None}}
    assert [d.message for d in env.diagnostics if d.level is Level.WARNING] == ["no values in this YAML file"]


def test_every_kind_is_one_row_with_a_loader_and_rules() -> None:
    for row in FILE_KINDS:
        assert ":" in row.loader and (row.patterns or row.sniffer)
    names = [k.name for k in registry.kinds()]
    assert names[:4] == ["dockerfile", "terraform", "dotenv", "compose"]
    assert {"json", "toml", "ini", "properties", "yaml"} <= set(names)
    assert ("kubernetes" in names) == (KUBERNETES == "kubernetes")


def test_content_sniffing_is_linear_on_adversarial_text(tmp_path: Path) -> None:
    import time

    for content in ("a" * 200_000 + ":x", " " * 200_000, "[" * 200_000, "A=" * 100_000, "#" * 200_000):
        path = write(tmp_path, "odd", content)
        started = time.perf_counter()
        with contextlib.suppress(SourceError):
            kind(path)
        assert time.perf_counter() - started < 2.0


def test_a_terragrunt_root_file_is_read_not_skipped(tmp_path: Path) -> None:
    # Terragrunt's root.hcl convention: the root configuration included by each unit's terragrunt.hcl
    write(tmp_path, "root.hcl", 'remote_state {\n  backend = "s3"\n}\ninputs = {\n  environment = "prod"\n}\n')
    env = load_local("root.hcl", "prod", tmp_path)
    assert env.tree["infrastructure"]["terragrunt.root"]["inputs"] == {"environment": "prod"}
    assert env.origin(("infrastructure", "terragrunt.root", "inputs", "environment")).line == 4  # type: ignore[union-attr]


DJANGO_COMPOSE = """\
services:
  django:
    image: shop/django:1.0
    env_file:
      - ./.envs/.production/.django
      - path: ./.envs/.production/.postgres
        required: false
"""


def test_a_file_compose_names_in_env_file_is_a_dotenv_file(tmp_path: Path) -> None:
    # compose-spec 05-services.md, env_file: short and long syntax (path, required)
    write(tmp_path, "production.yml", DJANGO_COMPOSE)
    write(tmp_path, ".envs/.production/.django", "# Django\nDJANGO_DEBUG=False\nUSE_DOCKER=yes\n")
    write(tmp_path, ".envs/.production/.postgres", "POSTGRES_HOST=postgres\nPOSTGRES_PORT: 5432\n")
    env = load_local("production.yml+.envs/.production/.django+.envs/.production/.postgres", "prod", tmp_path)
    assert env.tree["variables"]["POSTGRES_HOST"] == "postgres"
    assert env.tree["variables"]["DJANGO_DEBUG"] == "False"
    assert "read as dotenv: a compose file names it in env_file" in [d.message for d in env.diagnostics]


def test_the_project_file_finds_env_files_through_its_compose_file(tmp_path: Path) -> None:
    from parity_gui.app.project import load_environment, parse_project

    write(tmp_path, "production.yml", DJANGO_COMPOSE)
    write(tmp_path, ".envs/.production/.django", "DJANGO_DEBUG=False\n")
    write(tmp_path, ".envs/.production/.postgres", "POSTGRES_HOST=postgres\nPOSTGRES_PORT: 5432\n")
    text = '[environments.prod]\nfiles = ["production.yml", ".envs/.production/.postgres"]\n'
    env = load_environment(parse_project(text, tmp_path / ".parity.toml", ".parity.toml"), "prod")
    assert env.tree["variables"] == {"POSTGRES_HOST": "postgres"}  # POSTGRES_PORT: is a warning, not a value
    assert env.tree["services"]["django"]["environment"]["DJANGO_DEBUG"] == "False"


@pytest.mark.timeout(10)
def test_telling_the_kind_of_a_named_pipe_never_waits_for_it(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "settings"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="cannot tell what kind of file this is"):
        kind(fifo)


def test_a_kind_that_does_not_read_the_file_at_all_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "apiVersion: v1\nkind: ConfigMap\n")
    with pytest.raises(SourceError, match="read as terraform, but terraform does not read a file of this name"):
        load_local("terraform:a.yaml", "x", tmp_path)
