"""The layer rules of DESIGN.md, checked by walking every import in the package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "parity_gui"

#: third-party library → the only package (under parity_gui/) allowed to import it
OWNERS = {"PySide6": ("ui",), "shiboken6": ("ui",), "deepdiff": ("engine",), "docker": ("sources",)}

#: layer → layers it must never import (the direction is ui, cli → app → export, engine, sources → core)
FORBIDDEN = {
    "core": ("sources", "engine", "export", "app", "cli", "ui"),
    "sources": ("engine", "export", "app", "cli", "ui"),
    "engine": ("sources", "export", "app", "cli", "ui"),
    "export": ("app", "cli", "ui"),
    "app": ("cli", "ui"),
    "cli": ("ui",),
}


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def layer_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else "top"


def test_the_package_has_modules_to_check() -> None:
    assert len(modules()) > 10


@pytest.mark.parametrize("library", sorted(OWNERS))
def test_third_party_libraries_are_imported_only_by_their_layer(library: str) -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}"
        for path in modules()
        for line, name in imports_of(path)
        if name.split(".")[0] == library and layer_of(path) not in OWNERS[library]
    ]
    assert offenders == []


def test_layers_import_only_downwards() -> None:
    offenders = []
    for path in modules():
        layer = layer_of(path)
        for line, name in imports_of(path):
            parts = name.split(".")
            if parts[0] == "parity_gui" and len(parts) > 1 and parts[1] in FORBIDDEN.get(layer, ()):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({layer}) imports {name}")
    assert offenders == []


def test_only_the_docker_source_imports_docker() -> None:
    users = {
        path.relative_to(PACKAGE).as_posix()
        for path in modules()
        for _, name in imports_of(path)
        if name.split(".")[0] == "docker"
    }
    assert users <= {"sources/docker/engine.py"}
