"""Guards every hostile test shares: nothing written beside the inputs, and a memory ceiling."""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

#: Python allocations a single hostile load may peak at.
MEMORY_CEILING = 150 * 1024 * 1024


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry below ``folder`` (links not followed) with its size and modification time."""
    found = {}
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = Path(root, name)
            info = path.lstat()
            found[str(path)] = (info.st_size, info.st_mtime_ns)
    return found


@pytest.fixture
def untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder for the test's inputs; the test fails if loading writes anything in it or in
    the working folder (which is set to a second empty folder)."""
    work = tmp_path / "cwd"
    work.mkdir()
    inputs = tmp_path / "in"
    inputs.mkdir()
    monkeypatch.chdir(work)
    yield inputs
    assert list(work.iterdir()) == []


@pytest.fixture
def frozen(untouched: Path) -> Iterator[Callable[[], None]]:
    """Call it after writing inputs: the test then fails if any of them changes."""
    taken: dict[str, dict[str, tuple[int, int]]] = {}

    def freeze() -> None:
        taken["before"] = snapshot(untouched)

    yield freeze
    if "before" in taken:
        assert snapshot(untouched) == taken["before"]


def within_memory(action: Callable[[], Any]) -> Any:
    """Run ``action`` and fail when its Python allocations peak above :data:`MEMORY_CEILING`."""
    tracemalloc.start()
    try:
        result = action()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < MEMORY_CEILING, f"peaked at {peak / 2**20:.0f} MB"
    return result


def attempt(action: Callable[[], Any]) -> Any:
    """Run ``action`` under the memory ceiling; return its result or the ParityError it raised.

    Any other exception is left to fail the test: hostile input must end in parity's own errors.
    """
    from parity_gui.errors import ParityError

    def guarded() -> Any:
        try:
            return action()
        except ParityError as e:
            return e

    return within_memory(guarded)
