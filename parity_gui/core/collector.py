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
def collector_paused(settle: bool = False) -> Iterator[None]:
    """Disable the cyclic collector for the ``with`` block, restoring its previous state.

    With ``settle``, what the block built is kept out of the collector's passes
    (:func:`settle_long_lived`) before it resumes: else its first young-generation pass walks
    every object just built, holding the interpreter (and so the window) for as long — 30 ms
    for a million-row comparison, then again in the older generations.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if settle:
            settle_long_lived()
    finally:
        if was_enabled:
            gc.enable()


def settle_long_lived() -> None:
    """Keep every object alive now out of the collector's full passes (``gc.freeze``).

    A comparison of a million rows is millions of long-lived objects; a full pass over them
    takes a quarter of a second or more and stops every thread, the window's too, at whatever
    moment an allocation triggers it. Called once a comparison is built and once an environment
    has come back from its parsing worker (through ``collector_paused(settle=True)``).

    Decision: nothing is ever unfrozen. A frozen object is still freed when nothing refers to it,
    and neither a comparison (its rows hold their parent weakly) nor an environment (plain
    dicts, lists and strings) has reference cycles, so a replaced one is freed at once; only
    cyclic garbage pending at the moment of freezing is kept.
    """
    gc.freeze()
