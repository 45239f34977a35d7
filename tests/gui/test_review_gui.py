"""Open at Revision… and Review Change… on a real git repository made in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from parity_gui.core.pointer import from_pointer
from parity_gui.engine.review import Movement
from parity_gui.ui.models.review import ReviewModel
from parity_gui.ui.review_panel import ReviewPanel, review_change, run_review
from parity_gui.ui.revision_dialog import RevisionDialog, open_at_revision
from parity_gui.ui.session import Session
from parity_gui.ui.window import MainWindow
from tests.cli.conftest import run_cli
from tests.gui.conftest import wait_for_comparison
from tests.sources.test_revisions import commit, git

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")]

PROJECT = """\
# the shop's environments; dev is what the others are held against
baseline = "dev"

[environments.dev]
files = ["compose.yml", "compose.dev.yml", ".env.development"]

[environments.prod]
files = ["compose.yml", "compose.prod.yml", ".env.production"]
"""
COMPOSE = """\
x-logging: &logging
  driver: json-file
  options: { max-size: "10m" }
services:
  web:
    image: ghcr.io/acme/shop-web:${WEB_TAG:-2.3.0}
    logging: *logging
    environment:
      WORKERS: "${WORKERS:-2}"
  cache:
    image: redis:7.2   # the same everywhere, until prod lagged
"""
DEV = """\
services:
  web:
    environment:
      DEBUG: "1"   # dev only
"""
PROD = """\
services:
  cache:
    image: redis:7.0
  web:
    image: ghcr.io/acme/shop-web:${WEB_TAG:-2.2.0}
"""
ENV_PRODUCTION = 'POSTGRES_PASSWORD="s3cr3t-prod-1"\r\nWORKERS=8\r\n'
ENV_DEVELOPMENT = "# local only\nPOSTGRES_PASSWORD=devpass\nWORKERS=2\n"


def write(repo: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        (repo / name).write_bytes(content.encode())


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """v1.0: prod runs web 2.2.0; main then moves prod to 2.3.0; the branch ``bump-web`` is checked out."""
    root = tmp_path / "shop"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    commit(root, "Shop environments", {".parity.toml": PROJECT, "compose.yml": COMPOSE, "compose.dev.yml": DEV,
                                       "compose.prod.yml": PROD, ".env.production": ENV_PRODUCTION,
                                       ".env.development": ENV_DEVELOPMENT})
    git(root, "tag", "v1.0")
    commit(root, "Prod runs web 2.3.0", {"compose.prod.yml": PROD.replace("2.2.0", "2.3.0")})
    git(root, "switch", "-q", "-c", "bump-web")
    return root


@pytest.fixture
def shop(qtbot, repo: Path, settings: QSettings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(Session(settings), base=repo)
    win.persist = False
    win.auto_reload = False  # the tests change files and reload when they mean to
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    yield win
    win.pool.wait(20_000)
    qtbot.wait(10)  # the last jobs' results reach the window while it is there


def value(window: MainWindow, side: int, pointer: str) -> object:
    env = window.states[side].env
    assert env is not None
    node: object = env.tree
    for part in from_pointer(pointer):
        assert isinstance(node, dict)
        node = node[part]
    return node


def revision_dialog(qtbot, window: MainWindow, side: int) -> RevisionDialog:  # type: ignore[no-untyped-def]
    dialog = open_at_revision(window, side)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.items.rowCount() > 0, timeout=10_000)
    return dialog


def test_the_revision_dialog_lists_branches_tags_and_commits(qtbot, shop: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, shop, lambda: shop.load_pair([(None, "dev"), (None, "prod")]))
    dialog = revision_dialog(qtbot, shop, 1)
    rows = {(dialog.items.item(r, 0).text(), dialog.items.item(r, 1).text()) for r in range(dialog.items.rowCount())}
    assert {("branch", "main"), ("branch", "bump-web"), ("tag", "v1.0")} <= rows
    commits = [dialog.items.item(r, 2).text() for r in range(dialog.items.rowCount())
               if dialog.items.item(r, 0).text() == "commit"]
    assert [c.split(" (")[0] for c in commits] == ["Prod runs web 2.3.0", "Shop environments"]
    qtbot.keyClicks(dialog.filter, "v1")
    assert dialog.shown.rowCount() == 1 and dialog.revision() == "v1.0"
    assert "prod" in dialog.intro.text()
    dialog.reject()


def test_a_side_reopened_at_a_tag_shows_the_older_values(qtbot, shop: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, shop, lambda: shop.load_pair([(None, "dev"), (None, "prod")]))
    assert value(shop, 1, "/services/web/image/tag") == "2.3.0"
    dialog = revision_dialog(qtbot, shop, 1)
    assert dialog.select("v1.0")
    wait_for_comparison(qtbot, shop, dialog._accept)
    assert shop.states[1].spec == "prod@v1.0"
    assert shop.states[1].env is not None and shop.states[1].env.name == "prod@v1.0"
    assert value(shop, 1, "/services/web/image/tag") == "2.2.0"
    assert shop.sides[1].header.state == "loaded"
    assert shop.sides[1].header.spec.full.endswith("@v1.0")


def test_a_file_spec_reopens_at_a_revision_typed_in_the_filter(qtbot, shop: MainWindow, repo: Path) -> None:  # type: ignore[no-untyped-def]
    spec = "compose.yml+compose.prod.yml"
    wait_for_comparison(qtbot, shop, lambda: shop.load_pair([(None, "compose.yml"), (None, spec)]))
    dialog = revision_dialog(qtbot, shop, 1)
    dialog.view.clearSelection()
    dialog.filter.setText("HEAD~1")
    assert dialog.revision() == "HEAD~1"
    wait_for_comparison(qtbot, shop, dialog._accept)
    assert shop.states[1].spec == f"{spec}@HEAD~1"
    assert value(shop, 1, "/services/web/image/tag") == "2.2.0"
    assert (repo / "compose.prod.yml").read_text() == PROD.replace("2.2.0", "2.3.0")  # the work tree untouched


def test_a_missing_revision_shows_its_one_line_error_in_place(qtbot, shop: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, shop, lambda: shop.load_pair([(None, "dev"), (None, "prod")]))
    dialog = revision_dialog(qtbot, shop, 1)
    dialog.view.clearSelection()
    dialog.filter.setText("v9.9")
    wait_for_comparison(qtbot, shop, dialog._accept)
    side = shop.sides[1]
    assert side.header.state == "failed"
    assert side.stack.currentWidget() is side.page
    assert "v9.9" in side.page.message.text() and "\n" not in side.page.message.text()
    assert shop.sides[0].header.state == "loaded"  # the other side stays usable


def test_a_live_engine_has_no_revisions(qtbot, shop: MainWindow) -> None:  # type: ignore[no-untyped-def]
    shop.states[0].spec = "docker://default/shop"
    assert open_at_revision(shop, 0) is None
    assert "no git revisions" in shop.statusBar().currentMessage()


def change_the_work_tree(repo: Path) -> None:
    """New: prod's web moves to 2.4.0 apart from dev; resolved: prod's cache catches up;
    changed: prod's password and workers move while still differing from dev's."""
    write(repo, {
        "compose.prod.yml": PROD.replace("2.2.0", "2.4.0").replace("redis:7.0", "redis:7.2"),
        ".env.production": ENV_PRODUCTION.replace("s3cr3t-prod-1", "s3cr3t-prod-2").replace("=8", "=16"),
    })


def reviewed(qtbot, window: MainWindow) -> ReviewPanel:  # type: ignore[no-untyped-def]
    panel = review_change(window)
    qtbot.waitUntil(lambda: not panel.running, timeout=60_000)
    return panel


def cells(panel: ReviewPanel) -> dict[str, list[str]]:
    model = panel.model
    return {model.index(r, 2).data(): [model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())}


def test_the_review_panel_shows_new_resolved_and_changed_drift(qtbot, shop: MainWindow, repo: Path) -> None:  # type: ignore[no-untyped-def]
    change_the_work_tree(repo)
    panel = reviewed(qtbot, shop)
    assert panel.summary.text() == "1 new unexpected drift · 1 resolved · 2 changed against dev"
    assert "prod: 4 drift" in panel.changes.text() and "dev: nothing" in panel.changes.text()
    rows = cells(panel)
    assert [r[0] for r in rows.values()] == ["+ new", "~ changed", "~ changed", "✓ resolved"]  # what fails first
    headers = [panel.model.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.model.columnCount())]
    assert headers == ["Drift", "Severity", "Path", "dev", "prod", "Review"]
    assert rows["/services/web/image/tag"][0] == "+ new"
    assert rows["/services/web/image/tag"][3:] == ["2.3.0", "2.3.0 → 2.4.0", "fails"]
    assert rows["/services/cache/image/tag"][0] == "✓ resolved"
    assert rows["/services/cache/image/tag"][3:] == ["7.2", "7.0 → 7.2", ""]  # how it was resolved
    assert rows["/variables/WORKERS"][0] == "~ changed"
    assert rows["/variables/WORKERS"][4] == "8 → 16"
    password = rows["/variables/POSTGRES_PASSWORD"]
    assert password[0] == "~ changed"
    every_cell = " ".join(" ".join(r) for r in rows.values())
    assert "s3cr3t" not in every_cell and "devpass" not in every_cell  # masked, as in the panes
    assert " → " in password[4]  # the secret's tag moved: it changed, without showing it


def test_choosing_a_review_row_selects_its_path_in_the_panes(qtbot, shop: MainWindow, repo: Path) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, shop, lambda: shop.load_pair([(None, "dev"), (None, "prod")]))
    change_the_work_tree(repo)
    wait_for_comparison(qtbot, shop, shop.reload)
    panel = reviewed(qtbot, shop)
    tag = ("services", "web", "image", "tag")
    panel.table.selectRow(next(r for r in range(panel.model.rowCount()) if panel.model.path_at(r) == tag))
    assert shop.pair.current_path() == tag


def test_a_changed_environment_opens_before_and_after_in_the_panes(qtbot, shop: MainWindow, repo: Path) -> None:  # type: ignore[no-untyped-def]
    change_the_work_tree(repo)
    panel = reviewed(qtbot, shop)
    assert '<a href="prod">prod: 4 drift</a>' in panel.changes.text()
    wait_for_comparison(qtbot, shop, lambda: panel.changes.linkActivated.emit("prod"))
    base = git(repo, "rev-parse", "--short=12", "main").strip()
    assert [s.spec for s in shop.states] == [f"prod@{base}", "prod"]
    assert value(shop, 0, "/services/web/image/tag") == "2.3.0"
    assert value(shop, 1, "/services/web/image/tag") == "2.4.0"


def test_reviewing_against_a_chosen_base_and_a_missing_one(qtbot, shop: MainWindow, repo: Path) -> None:  # type: ignore[no-untyped-def]
    change_the_work_tree(repo)
    panel = reviewed(qtbot, shop)
    panel.base.setText("v1.0")
    panel.start()
    qtbot.waitUntil(lambda: not panel.running, timeout=60_000)
    assert "v1.0" in panel.heading.text()
    assert rows_of(panel, Movement.NEW) == []  # at v1.0 prod already lagged: its web tag drift only changed
    assert ("services", "web", "image", "tag") in rows_of(panel, Movement.CHANGED)
    assert cells(panel)["/services/web/image/tag"][3:] == ["2.3.0", "2.2.0 → 2.4.0", ""]
    assert panel.summary.text() == "0 new unexpected drift · 1 resolved · 3 changed against dev"
    panel.base.setText("no-such-branch")
    panel.start()
    qtbot.waitUntil(lambda: not panel.running, timeout=60_000)
    assert panel.heading.text() == "Could not review the change"
    assert "no-such-branch" in panel.summary.text() and "\n" not in panel.summary.text()
    assert panel.model.rowCount() == 0


def rows_of(panel: ReviewPanel, movement: Movement) -> list[tuple[str, ...]]:
    return [m.drift.path for m in panel.model.rows if m.movement is movement]


def test_a_review_can_be_cancelled(qtbot, shop: MainWindow) -> None:  # type: ignore[no-untyped-def]
    panel = review_change(shop)
    panel.stop()
    assert not panel.running and panel.heading.text() == "Review cancelled"
    assert panel.cancel.isHidden() and panel.run.isEnabled()


def test_a_folder_without_a_project_file_says_so_in_place(qtbot, settings: QSettings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(Session(settings), base=tmp_path)
    window.persist = False
    qtbot.addWidget(window)
    panel = reviewed(qtbot, window)
    assert ".parity.toml" in panel.summary.text()
    window.pool.wait(10_000)


def test_the_review_model_passes_the_qt_model_tester(qtmodeltester, repo: Path) -> None:  # type: ignore[no-untyped-def]
    change_the_work_tree(repo)
    model = ReviewModel()
    model.set_table(run_review(repo, None))
    assert model.rowCount() == 4
    qtmodeltester.check(model, force_py=True)
    model.set_table(None)
    qtmodeltester.check(model, force_py=True)


def test_both_actions_have_keys_listed_in_the_help(shop: MainWindow) -> None:
    from parity_gui.ui.help import shortcut_rows

    rows = {does: keys for keys, does in shortcut_rows(shop)}
    assert rows["Open at Revision"] == "Ctrl+Shift+G"
    assert rows["Review Change"] == "Ctrl+Shift+R"


def test_drift_known_from_an_earlier_report_never_fails_the_review(  # type: ignore[no-untyped-def]
    qtbot, shop: MainWindow, repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    change_the_work_tree(repo)
    report = repo.parent / "parity-baseline.json"
    monkeypatch.chdir(repo)
    assert run_cli(capsys, "compare", "--format", "json", "-o", str(report))[0] == 1  # today's drift, accepted
    panel = reviewed(qtbot, shop)
    assert panel.summary.text().startswith("1 new unexpected drift")
    panel.set_known_report(report)
    qtbot.waitUntil(lambda: not panel.running, timeout=60_000)
    assert panel.summary.text() == "1 new drift (none unexpected) · 1 resolved · 2 changed against dev"
    assert cells(panel)["/services/web/image/tag"][-1] == "known"
    assert panel.known.text() == "Known: parity-baseline.json" and not panel.forget.isHidden()
    report.write_text('{"schema": "something else"}')
    panel.start()
    qtbot.waitUntil(lambda: not panel.running, timeout=60_000)
    assert panel.heading.text() == "Could not review the change"
    assert "parity-baseline.json" in panel.summary.text() and "not a parity JSON report" in panel.summary.text()
    panel.forget.click()
    qtbot.waitUntil(lambda: not panel.running, timeout=60_000)
    assert panel.summary.text().startswith("1 new unexpected drift") and panel.forget.isHidden()


def test_the_focused_pane_opens_at_a_revision_from_the_keyboard(qtbot, shop: MainWindow) -> None:  # type: ignore[no-untyped-def]
    wait_for_comparison(qtbot, shop, lambda: shop.load_pair([(None, "dev"), (None, "prod")]))
    shop.activateWindow()
    shop.sides[1].tree.setFocus()
    qtbot.waitUntil(shop.sides[1].tree.hasFocus, timeout=5_000)
    shop.acts["at_revision"].trigger()
    dialog = shop.findChild(RevisionDialog)
    assert dialog is not None and dialog.windowTitle() == "Open Right at Revision"
    dialog.reject()
