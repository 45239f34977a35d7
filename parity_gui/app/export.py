"""Exports both front ends offer: a report in a chosen format, and a fix patch.

``parity compare … --format markdown|html|sarif|json`` and the GUI's "Export report…" call
:func:`build_report` (and :func:`save_report` to write it); ``parity patch`` and "Export fix
patch…" call :func:`patch_for` / :func:`build_patch` and :func:`save_patch`. Nothing here
changes a user's files: exports are written only to the path the user chose, atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from parity_gui.app import project as projects
from parity_gui.app.compare import Request, request_for, run
from parity_gui.core.tree import Environment
from parity_gui.engine.comparison import Comparison
from parity_gui.errors import OptionsError
from parity_gui.export import html_report, json_report, markdown, sarif
from parity_gui.export.files import write_output
from parity_gui.export.patch.apply import Applied, apply_patch
from parity_gui.export.patch.fix import make_patch
from parity_gui.export.patch.model import FixPatch, Reloader
from parity_gui.export.sections import load_errors

Renderer = Callable[..., str]

#: Report formats by name, with the file suffix a save dialog proposes.
REPORT_FORMATS: dict[str, tuple[Renderer, str]] = {
    "json": (json_report.render, ".json"),
    "markdown": (markdown.render, ".md"),
    "html": (html_report.render, ".html"),
    "sarif": (sarif.render, ".sarif"),
}


def build_report(comparison: Comparison, format: str, *, reveal_secrets: bool = False) -> str:
    """The report as text; secrets masked unless ``reveal_secrets``."""
    try:
        render, _ = REPORT_FORMATS[format]
    except KeyError:
        known = ", ".join(REPORT_FORMATS)
        raise OptionsError(f"unknown report format {format!r} (one of {known})") from None
    return render(comparison, reveal_secrets=reveal_secrets)


def save_report(comparison: Comparison, format: str, path: Path, *, reveal_secrets: bool = False,
                base: Path | None = None) -> None:
    """Build the report and write it to ``path`` (the user's choice) as UTF-8, by
    :func:`~parity_gui.export.files.write_output`: never over one of the files compared."""
    data = build_report(comparison, format, reveal_secrets=reveal_secrets).encode("utf-8")
    write_output(path, data, report_inputs(comparison, base))


def report_inputs(comparison: Comparison, base: Path | None = None) -> list[Path]:
    """The files the comparison was loaded from, as paths (names are relative to ``base`` or
    to the working folder)."""
    found = []
    for env in comparison.environments:
        for source in env.sources:
            found += [Path(source)] + ([base / source] if base is not None else [])
    return found


def patch_inputs(patch: FixPatch) -> list[Path]:
    """The files a patch edits: writing the patch over one of them is refused."""
    return [patch.root / change.path for change in patch.files]


def suffix_of(format: str) -> str:
    """The file suffix for a report format (``.md`` for markdown)."""
    return REPORT_FORMATS[format][1]


def format_for(path: Path, default: str = "json") -> str:
    """The report format a file name asks for (``report.sarif`` → sarif), else ``default``."""
    by_suffix = {suffix: name for name, (_, suffix) in REPORT_FORMATS.items()}
    by_suffix.update({".htm": "html", ".markdown": "markdown", ".sarif.json": "sarif"})
    name = path.name.lower()
    for suffix in sorted(by_suffix, key=len, reverse=True):
        if name.endswith(suffix):
            return by_suffix[suffix]
    return default


def formats() -> Iterable[str]:
    return REPORT_FORMATS.keys()


# --- fix patches ---------------------------------------------------------------------------


def build_patch(
    comparison: Comparison,
    *,
    reference: int = 0,
    target: int = 1,
    only: Sequence[str] = (),
    reveal_secrets: bool = False,
    request: Request | None = None,
) -> FixPatch:
    """The self-checked patch making environment ``target`` match ``reference`` (their indices in
    ``comparison``; the GUI's "make left match right" is ``reference=1, target=0``). ``only``:
    pointers of the rows the user selected (default: all unexpected drift). ``request``: what the
    comparison was loaded from (its folder, its project file), so the self-check loads the
    patched copy the same way."""
    base = request.base if request is not None else None
    project = request.project if request is not None else None
    others = {n: list(d.files) for n, d in project.environments.items()} if project is not None else None
    patch = make_patch(comparison, reference=reference, target=target, only=only, reveal_secrets=reveal_secrets,
                       base=base, reload=_project_loader(project) if project is not None else None,
                       other_files=others)
    return replace(patch, load_errors=load_errors(comparison))


def patch_for(
    reference: str,
    target: str,
    *,
    only: Sequence[str] = (),
    reveal_secrets: bool = False,
    project_file: Path | None = None,
    cwd: Path | None = None,
) -> FixPatch:
    """What ``parity patch REFERENCE TARGET`` does: load both (specs, or environment names of
    the project file), compare them and build the patch making ``target`` match ``reference``."""
    request = request_for([reference, target], cwd=cwd, project_file=project_file)
    comparison = run(request)
    first = request.specs.index(reference) if reference in request.specs else 0
    return build_patch(comparison, reference=first, target=1 - first, only=only, reveal_secrets=reveal_secrets,
                       request=request)


def _project_loader(project: projects.Project) -> Reloader:
    """Loads a project environment from a copy of the project's folder (for the self-check)."""

    def load(spec: str, name: str, base: Path) -> Environment:
        copy = replace(project, path=base / project.path.name)
        return projects.load_environment(copy, name)

    return load


def apply_fix_patch(patch_file: Path, folder: Path) -> Applied:
    """What ``parity apply PATCH`` does: apply a fix patch to ``folder`` only when every file it
    was made from is unchanged (see :mod:`parity_gui.export.patch.apply`)."""
    return apply_patch(patch_file, folder)


def save_patch(patch: FixPatch, path: Path) -> None:
    """Write the patch to ``path`` (the user's choice) atomically. The user's own files are never
    touched: applying the patch is theirs to do (``git apply`` or ``parity apply``)."""
    write_output(path, patch.text, patch_inputs(patch))
