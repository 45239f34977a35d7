"""Build step that ships parity's own files inside the package.

The icons, stylesheets and example environments live in ``resources/`` at the top of the
repository, where a checkout uses them directly. Wheels carry the same tree as package data
under ``parity_gui/resources``, which is where ``parity_gui.app.resources`` looks first. An
editable install copies nothing: it runs from the checkout and finds ``resources/`` there.
Everything else about the build is declared in ``pyproject.toml``.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path("resources")
PACKAGED_AS = ("parity_gui", "resources")
SKIPPED_NAMES = {"__pycache__", ".DS_Store", ".git"}
SKIPPED_SUFFIXES = {".pyc", ".pyo", ".swp", ".orig", ".rej"}


def resource_files() -> list[Path]:
    """Every file under ``resources/`` worth shipping.

    Dot files are kept (an example compose project needs its ``.env``); byte code, editor
    swap and backup files are not.
    """
    return sorted(path for path in RESOURCES.rglob("*") if path.is_file() and _worth_shipping(path))


def _worth_shipping(path: Path) -> bool:
    parts = path.relative_to(RESOURCES).parts
    return not (
        any(part in SKIPPED_NAMES for part in parts)
        or path.suffix in SKIPPED_SUFFIXES
        or path.name.endswith("~")
    )


class BuildWithResources(build_py):
    """``build_py`` that also copies ``resources/`` to ``parity_gui/resources`` in the build."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for source, target in self._resource_targets():
            self.mkpath(str(target.parent))
            self.copy_file(str(source), str(target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if self.editable_mode:
            return outputs
        return outputs + [str(target) for _, target in self._resource_targets()]

    def _resource_targets(self) -> list[tuple[Path, Path]]:
        destination = Path(self.build_lib, *PACKAGED_AS)
        return [(path, destination / path.relative_to(RESOURCES)) for path in resource_files()]


setup(cmdclass={"build_py": BuildWithResources})
