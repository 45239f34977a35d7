"""``parity review``: what a change does to each environment, and how it moves the drift between them.

A reviewer of a pull request asks two things, and :func:`review` answers both for the
environments of a ``.parity.toml`` (all of them, or those named):

* **What does the change do to each environment?** Each environment at the base revision is
  compared with the same environment in the work tree (``prod@BASE`` against ``prod``).
* **Does it widen or close the gap between environments?** The environments are compared with
  the baseline among them at the base and again in the work tree, and the drift between them is
  sorted into **new** (only after the change), **resolved** (only before) and **changed** (at
  the same path and of the same kind, with other values or another severity).

The base is ``--base REV``, else the merge base of ``HEAD`` with the repository's default branch
(``origin/HEAD``, else ``main`` or ``master``), else ``HEAD`` itself — so on a branch the review
covers the branch's commits and what is not committed yet. The review fails (exit 1) when the
change adds drift between environments that is neither expected (``.parity.toml``) nor known
(``--baseline REPORT.json``); drift that only changed or was resolved never fails it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from parity_gui.app import project as projects
from parity_gui.app.compare import compare_environments, display_path
from parity_gui.app.known import Key, mark_known
from parity_gui.core.tree import Environment
from parity_gui.engine.review import EnvironmentChange, Review, moved_drift
from parity_gui.errors import OptionsError
from parity_gui.sources.revision import RevisionChoice, default_base, resolve, revision_choices

__all__ = ["RevisionChoice", "review", "review_project", "revision_choices"]


def review(
    project: projects.Project,
    names: Sequence[str] = (),
    *,
    base: str | None = None,
    known: set[Key] | None = None,
) -> Review:
    """Review the change from ``base`` to the work tree for the environments ``names`` (default:
    all of the project's, its baseline first)."""
    chosen = _chosen(project, names)
    revision = resolve(base or default_base(project.root), project.root)
    before = [_renamed(projects.load_environment(project, f"{n}@{revision.name}"), n) for n in chosen]
    after = [projects.load_environment(project, n) for n in chosen]
    changes = tuple(
        EnvironmentChange(n, compare_environments([_renamed(b, f"{n}@{revision.name}"), a], project.options))
        for n, b, a in zip(chosen, before, after, strict=True)
    )
    if len(chosen) < 2:
        return Review(revision.name, revision.commit, chosen, changes, None, None, ())
    then = compare_environments(before, project.options)
    now = compare_environments(after, project.options)
    if known is not None:
        mark_known(then, known)
        mark_known(now, known)
    return Review(revision.name, revision.commit, chosen, changes, then, now, moved_drift(then, now))


def _chosen(project: projects.Project, names: Sequence[str]) -> tuple[str, ...]:
    for name in names:
        project.environment(name)
    chosen = list(names) or list(project.environments)
    if not chosen:
        raise OptionsError(f"{project.display} names no environments to review")
    if project.baseline in chosen:
        chosen.remove(project.baseline)
        chosen.insert(0, project.baseline)
    return tuple(chosen)


def _renamed(env: Environment, name: str) -> Environment:
    env.name = name
    return env


def review_project(
    names: Sequence[str], *, base: str | None = None, project_file: Path | None = None, cwd: Path | None = None,
    known: set[Key] | None = None,
) -> Review:
    """:func:`review` of the ``.parity.toml`` given, or found from ``cwd`` upwards."""
    cwd = cwd or Path.cwd()
    path = project_file or projects.find_project(cwd)
    if path is None:
        raise OptionsError("parity review compares the environments of a .parity.toml, and none was found here")
    project = projects.read_project(path, display_path(path, cwd))
    return review(project, names, base=base, known=known)
