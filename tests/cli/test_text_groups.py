"""The text report tells the same change in many places once, and writes paths readably."""

from __future__ import annotations

from parity_gui.cli.text import render
from parity_gui.engine import compare
from tests.engine.test_groups import fleet


def test_one_tag_bump_in_many_services_is_told_once_with_its_places() -> None:
    left, right = fleet(12)
    left.tree["services"]["svc-03"]["volumes"] = {"/etc/netbox/config": {"source": "./config", "read_only": True}}
    right.tree["services"]["svc-03"]["volumes"] = {"/etc/netbox/config": {"source": "./config", "read_only": False}}
    text = render(compare(left, right))
    assert "/services/*/image/tag  same change in 11 places" in text
    assert "in svc-01, svc-02, svc-03, svc-04, svc-05, svc-06, svc-07, svc-08, … (3 more)" in text
    assert text.count("1.5.0") == 2  # the change once (the explanation and prod's value), not eleven times
    assert "/services/svc-00\n" in text and "2.0.0" in text
    assert "volumes[/etc/netbox/config]/read_only" in text and "~1" not in text
