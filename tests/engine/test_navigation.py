"""The comparison owns navigation: views ask for the next drift, they never scan rows."""

from __future__ import annotations

from parity_gui.core.drift import Severity
from parity_gui.core.pointer import from_pointer
from parity_gui.core.tree import Environment
from parity_gui.engine import Comparison, compare


def comparison() -> Comparison:
    dev = {"services": {
        "web": {"user": "dev", "labels": {"a": "1"}},
        "db": {"user": "pg", "environment": {"A": "1"}},
        "same": {"user": "x"},
    }}
    prod = {"services": {
        "web": {"user": "app", "labels": {"a": "2"}},
        "db": {"user": "pg", "environment": {"A": "2"}},
        "same": {"user": "x"},
        "extra": {"user": "y"},
    }}
    return compare(Environment("dev", "a", tree=dev), Environment("prod", "b", tree=prod))


ORDER = ["/services/web/user", "/services/web/labels/a", "/services/db/environment/A", "/services/extra"]


def test_drifts_come_in_display_order() -> None:
    assert [d.pointer for d in comparison().drifts] == ORDER


def test_next_drift_visits_every_drift_in_order_and_wraps() -> None:
    c = comparison()
    seen, current = [], None
    for _ in range(len(ORDER) + 1):
        drift = c.next_drift(current)
        assert drift is not None
        seen.append(drift.pointer)
        current = drift.path
    assert seen == [*ORDER, ORDER[0]]


def test_previous_drift_goes_backwards_and_wraps() -> None:
    c = comparison()
    assert c.previous_drift(None).pointer == ORDER[-1]  # type: ignore[union-attr]
    assert c.previous_drift(from_pointer(ORDER[1])).pointer == ORDER[0]  # type: ignore[union-attr]
    assert c.previous_drift(from_pointer(ORDER[0])).pointer == ORDER[-1]  # type: ignore[union-attr]
    assert c.previous_drift(from_pointer(ORDER[0]), wrap=False) is None


def test_navigation_from_a_row_without_drift_goes_to_the_next_one_below_it() -> None:
    c = comparison()
    assert c.next_drift(from_pointer("/services/db")).pointer == "/services/db/environment/A"  # type: ignore[union-attr]
    assert c.next_drift(from_pointer("/services/same/user")).pointer == "/services/extra"  # type: ignore[union-attr]
    assert c.previous_drift(from_pointer("/services/same")).pointer == "/services/db/environment/A"  # type: ignore[union-attr]


def test_navigation_can_skip_drift_a_filter_hides() -> None:
    c = comparison()
    medium_up = c.next_drift(None, accept=lambda d: d.severity.rank <= Severity.MEDIUM.rank)
    assert medium_up is not None and medium_up.pointer == "/services/web/user"
    after = c.next_drift(medium_up.path, accept=lambda d: d.severity.rank <= Severity.MEDIUM.rank)
    assert after is not None and after.pointer == "/services/db/environment/A"


def test_the_aligned_tree_has_a_slot_per_environment_and_rows_stored() -> None:
    c = comparison()
    services = c.node(("services",))
    assert services is not None
    assert [n.key for n in services.children] == ["web", "db", "same", "extra"]
    assert [n.row for n in services.children] == [0, 1, 2, 3]
    extra = c.node(("services", "extra"))
    assert extra is not None and not extra.present(0) and extra.present(1)
    assert extra.children[0].enclosing_drift is not None and extra.children[0].drift is None


def test_ancestors_count_the_drift_below_them() -> None:
    c = comparison()
    assert c.count_under(()) == 4
    assert c.node(("services", "web")).drift_count == 2  # type: ignore[union-attr]
    assert c.node(("services", "same")).drift_count == 0  # type: ignore[union-attr]


def test_a_comparison_dropped_is_freed_at_once_without_the_cyclic_collector() -> None:
    import gc
    import weakref

    built = comparison()
    rows = list(built.walk())  # every row built: each child refers to its parent and comparison
    assert rows[1].parent is rows[0] and rows[0].comparison is built
    freed = weakref.ref(built)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del built, rows
        assert freed() is None  # no reference cycle kept it for the collector
    finally:
        if was_enabled:
            gc.enable()
