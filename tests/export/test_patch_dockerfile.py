"""Fix patches for Dockerfiles: instruction lines edited in place, new ones in the right stage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.export.patching import DATA, apply, patched, project, unexpected


def test_a_dockerfile_patch_applies_and_leaves_no_drift(tmp_path: Path) -> None:
    folder = project(DATA / "dockerfile", tmp_path / "df")
    patch = patched(folder, "reference.Dockerfile", "Dockerfile")
    assert patch.checked and not patch.not_fixed
    apply(folder, patch)
    assert unexpected(folder, "reference.Dockerfile", "Dockerfile") == []


def test_the_build_arg_default_is_changed_where_it_is_defined(tmp_path: Path) -> None:
    folder = project(DATA / "dockerfile", tmp_path / "df")
    apply(folder, patched(folder, "reference.Dockerfile", "Dockerfile", only=["/images/base/base"]))
    text = (folder / "Dockerfile").read_text()
    assert "ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim AS base\n" in text


def test_pairs_keep_their_neighbours_and_continuations(tmp_path: Path) -> None:
    folder = project(DATA / "dockerfile", tmp_path / "df")
    apply(folder, patched(folder, "reference.Dockerfile", "Dockerfile"))
    text = (folder / "Dockerfile").read_text()
    assert 'LABEL org.opencontainers.image.source="https://github.com/acme/shop" team="platform"\n' in text
    assert "ENV LOG_LEVEL=warning \\\n    WORKERS=2\n" in text
    assert 'CMD ["gunicorn", "--workers", "4", "app.wsgi"]\nENV TZ=UTC\n' in text


def test_an_inherited_value_is_set_again_in_the_stage_not_in_its_parent(tmp_path: Path) -> None:
    folder = project(DATA / "dockerfile", tmp_path / "df")
    patch = patched(folder, "reference.Dockerfile", "Dockerfile", only=["/images/Dockerfile/env/PYTHONUNBUFFERED"])
    apply(folder, patch)
    text = (folder / "Dockerfile").read_text()
    assert "ENV APP_HOME=/srv/app PYTHONUNBUFFERED=1\n" in text  # the base stage keeps its value
    assert text.endswith('CMD ["gunicorn", "app.wsgi"]\nENV PYTHONUNBUFFERED=0\n')


def test_an_inherited_value_cannot_be_taken_away_and_the_patch_says_so(tmp_path: Path) -> None:
    folder = project(DATA / "dockerfile", tmp_path / "df")
    reference = (folder / "reference.Dockerfile").read_text()
    (folder / "reference.Dockerfile").write_text(reference.replace(" PYTHONUNBUFFERED=0\n", "\n"))
    patch = patched(folder, "reference.Dockerfile", "Dockerfile", only=["/images/Dockerfile/env/PYTHONUNBUFFERED"])
    assert patch.fixed == () and patch.files == ()
    assert "Docker cannot unset" in patch.not_fixed[0].reason


@pytest.mark.parametrize("newline", ["\r\n"])
def test_a_crlf_dockerfile_keeps_its_line_ends(tmp_path: Path, newline: str) -> None:
    folder = project(DATA / "dockerfile", tmp_path / "df")
    original = (folder / "Dockerfile").read_bytes().replace(b"\n", newline.encode())
    (folder / "Dockerfile").write_bytes(original)
    apply(folder, patched(folder, "reference.Dockerfile", "Dockerfile"))
    after = (folder / "Dockerfile").read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert unexpected(folder, "reference.Dockerfile", "Dockerfile") == []
