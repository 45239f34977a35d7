"""Functions the isolation tests run in a worker process: each misbehaves in its own way."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from parity_gui.errors import SourceError
from parity_gui.sources.text import read_text


def read_then_sleep(path: Path) -> str:
    read_text(path, path.name)
    time.sleep(120)
    return "woke up"


def read_then_allocate(path: Path) -> int:
    read_text(path, path.name)
    hoard = [bytearray(64 * 2**20) for _ in range(64)]  # 4 GB, far past the limit
    return len(hoard)


def read_then_crash(path: Path) -> None:
    read_text(path, path.name)
    os.kill(os.getpid(), signal.SIGSEGV)


def read_then_raise(path: Path) -> None:
    read_text(path, path.name)
    raise IndexError("tuple index out of range")


def read_then_recurse(path: Path) -> int:
    read_text(path, path.name)

    def down(n: int) -> int:
        return down(n + 1) + 1

    return down(0)


def read_all(paths: list[Path]) -> list[str]:
    """Read each file like a folder load does: a file that fails is noted and the rest go on.
    A file named ``slow*`` hangs, ``crash*`` kills the worker, unless refused."""
    outcome = []
    for path in paths:
        try:
            read_text(path, path.name)
        except SourceError as e:
            outcome.append(f"error: {e}")
            continue
        if path.name.startswith("slow"):
            time.sleep(120)
        if path.name.startswith("crash"):
            os.kill(os.getpid(), signal.SIGKILL)
        outcome.append(f"read: {path.name}")
    return outcome


def pid() -> int:
    return os.getpid()


def write_pid_then_sleep(path: Path) -> None:
    path.write_text(str(os.getpid()))
    time.sleep(300)


def unpicklable() -> object:
    return lambda: None


def read_then_dump_and_abort(path: Path) -> None:
    """Die as the Go runtime does when it runs out of memory: a goroutine dump on standard
    error, then SIGABRT."""
    read_text(path, path.name)
    os.write(2, b"fatal error: runtime: out of memory\n\ngoroutine 1 [running]:\nruntime.throw(...)\n" * 20)
    os.abort()
