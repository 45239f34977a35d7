"""The window as a user drives it: load, read aligned rows, jump between drifts, filter, find."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from parity_gui.core.drift import Severity
from parity_gui.ui import main as gui_main
from parity_gui.ui import theme
from parity_gui.ui import window as window_module
from parity_gui.ui.models import Roles
from parity_gui.ui.models.aligned import FETCH_CHUNK, key_column
from parity_gui.ui.window import MainWindow
from tests.gui.conftest import shop_pair, wait_for_comparison

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

PROD = "docker-compose.yml+docker-compose.prod.yml"


def load_billing(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, window, lambda: window.load_pair([("dev", "docker-compose.yml"), ("prod", PROD)]))


def show_shop(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, window, lambda: window.show_environments(list(shop_pair())))


def pointer(window: MainWindow) -> str:
    path = window.pair.current_path()
    return "/" + "/".join(path) if path else ""


def test_both_sides_load_from_the_command_line_arguments(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    args = gui_main.build_parser().parse_args(["--name", "dev", "--name", "prod", "docker-compose.yml", PROD])
    sides = gui_main.sides_from(args, previous=[])
    assert sides == [("dev", "docker-compose.yml"), ("prod", PROD)]
    wait_for_comparison(qtbot, window, lambda: window.start(sides))
    assert [s.header.state for s in window.sides] == ["loaded", "loaded"]
    assert [s.header.name.full for s in window.sides] == ["dev", "prod"]
    assert window.comparison is not None and window.comparison.summary().drift == 8
    assert "8 drift" in " ".join(label.text() for label in window.summary.labels)


def test_no_arguments_and_no_previous_session_open_the_bundled_examples() -> None:
    args = gui_main.build_parser().parse_args([])
    sides = gui_main.sides_from(args, previous=[])
    assert sides == [("dev", "dev"), ("prod", "prod")]
    from parity_gui.app.project import read_project
    from parity_gui.app.resources import example_project

    project = read_project(example_project() / ".parity.toml")
    assert {"dev", "prod"} <= set(project.environments)


def test_no_arguments_reopen_the_last_session(settings) -> None:  # type: ignore[no-untyped-def]
    previous: list[tuple[str | None, str | None]] = [("dev", "/srv/a.yml"), ("prod", "/srv/b.yml")]
    assert gui_main.sides_from(argparse.Namespace(environments=[], name=[], screenshot=None), previous) == previous


def test_rows_line_up_with_placeholders_where_a_side_lacks_a_path(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    window.select_path(("services", "web", "environment", "DEBUG"))
    left, right = (s.tree for s in window.sides)
    index = left.currentIndex()
    assert left.visualRect(index).top() == right.visualRect(index.siblingAtColumn(key_column(1))).top() > 0
    assert index.siblingAtColumn(key_column(0)).data() == "DEBUG"
    assert index.siblingAtColumn(key_column(1)).data(Roles.PRESENT) is False
    assert not right.isColumnHidden(key_column(1)) and right.isColumnHidden(key_column(0))


def test_expanding_scrolling_and_selecting_one_side_does_the_same_on_the_other(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    left, right = (s.tree for s in window.sides)
    cache = window.proxy_index(("services", "cache"))
    left.expand(cache)
    assert right.isExpanded(cache)
    right.collapse(cache)
    assert not left.isExpanded(cache)
    left.setCurrentIndex(cache)
    assert right.currentIndex() == cache
    window.resize(600, 300)
    window.reveal_drift()
    qtbot.wait(10)
    left.verticalScrollBar().setValue(left.verticalScrollBar().maximum())
    assert right.verticalScrollBar().value() == left.verticalScrollBar().value() > 0


def test_the_first_drift_is_selected_and_drift_paths_start_expanded(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    assert pointer(window) == "/services/web/image/tag"
    left = window.sides[0].tree
    assert left.isExpanded(window.proxy_index(("services", "web", "environment")))
    assert not left.isExpanded(window.proxy_index(("services", "cache")))  # unchanged: folded away


def test_next_drift_visits_every_drift_in_order_and_wraps(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    order = [d.pointer for d in window.comparison.drifts]  # type: ignore[union-attr]
    seen = [pointer(window)]
    for _ in order:
        window.acts["next"].trigger()
        seen.append(pointer(window))
    assert seen == [*order, order[0]]
    window.acts["previous"].trigger()
    assert pointer(window) == order[-1]


def test_drift_navigation_has_the_meld_and_f8_shortcuts(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    shortcuts = {name: [k.toString() for k in window.acts[name].shortcuts()] for name in ("next", "previous")}
    assert shortcuts == {"next": ["Alt+Down", "F8"], "previous": ["Alt+Up", "Shift+F8"]}
    window.activateWindow()
    window.sides[0].tree.setFocus()
    qtbot.keyClick(window.sides[0].tree, Qt.Key.Key_F8)
    assert pointer(window) == "/services/web/environment/POSTGRES_PASSWORD"
    qtbot.keyClick(window.sides[0].tree, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert pointer(window) == "/services/web/image/tag"


def test_only_drift_hides_unchanged_rows_and_keeps_ancestors(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    window.acts["only_drift"].trigger()
    assert not window.proxy_index(("services", "cache")).isValid()
    assert window.proxy_index(("services", "web", "environment", "DEBUG")).isValid()
    assert pointer(window) == "/services/web/image/tag"  # the selection survives filtering
    window.acts["only_drift"].trigger()
    assert window.proxy_index(("services", "cache")).isValid()


def test_the_severity_filter_narrows_rows_and_navigation(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    window.severity_box.setCurrentIndex(2)  # high and above
    assert window.proxy.min_severity is Severity.HIGH and window.acts["only_drift"].isChecked()
    assert not window.proxy_index(("services", "web", "environment", "DEBUG")).isValid()
    window.acts["next"].trigger()
    assert pointer(window) == "/services/worker"
    window.acts["next"].trigger()
    assert pointer(window) == "/services/web/image/tag"


def test_search_finds_keys_and_values_and_highlights_them(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    window.acts["find"].trigger()
    assert window.find_bar.isVisible() and window.find_bar.field.hasFocus()
    with qtbot.waitSignal(window.search.finished):
        qtbot.keyClicks(window.find_bar.field, "celery")
    assert window.matches == [("services", "worker", "command")]
    assert pointer(window) == "/services/worker/command"
    index = window.current_index().siblingAtColumn(1)
    assert index.data(Qt.ItemDataRole.BackgroundRole).color() == window.model.data(
        window.model.index_for_path(("services", "worker", "command")), Qt.ItemDataRole.BackgroundRole).color()
    window.find_bar.field.clear()
    with qtbot.waitSignal(window.search.finished):
        qtbot.keyClicks(window.find_bar.field, "IMAGE")
    assert len(window.matches) == 2 and window.find_bar.count.text() == "1 of 2 matches"
    window.go_to_match(1)
    assert pointer(window) == "/services/cache/image"


def test_search_never_finds_a_masked_secret_by_its_clear_text(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    window.find_bar.open_bar()
    with qtbot.waitSignal(window.search.finished):
        qtbot.keyClicks(window.find_bar.field, "s3cr3t")
    assert window.matches == []
    assert window.find_bar.count.text() == "no match"


def test_the_detail_panel_shows_pointer_values_verdict_and_origins(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    detail = window.detail
    assert detail.pointer.text() == "/services/web/image/tag"
    assert detail.verdict.text() == "HIGH · changed · rule image-version-drift"
    assert "2.3.1" in detail.explanation.text() or detail.explanation.text()
    assert detail.expectation.text().startswith("Not expected")
    (_, left_value, left_origin, _), (_, right_value, right_origin, _) = detail.rows
    assert (left_value.toPlainText(), right_value.toPlainText()) == ("2.3.1", "2.4.0")
    assert "compose.yml:3:12</a>" in left_origin.text() and 'href="file://' in left_origin.text()
    assert "compose.prod.yml:3:12" in right_origin.text()
    detail.copy_pointer()
    assert window.windowHandle() is not None


def test_a_secret_is_revealed_only_on_request(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    window.select_path(("services", "web", "environment", "POSTGRES_PASSWORD"))
    _, value, _, reveal = window.detail.rows[1]
    assert "s3cr3t" not in value.toPlainText()
    assert not reveal.isHidden()
    reveal.click()
    assert value.toPlainText().startswith("s3cr3t-prod")
    assert window.current_index().siblingAtColumn(3).data() == "s3cr3t-prod"
    assert "devpass" not in window.detail.rows[0][1].toPlainText()  # one value, not both sides
    assert "devpass" not in window.current_index().siblingAtColumn(1).data()


@pytest.mark.parametrize("move", ["select", "swap", "reload"])
def test_a_revealed_secret_is_masked_again_when_the_selection_moves(qtbot, window: MainWindow, move: str) -> None:  # type: ignore[no-untyped-def]
    load_billing(qtbot, window)
    comparison = window.comparison
    assert comparison is not None
    secret = next(d.path for d in comparison.drifts if d.path[-1] == "STRIPE_API_KEY")
    window.select_path(secret)
    window.detail.rows[1][3].click()
    assert window.model.revealed == {(secret, 1)}
    if move == "select":
        window.go_to_drift(True)
    else:
        wait_for_comparison(qtbot, window, window.swap if move == "swap" else window.reload)
    assert window.model.revealed == set() and window.detail.revealed == set()
    window.select_path(secret)
    assert not any(box.isChecked() for _, _, _, box in window.detail.rows)


def test_a_live_origin_shows_the_engine_object_id_without_calling_it_a_container(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from parity_gui.core.origin import Origin

    dev, prod = shop_pair()
    prod.origins[("services", "web", "image", "tag")] = Origin(context="prod-ctx", object_id="4f2a9c1d7e3b" * 4,
                                                               attribute="Config.Image")
    wait_for_comparison(qtbot, window, lambda: window.show_environments([dev, prod]))
    text = window.detail.rows[1][2].text()
    assert "id 4f2a9c1d7e3b" in text and "prod-ctx" in text and "Config.Image" in text
    service = "yg0303p5704sod1r0aq2pnvmw"
    prod.origins[("services", "web", "image", "tag")] = Origin(context="prod-ctx", object_id=service,
                                                               attribute="Spec.TaskTemplate.ContainerSpec.Image")
    wait_for_comparison(qtbot, window, lambda: window.show_environments([dev, prod]))
    text = window.detail.rows[1][2].text()  # a swarm service's id: not a container's
    assert "id yg0303p5704s" in text and "container" not in text.replace("ContainerSpec", "")


def test_a_dropped_file_loads_on_the_side_it_was_dropped_on(qtbot, window: MainWindow, gui_data: Path) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(gui_data / "docker-compose.yml"))])
    panel = window.sides[1]
    event = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    wait_for_comparison(qtbot, window, lambda: panel.dropEvent(event))
    assert window.states[1].spec == str(gui_data / "docker-compose.yml")
    assert window.sides[1].header.name.full == "docker-compose.yml"
    assert window.sides[0].header.name.full == "dev"


def test_a_bad_file_shows_its_error_in_place_and_the_other_side_still_works(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    pair = [("dev", "docker-compose.yml"), ("broken", "broken-compose.yml")]
    wait_for_comparison(qtbot, window, lambda: window.load_pair(pair))
    right = window.sides[1]
    assert right.header.state == "failed"
    assert right.stack.currentWidget() is right.page
    assert "unexpected end of stream" in right.page.message.text()
    assert "broken-compose.yml:5:1" in right.page.where.text()
    left = window.sides[0]
    assert left.stack.currentWidget() is left.tree and left.header.state == "loaded"
    assert window.select_path(("services", "api", "image", "tag"))
    assert window.detail.rows[0][1].toPlainText() == "1.8.2"
    assert window.comparison is not None and window.comparison.summary().drift == 0  # nothing to hold it against
    assert window.summary.labels[0].text() == "Nothing to compare with: broken is not loaded"


def test_cancel_frees_the_side_and_ignores_the_late_result(qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    real = window_module.load_environment

    def slow(spec, name, base, cancelled=None):  # type: ignore[no-untyped-def]
        release.wait(10)
        return real(spec, name, base, cancelled)

    monkeypatch.setattr(window_module, "load_environment", slow)
    window.load(1, PROD, "prod")
    header = window.sides[1].header
    assert header.state == "loading" and header.cancel.isVisibleTo(header)
    with qtbot.waitSignal(window.side_settled):
        header.cancel.click()
    assert header.state == "cancelled"
    assert window.sides[1].page.title.text() == "Loading cancelled"
    release.set()
    window.pool.wait(5000)
    qtbot.wait(50)
    assert header.state == "cancelled" and window.states[1].env is None


def test_reload_keeps_expansion_and_selection(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    load_billing(qtbot, window)
    db = ("services", "db")
    window.pair.expand(window.proxy_index(db))
    window.select_path(("services", "db", "image", "tag"))
    wait_for_comparison(qtbot, window, window.reload)
    assert window.sides[0].tree.isExpanded(window.proxy_index(db))
    assert pointer(window) == "/services/db/image/tag"


def test_swap_sides_makes_the_right_side_the_baseline(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    wait_for_comparison(qtbot, window, window.swap)
    assert window.comparison is not None and window.comparison.names == ("prod", "dev")
    assert [s.header.name.full for s in window.sides] == ["prod", "dev"]
    assert window.comparison.drift_at(("services", "worker")).kind.value == "removed"  # type: ignore[union-attr]


def test_recent_environments_and_window_state_persist_in_settings(qtbot, window, settings, gui_data) -> None:  # type: ignore[no-untyped-def]
    from parity_gui.ui.session import Remembered

    load_billing(qtbot, window)
    window.close()
    compose = str(gui_data / "docker-compose.yml")
    prod = f"{gui_data}/docker-compose.yml+{gui_data}/docker-compose.prod.yml"
    assert {e.spec for e in window.session.recent()[:2]} == {prod, compose}
    assert window.session.last_pair() == [Remembered(compose, None, "dev"), Remembered(prod, None, "prod")]
    assert settings.value("window/geometry") is not None
    assert Path(settings.fileName()).parent.name == "settings"


def test_remembered_environments_open_the_same_from_elsewhere(qtbot, settings, gui_data, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from parity_gui.ui.session import Remembered, Session

    first = MainWindow(Session(settings), base=gui_data / "project")
    qtbot.addWidget(first)
    wait_for_comparison(qtbot, first, lambda: first.load_pair([(None, "prod"), (None, "staging")]))
    first.close()
    project = str((gui_data / "project").resolve())
    assert first.session.last_pair() == [Remembered("prod", project, None), Remembered("staging", project, None)]
    assert all(entry.project == project for entry in first.session.recent()[:2])

    monkeypatch.chdir(tmp_path)  # started elsewhere: no project file here
    previous, folder = gui_main.last_session(first.session.last_pair())
    second = MainWindow(Session(settings), base=tmp_path)
    qtbot.addWidget(second)
    second.base = folder
    wait_for_comparison(qtbot, second, lambda: second.load_pair(previous))
    assert [s.header.state for s in second.sides] == ["loaded", "loaded"]
    assert second.comparison is not None and second.comparison.names == ("prod", "staging")
    entry = second.session.recent()[0]
    third = MainWindow(Session(settings), base=tmp_path)
    qtbot.addWidget(third)
    with qtbot.waitSignal(third.side_settled, timeout=20_000):
        third.open_remembered(0, entry)
    assert third.states[0].env is not None


def test_project_environments_load_with_the_expected_differences(qtbot, settings, gui_data: Path) -> None:  # type: ignore[no-untyped-def]
    from parity_gui.ui.session import Session

    window = MainWindow(Session(settings), base=gui_data / "project")
    qtbot.addWidget(window)
    wait_for_comparison(qtbot, window, lambda: window.load_pair([(None, "prod"), (None, "staging")]))
    assert [s.header.name.full for s in window.sides] == ["prod", "staging"]
    summary = window.comparison.summary()  # type: ignore[union-attr]
    assert (summary.drift, summary.expected) == (2, 1)
    window.select_path(("services", "api", "deploy", "replicas"))
    assert window.detail.expectation.text() == "Expected: prod scales out; staging runs one of each"
    cell = window.current_index().siblingAtColumn(1)
    assert cell.data(Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    warning = next(label for label in window.summary.labels if "⚠ 1 warning" in label.text())
    assert "healthcheck/interval matches no drift" in warning.toolTip()
    window.pool.wait(5000)


def test_next_drift_reaches_rows_beyond_the_first_chunk_of_a_big_branch(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.conftest import wide_pair

    wait_for_comparison(qtbot, window, lambda: window.show_environments(list(wide_pair(2 * FETCH_CHUNK + 500, 2))))
    services = window.proxy_index(("services",))
    assert window.model.rowCount(services) == FETCH_CHUNK
    bar = window.sides[1].tree.verticalScrollBar()
    bar.setValue(bar.maximum())  # scrolling to the end shows the next chunk
    assert window.model.rowCount(services) == 2 * FETCH_CHUNK
    window.acts["previous"].trigger()  # wraps to the last drift
    last = window.comparison.drifts[-1]  # type: ignore[union-attr]
    assert window.pair.current_path() == last.path
    left, right = (s.tree for s in window.sides)
    index = left.currentIndex()
    assert left.visualRect(index).top() == right.visualRect(index.siblingAtColumn(key_column(1))).top()


def test_a_report_and_a_fix_patch_are_written_where_the_user_chooses(qtbot, window: MainWindow, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                      monkeypatch, gui_data: Path) -> None:
    from PySide6.QtWidgets import QFileDialog

    load_billing(qtbot, window)
    before = (gui_data / "docker-compose.prod.yml").read_bytes()
    chosen = iter([str(tmp_path / "report.md"), str(tmp_path / "fix.patch")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (next(chosen), ""))
    window.acts["export"].trigger()
    assert "image" in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert window.statusBar().currentMessage() == f"Report saved to {tmp_path / 'report.md'}"
    window.acts["patch_left"].trigger()
    dialog = window.patch_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.patch is not None, timeout=20_000)
    assert "1.9.0" in dialog.preview.toPlainText()  # the diff is shown before anything is written
    assert dialog.width() >= 900 and dialog.preview.height() >= 260
    added = next(b for b in _blocks(dialog.preview.document()) if b.text().startswith("+") and "1.9.0" in b.text())
    assert added.layout().formats()[0].format.foreground().color().name() == theme.current().palette.diff_added
    assert not (tmp_path / "fix.patch").exists()
    dialog.save_button.click()
    assert "Fix patch saved to" in window.statusBar().currentMessage()
    patch = (tmp_path / "fix.patch").read_text(encoding="utf-8")
    assert "--- " in patch and "1.9.0" in patch
    assert (gui_data / "docker-compose.prod.yml").read_bytes() == before  # the user's files are untouched


def test_a_fix_patch_can_cover_only_the_selected_row(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    load_billing(qtbot, window)
    first = window.comparison.next_drift(None)
    assert first is not None and window.select_path(first.path)
    window.acts["patch_left"].trigger()
    dialog = window.patch_dialog
    assert dialog.scope.currentData() == (first.pointer,)
    qtbot.waitUntil(lambda: dialog.patch is not None, timeout=20_000)
    assert [d.pointer for d in dialog.patch.fixed + tuple(n.drift for n in dialog.patch.not_fixed)] == [first.pointer]
    dialog.scope.setCurrentIndex(0)  # all unexpected drift: made again
    qtbot.waitUntil(lambda: dialog.patch is not None, timeout=20_000)
    assert len(dialog.patch.fixed) + len(dialog.patch.not_fixed) >= len(window.comparison.unexpected)
    dialog.reject()


def test_a_row_menu_copies_the_pointer_and_reveals_a_secret(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QGuiApplication

    from parity_gui.ui.actions import row_menu

    show_shop(qtbot, window)
    path = ("services", "web", "environment", "POSTGRES_PASSWORD")
    menu = row_menu(window, path, 1)
    actions = {a.text(): a for a in menu.actions()}
    assert set(actions) == {"Copy JSON Pointer", "Copy Value (prod)", "Reveal Secret (prod)", "Triage…",
                            "Open compose.prod.yml:7:26"}
    actions["Copy JSON Pointer"].trigger()
    assert QGuiApplication.clipboard().text() == "/services/web/environment/POSTGRES_PASSWORD"
    actions["Copy Value (prod)"].trigger()
    assert "s3cr3t" not in QGuiApplication.clipboard().text()
    actions["Reveal Secret (prod)"].trigger()
    assert window.model.index_for_path(path, 3).data() == "s3cr3t-prod"
    assert "Hide Secret (prod)" in [a.text() for a in row_menu(window, path, 1).actions()]


def test_a_parent_rows_detail_sums_up_the_drift_below_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    window.select_path(("services", "web"))
    verdict, explanation = window.detail.verdict.text(), window.detail.explanation.text()
    assert "No drift here" not in verdict
    web = window.comparison.drifts_under(("services", "web"))  # type: ignore[union-attr]
    assert verdict.startswith(f"{sum(not d.expected for d in web)} drift below")
    assert "changed" in verdict and "medium" in verdict
    assert "/image/tag" in explanation and "/environment/DEBUG" in explanation
    window.select_path(("services", "cache"))
    assert window.detail.verdict.text() == "No drift here"


def test_the_open_dialog_shows_dotfiles_so_env_files_can_be_picked(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QDir
    from PySide6.QtWidgets import QFileDialog

    from parity_gui.ui import actions

    (tmp_path / ".env.production").write_text("DATABASE_URL=postgres://db/shop\n")
    window.base = tmp_path
    dialog = actions.file_dialog(window, "Open left environment", QFileDialog.FileMode.ExistingFiles)
    qtbot.addWidget(dialog)
    assert dialog.filter() & QDir.Filter.Hidden
    assert dialog.directory().absolutePath() == str(tmp_path)
    dialog.selectFile(".env.production")
    assert dialog.selectedFiles() == [str(tmp_path / ".env.production")]


def test_the_severity_box_narrows_counts_badges_and_navigation_without_only_drift(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    load_billing(qtbot, window)
    comparison = window.comparison
    assert comparison is not None
    high = [d for d in comparison.unexpected if d.severity.rank <= Severity.HIGH.rank]
    assert 0 < len(high) < len(comparison.unexpected)
    window.severity_box.setCurrentIndex(window.severity_box.findData(Severity.HIGH))
    window.acts["only_drift"].trigger()  # Only Drift off again: the severity still narrows
    assert not window.acts["only_drift"].isChecked()
    counts = " ".join(label.text() for label in window.summary.labels)
    assert f"{len(high)} of {len(comparison.unexpected)} drift" in counts
    assert "medium" not in counts
    for _ in range(len(high) + 1):
        window.go_to_drift(True)
        drift = comparison.drift_at(window.pair.current_path() or ())
        assert drift is not None and drift.severity.rank <= Severity.HIGH.rank
    top = window.model.index_for_path((high[0].path[0],))
    assert top.data(Roles.BADGE)[0] == sum(1 for d in high if d.path[0] == high[0].path[0])
    position = window.summary.position
    assert position is not None and position.text().endswith(f"of {len(comparison.unexpected)}")


def _blocks(document):  # type: ignore[no-untyped-def]
    block = document.firstBlock()
    while block.isValid():
        yield block
        block = block.next()


def test_ctrl_e_still_reveals_drift_after_find_is_closed(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    window.activateWindow()
    window.acts["find"].trigger()
    qtbot.keyClicks(window.find_bar.field, "web")
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert window.focusWidget() is window.pair.lead
    with qtbot.waitSignal(window.acts["reveal"].triggered, timeout=2000):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)


def test_a_warning_read_twice_is_listed_once_and_errors_are_called_errors(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from parity_gui.core.tree import Diagnostic, Level

    dev, prod = shop_pair()
    twice = Diagnostic("variable REDIS_URL is not set; using an empty value", "compose.yml", 12, 9)
    dev.diagnostics.extend([twice, twice, Diagnostic("unexpected end of HCL", "infra/dev.tfvars", 4, 1, Level.ERROR)])
    wait_for_comparison(qtbot, window, lambda: window.show_environments([dev, prod]))
    badge = window.sides[0].header.warnings
    assert badge.text() == "✖ 1 error · ⚠ 1 warning"
    assert len(badge.menu().actions()) == 2


def test_dragging_a_key_column_wider_widens_it_in_every_pane(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    show_shop(qtbot, window)
    left, right = (s.tree for s in window.sides)
    left.header().resizeSection(key_column(0), 333)
    assert right.header().sectionSize(key_column(1)) == 333
    right.header().resizeSection(key_column(1), 250)
    assert left.header().sectionSize(key_column(0)) == 250


def test_help_lists_every_shortcut_and_a_legend_of_glyphs_and_colours(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from parity_gui.ui.help import shortcut_rows

    rows = dict(shortcut_rows(window))
    assert rows["Ctrl+F"] == "Find" and rows["Ctrl+E"] == "Reveal All Drift"
    assert any("F8" in keys for keys in rows) and "F1" in rows
    window.acts["legend"].trigger()
    dialog = window.help_dialog
    assert dialog is not None and dialog.isVisible()
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    for word in ("critical", "hatched", "expected", "~  changed", "+  added", "−  removed", "Ctrl+Shift+X"):
        assert word in texts
    dialog.reject()


def test_the_overview_ruler_maps_the_drift_and_a_click_goes_there(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    load_billing(qtbot, window)
    comparison = window.comparison
    assert comparison is not None
    ruler = window.ruler
    assert len(ruler.marks) == len(comparison.drifts) and ruler.isVisible()
    positions = window.model.index_of_drift.positions  # type: ignore[union-attr]
    assert positions == sorted(positions) and 0 < positions[0] < positions[-1] < 1
    last = comparison.drifts[-1]
    qtbot.mouseClick(ruler, Qt.MouseButton.LeftButton, pos=QPoint(5, ruler.height() - 2))
    assert window.pair.current_path() == last.path
    assert window.summary.position is not None
    total = len(comparison.unexpected)
    assert window.summary.position.text() == f"· drift {total} of {total}"
    window.severity_box.setCurrentIndex(window.severity_box.findData(Severity.HIGH))
    assert all(d.severity.rank <= Severity.HIGH.rank for _, d in ruler._shown())
    assert ruler.grab().width() == ruler.width()  # it paints


def _marked_pixels(ruler) -> int:  # type: ignore[no-untyped-def]
    """How many of the ruler's pixels are marks (differ from its background)."""
    image = ruler.grab().toImage()
    background = theme.current().color("alternate").rgb()
    return sum(image.pixel(x, y) != background for x in range(image.width()) for y in range(image.height()))


def test_the_overview_ruler_draws_its_marks_once_and_again_only_when_they_change(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    load_billing(qtbot, window)
    ruler = window.ruler
    every = _marked_pixels(ruler)
    picture = ruler.picture
    assert every > 0 and picture is not None
    ruler.grab()
    assert ruler.picture is picture  # painting again copies what was drawn
    window.severity_box.setCurrentIndex(window.severity_box.findData(Severity.CRITICAL))
    fewer = _marked_pixels(ruler)
    assert ruler.picture is not picture and 0 <= fewer < every
    window.severity_box.setCurrentIndex(0)
    assert _marked_pixels(ruler) == every
    height = ruler.height()
    window.resize(window.width(), window.height() + 120)
    qtbot.waitUntil(lambda: ruler.height() != height)
    ruler.grab()
    assert ruler.picture is not None and ruler.picture.deviceIndependentSize().height() == ruler.height()


def test_saving_a_source_file_reloads_and_keeps_the_selection(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "compose.yml").write_text("services:\n  web:\n    image: ghcr.io/acme/web:2.3.1\n    restart: always\n")
    prod = tmp_path / "compose.prod.yml"
    prod.write_text("services:\n  web:\n    image: ghcr.io/acme/web:2.4.0  # release\n    restart: always\n")
    window.base = tmp_path
    wait_for_comparison(qtbot, window, lambda: window.load_pair([(None, "compose.yml"), (None, "compose.prod.yml")]))
    assert str(prod.resolve()) in window.watch.watcher.files()
    tag = ("services", "web", "image", "tag")
    window.select_path(tag)
    with qtbot.waitSignal(window.comparison_shown, timeout=20_000):
        prod.write_text("services:\n  web:\n    image: ghcr.io/acme/web:2.5.0  # release\n    restart: always\n")
    assert window.comparison is not None
    assert window.comparison.drift_at(tag).values == ("2.3.1", "2.5.0")  # type: ignore[union-attr]
    assert window.pair.current_path() == tag
    window.acts["auto_reload"].trigger()  # off: a save no longer reloads
    prod.write_text("services:\n  web:\n    image: ghcr.io/acme/web:2.6.0\n    restart: always\n")
    qtbot.wait(RELOAD_WAIT_MS)
    assert window.comparison.drift_at(tag).values == ("2.3.1", "2.5.0")  # type: ignore[union-attr]


RELOAD_WAIT_MS = 1200


def test_triage_records_a_drift_as_expected_in_the_project_file_and_compares_again(qtbot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from parity_gui.core.drift import Severity as Level

    project = tmp_path / ".parity.toml"
    original = ("# the billing service\n[environments.dev]\nfiles = ['a.yml']  # dev\n\n"
                "[environments.prod]\nfiles = ['b.yml']\n")
    project.write_text(original)
    (tmp_path / "a.yml").write_text("services:\n  api:\n    image: acme/api:1.4\n  web:\n    image: acme/web:1.4\n")
    (tmp_path / "b.yml").write_text("services:\n  api:\n    image: acme/api:1.5\n  web:\n    image: acme/web:1.5\n")
    window.base = tmp_path
    wait_for_comparison(qtbot, window, lambda: window.load_pair([(None, "dev"), (None, "prod")]))
    window.select_path(("services", "api", "image", "tag"))
    window.acts["triage"].trigger()
    dialog = window.triage_dialog
    assert dialog is not None and dialog.pattern.count() == 2
    dialog.pattern.setCurrentIndex(1)  # every service
    dialog.reason.setText("prod runs the release candidate")
    with qtbot.waitSignal(window.comparison_shown, timeout=20_000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    text = project.read_text()
    assert text.startswith(original)
    assert text.endswith('[[expected]]\npath = "/services/*/image/tag"\nreason = "prod runs the release candidate"\n')
    comparison = window.comparison
    assert comparison is not None
    assert all(d.expected for d in comparison.drifts if d.path[-1] == "tag")
    window.select_path(("services", "web", "image", "tag"))
    dialog = window.acts["triage"].trigger() or window.triage_dialog
    dialog.decision.setCurrentIndex(dialog.decision.findData(Level.LOW))
    dialog.reason.setText("cosmetic")
    with qtbot.waitSignal(window.comparison_shown, timeout=20_000):
        dialog.save()
    assert '[[severity]]\npath = "/services/web/image/tag"\nlevel = "low"' in project.read_text()


def test_hide_expected_leaves_out_declared_drift_and_navigation_skips_it(qtbot, settings, gui_data: Path) -> None:  # type: ignore[no-untyped-def]
    from parity_gui.ui.session import Session

    window = MainWindow(Session(settings), base=gui_data / "project")
    qtbot.addWidget(window)
    wait_for_comparison(qtbot, window, lambda: window.load_pair([(None, "prod"), (None, "staging")]))
    replicas = ("services", "api", "deploy", "replicas")
    assert window.comparison is not None and window.comparison.drift_at(replicas).expected  # type: ignore[union-attr]
    assert window.select_path(replicas)
    window.acts["hide_expected"].trigger()
    assert window.view_model is window.proxy and not window.proxy_index(replicas).isValid()
    for _ in range(4):
        window.go_to_drift(True)
        assert window.pair.current_path() != replicas
    window.acts["hide_expected"].trigger()
    assert window.view_model is window.model and window.select_path(replicas)
    window.pool.wait(5000)


def test_the_drift_filter_shows_a_big_branch_a_chunk_of_drift_at_a_time(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.conftest import wide_pair

    wait_for_comparison(qtbot, window, lambda: window.show_environments(list(wide_pair(10 * FETCH_CHUNK, 2))))
    window.set_filter(True, None)
    services = window.proxy_index(("services",))
    assert window.proxy.rowCount(services) == FETCH_CHUNK  # a chunk counts services with drift
    bar = window.sides[1].tree.verticalScrollBar()
    bar.setValue(bar.maximum())  # scrolling to the end shows the next chunk of them
    assert window.proxy.rowCount(services) == 2 * FETCH_CHUNK
    window.acts["previous"].trigger()  # wraps to the last drift, beyond every chunk shown
    assert window.pair.current_path() == window.comparison.drifts[-1].path  # type: ignore[union-attr]
    shown = window.proxy.rowCount(services)
    with_drift = {d.path[1] for d in window.comparison.drifts}  # type: ignore[union-attr]
    assert shown == len(with_drift)  # every service with drift up to the last, none without
