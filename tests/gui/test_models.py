"""The comparison model and its drift filter: correct Qt models, aligned rows, drift facts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from parity_gui.core.drift import Severity
from parity_gui.core.tree import Environment
from parity_gui.engine import compare
from parity_gui.ui.models import AlignedTreeModel, DriftFilterModel, DriftIndex, Roles
from parity_gui.ui.models.aligned import FETCH_CHUNK, key_column, value_column
from parity_gui.ui.models.index import REVEAL_LIMIT
from tests.gui.conftest import shop_pair, wide_pair

pytestmark = pytest.mark.gui


def model_of(pair=None) -> AlignedTreeModel:  # type: ignore[no-untyped-def]
    comparison = compare(*(pair or shop_pair()))
    model = AlignedTreeModel()
    model.set_comparison(comparison, DriftIndex(comparison))
    return model


def path_index(model: AlignedTreeModel, pointer: str, column: int = 0) -> QModelIndex:
    return model.index_for_path(tuple(pointer.strip("/").split("/")), column)


def test_the_comparison_model_passes_the_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(model_of(), force_py=True)


def test_a_model_of_values_written_as_expressions_passes_the_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(model_of(expression_pair()), force_py=True)


def test_an_empty_model_passes_the_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(AlignedTreeModel(), force_py=True)


@pytest.mark.parametrize("severity", [None, Severity.HIGH, Severity.CRITICAL])
def test_the_drift_filter_passes_the_qt_model_tester(qtmodeltester, severity) -> None:  # type: ignore[no-untyped-def]
    proxy = DriftFilterModel(model_of())
    proxy.set_filter(True, severity)
    qtmodeltester.check(proxy, force_py=True)


@pytest.mark.parametrize("only_drift", [False, True])
def test_the_proxy_hiding_expected_drift_passes_the_qt_model_tester(qtmodeltester, only_drift: bool) -> None:  # type: ignore[no-untyped-def]
    from parity_gui.core.options import CompareOptions, ExpectedDifference
    from parity_gui.core.pointer import PathGlob

    options = CompareOptions(expected=(ExpectedDifference(PathGlob("/services/web/environment/*"), "by design"),))
    comparison = compare(*shop_pair(), options=options)
    model = AlignedTreeModel()
    model.set_comparison(comparison, DriftIndex(comparison))
    proxy = DriftFilterModel(model)
    proxy.set_filter(only_drift, None, hide_expected=True)
    qtmodeltester.check(proxy, force_py=True)
    web = proxy.mapFromSource(model.index_for_path(("services", "web")))
    shown = {proxy.index(row, 0, web).data() for row in range(proxy.rowCount(web))}
    assert "environment" not in shown and "image" in shown


def test_the_unfiltered_proxy_passes_the_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(DriftFilterModel(model_of()), force_py=True)


def test_a_path_one_side_lacks_is_an_empty_placeholder_row_on_that_side() -> None:
    model = model_of()
    debug = path_index(model, "/services/web/environment/DEBUG")
    assert debug.isValid()
    assert debug.siblingAtColumn(key_column(0)).data() == "DEBUG"
    right_key = debug.siblingAtColumn(key_column(1))
    assert right_key.data() is None
    assert right_key.data(Roles.PRESENT) is False
    assert right_key.data(Qt.ItemDataRole.BackgroundRole).style() == Qt.BrushStyle.BDiagPattern


def test_rows_hold_one_key_and_value_column_per_environment() -> None:
    model = model_of()
    assert model.columnCount() == 4
    tag = path_index(model, "/services/web/image/tag")
    assert tag.siblingAtColumn(value_column(0)).data() == "2.3.1"
    assert tag.siblingAtColumn(value_column(1)).data() == "2.4.0"


def test_a_value_shows_the_resolved_value_with_the_text_as_written_beside_it() -> None:
    model = model_of()
    tag = path_index(model, "/services/cache/image/tag", value_column(0))
    assert tag.data() == "7.2"
    assert tag.data(Roles.WRITTEN) == "redis:7.2"
    assert tag.data(Qt.ItemDataRole.ToolTipRole) == "7.2\nas written: redis:7.2"
    same = path_index(model, "/services/web/image/tag", value_column(0))
    assert same.data() == "2.3.1" and same.data(Roles.WRITTEN) is None


def expression_pair() -> tuple[Environment, Environment]:
    """Terraform and compose values written as the same expression on both sides but resolving
    apart, as ``engine_version = var.db_engine_version`` and ``retries: $HEALTHCHECK_RETRIES`` do."""
    from parity_gui.core.origin import Origin
    from parity_gui.core.tree import TreeBuilder

    envs = []
    for name, version, retries, url in (("dev", "14.7", 3, "postgres://db.dev.internal:5432/shop"),
                                        ("prod", "15.4", 5, "postgres://db.prod.internal:5432/shop")):
        builder = TreeBuilder()
        builder.set(("infrastructure", "aws_db_instance.main", "engine_version"), version,
                    Origin("main.tf", 12, 20), raw="var.db_engine_version")
        builder.set(("services", "web", "healthcheck", "retries"), retries, Origin("compose.yml", 30, 16),
                    raw="$HEALTHCHECK_RETRIES")
        builder.set(("services", "web", "environment", "CATALOG_URL"), url, Origin("compose.yml", 9, 20))
        envs.append(builder.into(Environment(name, f"{name}.yml")))
    return envs[0], envs[1]


def test_a_drift_row_shows_each_sides_resolved_value_not_the_shared_expression() -> None:
    model = model_of(expression_pair())
    version = path_index(model, "/infrastructure/aws_db_instance.main/engine_version")
    assert [version.siblingAtColumn(value_column(i)).data() for i in (0, 1)] == ["14.7", "15.4"]
    assert version.siblingAtColumn(value_column(1)).data(Roles.WRITTEN) == "var.db_engine_version"
    retries = path_index(model, "/services/web/healthcheck/retries")
    assert [retries.siblingAtColumn(value_column(i)).data() for i in (0, 1)] == ["3", "5"]
    assert "as written: $HEALTHCHECK_RETRIES" in retries.siblingAtColumn(value_column(0)).data(
        Qt.ItemDataRole.ToolTipRole)


def test_the_changed_part_of_a_long_value_is_marked() -> None:
    model = model_of(expression_pair())
    url = path_index(model, "/services/web/environment/CATALOG_URL")
    left, right = (url.siblingAtColumn(value_column(i)) for i in (0, 1))
    start, end = right.data(Roles.CHANGED_SPAN)
    assert right.data()[start:end] == "prod"
    start, end = left.data(Roles.CHANGED_SPAN)
    assert left.data()[start:end] == "dev"
    assert path_index(model, "/services/web/healthcheck/retries", value_column(1)).data(Roles.CHANGED_SPAN) is None


def test_secret_values_are_masked_until_revealed() -> None:
    model = model_of()
    cell = path_index(model, "/services/web/environment/POSTGRES_PASSWORD", value_column(1))
    assert "s3cr3t" not in cell.data()
    assert "••••" in cell.data()
    model.set_revealed(("services", "web", "environment", "POSTGRES_PASSWORD"), 1, True)
    assert cell.data() == "s3cr3t-prod"
    assert "devpass" not in path_index(model, "/services/web/environment/POSTGRES_PASSWORD", value_column(0)).data()


def test_a_sensitive_terraform_variable_is_masked_wherever_its_value_appears() -> None:
    canary = "Zq8-canary-Hx41"
    infra = {
        "variable.admin_login": {"sensitive": True, "value": canary},
        "aws_db_instance.main": {"login": canary},
    }
    pair = (
        Environment("dev", "dev.tfvars", tree={"infrastructure": infra}),
        Environment("prod", "prod.tfvars", tree={"infrastructure": {**infra, "extra": {"x": "1"}}}),
    )
    model = model_of(pair)
    for pointer in ("/infrastructure/variable.admin_login/value", "/infrastructure/aws_db_instance.main/login"):
        for side in (0, 1):
            cell = path_index(model, pointer, value_column(side))
            assert canary not in cell.data() and "••••" in cell.data()
            assert canary not in cell.data(Qt.ItemDataRole.ToolTipRole)


def test_drift_rows_carry_an_icon_and_ancestors_a_count_badge() -> None:
    model = model_of()
    tag = path_index(model, "/services/web/image/tag")
    assert tag.data(Roles.DRIFT).severity is not None
    assert not tag.data(Qt.ItemDataRole.DecorationRole).isNull()
    count, worst, only_expected = path_index(model, "/services/web").data(Roles.BADGE)
    assert count == 4 and worst is Severity.HIGH and not only_expected
    assert path_index(model, "/services/cache").data(Roles.BADGE) is None


def keys(model, parent: QModelIndex) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.index(r, 0, parent).data(Roles.PATH)[-1] for r in range(model.rowCount(parent))]


def child(model, parent: QModelIndex, key: str) -> QModelIndex:  # type: ignore[no-untyped-def]
    rows = (model.index(r, 0, parent) for r in range(model.rowCount(parent)))
    return next(index for index in rows if index.data(Roles.PATH)[-1] == key)


def test_the_drift_filter_keeps_drift_and_its_ancestors_only() -> None:
    model = model_of()
    proxy = DriftFilterModel(model)
    proxy.set_filter(True, None)
    services = proxy.index(0, 0)
    assert keys(proxy, services) == ["web", "worker"]  # cache has no drift
    assert keys(proxy, child(proxy, services, "web")) == ["image", "environment", "deploy"]
    assert keys(proxy, child(proxy, services, "worker")) == ["command"]  # inside an added service


def test_the_severity_filter_keeps_only_drift_that_serious() -> None:
    proxy = DriftFilterModel(model_of())
    proxy.set_filter(True, Severity.HIGH)
    services = proxy.index(0, 0)
    assert keys(proxy, services) == ["web", "worker"]  # a high image drift, and a service only prod has
    assert keys(proxy, child(proxy, services, "web")) == ["image"]
    proxy.set_filter(True, Severity.CRITICAL)
    assert proxy.rowCount() == 0


def test_a_big_comparison_builds_only_the_rows_asked_for() -> None:
    model = model_of(wide_pair(FETCH_CHUNK))
    services = model.index(0, 0)
    assert model.rowCount(services) == FETCH_CHUNK
    quiet = model.index(1, 0, services)  # svc00001: no drift, so not among the first screens
    assert model.hasChildren(quiet)
    assert quiet.internalPointer()._children is None  # hasChildren did not build them


def test_the_first_screens_are_built_with_the_drift_index_not_by_the_window() -> None:
    comparison = compare(*wide_pair(FETCH_CHUNK))
    index = DriftIndex(comparison)  # what the comparing worker does
    services = comparison.root.child("services")
    assert services is not None and services._children is not None
    opened = [comparison.node(path) for path in index.branches_to_reveal(REVEAL_LIMIT)]
    assert all(node is not None and node._children is not None for node in opened)
    assert services.children[1]._children is None  # a service without drift stays unbuilt


def test_rows_deep_inside_an_added_subtree_pass_the_drift_filter() -> None:
    from parity_gui.core.tree import Environment
    from parity_gui.ui.models.index import ALL_SEVERITIES

    dev = Environment("dev", "a", tree={"services": {"web": {"user": "app"}}})
    prod = Environment("prod", "b", tree={"services": {"web": {"user": "app"}, "worker": {"image": {"tag": "1"}}}})
    index = DriftIndex(compare(dev, prod))
    assert index.accepts(("services", "worker", "image", "tag"), ALL_SEVERITIES)
    assert not index.accepts(("services", "web", "user"), ALL_SEVERITIES)


def test_a_branch_with_thousands_of_children_is_shown_a_chunk_at_a_time() -> None:
    model = model_of(wide_pair(3 * FETCH_CHUNK - 10, 2))
    services = model.index(0, 0)
    assert model.rowCount(services) == FETCH_CHUNK and model.more_below(services)
    model.show_more(services)
    assert model.rowCount(services) == 2 * FETCH_CHUNK
    last = 3 * FETCH_CHUNK - 11
    far = model.index_for_path(("services", f"svc{last:05d}"))
    assert far.isValid() and far.row() == last and model.rowCount(services) == last + 1
    assert not model.more_below(services)


def test_the_model_fetching_in_chunks_passes_the_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = model_of()
    model.fetch_chunk = 1
    qtmodeltester.check(model, force_py=True)
    proxy = DriftFilterModel(model)
    proxy.set_filter(True, None)
    model.set_drift_chunks(proxy.mask)  # as the window does while the drift filter is on
    qtmodeltester.check(proxy, force_py=True)


def test_the_search_index_finds_keys_and_values_as_shown_never_a_secret_in_clear() -> None:
    from parity_gui.ui.search import SearchIndex

    index = SearchIndex(compare(*shop_pair()))
    assert list(index.matches("debug")) == [("services", "web", "environment", "DEBUG")]
    assert ("services", "web", "image", "tag") in list(index.matches("2.4.0"))
    assert list(index.matches("REDIS:7.2")) == [("services", "cache", "image", "tag")]  # as written
    assert list(index.matches("s3cr3t")) == [] and list(index.matches("devpass")) == []
    assert list(index.matches("worker")) == [("services", "worker"), ("services", "worker", "command")]
    assert list(index.matches("a\nb")) == []


def test_the_search_index_lists_each_row_once_in_display_order() -> None:
    from parity_gui.ui.search import SearchIndex, aligned_walk

    comparison = compare(*wide_pair(30))
    index = SearchIndex(comparison)
    found = list(index.matches("value-"))
    order = [path for path, _ in aligned_walk(comparison)]
    assert found == [p for p in order if p in set(found)] and len(found) == len(set(found))
    assert len(found) == sum(1 for p in order if p[-1].startswith("SETTING_"))
    # the text is joined from chunks of a few hundred rows: every row still maps to its own path
    assert len(order) > 1000 and [index.path(row) for row in range(len(index))] == order
    assert index.text.count("\n") == len(order) == index.pointers.count("\n")
