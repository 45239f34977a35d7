"""A cache of parse results on disk, keyed by the content they were parsed from.

Parsing is the slow part of reading big Terraform repositories (python-hcl2 reads about
100 KB a second); the compiled form of a file (:mod:`parity_gui.sources.terraform.hcl`) is
plain tuples that :mod:`marshal` loads in milliseconds. So each parse is kept under the user's
cache folder, by the SHA-256 of the file's text, and reused by every later load of the same
content, whatever its path, whichever environment or revision it belongs to.

Decisions:

* Where: ``$PARITY_CACHE_DIR`` when set (empty: no cache at all), else
  ``$XDG_CACHE_HOME/parity``, else ``~/.cache/parity``. This cache is the one thing parity
  writes besides the exports a user asks for; nothing in it is needed, and deleting the folder
  at any time is safe.
* Safe against concurrent runs: an entry is written to a temporary file in the same folder and
  renamed into place, so a reader sees a whole entry or none; two runs writing the same entry
  write the same bytes.
* Safe against corrupt entries: each entry starts with a header naming the format and the
  SHA-256 of its payload; an entry that does not check out is ignored (and replaced by the next
  parse), never unmarshalled.
* Bounded: when a write takes the folder over :data:`DEFAULT_MAX_BYTES` (or
  ``PARITY_CACHE_MAX_MB``), the least recently used entries are removed until it is under
  three quarters of that.
* The key includes the format version and the parser library's version, so an upgrade never
  reads an older parse.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

DEFAULT_MAX_BYTES = 256 * 2**20
_MAGIC = b"parity-parse-cache 1\n"
_HASH_BYTES = 32


def cache_folder() -> Path | None:
    """The folder parse results are kept in, or None when caching is off (see the module docstring)."""
    configured = os.environ.get("PARITY_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or (str(Path.home() / ".cache") if os.environ.get("HOME") else "")
    return Path(base) / "parity" if base else None


class ParseCache:
    """Parse results of one kind (``namespace``), each under the hash of the text it came from."""

    def __init__(self, namespace: str, version: str, folder: Path | None = None) -> None:
        root = folder if folder is not None else cache_folder()
        self.folder = root / namespace if root is not None else None
        self.version = version
        self.written = 0

    def key(self, text: str) -> str:
        digest = hashlib.sha256(self.version.encode("utf-8") + b"\0" + text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        """The parse stored under ``key``, or None (absent, unreadable or corrupt)."""
        path = self._path(key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        payload = _checked_payload(data)
        if payload is None:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept longest when the cache is pruned
        try:
            return marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (tuples, strings, numbers) under ``key``; failures are ignored."""
        path = self._path(key)
        if path is None:
            return
        try:
            payload = marshal.dumps(value)
        except ValueError:
            return
        data = _MAGIC + hashlib.sha256(payload).digest() + payload
        with contextlib.suppress(OSError):
            _write_atomically(path, data)
            self.written += len(data)

    def prune(self, max_bytes: int | None = None) -> None:
        """Remove the least recently used entries when the folder is over its size bound."""
        if self.folder is None or not self.written:
            return
        bound = max_bytes if max_bytes is not None else _configured_max_bytes()
        entries = _entries(self.folder)
        total = sum(size for _, size, _ in entries)
        if total <= bound:
            return
        for path, size, _ in sorted(entries, key=lambda entry: entry[2]):
            if total <= bound * 3 // 4:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size

    def _path(self, key: str) -> Path | None:
        return self.folder / key[:2] / f"{key}.bin" if self.folder is not None else None


def _checked_payload(data: bytes) -> bytes | None:
    if not data.startswith(_MAGIC):
        return None
    digest, payload = data[len(_MAGIC) : len(_MAGIC) + _HASH_BYTES], data[len(_MAGIC) + _HASH_BYTES :]
    return payload if hashlib.sha256(payload).digest() == digest else None


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".bin")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def _entries(folder: Path) -> list[tuple[Path, int, float]]:
    """Every entry under ``folder`` with its size and last use."""
    found: list[tuple[Path, int, float]] = []
    with contextlib.suppress(OSError):
        for shard in os.scandir(folder):
            if not shard.is_dir(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                for entry in os.scandir(shard.path):
                    if entry.is_file(follow_symlinks=False) and entry.name.endswith(".bin"):
                        stat = entry.stat(follow_symlinks=False)
                        found.append((Path(entry.path), stat.st_size, stat.st_mtime))
    return found


def _configured_max_bytes() -> int:
    try:
        megabytes = float(os.environ.get("PARITY_CACHE_MAX_MB", ""))
    except ValueError:
        return DEFAULT_MAX_BYTES
    return int(megabytes * 2**20) if megabytes > 0 else DEFAULT_MAX_BYTES
