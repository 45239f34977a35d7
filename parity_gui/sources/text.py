"""Reading a user's file safely: regular files only, size checked before reading, strict decoding.

Every file parity reads goes through :func:`read_bytes` (text through :func:`read_text`), so
each reader refuses a FIFO (which would block forever), a device or a link to one
(``/dev/zero``), a file over the size cap, a binary file and bytes that are not valid text in
the same words, naming the file and the line and column of the first bad byte. While a spec is
loaded (:func:`within_project`) it also refuses any file outside the project, so nothing of
``~/.netrc`` can reach a report through an ``env_file`` or a link.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from parity_gui.errors import LimitExceeded, ParseError, SourceError

#: Files larger than this are refused before they are read (bytes). Override with
#: ``PARITY_MAX_FILE_BYTES``.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Text:
    """A decoded file: its text without the BOM, and what a patch needs to write it back."""

    path: Path
    display: str  #: the name used in messages (as the user gave it)
    content: str
    data: bytes  #: the bytes as read, BOM included
    encoding: str
    bom: bytes
    newline: str  #: "\r\n" when the file's first line ends so, else "\n"


def max_file_bytes() -> int:
    configured = os.environ.get("PARITY_MAX_FILE_BYTES", "")
    return int(configured) if configured.isdigit() else DEFAULT_MAX_BYTES


def check_regular_file(path: Path, display: str, limit: int | None = None) -> os.stat_result:
    """``stat`` the file and refuse anything but a regular file within the size cap."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SourceError("no such file", file=display) from None
    except OSError as e:
        raise SourceError(f"cannot read: {e.strerror or e}", file=display) from e
    if stat.S_ISDIR(info.st_mode):
        raise SourceError("is a folder, not a file", file=display)
    if not stat.S_ISREG(info.st_mode):
        raise SourceError("is not a regular file (a pipe, socket or device); refusing to read it", file=display)
    cap = max_file_bytes() if limit is None else limit
    if info.st_size > cap:
        raise LimitExceeded(
            f"file is {_size(info.st_size)}, over the {_size(cap)} limit "
            "(set PARITY_MAX_FILE_BYTES to raise it)",
            file=display,
        )
    return info


def not_a_file(path: Path) -> str | None:
    """Why ``path`` (after links) cannot be read as a file, in a few words ("not found", "is a
    folder", "is a named pipe (FIFO)", "is a device", "is a socket"), or None for a regular file."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "not found"
    except OSError as e:
        return f"cannot be read ({e.strerror or e})"
    if stat.S_ISREG(mode):
        return None
    return "is a folder, not a file" if stat.S_ISDIR(mode) else f"is {special_kind(mode)}, not a file"


def special_kind(mode: int) -> str:
    """What a file that is neither regular nor a folder is: "a named pipe (FIFO)", "a socket",
    "a device"."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    return "a socket" if stat.S_ISSOCK(mode) else "a device"


#: The note an environment carries for each file written with CRLF line endings. The values
#: read are the same as from an LF copy; comparing the notes tells that line endings differ.
CRLF_NOTE = "written with CRLF (Windows) line endings; values compare as if they were LF"
_newlines: ContextVar[dict[str, str] | None] = ContextVar("parity_newlines", default=None)


@contextmanager
def recording_newlines() -> Iterator[dict[str, str]]:
    """Within the block, each file :func:`read_text` decodes is recorded (by the name shown
    in messages) with its line ending, ``"\n"`` or ``"\r\n"``."""
    token = _newlines.set({})
    try:
        recorded = _newlines.get()
        assert recorded is not None
        yield recorded
    finally:
        _newlines.reset(token)


#: The folders a load may read files from (see :func:`within_project`); None: anywhere.
_project_roots: ContextVar[tuple[Path, ...] | None] = ContextVar("parity_project_roots", default=None)


def project_root(folder: Path) -> Path:
    """The project a file in ``folder`` belongs to: the nearest folder at or above it holding
    ``.parity.toml`` or ``.git`` (the repository), else ``folder`` itself. The home folder and
    the file-system root are never a project, even when they hold a ``.git``."""
    start = folder.resolve()
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError):  # no home folder known
        home = Path("/")
    for candidate in (start, *start.parents):
        if candidate in (home, candidate.parent):
            break
        if (candidate / ".parity.toml").is_file() or (candidate / ".git").exists():
            return candidate
    return start


@contextmanager
def within_project(folders: Iterable[Path]) -> Iterator[tuple[Path, ...]]:
    """Within the block, :func:`read_bytes` refuses any file that lies (after its links) outside
    the projects of ``folders`` (see :func:`project_root`): an ``include``, ``extends``,
    ``env_file`` or a link in the project that leads to ``~/.netrc`` or ``/etc/shadow`` is
    refused with its name, and nothing of its content is read, so none can be shown."""
    roots = tuple(dict.fromkeys(project_root(f) for f in folders))
    token = _project_roots.set(roots)
    try:
        yield roots
    finally:
        _project_roots.reset(token)


def project_roots() -> tuple[Path, ...]:
    """The project folders reads are confined to in the load under way (none outside a load)."""
    return _project_roots.get() or ()


def outside_project(path: Path) -> str | None:
    """Why ``path`` must not be read because it lies (after its links) outside the project of
    the load under way (see :func:`within_project`), or None when it may be read."""
    roots = _project_roots.get()
    if roots is None:
        return None
    try:
        real = path.resolve()
    except (OSError, RuntimeError) as e:  # a link loop
        return f"cannot be followed: {e}"
    if any(real.is_relative_to(root) for root in roots):
        return None
    where = " or ".join(str(root) for root in roots)
    return f"lies outside the project ({where}); parity reads only files inside it, so this one was not read"


def _refuse_outside(path: Path, shown: str) -> None:
    reason = outside_project(path)
    if reason is not None:
        raise SourceError(reason, file=shown)


#: Told the name of each file :func:`read_text` starts reading; set in a worker process (see
#: :mod:`parity_gui.sources.isolation`) to report progress. It may refuse the file by raising.
reading_hook: Callable[[str], None] | None = None


def read_bytes(path: Path, display: str | None = None, *, limit: int | None = None) -> bytes:
    """The bytes of ``path``, refused unless it is a regular file (after links) within the size
    cap: a link to ``/dev/zero``, a FIFO, a socket or a folder fails at once, without reading.
    Every file parity reads goes through here (sources, the project file, Docker context files,
    TLS material, the files a patch check hashes)."""
    shown = display or str(path)
    if reading_hook is not None:
        reading_hook(shown)
    info = check_regular_file(path, shown, limit)
    _refuse_outside(path, shown)
    cap = max_file_bytes() if limit is None else limit
    try:
        # non-blocking: a FIFO swapped in after the check must not block the open
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise SourceError("is not a regular file (a pipe, socket or device); refusing to read it",
                                  file=shown)
            data = _read_at_most(handle, info.st_size, cap)
    except OSError as e:
        raise SourceError(f"cannot read: {e.strerror or e}", file=shown) from e
    if len(data) > cap:
        raise LimitExceeded(f"file grew past the {_size(cap)} limit while it was read", file=shown)
    return data


def read_text(path: Path, display: str | None = None, *, limit: int | None = None) -> Text:
    """Read (through :func:`read_bytes`) and strictly decode ``path``; see the module docstring
    for what is refused."""
    shown = display or str(path)
    text = decode(read_bytes(path, shown, limit=limit), path, shown)
    recorded = _newlines.get()
    if recorded is not None:
        recorded[shown] = text.newline
    return text


def _read_at_most(handle: BinaryIO, expected: int, cap: int) -> bytes:
    """The file's bytes, sized by ``stat`` (a buffer of the cap would be allocated whole), and
    at most one byte past ``cap`` when the file grew since."""
    data = handle.read(min(expected, cap) + 1)
    if len(data) > expected:
        data += handle.read(cap + 1 - len(data))
    return data


def decode(data: bytes, path: Path, display: str) -> Text:
    bom, encoding = b"", "utf-8"
    for mark, name in _BOMS:
        if data.startswith(mark):
            bom, encoding = mark, name
            break
    body = data[len(bom):]
    if encoding == "utf-8" and b"\0" in body:
        line, column = _position(body, body.index(b"\0"))
        raise ParseError("looks like a binary file (it contains NUL bytes), not text", file=display,
                         line=line, column=column)
    try:
        content = body.decode(encoding)
    except UnicodeDecodeError as e:
        line, column = _position(body, e.start, encoding)
        raise ParseError(
            f"is not valid {encoding.upper()} text: {_bytes(body[e.start:max(e.end, e.start + 1)])} cannot be decoded",
            file=display, line=line, column=column,
        ) from None
    first_break = content.find("\n")
    newline = "\r\n" if first_break > 0 and content[first_break - 1] == "\r" else "\n"
    return Text(path, display, content, data, encoding, bom, newline)


def _bytes(bad: bytes) -> str:
    shown = " ".join(f"0x{b:02x}" for b in bad[:4])
    return f"byte {shown}" if len(bad) == 1 else f"bytes {shown}"


def _position(data: bytes, offset: int, encoding: str = "utf-8") -> tuple[int, int]:
    """1-based line and column (in characters) of the byte at ``offset``."""
    before = data[:offset].decode(encoding, "ignore")  # only to count what precedes the bad byte
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"
