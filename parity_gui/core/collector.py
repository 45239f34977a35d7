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


def settle_long_lived() -> None:
    """Keep every object alive now out of the collector's full passes (``gc.freeze``).

    A comparison of a million rows is millions of long-lived objects; a full pass over them
    takes a quarter of a second and stops every thread, the window's too, at whatever moment
    an allocation triggers it. Called once a comparison is built; :func:`release_settled`
    undoes it before the next one is built.
    """
    gc.freeze()


def release_settled() -> None:
    """Give the objects :func:`settle_long_lived` set aside back to the collector, and collect
    once: the comparison just replaced is garbage now, and a set-aside object is never freed.

    Decision: this one full pass (about as long as the passes the first load no longer makes)
    runs in the comparing worker when a comparison is replaced (a reload), never on a first load.
    """
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
