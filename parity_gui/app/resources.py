"""Where parity's own files are: icons, stylesheets and the bundled example environments.

In a source checkout they live in ``resources/`` at the top of the repository; an installed
package carries the same tree as package data under ``parity_gui/resources``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    for candidate in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if (candidate / "examples").is_dir():
            return candidate
    return _PACKAGE.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def example_project() -> Path:
    """The bundled example project (the shop): compose files, a Dockerfile, Terraform, ``.env``
    files and the ``.parity.toml`` that names its environments."""
    return resource_path("examples", "shop")


def example_specs() -> list[tuple[str, str]]:
    """The bundled example environments as (name, spec) pairs: what ``make run`` opens.

    The specs are environment names of :func:`example_project`'s ``.parity.toml``, so they are
    loaded relative to that folder, with its expected differences and severities.
    """
    return [("dev", "dev"), ("prod", "prod")]
