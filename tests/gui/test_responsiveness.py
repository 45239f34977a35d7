"""A comparison of 100k rows stays responsive: the event loop never stalls while loading,
filtering, searching or jumping between drifts.

The target is 100 ms, which ``bench/gui.py`` measures on an idle machine (about 90 ms at worst
here). The test allows 500 ms because it runs beside other work on a shared two-core machine,
where the same steps take two to three times longer; that still catches an expandAll-style
freeze (0.85 s idle at this size, seconds under load).
"""

from __future__ import annotations

import pytest

from parity_gui.ui.heartbeat import Heartbeat
from parity_gui.ui.window import MainWindow
from tests.gui.conftest import wait_for_comparison, wide_pair

pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.qt_log_ignore("propagateSizeHints")]

LIMIT = 0.5


def _stalls(qtbot, window: MainWindow, left: str, right: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The longest stall of the event loop in each step: load, filter, navigate, search."""
    heartbeat = Heartbeat(10)
    stalls = {}

    heartbeat.start()
    wait_for_comparison(qtbot, window, lambda: window.show_environments([left, right]), timeout=60_000)
    qtbot.wait(30)
    stalls["load"] = heartbeat.stop()
    assert window.comparison is not None and len(window.comparison.drifts) > 500

    heartbeat.start()
    window.acts["only_drift"].trigger()
    qtbot.wait(30)
    window.acts["only_drift"].trigger()
    qtbot.wait(30)
    stalls["filter"] = heartbeat.stop()

    heartbeat.start()
    for _ in range(30):
        window.acts["next"].trigger()
        qtbot.wait(1)
    stalls["navigate"] = heartbeat.stop()

    heartbeat.start()
    with qtbot.waitSignal(window.search.finished, timeout=30_000):
        window.start_search("value-2049-47")
    stalls["search"] = heartbeat.stop()
    assert window.matches == [("services", "svc02049", "environment", "SETTING_47")]
    return stalls


def test_a_comparison_of_100k_rows_stays_responsive(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """A step over the limit is measured once more: a moment when other work on the machine held
    both cores passes, while a freeze in parity shows in both attempts."""
    left, right = wide_pair(2050, 48)  # 2050 services × (48 variables + image) ≈ 100k rows
    stalls = _stalls(qtbot, window, left, right)
    if max(stalls.values()) >= LIMIT:
        again = _stalls(qtbot, window, left, right)
        stalls = {step: min(stalls[step], again[step]) for step in stalls}
    assert max(stalls.values()) < LIMIT, stalls


def test_a_comparison_is_kept_out_of_the_collectors_passes_and_a_replaced_one_is_freed() -> None:
    import gc

    from parity_gui.ui.loading import compare_sides

    pair = list(wide_pair(300, 8))
    compare_sides(pair)
    kept = gc.get_freeze_count()
    assert kept > 0  # the comparison just built is set aside from the full passes
    for _ in range(3):  # a replaced comparison is freed though set aside: the set-aside stays level
        compare_sides(pair)
    assert gc.get_freeze_count() <= kept * 1.1
