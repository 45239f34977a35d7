"""A folder spec finds compose files, Dockerfiles, Terraform and .env, and says what it skipped."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from parity_gui.core.tree import Environment, Level
from parity_gui.errors import ParseError, SourceError
from parity_gui.sources.folder import discover, load_folder
from parity_gui.sources.registry import load


@pytest.fixture
def shop(data: Path, tmp_path: Path) -> Path:
    """A copy of the example checkout, so tests can add what git cannot hold (.git, links)."""
    copy = tmp_path / "shop"
    shutil.copytree(data / "folder" / "shop", copy, symlinks=True)
    return copy


def notes(env: Environment) -> list[str]:
    return [str(d) for d in env.diagnostics if d.level is Level.NOTE]


def errors(env: Environment) -> list[str]:
    return [str(d) for d in env.diagnostics if d.level is Level.ERROR]


def test_a_folder_loads_compose_dockerfiles_terraform_and_env_together(shop: Path) -> None:
    env = load_folder(shop, "shop", "dev", "shop")
    assert set(env.tree) == {"project", "services", "volumes", "images", "infrastructure", "variables"}
    assert env.tree["services"]["web"]["environment"]["DEBUG"] == "1"  # the override file
    assert env.tree["variables"] == {"DB_PASSWORD": "dev-password", "LOG_LEVEL": "debug"}
    assert env.tree["infrastructure"]["aws_instance.web"]["instance_type"] == "t3.small"


def test_the_registry_loads_a_folder_spec_through_the_folder_source(shop: Path) -> None:
    env = load(str(shop), "dev")
    assert "images" in env.tree and "infrastructure" in env.tree


def test_loaded_files_are_listed_by_their_names_under_the_folder(shop: Path) -> None:
    env = load_folder(shop, "shop", "dev", "shop")
    assert set(env.sources) == {
        "shop/.env",
        "shop/compose.yaml",
        "shop/compose.override.yaml",
        "shop/Dockerfile",
        "shop/services/worker/Dockerfile",
        "shop/infra/main.tf",
        "shop/infra/terraform.tfvars",
    }


def test_dockerfiles_in_sub_folders_are_keyed_by_their_relative_path(shop: Path) -> None:
    env = load_folder(shop, "shop", "dev", "shop")
    assert set(env.tree["images"]) == {
        "dockerfile:base",
        "dockerfile",  # the image the file builds: its final stage, production
        "services/worker/dockerfile",
    }


def test_what_was_skipped_is_listed_with_the_reason(shop: Path) -> None:
    env = load_folder(shop, "shop", "dev", "shop")
    assert notes(env) == [
        "shop/node_modules: skipped: dependencies or caches",
        "shop/infra/modules/db: skipped: another Terraform module (reading infra)",
        "shop/infra/prod.tfvars: skipped: a var file for one environment: name it in the spec to use it",
        "shop/.env.production: skipped: an .env file for one environment: name it in the spec to use it",
    ]


def test_git_hidden_folders_and_virtual_environments_are_not_entered(shop: Path) -> None:
    (shop / ".git" / "hooks").mkdir(parents=True)
    (shop / ".git" / "hooks" / "Dockerfile").write_text("FROM alpine\n")
    venv = shop / "env"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "Dockerfile").write_text("FROM alpine\n")
    (shop / "__pycache__").mkdir()
    found = discover(shop)
    assert all(".git" not in p.parts and "env" not in p.parts for p in found.dockerfiles)
    reasons = {p.name: r for p, r in found.skipped}
    assert reasons[".git"] == "hidden folder"
    assert reasons["env"] == "a Python virtual environment"
    assert reasons["__pycache__"] == "dependencies or caches"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_links_to_folders_are_listed_not_followed(shop: Path) -> None:
    (shop / "services" / "worker" / "loop").symlink_to(shop, target_is_directory=True)
    (shop / "mirror").symlink_to(shop / "services", target_is_directory=True)
    found = discover(shop)
    assert len(found.dockerfiles) == len(set(map(os.path.realpath, found.dockerfiles))) == 2
    reasons = {p.name: r for p, r in found.skipped}
    assert reasons["loop"] == reasons["mirror"] == "a link to a folder: not followed (name it in the spec to read it)"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_to_a_regular_file_is_read_like_the_file(shop: Path) -> None:
    (shop / "shared").mkdir()
    (shop / "shared" / "base.dockerfile").write_text("FROM alpine:3.20\n")
    (shop / "services" / "base.dockerfile").symlink_to(shop / "shared" / "base.dockerfile")
    found = discover(shop)
    assert shop / "services" / "base.dockerfile" in found.dockerfiles


def test_a_file_that_fails_to_load_is_an_error_and_the_rest_loads(shop: Path) -> None:
    (shop / "services" / "worker" / "Dockerfile").write_text("FROM python:3.12\nRUNN celery\n")
    env = load_folder(shop, "shop", "dev", "shop")
    assert errors(env) == ["shop/services/worker/Dockerfile:2: unknown instruction RUNN"]
    assert set(env.tree["images"]) == {"base", "Dockerfile"}
    assert "services" in env.tree


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(
    shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARITY_MAX_FILE_BYTES", "400")
    (shop / "Dockerfile").write_text("FROM alpine\n" + "# padding\n" * 100)
    env = load_folder(shop, "shop", "dev", "shop")
    assert any("shop/Dockerfile" in e and "over the 400 bytes limit" in e for e in errors(env))
    (worker,) = env.tree["images"].values()
    assert worker["cmd"] == ["celery", "-A", "shop", "worker"]


def test_an_empty_folder_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="nothing parity reads in this folder"):
        load_folder(tmp_path, "empty", "e", "empty")


def test_when_nothing_loads_the_first_error_is_raised(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("RUN echo no base\n")
    with pytest.raises(ParseError, match="no FROM instruction") as caught:
        load_folder(tmp_path, "app", "e", "app")
    assert caught.value.file == "app/Dockerfile"


def test_the_shallowest_terraform_folder_is_the_root_module(tmp_path: Path) -> None:
    for folder in ("b/deep", "a", "c"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "main.tf").write_text(f'locals {{\n  where = "{folder}"\n}}\n')
    env = load_folder(tmp_path, "repo", "e", "repo")
    assert env.tree["infrastructure"]["locals"] == {"where": "a"}
