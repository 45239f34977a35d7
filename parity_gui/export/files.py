"""Writing an export: to the path the user chose, and nowhere else.

What the path is decides how it is written (:func:`write_output`):

- a regular file, a path that does not exist yet, or a symbolic link: atomically, through a
  temporary file in the same folder and a rename. A link is replaced by the new file; the file
  it pointed to is never written through (a link planted in a repository cannot make an export
  overwrite ``~/.bashrc``).
- parity's own standard output or error (``-o /dev/stdout``, ``/dev/fd/1``, or the file the
  shell redirected them to): written to that stream.
- a character device (``/dev/null``, a terminal) or a FIFO: opened and written, never replaced.
- a folder, a block device or a socket: refused.

An output that is one of the inputs (the same file, through any link) is refused before
anything is written.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from parity_gui.errors import ExportError


def write_output(path: Path, data: bytes, inputs: Iterable[Path] = ()) -> None:
    """Write ``data`` to ``path`` as the module docstring says; ``inputs`` are the files the
    export was made from, which it must not replace."""
    shown = str(path)
    target = _stat(path)
    if target is not None:
        _refuse_inputs(path, target, inputs)
        stream = _standard_stream(target)
        if stream is not None:
            _write_stream(stream, data, shown)
            return
        if stat.S_ISCHR(target.st_mode) or stat.S_ISFIFO(target.st_mode):
            _write_opened(path, data, shown)
            return
        if stat.S_ISDIR(target.st_mode):
            raise ExportError("is a folder; name a file to write", file=shown)
        if not stat.S_ISREG(target.st_mode):
            raise ExportError("is a block device or socket; refusing to write to it", file=shown)
    write_atomically(path, data)


def _stat(path: Path) -> os.stat_result | None:
    """What ``path`` names after its links, or None when nothing is there (or a dangling link)."""
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:
        raise ExportError(f"cannot write: {e.strerror or e}", file=str(path)) from e


def _refuse_inputs(path: Path, target: os.stat_result, inputs: Iterable[Path]) -> None:
    if not stat.S_ISREG(target.st_mode):
        return
    for source in inputs:
        try:
            info = source.stat()
        except OSError:
            continue
        if (info.st_dev, info.st_ino) == (target.st_dev, target.st_ino):
            raise ExportError(f"is one of the inputs ({source}); refusing to overwrite it", file=str(path))


def _standard_stream(target: os.stat_result) -> int | None:
    for descriptor in (1, 2):
        try:
            info = os.fstat(descriptor)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) == (target.st_dev, target.st_ino):
            return descriptor
    return None


def _write_stream(descriptor: int, data: bytes, shown: str) -> None:
    stream = sys.stdout if descriptor == 1 else sys.stderr
    try:
        stream.flush()
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
    except OSError as e:
        raise ExportError(f"cannot write: {e.strerror or e}", file=shown) from e


def _write_opened(path: Path, data: bytes, shown: str) -> None:
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError as e:
        raise ExportError(f"cannot write: {e.strerror or e}", file=shown) from e
    try:
        if not (stat.S_ISCHR(os.fstat(handle).st_mode) or stat.S_ISFIFO(os.fstat(handle).st_mode)):
            raise ExportError("changed while it was opened; refusing to write to it", file=shown)
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
    except OSError as e:
        raise ExportError(f"cannot write: {e.strerror or e}", file=shown) from e
    finally:
        os.close(handle)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A reader never sees a half-written file, and an existing file is replaced only once the
    new content is complete. The temporary file is removed if anything fails. A link at
    ``path`` is replaced, not written through.
    """
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise ExportError("the folder to write into does not exist", file=str(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise ExportError(f"cannot write here: {e.strerror or e}", file=str(path)) from e
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        existing = _stat(path) if not path.is_symlink() else None
        mode = existing.st_mode & 0o777 if existing is not None else 0o644
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except OSError as e:
        Path(temporary).unlink(missing_ok=True)
        raise ExportError(f"cannot write: {e.strerror or e}", file=str(path)) from e
