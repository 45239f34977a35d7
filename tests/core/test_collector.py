"""Pausing the cyclic collector around a burst of long-lived objects (``core.collector``)."""

from __future__ import annotations

import gc
import weakref

from parity_gui.core.collector import collector_paused


class Row:
    """A stand-in for a comparison's row: an object the collector tracks."""


def test_the_collector_is_paused_in_the_block_and_resumes_after_it() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_settled_burst_is_kept_out_of_the_collectors_passes_before_it_resumes() -> None:
    frozen = gc.get_freeze_count()
    with collector_paused(settle=True):
        burst = [Row() for _ in range(5_000)]
        assert gc.get_freeze_count() == frozen  # nothing is settled until the block has built it all
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen + len(burst)
    assert not any(gc.is_tracked(row) and row in gc.get_objects(generation=0) for row in burst[:3])


def test_a_settled_object_is_still_freed_when_nothing_refers_to_it() -> None:
    with collector_paused(settle=True):
        row = Row()
    gone = weakref.ref(row)
    del row
    assert gone() is None


def test_a_failed_block_settles_nothing_and_the_collector_resumes() -> None:
    frozen = gc.get_freeze_count()
    try:
        with collector_paused(settle=True):
            _burst = [Row() for _ in range(1_000)]
            raise ValueError("the load failed")
    except ValueError:
        pass
    assert gc.isenabled() and gc.get_freeze_count() == frozen
