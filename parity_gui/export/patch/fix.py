"""The fix patch: edits to a target's own files that make it match a reference.

:func:`make_patch` turns the selected drift (all unexpected drift by default) into a
:class:`FixPatch`: one git-style unified diff over the target's files, computed on bytes, with
the SHA-256 of every file it was made from written in its preface, plus an honest account of
what it fixes. Before a patch is handed over it is applied to a temporary copy of the files and
the copy is loaded and compared again (:mod:`patch_check`); any selected drift still there is
listed as "not fixed automatically" with the reason, so a patch never claims more than it does.

Secrets are never written in clear unless asked: the patch writes a placeholder
(``CHANGE-ME-secret-…``) and says so in a note; a drift whose value is a placeholder stays
"not fixed" unless the self-check shows it matches anyway (a placeholder in an unused
``${VAR:-default}``). The user's files are never changed; the patch is only text to review and
``git apply``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path as FilePath

from parity_gui.core.drift import Drift
from parity_gui.core.pointer import Path, from_pointer, is_prefix
from parity_gui.core.secrets import MASK, REVEALED_NOTICE, Masking
from parity_gui.core.tree import MISSING, Environment
from parity_gui.engine.comparison import Comparison
from parity_gui.errors import OptionsError, ParityError
from parity_gui.export.patch import dotenv as patch_dotenv
from parity_gui.export.patch.compose import ComposePlanner, image_changes
from parity_gui.export.patch.diff import FileChange, patch_text
from parity_gui.export.patch.dockerfile import plan_dockerfile
from parity_gui.export.patch.kubernetes import is_kubernetes, plan_kubernetes
from parity_gui.export.patch.model import (
    Action,
    Change,
    FixPatch,
    NotFixed,
    Reloader,
    Unfixable,
    Workspace,
    is_env_file,
    is_live,
)
from parity_gui.export.patch.secrets import PLACEHOLDER_MARK, SecretPolicy
from parity_gui.export.patch.structured import plan_structured
from parity_gui.export.patch.terraform import plan_terraform
from parity_gui.sources.text import read_bytes


def make_patch(
    comparison: Comparison,
    *,
    reference: int = 0,
    target: int = 1,
    only: Sequence[str] = (),
    reveal_secrets: bool = False,
    base: FilePath | None = None,
    check: bool = True,
    reload: Reloader | None = None,
    other_files: Mapping[str, Sequence[str]] | None = None,
) -> FixPatch:
    """The patch making environment ``target`` match ``reference`` (indices in the comparison).

    ``only`` limits it to drift at or under those pointers (expected drift included when named);
    by default every unexpected drift is fixed. ``base`` is where relative file names start (the
    folder the comparison was loaded from). ``check`` runs the self-check with ``reload`` (parity's
    own loaders by default). ``other_files``: the files of environments not in the comparison
    (a project's others, by name), so that a file they read is treated as shared too.

    A file the target shares with another environment is edited only where the change cannot go
    into a file of the target's own (see :mod:`patch_compose`), and the patch says so.
    """
    folder = base or FilePath.cwd()
    ref_env, target_env = comparison.environments[reference], comparison.environments[target]
    secrets = SecretPolicy(reveal_secrets, Masking.of(comparison.environments))
    changes = [c for d in select(comparison, only) if (c := change_for(d, reference, target, secrets))]
    others = {e.name: list(e.sources) for i, e in enumerate(comparison.environments) if i != target}
    others.update({n: list(f) for n, f in (other_files or {}).items() if n != target_env.name})
    work = Workspace(folder, shared=shared_files(target_env, others))
    not_fixed = [NotFixed(n.drift, secrets.text(n.reason)) for n in plan(work, changes, target_env, ref_env)]
    result = _assemble(work, (ref_env, target_env), changes, not_fixed, secrets)
    if result.files and check:
        from parity_gui.export.patch import check as patch_check

        result = patch_check.self_check(result, comparison, (reference, target), changes, reload)
    elif result.placeholders:
        result = _unverified_secrets(result)
    return _with_text(result, secrets)


def shared_files(target: Environment, others: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """The target's files that other environments read too, with their names (``#stage`` and
    ``./`` set aside: ``Dockerfile#dev`` and ``Dockerfile#production`` are one file)."""
    def clean(source: str) -> str:
        return os.path.normpath(source.split("#", 1)[0])

    readers: dict[str, list[str]] = {}
    for name, sources in others.items():
        for source in sources:
            readers.setdefault(clean(source), []).append(name)
    return {s: tuple(dict.fromkeys(readers[clean(s)])) for s in target.sources if clean(s) in readers}


def _say_shared(work: Workspace) -> None:
    """A note for each shared file the patch edits anyway."""
    for display, edits in work.edits.items():
        names = work.shared.get(display)
        if edits.spans and names:
            work.note(f"the patch edits {display}, which {', '.join(names)} also read"
                      f"{'s' if len(names) == 1 else ''}: the change has no file of the target's own to go "
                      "into (see the check below for the reference)")


def _assemble(work: Workspace, pair: tuple[Environment, Environment], changes: list[Change],
              not_fixed: list[NotFixed], secrets: SecretPolicy) -> FixPatch:
    """The patch as planned (before its self-check): files, claims, placeholders and notes."""
    _say_shared(work)
    files, root = file_changes(work, work.base)
    failed = {n.drift.path for n in not_fixed}
    planned = [c for c in changes if c.drift.path not in failed]
    secret = placeholders(work) | {c.pointer for c in planned if work.new_files and c.has_secret()}
    for pointer in sorted(secret):
        work.note(f"{pointer} holds a secret value, so the patch writes a placeholder ({PLACEHOLDER_MARK}…) "
                  "in its place; put the real value in by hand, or make the patch with --show-secrets")
    notes = tuple(secrets.text(n) for n in work.notes)
    return FixPatch(pair[0].name, pair[1].name, b"", tuple(files), tuple(c.drift for c in planned),
                    tuple(not_fixed), notes, False, root, work.base.resolve(), tuple(sorted(secret)), secrets.reveal)


def _unverified_secrets(patch: FixPatch) -> FixPatch:
    """Without a self-check, a change that wrote a placeholder cannot be called fixed."""
    from dataclasses import replace

    reason = "the value is secret, so the patch writes a placeholder in its place"
    moved = [NotFixed(d, reason) for d in patch.fixed if d.pointer in patch.placeholders]
    kept = tuple(d for d in patch.fixed if d.pointer not in patch.placeholders)
    return replace(patch, fixed=kept, not_fixed=(*patch.not_fixed, *moved))


def select(comparison: Comparison, only: Sequence[str]) -> list[Drift]:
    """The drift a patch should fix: every unexpected drift, or the unexpected drift at or under
    the pointers in ``only``. An expected difference is fixed only when a pointer names it (or a
    path inside it): a broad pointer such as ``/variables`` leaves what is expected alone."""
    if not only:
        return list(comparison.unexpected)
    try:
        wanted = [from_pointer(p) for p in only]
    except ValueError as e:
        raise OptionsError(f"a path to fix is written like /services/db/image: {e}") from None
    missing = [p for p, w in zip(only, wanted, strict=True)
               if not any(is_prefix(w, d.path) or is_prefix(d.path, w) for d in comparison.drifts)]
    if missing:
        raise OptionsError(f"no drift at {', '.join(missing)}")
    return [d for d in comparison.drifts if any(_selects(w, d) for w in wanted)]


def _selects(wanted: Path, drift: Drift) -> bool:
    if drift.expected:
        return is_prefix(drift.path, wanted)
    return is_prefix(wanted, drift.path) or is_prefix(drift.path, wanted)


def change_for(drift: Drift, reference: int, target: int, secrets: SecretPolicy) -> Change | None:
    """What the target must become for ``drift``; None when the two already agree there."""
    new, old = drift.values[reference], drift.values[target]
    if new is MISSING and old is MISSING:
        return None
    if new is not MISSING and old is not MISSING:
        if new == old and type(new) is type(old):
            return None
        return Change(drift, drift.path, Action.SET, old, new, secrets)
    action = Action.ADD if old is MISSING else Action.REMOVE
    return Change(drift, drift.path, action, old, new, secrets)


def plan(work: Workspace, changes: list[Change], target: Environment, reference: Environment) -> list[NotFixed]:
    """Plan every change on the workspace; return the ones that cannot be made."""
    if is_live(target):
        from parity_gui.export.patch.override import plan_override

        return [NotFixed(c.drift, reason) for c, reason in plan_override(work, changes, target, reference)]
    if is_kubernetes(target):
        return [NotFixed(c.drift, reason) for c, reason in plan_kubernetes(work, changes, target)]
    selected = {(c.path, repr(c.new)) for c in changes}
    compose = ComposePlanner(work, target, reference, selected)
    failed: list[NotFixed] = []
    grouped = {id(c) for _, group in image_changes(changes) for c in group}
    for service, group in image_changes(changes):
        failed += _attempt(group, partial(compose.plan_image, service, group))
    for change in changes:
        if id(change) not in grouped:
            failed += _attempt([change], partial(_dispatch, work, compose, target, change))
    failed += [NotFixed(c.drift, reason) for c, reason in compose.finish()]
    return failed


def _attempt(group: list[Change], action: Callable[[], None]) -> list[NotFixed]:
    try:
        action()
    except Unfixable as e:
        return [NotFixed(c.drift, e.message) for c in group]
    except ParityError as e:
        return [NotFixed(c.drift, f"cannot read the file to edit: {e}") for c in group]
    return []


def _dispatch(work: Workspace, compose: ComposePlanner, target: Environment, change: Change) -> None:
    head = change.path[0]
    if head == "services":
        compose.plan(change)
    elif head == "variables" and len(change.path) == 2:
        _plan_variable(work, target, change)
    elif head == "images":
        plan_dockerfile(work, target, change, compose.selected, compose.reference)
    elif head == "infrastructure":
        plan_terraform(work, target, change)
    elif head == "files":
        plan_structured(work, target, change, compose.reference)
    else:
        raise Unfixable(f"parity does not edit /{head} settings; change them by hand")


def _plan_variable(work: Workspace, target: Environment, change: Change) -> None:
    name = change.path[1]
    origin = target.origins.get(change.path)
    value = change.written(change.path, change.new)
    if change.action is Action.ADD:
        files = [s for s in target.sources if is_env_file(s)]
        if not files:
            raise Unfixable("the target has no .env file to add the variable to")
        patch_dotenv.add_value(work, files[-1], name, value, change.pointer)
        return
    if origin is None or origin.file is None:
        raise Unfixable("parity does not know which file sets this variable")
    if change.action is Action.REMOVE:
        patch_dotenv.remove_value(work, origin.file, name, change.pointer)
    else:
        patch_dotenv.set_value(work, origin.file, name, value, change.pointer)


def placeholders(work: Workspace) -> set[str]:
    """The pointers of the changes for which the patch writes a placeholder instead of a secret."""
    marked = {span.why for edits in work.edits.values() for span in edits.spans if PLACEHOLDER_MARK in span.new}
    return {pointer for why in marked for pointer in why.split("\n")}


def file_changes(work: Workspace, base: FilePath) -> tuple[list[FileChange], FilePath]:
    """The changed files with paths relative to the folder the patch applies from."""
    edited = {d: e for d, e in work.edits.items() if e.spans}
    absolute = {d: str(work.disk_path(d).resolve()) for d in [*edited, *work.new_files]}
    root = str(base.resolve())
    if any(not p.startswith(root + os.sep) for p in absolute.values()):
        root = os.path.commonpath([root, *absolute.values()])
    changes = [FileChange(_relative(absolute[d], root), e.text.data, e.result(), e.regions())
               for d, e in edited.items()]
    changes += [FileChange(_relative(absolute[d], root), None, text.encode("utf-8"))
                for d, text in work.new_files.items()]
    return [c for c in changes if c.before != c.after], FilePath(root)


def _relative(path: str, root: str) -> str:
    return FilePath(os.path.relpath(path, root)).as_posix()


def preface(patch: FixPatch) -> list[str]:
    """The comment lines before the first ``diff --git``: what, from which files, what not."""
    notice = [f"# {REVEALED_NOTICE}"] if patch.revealed else []
    lines = [*notice, f"# parity fix patch: make {patch.target} match {patch.reference}",
             "# made from these files (sha256); apply only to these exact versions:"]
    lines += [f"#   sha256:{c.sha256}  {c.path}" for c in patch.files if c.sha256]
    lines += [f"#   new file: {c.path}" for c in patch.files if c.sha256 is None]
    lines.append(f"# fixes {len(patch.fixed)} drift" + (" (checked: applied to a copy, re-loaded, compared)"
                                                         if patch.checked else " (not checked)"))
    lines += [f"#   {d.pointer}" for d in patch.fixed]
    if patch.not_fixed:
        lines.append("# not fixed automatically:")
        lines += [f"#   {item}" for item in patch.not_fixed]
    lines += [f"# note: {note}" for note in patch.notes]
    return [line.replace("\n", " ") for line in lines]


def _with_text(patch: FixPatch, secrets: SecretPolicy) -> FixPatch:
    """The patch with its text: the preface, then the diff with the target's secrets masked
    (:meth:`SecretPolicy.hunks`), the preface saying which lines to restore."""
    from dataclasses import replace

    if not patch.files:
        return replace(patch, text=b"")
    body, masked = secrets.hunks(patch_text(patch.files))
    restore = [f"# {masked} line(s) of this patch show secrets masked ({MASK}): put the real text back in "
               "them before applying it, or make the patch with --show-secrets"] if masked else []
    return replace(patch, text=patch_text((), [*preface(patch), *restore]) + body)


def check_sources(patch: bytes, root: FilePath) -> list[str]:
    """Why ``patch`` must not be applied in ``root``: each file it was made from that is missing
    or differs from the version it was made from (its SHA-256 in the preface). Context lines
    alone are not enough: a patch for one of several identical service blocks applies "cleanly"
    to a file where the blocks moved, and edits the wrong service."""
    problems = []
    for digest, name in recorded_hashes(patch):
        path = root / name
        if not path.is_file():
            problems.append(f"{name}: missing (the patch was made from a file here)")
            continue
        try:
            data = read_bytes(path, name)
        except ParityError as e:
            problems.append(f"{name}: {e.message}")
            continue
        if hashlib.sha256(data).hexdigest() != digest:
            problems.append(f"{name}: changed since the patch was made; make the patch again")
    return problems


def recorded_hashes(patch: bytes) -> list[tuple[str, str]]:
    """The ``(sha256, file name)`` of each file the patch was made from, from its preface."""
    found = []
    for text in preface_lines(patch):
        if text.startswith("sha256:"):
            digest, _, name = text.removeprefix("sha256:").partition("  ")
            found.append((digest, name))
    return found


def preface_lines(patch: bytes) -> list[str]:
    """The comment lines before the first ``diff --git``, without their ``#`` and indent."""
    head = patch.split(b"\ndiff --git ", 1)[0].decode("utf-8", "replace")
    return [line.removeprefix("#").strip() for line in head.splitlines()]
