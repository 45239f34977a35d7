"""The same change in many places forms one group."""

from __future__ import annotations

from parity_gui.core.pointer import readable
from parity_gui.core.tree import Environment
from parity_gui.engine import compare
from parity_gui.engine.groups import drift_groups


def fleet(services: int) -> tuple[Environment, Environment]:
    """A tag bump in every service, a label added to most, and one service with its own change."""
    left: dict[str, object] = {}
    right: dict[str, object] = {}
    for n in range(services):
        name = f"svc-{n:02d}"
        left[name] = {"image": {"repository": f"acme/{name}", "tag": "1.4.2"}, "labels": {}}
        right[name] = {"image": {"repository": f"acme/{name}", "tag": "1.5.0"},
                       "labels": {"team": "payments"} if n % 4 else {}}
    right["svc-00"]["image"] = {"repository": "acme/svc-00", "tag": "2.0.0"}  # type: ignore[index]
    dev = Environment("dev", "dev.yml", tree={"services": left})
    return dev, Environment("prod", "prod.yml", tree={"services": right})


def test_a_tag_bump_in_many_services_is_one_group_and_a_different_change_stays_apart() -> None:
    comparison = compare(*fleet(40))
    groups = drift_groups(comparison.drifts)
    tags = next(g for g in groups if g.pattern == ("services", "*", "image", "tag"))
    assert tags.values == ("1.4.2", "1.5.0") and len(tags.members) == 39
    assert "svc-00" not in tags.entities
    labels = next(g for g in groups if g.pattern[-1] == "team")
    assert len(labels.members) == 30 and labels.kind.value == "added"


def test_fewer_than_three_alike_are_no_group() -> None:
    assert drift_groups(compare(*fleet(2)).drifts) == []


def test_paths_read_with_slashes_inside_segments_in_brackets() -> None:
    netbox = ("services", "netbox", "volumes", "/etc/netbox/config")
    assert readable(netbox) == "services/netbox/volumes[/etc/netbox/config]"
    assert readable(("ports", "80/tcp")) == "ports[80/tcp]"
    assert readable(("services", "*", "image", "tag")) == "services/*/image/tag"
