"""Pausing Python's cyclic garbage collector while a big tree is built.

Loading a big environment allocates hundreds of thousands of small, long-lived objects (nodes,
origins, path tuples) and none of them is garbage; the collector's repeated passes over them
would cost as much as the building itself. Every place that builds or receives such a burst
pauses it with :func:`collector_paused`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector for the ``with`` block, restoring its previous state."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
