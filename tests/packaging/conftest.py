"""Builds shared by the packaging tests: each is made once per test session, in a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.builds import Distributions, build_bundle, build_distributions, fresh_virtualenv


@pytest.fixture(scope="session")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Distributions:
    return build_distributions(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory, distributions: Distributions) -> Path:
    """The bin folder of a fresh virtual environment with the wheel installed."""
    return fresh_virtualenv(tmp_path_factory.mktemp("venv") / "venv", distributions.wheel)


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The desktop bundle's folder (``parity``, ``parity-gui``, ``_internal/``, ``linux/``)."""
    return build_bundle(tmp_path_factory.mktemp("bundle"))


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working folder outside the checkout, with its own home folder inside."""
    home = tmp_path / "home"
    home.mkdir()
    return tmp_path


@pytest.fixture
def x_display() -> Iterator[str]:
    """A private X server (Xvfb) for the test; its DISPLAY value."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.fail("Xvfb is not installed: apt-get install xvfb")
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-nolisten", "tcp", "-screen", "0", "1400x900x24"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()
    try:
        if not number:
            pytest.fail(f"Xvfb did not start (exit status {server.wait(timeout=10)})")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)
