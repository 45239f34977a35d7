"""Shared test set-up: Qt runs offscreen, and tests never see the developer's own settings."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Parse results are cached under the user's cache folder; the tests keep theirs apart, in a
# folder of their own made before any parsing worker starts.
os.environ["PARITY_CACHE_DIR"] = tempfile.mkdtemp(prefix="parity-test-cache-")
atexit.register(shutil.rmtree, os.environ["PARITY_CACHE_DIR"], True)

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "resources" / "examples"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def data() -> Path:
    return DATA
