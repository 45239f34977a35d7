from __future__ import annotations

from parity_gui.core.origin import Origin
from parity_gui.core.tree import MISSING, Coverage, Environment, TreeBuilder, combine


def built() -> Environment:
    builder = TreeBuilder()
    builder.branch(("services", "db"), Origin("compose.yml", 10, 3))
    builder.set(("services", "db", "image", "tag"), "14.7", Origin("compose.yml", 11, 21), raw="postgres:14.7")
    builder.set(("services", "db", "environment", "POSTGRES_DB"), "shop", Origin("compose.yml", 13, 20))
    return builder.into(Environment("prod", "compose.yml"))


def test_a_built_tree_keeps_values_origins_and_raw_text() -> None:
    env = built()
    assert env.tree == {"services": {"db": {"image": {"tag": "14.7"}, "environment": {"POSTGRES_DB": "shop"}}}}
    node = env.node(("services", "db", "image", "tag"))
    assert node is not None
    assert (node.value, node.raw, str(node.origin)) == ("14.7", "postgres:14.7", "compose.yml:11:21")


def test_a_path_without_its_own_origin_uses_the_nearest_ancestors() -> None:
    env = built()
    assert env.origin(("services", "db", "image")) == Origin("compose.yml", 10, 3)


def test_absent_paths_are_missing_not_none() -> None:
    env = built()
    assert env.get(("services", "web")) is MISSING
    assert env.get(("services", "db", "image", "tag", "deeper")) is MISSING
    assert env.node(("nope",)) is None


def test_leaves_are_listed_depth_first() -> None:
    assert [p for p, _ in built().leaves()] == [
        ("services", "db", "image", "tag"),
        ("services", "db", "environment", "POSTGRES_DB"),
    ]


def test_combined_pieces_merge_their_subtrees_and_coverage() -> None:
    compose = Environment("dev", "x", tree={"services": {"web": {"user": "app"}}},
                          coverage=Coverage.of(["/services/**"]))
    dotenv = Environment("dev", "y", tree={"variables": {"A": "1"}}, coverage=Coverage.of(["/variables/**"]))
    env = combine([compose, dotenv], "dev", "x+y")
    assert env.tree == {"services": {"web": {"user": "app"}}, "variables": {"A": "1"}}
    assert env.coverage.covers(("variables", "A"))
    assert env.coverage.covers(("services", "web", "user"))
    assert not env.coverage.covers(("engine", "version"))


def test_coverage_exclusions_win() -> None:
    coverage = Coverage.of(["/services/**"], ["/services/*/build/**"])
    assert coverage.covers(("services", "web", "image"))
    assert not coverage.covers(("services", "web", "build", "context"))


def test_an_environment_made_by_hand_covers_everything() -> None:
    assert Environment("a", "a").coverage.covers(("engine", "os"))
