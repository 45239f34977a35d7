"""Menus, toolbar and keyboard shortcuts of the main window.

Shortcuts follow Meld where it has one: Alt+Down / Alt+Up for the next and previous drift
(F8 / Shift+F8 too), Ctrl+F to find, Ctrl+R / F5 to reload.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path as FilePath
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QFileDialog, QInputDialog, QMenu, QMessageBox, QToolBar

from parity_gui.core.drift import Severity
from parity_gui.core.secrets import mask_text
from parity_gui.errors import ParityError
from parity_gui.ui import theme
from parity_gui.ui.widgets import configure

if TYPE_CHECKING:
    from parity_gui.ui.side import SidePanel
    from parity_gui.ui.window import MainWindow

SIDE_NAMES = ("left", "right")


def side_name(side: int) -> str:
    """``left``, ``right``, then ``pane 3``, ``pane 4`` … for more environments."""
    return SIDE_NAMES[side] if side < len(SIDE_NAMES) else f"pane {side + 1}"
#: What the toolbar calls the actions whose menu names are long.
TOOLBAR_WORDS = {"reveal": "Reveal Drift", "collapse": "Collapse", "find": "Find", "export": "Export…",
                 "only_drift": "Only Drift"}
SEVERITY_CHOICES: tuple[tuple[str, Severity | None], ...] = (
    ("Any severity", None),
    ("Critical only", Severity.CRITICAL),
    ("High and above", Severity.HIGH),
    ("Medium and above", Severity.MEDIUM),
    ("Low and above", Severity.LOW),
)
SPEC_HELP = (
    "Any environment parity accepts, as on the command line:\n"
    "  files joined with + (compose.yml+compose.prod.yml), a folder,\n"
    "  Dockerfile#stage, docker://CONTEXT/PROJECT, docker://*/PROJECT (a pane per engine),\n"
    "  or an environment named in .parity.toml"
)


def _action(window: MainWindow, text: str, slot: Callable[..., object], keys: tuple[str, ...] = (),
            tip: str = "", *, checkable: bool = False) -> QAction:
    action = QAction(text, window, checkable=checkable)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    shortcut = f" ({', '.join(keys)})" if keys else ""
    action.setToolTip((tip or text.replace("…", "")) + shortcut)
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def install(window: MainWindow) -> None:
    """Create every action of ``window`` and put them in its menus, toolbar and side headers."""
    acts = {
        "open_left": _action(window, "Open Left…", partial(open_files, window, 0), ("Ctrl+O",)),
        "open_right": _action(window, "Open Right…", partial(open_files, window, 1), ("Ctrl+Shift+O",)),
        "swap": _action(window, "⇄ Swap", window.swap, ("Ctrl+Shift+X",), "Swap sides (left is the baseline)"),
        "reload": _action(window, "↻ Reload", window.reload, ("Ctrl+R", "F5"), "Load both sides again"),
        "previous": _action(window, "▲ Previous", partial(window.go_to_drift, False), ("Alt+Up", "Shift+F8"),
                            "Previous drift"),
        "next": _action(window, "▼ Next", partial(window.go_to_drift, True), ("Alt+Down", "F8"), "Next drift"),
        "find": _action(window, "Find…", window.find_bar.open_bar, ("Ctrl+F",), "Find a key or value"),
        "reveal": _action(window, "Reveal All Drift", partial(window.reveal_drift, None), ("Ctrl+E",),
                          "Expand every branch that leads to drift"),
        "collapse": _action(window, "Collapse All", window.pair.collapse_all, ("Ctrl+Shift+E",)),
        "copy": _action(window, "Copy JSON Pointer", window.detail.copy_pointer, ("Ctrl+Shift+C",)),
        "export": _action(window, "Export Report…", partial(export_report, window), ("Ctrl+S",)),
        "patch_right": _action(window, "Fix Patch: Make Right Match Left…", partial(export_patch, window, 0, 1),
                               tip="Write a patch that makes the right side's files match the left"),
        "patch_left": _action(window, "Fix Patch: Make Left Match Right…", partial(export_patch, window, 1, 0),
                              tip="Write a patch that makes the left side's files match the right"),
        "quit": _action(window, "Quit", window.close, ("Ctrl+Q",)),
        "triage": _action(window, "Triage Selected Drift…", partial(_triage, window), ("Ctrl+T",),
                          "Record the selected drift as expected, or rate it, in .parity.toml"),
        "about": _action(window, "About parity", partial(show_about, window)),
        "shortcuts": _action(window, "Keyboard Shortcuts", partial(_show_help, window, 0), ("F1",)),
        "legend": _action(window, "Legend: Glyphs and Colours", partial(_show_help, window, 1)),
        "at_revision": _action(window, "Open at Revision…", partial(_open_at_revision, window, None),
                               ("Ctrl+Shift+G",), "Open the focused pane as it was at a branch, tag or commit"),
        "review": _action(window, "Review Change…", partial(_review_change, window), ("Ctrl+Shift+R",),
                          "How the change since a base revision moves the drift between the project's environments"),
    }
    acts["matrix"] = _action(window, "Matrix", partial(_matrix, window), ("Ctrl+M",),
                             "Every environment's value of each path in one table, marked against the baseline,"
                             " in place of the panes", checkable=True)
    acts["auto_reload"] = _action(window, "Reload When Files Change", lambda: _auto_reload(window), (),
                                  "Reload the environments when one of their files is saved", checkable=True)
    acts["auto_reload"].setChecked(window.auto_reload)
    acts["hide_expected"] = _action(window, "Hide Expected Drift", lambda: _filter_changed(window), ("Ctrl+H",),
                                    "Leave out drift the project file declares expected", checkable=True)
    acts["only_drift"] = _action(window, "Only Drift", lambda: _filter_changed(window), ("Ctrl+D",),
                                 "Show only rows with drift and their ancestors", checkable=True)
    window.acts.update(acts)
    _fill_severity_box(window, window.severity_box)
    _menus(window, acts)
    _toolbar(window, acts)


def connect_panel(window: MainWindow, panel: SidePanel) -> None:
    """A pane's Open menu, its pane menu (baseline, order, close) and its rows' menus."""
    panel.header.open_button.setMenu(open_menu(window, panel.side))
    menu = QMenu(panel.header.pane_button)
    menu.aboutToShow.connect(partial(_fill_pane_menu, window, panel.side, menu))
    panel.header.pane_button.setMenu(menu)
    panel.tree.row_menu_requested.connect(partial(_row_menu, window))


def _fill_pane_menu(window: MainWindow, side: int, menu: QMenu) -> None:
    menu.clear()
    last = len(window.states) - 1
    baseline = menu.addAction("Make Baseline", partial(window.make_baseline, side))
    baseline.setEnabled(side > 0)
    menu.addAction("Move Left", partial(window.move_pane, side, side - 1)).setEnabled(side > 0)
    menu.addAction("Move Right", partial(window.move_pane, side, side + 1)).setEnabled(side < last)
    menu.addSeparator()
    menu.addAction("Hide This Environment", partial(window.hide_pane, side)).setEnabled(last >= 2)
    for which, state in enumerate(window.hidden):
        menu.addAction(f"Show {state.shown_name('hidden environment')}", partial(window.show_hidden, which))
    menu.addAction("Add Environment", window.add_environment)
    menu.addAction("Close This Pane", partial(window.close_pane, side)).setEnabled(last >= 2)


def _matrix(window: MainWindow) -> None:
    from parity_gui.ui.matrix import show_matrix

    show_matrix(window, window.acts["matrix"].isChecked())


def _triage(window: MainWindow) -> None:
    from parity_gui.ui.triage import triage_selected

    triage_selected(window)


def _open_at_revision(window: MainWindow, side: int | None) -> None:
    from parity_gui.ui.revision_dialog import open_at_revision

    open_at_revision(window, side)


def _review_change(window: MainWindow) -> None:
    from parity_gui.ui.review_panel import review_change

    review_change(window)


def _auto_reload(window: MainWindow) -> None:
    window.auto_reload = window.acts["auto_reload"].isChecked()


def _fill_severity_box(window: MainWindow, box: QComboBox) -> None:
    box.setToolTip("Count and show drift of this severity or worse")
    for text, severity in SEVERITY_CHOICES:
        box.addItem(theme.current().severity_icon(severity) if severity else theme.current().severity_icon(
            Severity.INFO), text, severity)
    box.currentIndexChanged.connect(lambda _: _filter_changed(window, severity_chosen=True))


def _filter_changed(window: MainWindow, severity_chosen: bool = False) -> None:
    """Decision: choosing a severity turns "Only drift" on, since that is what narrowing asks for."""
    only = window.acts["only_drift"]
    severity = window.severity_box.currentData()
    if severity_chosen and severity is not None and not only.isChecked():
        only.blockSignals(True)
        only.setChecked(True)
        only.blockSignals(False)
    window.set_filter(only.isChecked(), severity, window.acts["hide_expected"].isChecked())


def _menus(window: MainWindow, acts: dict[str, QAction]) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    for side, name in enumerate(SIDE_NAMES):
        sub = open_menu(window, side)
        sub.setTitle(f"Open {name.title()}")
        file_menu.addMenu(sub)
    file_menu.addAction(acts["at_revision"])
    file_menu.addAction(acts["review"])
    file_menu.addSeparator()
    for key in ("reload", "swap", "export", "patch_right", "patch_left"):
        file_menu.addAction(acts[key])
    file_menu.addSeparator()
    file_menu.addAction(acts["quit"])
    view_menu = bar.addMenu("&View")
    for key in ("only_drift", "hide_expected", "reveal", "collapse", "matrix", "auto_reload"):
        view_menu.addAction(acts[key])
    drift_menu = bar.addMenu("&Drift")
    drift_menu.addAction(acts["triage"])
    go_menu = bar.addMenu("&Go")
    for key in ("next", "previous", "find", "copy"):
        go_menu.addAction(acts[key])
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(acts["shortcuts"])
    help_menu.addAction(acts["legend"])
    help_menu.addSeparator()
    help_menu.addAction(acts["about"])


def _show_help(window: MainWindow, tab: int) -> None:
    from parity_gui.ui.help import show_help

    window.help_dialog = show_help(window, tab)


def show_about(window: MainWindow) -> None:
    from parity_gui.ui.about import AboutDialog

    AboutDialog(window).exec()


def _toolbar(window: MainWindow, acts: dict[str, QAction]) -> None:
    bar = configure(QToolBar("Main"), objectName="MainToolbar", movable=False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for key in ("open_left", "open_right", "swap", "reload", None, "previous", "next", None, "only_drift"):
        if key is None:
            bar.addSeparator()
        else:
            bar.addAction(acts[key])
    bar.addWidget(window.severity_box)
    bar.addSeparator()
    for key in ("reveal", "collapse", "matrix", "find", "export"):
        bar.addAction(acts[key])
    for key, short in TOOLBAR_WORDS.items():  # short words, so the bar fits a 1024-pixel window
        acts[key].setIconText(short)
    window.addToolBar(bar)


def open_menu(window: MainWindow, side: int) -> QMenu:
    """The ways to open an environment on ``side``: files, folder, Docker, any spec, recent."""
    menu = QMenu(f"Open {side_name(side)}", window)
    menu.addAction("Files…", partial(open_files, window, side))
    menu.addAction("Folder…", partial(open_folder, window, side))
    docker = menu.addMenu("Docker Context")
    docker.aboutToShow.connect(partial(_fill_contexts, window, side, docker))
    project = menu.addMenu("Project Environment")
    project.aboutToShow.connect(partial(_fill_project, window, side, project))
    menu.addAction("Environment or Spec…", partial(open_spec, window, side, ""))
    menu.addAction("At Revision…", partial(_open_at_revision, window, side))
    recent = menu.addMenu("Recent")
    recent.aboutToShow.connect(partial(_fill_recent, window, side, recent))
    return menu


def _fill_recent(window: MainWindow, side: int, menu: QMenu) -> None:
    menu.clear()
    for entry in window.session.recent():
        menu.addAction(entry.label, partial(window.open_remembered, side, entry))
    if menu.isEmpty():
        menu.addAction("(nothing yet)").setEnabled(False)


def _fill_contexts(window: MainWindow, side: int, menu: QMenu) -> None:
    """The Docker contexts the docker CLI knows, then a free entry for ``docker://CONTEXT/PROJECT``."""
    from parity_gui.app.contexts import list_contexts
    from parity_gui.errors import ParityError

    menu.clear()
    try:
        contexts = list_contexts()
    except ParityError as error:
        menu.addAction(f"({mask_text(error.message)})").setEnabled(False)
        contexts = []
    for context in contexts:
        label = f"{context.name}{' (current)' if context.current else ''} — {context.endpoint}"
        menu.addAction(label, partial(window.load, side, f"docker://{context.name}"))
    menu.addSeparator()
    menu.addAction("Other…", partial(open_spec, window, side, "docker://"))


def _fill_project(window: MainWindow, side: int, menu: QMenu) -> None:
    """The environments of the ``.parity.toml`` above the working folder."""
    from parity_gui.errors import ParityError
    from parity_gui.ui.loading import find_project

    menu.clear()
    try:
        project = find_project(window.base)
    except ParityError as error:
        menu.addAction(f"(.parity.toml: {mask_text(str(error))})").setEnabled(False)
        return
    if project is None:
        menu.addAction("(no .parity.toml here)").setEnabled(False)
        return
    for name, definition in project.environments.items():
        label = f"{name} — {definition.description}" if definition.description else name
        menu.addAction(label, partial(window.load, side, name))


def file_dialog(window: MainWindow, title: str, mode: QFileDialog.FileMode) -> QFileDialog:
    """An Open dialog that shows dotfiles: ``.env``, ``.env.production`` and ``.parity.toml`` are
    what parity reads most, and the system's dialog hides them.

    Decision: Qt's own dialog, because a native one ignores the hidden-files filter.
    """
    dialog = QFileDialog(window, title, str(window.base or ""))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFilter(dialog.filter() | QDir.Filter.Hidden)
    dialog.setFileMode(mode)
    return dialog


def open_files(window: MainWindow, side: int) -> None:
    dialog = file_dialog(window, f"Open {side_name(side)} environment", QFileDialog.FileMode.ExistingFiles)
    if dialog.exec() and dialog.selectedFiles():
        window.load(side, "+".join(dialog.selectedFiles()))


def open_folder(window: MainWindow, side: int) -> None:
    dialog = file_dialog(window, f"Open {side_name(side)} folder", QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if dialog.exec() and dialog.selectedFiles():
        window.load(side, dialog.selectedFiles()[0])


def open_spec(window: MainWindow, side: int, prefix: str) -> None:
    current = window.states[side].spec or ""
    text, ok = QInputDialog.getText(window, f"Open {side_name(side)}", SPEC_HELP,
                                    text=current if current.startswith(prefix) else prefix)
    if ok and text.strip():
        window.load(side, text.strip())


def export_report(window: MainWindow) -> None:
    """Save a report of the comparison on screen; the format follows the file name."""
    if window.comparison is None:
        return
    from parity_gui.app.export import format_for, save_report

    filters = "JSON (*.json);;Markdown (*.md);;HTML (*.html);;SARIF (*.sarif)"
    name, _ = QFileDialog.getSaveFileName(window, "Export report", "parity-report.json", filters)
    if not name:
        return
    try:
        save_report(window.comparison, format_for(FilePath(name)), FilePath(name))
    except ParityError as error:
        QMessageBox.warning(window, "Export failed", mask_text(str(error)))
        return
    from parity_gui.ui.side import tell

    tell(window, f"Report saved to {name}")


def export_patch(window: MainWindow, reference: int, target: int) -> None:
    """Open the fix patch dialog: one side's files made to match the other's, for all unexpected
    drift or the selected row, previewed before it is saved.

    The user's files are never touched: the patch is written where the user chooses, to apply
    with ``git apply``. Secrets stay placeholders, as in every export.
    """
    comparison = window.comparison
    if comparison is None or any(s.env is None for s in window.states):
        QMessageBox.information(window, "Fix patch", "Load both sides first.")
        return
    from parity_gui.ui.patch_dialog import PatchDialog

    specs = [s.spec or "" for s in window.states]
    base = window.base or FilePath.cwd()

    def make(only: Sequence[str]) -> object:
        from parity_gui.app.compare import request_for
        from parity_gui.app.export import build_patch

        request = request_for(specs, cwd=base)
        return build_patch(comparison, reference=reference, target=target, only=only, request=request)

    node = window.detail.node
    selected = node.path if node is not None and comparison.drift_covering(node.path) is not None else None
    names = comparison.names
    dialog = PatchDialog(window, window.pool, make, reference=names[reference], target=names[target],
                         selected=selected)
    window.patch_dialog = dialog
    dialog.open()


def row_menu(window: MainWindow, path: tuple[str, ...], side: int) -> QMenu:
    """What a row offers: copy its pointer or value, reveal a secret, open where it was written."""
    from PySide6.QtGui import QGuiApplication

    from parity_gui.core.pointer import to_pointer
    from parity_gui.ui.models.values import is_secret, masking_of, shown_text
    from parity_gui.ui.side import open_file

    menu = QMenu(window)
    comparison = window.comparison
    node = comparison.node(path) if comparison is not None else None
    if comparison is None or node is None:
        return menu
    env = comparison.environments[side]
    clipboard = QGuiApplication.clipboard()
    menu.addAction("Copy JSON Pointer", lambda: clipboard.setText(to_pointer(path)))
    if node.present(side) and not node.is_branch:
        masking = masking_of(comparison)
        text = shown_text(env, path, node.values[side], reveal=(path, side) in window.model.revealed,
                          masking=masking)
        menu.addAction(f"Copy Value ({env.name})", lambda: clipboard.setText(text))
        if is_secret(path, masking):
            revealed = (path, side) in window.model.revealed
            menu.addAction(f"Hide Secret ({env.name})" if revealed else f"Reveal Secret ({env.name})",
                           lambda: window.reveal(path, side, not revealed))
    if comparison.drift_covering(path) is not None:
        menu.addAction("Triage…", window.acts["triage"].trigger)
    origin = env.origin(path) if node.present(side) else None
    if origin is not None and origin.file:
        menu.addAction(f"Open {origin}", lambda: open_file(origin.file or "", origin.line, window))
    return menu


def _row_menu(window: MainWindow, path: tuple[str, ...], side: int, where: object) -> None:
    window.select_path(path)
    row_menu(window, path, side).exec(where)  # type: ignore[call-overload]
