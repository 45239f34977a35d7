"""Parsing a module's HCL files: cached by content, and in parallel where that pays.

Each file's compiled parse (:func:`~parity_gui.sources.terraform.hcl.compile_hcl`) is kept in
the :class:`~parity_gui.sources.parse_cache.ParseCache` under the hash of its text, so a file
already seen loads in milliseconds. The files not in the cache are compiled by forked
processes, one per core, when there are several of them and enough text to be worth a fork —
and only inside a parsing worker (:mod:`parity_gui.sources.isolation`), which is under the
load's limits and runs no other parser thread; forked processes end with it. Results are taken
in file order, and each file is announced to the worker's watchdog just before its result is
awaited, so a file that never finishes parsing is the one a timeout names.
"""

from __future__ import annotations

import contextlib
import ctypes
import marshal
import os
import select
import signal
from collections.abc import Sequence
from typing import Any

import hcl2

from parity_gui import errors
from parity_gui.errors import ParityError, ParseError
from parity_gui.sources import text
from parity_gui.sources.isolation import in_parse_worker
from parity_gui.sources.parse_cache import ParseCache
from parity_gui.sources.terraform.hcl import CompiledBody, HclFile, compile_hcl, file_from_compiled

#: Bumped whenever the compiled form changes, so no older parse is ever read.
FORMAT = "4"
#: Below this much text to compile, forking costs more than it saves.
PARALLEL_MIN_BYTES = 64 * 1024


def parse_texts(texts: Sequence[tuple[str, str]]) -> list[HclFile]:
    """Each ``(text, display)`` parsed, from the cache where it is there."""
    cache = ParseCache("hcl", f"{FORMAT}/{getattr(hcl2, '__version__', '?')}")
    keys = [cache.key(content) for content, _ in texts]
    compiled: list[CompiledBody | None] = [cache.get(key) for key in keys]
    missing = [i for i, found in enumerate(compiled) if found is None]
    for index, result in zip(missing, _compile_all([texts[i] for i in missing]), strict=True):
        compiled[index] = result
        cache.put(keys[index], result)
    cache.prune()
    return [
        file_from_compiled(body, content, display)
        for body, (content, display) in zip(compiled, texts, strict=True)
        if body is not None
    ]


def _compile_all(texts: Sequence[tuple[str, str]]) -> list[CompiledBody]:
    size = sum(len(content) for content, _ in texts)
    workers = min(len(texts), os.cpu_count() or 1)
    if workers < 2 or size < PARALLEL_MIN_BYTES or not in_parse_worker():
        return [compile_hcl(content, display) for content, display in texts]
    return _Forked(texts, workers).results()


class _Forked:
    """Files compiled by forked processes, each taking every ``workers``-th file in order and
    sending back ``(index, outcome)`` records over a pipe of its own."""

    def __init__(self, texts: Sequence[tuple[str, str]], workers: int) -> None:
        self.texts = texts
        self.outcomes: dict[int, tuple[Any, ...]] = {}
        self.pipes: dict[int, tuple[int, bytearray]] = {}
        for share in range(workers):
            self.start(list(range(share, len(texts), workers)))

    def start(self, indexes: list[int]) -> None:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compile, send, and leave without running anything else
            os.close(reader)
            _end_with_parent()
            with contextlib.suppress(BaseException):
                for index in indexes:
                    record = marshal.dumps((index, _compile_flat(*self.texts[index])))
                    _write_all(writer, len(record).to_bytes(8, "little") + record)
            os._exit(0)
        os.close(writer)
        self.pipes[reader] = (pid, bytearray())

    def results(self) -> list[CompiledBody]:
        """Each file's parse in order; a file whose process died is compiled here instead, so
        the worker's own limits and messages apply to it."""
        try:
            found: list[CompiledBody] = []
            for index, (content, display) in enumerate(self.texts):
                if text.reading_hook is not None:
                    text.reading_hook(display)  # the file a timeout now names
                while index not in self.outcomes and self.pipes:
                    self.read_some()
                outcome = self.outcomes.get(index) or _compile_flat(content, display)
                if outcome[0] == "error":
                    raise _rebuild(outcome[1:])
                found.append(outcome[1])
            return found
        finally:
            self.stop()

    def read_some(self) -> None:
        ready, _, _ = select.select(list(self.pipes), [], [])
        for reader in ready:
            chunk = os.read(reader, 1 << 20)
            pid, buffer = self.pipes[reader]
            if not chunk:
                os.close(reader)
                del self.pipes[reader]
                os.waitpid(pid, 0)
                continue
            buffer += chunk
            self.take_records(buffer)

    def take_records(self, buffer: bytearray) -> None:
        while len(buffer) >= 8:
            length = int.from_bytes(buffer[:8], "little")
            if len(buffer) < 8 + length:
                return
            index, outcome = marshal.loads(bytes(buffer[8 : 8 + length]))
            self.outcomes[index] = outcome
            del buffer[: 8 + length]

    def stop(self) -> None:
        for reader, (pid, _) in list(self.pipes.items()):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.close(reader)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
        self.pipes.clear()


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


def _compile_flat(content: str, display: str) -> tuple[Any, ...]:
    """``("ok", compiled parse)``, or ``("error", *the error as plain values)``."""
    try:
        return ("ok", compile_hcl(content, display))
    except ParityError as e:
        return ("error", type(e).__name__, e.message, e.file, e.line, e.column)


def _rebuild(flat: tuple[Any, ...]) -> ParityError:
    name, message, file, line, column = flat
    kind = getattr(errors, name, ParseError)
    if not (isinstance(kind, type) and issubclass(kind, ParityError)):
        kind = ParseError
    error: ParityError = kind(message, file=file, line=line, column=column)
    return error


def _end_with_parent() -> None:
    """A compiling process ends when the worker that forked it does (killed at a timeout)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
