"""``parity apply PATCH``: apply a fix patch only to the exact files it was made from.

A fix patch's preface records the SHA-256 of every file it edits and names the files it
creates. Applying it:

1. refuses, in one line, a patch without that record (not a parity fix patch), a file that is
   missing or changed since (its SHA-256 differs: context lines alone would let a patch for one
   of several identical service blocks edit the wrong one), a file to create that already
   exists, and any name that leaves the folder;
2. applies the patch with ``git apply`` to a copy of those files in a temporary folder, and
   refuses when it touches a file the preface does not name;
3. writes each changed file back atomically (a temporary file beside it and a rename), keeping
   its permissions. Nothing is written when any step before fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from parity_gui.errors import ExportError
from parity_gui.export.files import write_atomically
from parity_gui.export.patch.check import run_patch_tool
from parity_gui.export.patch.fix import check_sources, preface_lines, recorded_hashes
from parity_gui.sources.text import read_bytes

_NEW_FILE = "new file: "


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying a patch changed: the files edited and created, relative to the folder."""

    edited: tuple[str, ...]
    created: tuple[str, ...]


def apply_patch(patch_file: Path, folder: Path) -> Applied:
    """Apply the fix patch in ``patch_file`` to the files under ``folder`` (see the module
    docstring); :class:`ExportError` says why not."""
    shown = str(patch_file)
    patch = read_bytes(patch_file, shown)
    edited = [name for _, name in recorded_hashes(patch)]
    created = _new_files(patch)
    if not edited and not created:
        raise ExportError("records no SHA-256 of the files it was made from (not a parity fix patch?); "
                          "refusing to apply it", file=shown)
    for name in (*edited, *created):
        _check_name(name, shown)
    problems = check_sources(patch, folder)
    problems += [f"{name}: already exists (the patch creates it)" for name in created if (folder / name).exists()]
    if problems:
        raise ExportError("not applied, nothing changed: " + "; ".join(problems), file=shown)
    results = _applied_in_copy(patch, folder, edited, created, shown)
    for name, data in results.items():
        target = folder / name
        if name in edited and read_bytes(target, name) == data:
            continue  # unchanged: left as it is
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
    return Applied(tuple(edited), tuple(created))


def _new_files(patch: bytes) -> list[str]:
    return [text.removeprefix(_NEW_FILE) for text in preface_lines(patch) if text.startswith(_NEW_FILE)]


def _check_name(name: str, shown: str) -> None:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts:
        raise ExportError(f"names a file outside the folder ({name!r}); refusing to apply it", file=shown)


def _applied_in_copy(patch: bytes, folder: Path, edited: list[str], created: list[str], shown: str) -> dict[str, bytes]:
    """The new content of each file, from applying ``patch`` to a copy of ``edited``."""
    failed = "does not apply ({what}: {said}); nothing changed"
    with tempfile.TemporaryDirectory(prefix="parity-apply-") as scratch:
        copy = Path(scratch)
        for name in edited:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / name, copy / name)
        try:
            run_patch_tool(["git", "apply", "--whitespace=nowarn", "-"], patch, copy, "git apply", failed)
        except ExportError as e:
            raise ExportError(e.message, file=shown) from None
        touched = {str(PurePosixPath(Path(root, f).relative_to(copy)))
                   for root, _, files in os.walk(copy) for f in files}
        unnamed = sorted(touched - set(edited) - set(created))
        if unnamed:
            raise ExportError(f"changes files its preface does not name ({', '.join(unnamed)}); "
                              "refusing to apply it", file=shown)
        return {name: (copy / name).read_bytes() for name in (*edited, *created) if (copy / name).exists()}
