"""Parsing a module's HCL files: cached by content, and in parallel where that pays.

Each file's compiled parse (:func:`~parity_gui.sources.terraform.hcl.compile_hcl`) is kept in
the :class:`~parity_gui.sources.parse_cache.ParseCache` under the hash of its text, so a file
already seen loads in milliseconds. The files not in the cache are compiled by forked
processes, one per core, when there are several of them and enough text to be worth a fork —
and only inside a parsing worker (:mod:`parity_gui.sources.isolation`), which is single-threaded
and under the load's limits; forked processes end with it. Results are waited for in file
order, and each file is announced to the worker's watchdog just before its result is awaited,
so a file that never finishes parsing is the one a timeout names.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import hcl2

from parity_gui import errors
from parity_gui.errors import ParityError, ParseError
from parity_gui.sources import text
from parity_gui.sources.isolation import in_parse_worker
from parity_gui.sources.parse_cache import ParseCache
from parity_gui.sources.terraform.hcl import CompiledBody, HclFile, compile_hcl, file_from_compiled

#: Bumped whenever the compiled form changes, so no older parse is ever read.
FORMAT = "1"
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
    return [file_from_compiled(c, content, display) for c, (content, display) in zip(compiled, texts, strict=True)
            if c is not None]


def _compile_all(texts: Sequence[tuple[str, str]]) -> list[CompiledBody]:
    size = sum(len(content) for content, _ in texts)
    workers = min(len(texts), os.cpu_count() or 1)
    if workers < 2 or size < PARALLEL_MIN_BYTES or not in_parse_worker():
        return [compile_hcl(content, display) for content, display in texts]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_end_with_parent) as pool:
        futures = [pool.submit(_compile_flat, content, display) for content, display in texts]
        try:
            return [_result(future, display) for future, (_, display) in zip(futures, texts, strict=True)]
        finally:
            for future in futures:
                future.cancel()


def _result(future: Future[tuple[Any, ...]], display: str) -> CompiledBody:
    if text.reading_hook is not None:
        text.reading_hook(display)
    outcome = future.result()
    if outcome[0] == "error":
        raise _rebuild(outcome[1:])
    compiled: CompiledBody = outcome[1]
    return compiled


def _compile_flat(content: str, display: str) -> tuple[Any, ...]:
    """In a parsing process: ``("ok", compiled parse)``, or ``("error", *the error as plain values)``."""
    try:
        return ("ok", compile_hcl(content, display))
    except ParityError as e:
        return ("error", type(e).__name__, e.message, e.file, e.line, e.column)


def _rebuild(flat: tuple[Any, ...]) -> ParityError:
    name, message, file, line, column = flat
    kind = getattr(errors, name, ParseError)
    if not (isinstance(kind, type) and issubclass(kind, ParityError)):
        kind = ParseError
    return kind(message, file=file, line=line, column=column)


def _end_with_parent() -> None:
    """A parsing process ends when the worker that forked it does (killed at a timeout)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
