"""``parity show ENV``: load one environment and show what parity understood of it.

ENV is a spec (a file, ``a+b``, a folder, ``docker://…``) or, inside a repository with a
``.parity.toml``, the name of one of its environments (names win over paths, as in
``parity compare``).
"""

from __future__ import annotations

from pathlib import Path

from parity_gui.app import project as projects
from parity_gui.app.compare import display_path, load_environment
from parity_gui.core.tree import Environment
from parity_gui.export import show as view


def load_one_environment(argument: str, *, cwd: Path | None = None, project_file: Path | None = None) -> Environment:
    """The environment ``argument`` names: a project environment when a project file names it,
    else a spec read relative to ``cwd``."""
    cwd = cwd or Path.cwd()
    path = project_file or projects.find_project(cwd)
    if path is not None:
        project = projects.read_project(path, display_path(path, cwd))
        if project.named(argument):
            return projects.load_environment(project, argument)
    return load_environment(argument, base=cwd)


def show(
    argument: str, fmt: str = "text", *, reveal_secrets: bool = False, cwd: Path | None = None,
    project_file: Path | None = None,
) -> tuple[Environment, str]:
    """The environment ``parity show ARGUMENT --format FMT`` reads, and what it prints."""
    env = load_one_environment(argument, cwd=cwd, project_file=project_file)
    return env, view.render(env, fmt, reveal_secrets=reveal_secrets)
