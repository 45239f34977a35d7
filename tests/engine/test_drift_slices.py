"""The comparison answers "what drift is below here" and "which drift is this" without a scan."""

from __future__ import annotations

from parity_gui.core.tree import Environment
from parity_gui.engine import compare


def pair() -> tuple[Environment, Environment]:
    left = {"services": {"api": {"image": {"tag": "1"}, "environment": {"A": "1", "B": "2"}},
                         "web": {"image": {"tag": "1"}}}}
    right = {"services": {"api": {"image": {"tag": "2"}, "environment": {"A": "9"}},
                          "web": {"image": {"tag": "3"}}, "worker": {"image": {"tag": "1"}}}}
    return Environment("dev", "dev.yml", tree=left), Environment("prod", "prod.yml", tree=right)


def test_drifts_under_a_path_are_the_slice_below_it_in_display_order() -> None:
    comparison = compare(*pair())
    under = comparison.drifts_under(("services", "api"))
    assert [d.path[2:] for d in under] == [("image", "tag"), ("environment", "A"), ("environment", "B")]
    assert comparison.drifts_under(()) == comparison.drifts
    assert comparison.drifts_under(("services", "nothing")) == ()


def test_the_position_of_a_drift_counts_the_drift_up_to_it() -> None:
    comparison = compare(*pair())
    assert comparison.drift_position(None) == 0
    assert [comparison.drift_position(d.path) for d in comparison.drifts] == list(range(1, len(comparison.drifts) + 1))
    assert comparison.drift_position(("services", "api")) == 0
