"""The self-check of a fix patch: apply it to a copy, load the copy, compare again.

The target's files (and the reference's, when they share files) are copied into a temporary
folder with the same layout; the patch must pass ``git apply --check`` there (and GNU
``patch --dry-run`` when it is installed), is applied, and the patched target is loaded with
parity's own loaders and compared with the reference again. A selected drift still there is
moved to "not fixed automatically" with the values that still differ; a difference the patch
created where there was none is reported as a note. When the copy cannot be loaded, nothing is
claimed as fixed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from copy import deepcopy as copy_tree
from dataclasses import replace
from pathlib import Path
from typing import Any

from parity_gui.core.secrets import mask_value
from parity_gui.core.tree import MISSING, Environment
from parity_gui.engine import compare
from parity_gui.engine.comparison import Comparison
from parity_gui.errors import ExportError, ParityError
from parity_gui.export.patch.diff import patch_text
from parity_gui.export.patch.model import Change, FixPatch, NotFixed, Reloader, is_live
from parity_gui.export.patch.override import OVERRIDE_NAME, STACK_OVERRIDE_NAME, is_stack

_TIMEOUT = 60


def self_check(patch: FixPatch, comparison: Comparison, pair: tuple[int, int], changes: Sequence[Change],
               reload: Reloader | None = None) -> FixPatch:
    """``patch`` with ``fixed``/``not_fixed`` as the patched copy shows them (``pair``: the
    reference's and the target's index in the comparison)."""
    reference, target = pair
    loader = reload or _load
    ref_env, target_env = comparison.environments[reference], comparison.environments[target]
    with tempfile.TemporaryDirectory(prefix="parity-check-") as folder:
        copy = _Copy(Path(folder), patch, [target_env, ref_env])
        copy.apply(patch_text(patch.files))
        try:
            if is_live(target_env):
                new_target, new_ref = _with_override(target_env, copy, changes), ref_env
            else:
                new_target = loader(copy.spec(target_env.spec), target_env.name, copy.base)
                shared = copy.shares(ref_env, target_env)
                new_ref = loader(copy.spec(ref_env.spec), ref_env.name, copy.base) if shared else ref_env
        except ParityError as e:
            reason = f"not verified: the patched copy does not load ({e})"
            unverified = [NotFixed(d, reason) for d in patch.fixed]
            return replace(patch, fixed=(), not_fixed=(*patch.not_fixed, *unverified), checked=True)
    after = compare(new_ref, new_target, options=comparison.options)
    notes = _side_effects(comparison, after, pair)
    if new_ref is not ref_env:
        notes.append(reference_check(ref_env, new_ref, comparison))
    return _verdict(patch, after, changes, notes)


def reference_check(before: Environment, after: Environment, comparison: Comparison) -> str:
    """Whether the reference, re-loaded from the patched copy, is what it was: it shares a file
    with the target, so an edit there could change it too."""
    aligned = {a.path for a in comparison.alignments}
    changed = [d.pointer for d in compare(before, after).drifts if not any(d.path[:len(p)] == p for p in aligned)]
    if not changed:
        return (f"checked: {before.name}, the reference, shares files with the target and is unchanged by "
                "the patch (re-loaded from the patched copy)")
    shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return f"the patch also changes {before.name}, the reference, at {shown}: it edits a file {before.name} reads"


def _with_override(live: Environment, copy: _Copy, changes: Sequence[Change]) -> Environment:
    """The live environment as it would be brought up with the override the patch creates: the
    override is read back with the compose loader, and each path the patch writes takes the
    override's value (compose's defaults for what the override leaves out are not laid over the
    live values). The override is read over a stand-in base file that gives each service it
    names an image: an override that sets only a variable is not a whole compose file by itself."""
    services = sorted({c.path[1] for c in changes if len(c.path) >= 2 and c.path[0] == "services"})
    stand_in = copy.base / "parity-check-base.yml"
    stand_in.write_text("services:\n" + "".join(f"  {json.dumps(s)}:\n    image: parity-check\n" for s in services))
    written = STACK_OVERRIDE_NAME if is_stack(live) else OVERRIDE_NAME
    override = _load(f"{stand_in.name}+{written}", "override", copy.base)
    tree = copy_tree(live.tree)
    for change in changes:
        value = override.get(change.path)
        if value is not MISSING:
            _put(tree, change.path, value)
    return Environment(live.name, live.spec, tree, dict(live.origins), dict(live.raw), live.coverage,
                       list(live.sources))


def _put(tree: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = tree
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[path[-1]] = value


def _verdict(patch: FixPatch, after: Comparison, changes: Sequence[Change], notes: list[str]) -> FixPatch:
    """Sort the selected drift by what the patched copy shows. A drift no edit was planned for
    that the other edits fixed anyway (a computed value whose inputs were fixed) counts as fixed,
    with a note."""
    still: list[NotFixed] = []
    fixed = []
    planned = {c.drift.path: c for c in changes}
    unplanned: list[NotFixed] = []
    for item in patch.not_fixed:
        if _remaining(after, planned[item.drift.path]) is None and item.drift.pointer not in patch.placeholders:
            fixed.append(item.drift)
            notes.append(f"{item.drift.pointer} is not edited itself but matches once the other edits are made "
                         "(it is computed from them)")
        else:
            unplanned.append(item)
    for drift in patch.fixed:
        left = _remaining(after, planned[drift.path])
        if left is not None and drift.pointer in patch.placeholders:
            left += "; the patch writes a placeholder for the secret here"
        if left is None:
            fixed.append(drift)
        else:
            still.append(NotFixed(drift, left))
    return replace(patch, fixed=tuple(fixed), not_fixed=(*unplanned, *still),
                   notes=(*patch.notes, *notes), checked=True)


def _remaining(after: Comparison, change: Change) -> str | None:
    """Why ``change`` is not done in the re-compared result, or None when it is."""
    for drift in after.drifts:
        if drift.path[: len(change.path)] == change.path or change.path[: len(drift.path)] == drift.path:
            shown = [("absent" if v is MISSING else repr(v if change.reveal_secrets
                                                           else mask_value(drift.path, v, change.secrets.masking)))
                     for v in drift.values]
            return f"still differs after the patch at {drift.pointer} ({shown[0]} vs {shown[1]})"
    return None


def _side_effects(before: Comparison, after: Comparison, pair: tuple[int, int]) -> list[str]:
    reference, target = pair
    differing = {d.path for d in before.drifts if d.values[reference] != d.values[target]}
    notes = []
    for drift in after.drifts:
        if drift.path not in differing:
            notes.append(f"the patch also makes {drift.pointer} differ ({drift.explanation})")
    return notes


def _load(spec: str, name: str, base: Path) -> Environment:
    from parity_gui.sources import registry

    return registry.load(spec, name, base=base)


class _Copy:
    """A temporary copy of the environments' files, laid out as on disk."""

    def __init__(self, folder: Path, patch: FixPatch, environments: Sequence[Environment]) -> None:
        self.folder = folder
        self.origin_base = patch.base
        sources = [self._absolute(s) for env in environments for s in env.sources]
        places = [str(patch.base), str(patch.root), *map(str, sources)]
        self.top = Path(os.path.commonpath(places))
        for source in sources:
            self._copy(source)
        # the copy is one project: every file in it was read by the original load, so a file
        # that refers to another across folders (extends: ../common.yml) is read there too
        (folder / ".git").mkdir(exist_ok=True)
        self.base = self.mirror(patch.base)
        self.root = self.mirror(patch.root)

    def _absolute(self, display: str) -> Path:
        path = Path(display)
        return (path if path.is_absolute() else self.origin_base / path).resolve()

    def mirror(self, path: Path) -> Path:
        return self.folder / os.path.relpath(path.resolve(), self.top)

    def _copy(self, source: Path) -> None:
        if not source.is_file():
            return
        destination = self.mirror(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)

    def shares(self, a: Environment, b: Environment) -> bool:
        return bool({self._absolute(s) for s in a.sources} & {self._absolute(s) for s in b.sources})

    def spec(self, spec: str) -> str:
        """``spec`` with absolute file names moved into the copy."""
        if spec.startswith("docker://"):
            return spec
        parts = spec.split("+") if not Path(spec).exists() else [spec]
        return "+".join(str(self.mirror(Path(p))) if Path(p).is_absolute() else p for p in parts)

    def apply(self, patch: bytes) -> None:
        """Check the patch with git (and GNU patch), then apply it; ExportError when it does not apply."""
        run_patch_tool(["git", "apply", "--check", "--whitespace=nowarn", "-"], patch, self.root, "git apply --check")
        if shutil.which("patch"):
            dry_run = ["patch", "--dry-run", "--batch", "--binary", "-p1", "-s"]
            run_patch_tool(dry_run, patch, self.root, "patch --dry-run")
        run_patch_tool(["git", "apply", "--whitespace=nowarn", "-"], patch, self.root, "git apply")


def run_patch_tool(command: list[str], patch: bytes, folder: Path, what: str,
         failed: str = "the patch does not apply to a copy of the files ({what}: {said}); this is a bug in parity",
         ) -> None:
    environment = {**os.environ, "GIT_CEILING_DIRECTORIES": str(folder.parent), "LC_ALL": "C"}
    try:
        done = subprocess.run(command, input=patch, cwd=folder, capture_output=True, timeout=_TIMEOUT,
                              check=False, env=environment)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ExportError(f"cannot run {what} to check the patch: {e}") from e
    if done.returncode != 0:
        message = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        raise ExportError(failed.format(what=what, said=message[0] if message else done.returncode))
