"""Writing an export: atomically, to the path the user chose, and nowhere else."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from parity_gui.errors import ExportError


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    A reader never sees a half-written file, and an existing file is replaced only once the
    new content is complete. The temporary file is removed if anything fails.
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
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except OSError as e:
        Path(temporary).unlink(missing_ok=True)
        raise ExportError(f"cannot write: {e.strerror or e}", file=str(path)) from e
