"""Open at Revision…: pick a branch, tag or recent commit, and a side loads as it was then.

The repository's revisions are listed in a worker (git runs there, never on the GUI thread);
the filter box narrows the list by name, kind or subject, and whatever else it holds
(``HEAD~3``, an abbreviated commit) is taken as the revision when no row is chosen. The side
then loads ``SPEC@REV`` (``NAME@REV`` for a project environment) through the window's own
loading, with its progress, Cancel and error in place: a revision or path that does not exist
shows its one-line error on that side.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from parity_gui.errors import ParityError
from parity_gui.ui.loading import Failure, Job, Pool

if TYPE_CHECKING:
    from parity_gui.ui.window import MainWindow

HEADERS = ("Kind", "Name", "Subject and date")


def list_revisions(folder: Path) -> list[tuple[str, str, str]]:
    """(kind, name, summary) of the branches, tags and recent commits of ``folder``'s repository."""
    from parity_gui.app.revisions import revision_choices

    return [(c.kind, c.name, c.summary) for c in revision_choices(folder)]


class RevisionDialog(QDialog):
    """The revisions of one repository, filtered as the user types."""

    chosen = Signal(str)  #: the revision, as written after ``@``

    def __init__(self, parent: QWidget | None, pool: Pool, folder: Path, what: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open at Revision")
        self.folder = folder
        self.intro = QLabel(f"Open <b>{_escaped(what)}</b> as it was at:")
        self.intro.setWordWrap(True)
        self.filter = QLineEdit(placeholderText="Filter, or type any revision (HEAD~3, a commit, a tag)")
        self.filter.setClearButtonEnabled(True)
        self.items = QStandardItemModel(0, len(HEADERS), self)
        self.items.setHorizontalHeaderLabels(list(HEADERS))
        self.shown = QSortFilterProxyModel(self)
        self.shown.setSourceModel(self.items)
        self.shown.setFilterKeyColumn(-1)
        self.shown.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.view = self._make_view()
        self.note = QLabel("Reading the repository…")
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.filter.textChanged.connect(self._filtered)
        self.filter.returnPressed.connect(self._accept)
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.filter, self.view, self.note, self.buttons):
            layout.addWidget(widget, 1 if widget is self.view else 0)
        self.resize(720, 460)
        self._update_button()
        pool.start(Job(0, partial(list_revisions, folder)), self._listed, self._failed)

    def _make_view(self) -> QTreeView:
        view = QTreeView()
        view.setModel(self.shown)
        view.setRootIsDecorated(False)
        view.setUniformRowHeights(True)
        view.setAlternatingRowColors(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = view.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        view.doubleClicked.connect(lambda _: self._accept())
        view.selectionModel().selectionChanged.connect(lambda *_: self._update_button())
        return view

    def _listed(self, _generation: int, choices: list[tuple[str, str, str]], _seconds: float) -> None:
        for kind, name, summary in choices:
            row = [QStandardItem(kind), QStandardItem(name), QStandardItem(summary)]
            for item in row:
                item.setEditable(False)
                item.setToolTip(f"{kind} {name}: {summary}")
            self.items.appendRow(row)
        self.note.setText(f"{len(choices)} revisions in the repository at {self.folder}" if choices else
                          f"{self.folder} is not in a git repository with commits: type a revision to try one")
        self._filtered()

    def _failed(self, _generation: int, failure: Failure) -> None:
        self.note.setText(failure.message)

    def _filtered(self) -> None:
        self.shown.setFilterFixedString(self.filter.text().strip())
        if self.shown.rowCount() and not self.view.selectionModel().hasSelection():
            self.view.setCurrentIndex(self.shown.index(0, 0))
        self._update_button()

    def revision(self) -> str | None:
        """The revision chosen: the selected row's, else what the filter box holds."""
        rows = self.view.selectionModel().selectedRows(1)
        if rows:
            return str(rows[0].data())
        text = self.filter.text().strip()
        return text or None

    def select(self, name: str) -> bool:
        """Select the row of revision ``name`` (for the keyboard and for tests)."""
        for row in range(self.shown.rowCount()):
            index = self.shown.index(row, 1)
            if index.data() == name:
                self.view.setCurrentIndex(index)
                return True
        return False

    def _update_button(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(self.revision() is not None)

    def _accept(self) -> None:
        revision = self.revision()
        if revision is None:
            return
        self.chosen.emit(revision)
        self.accept()


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def focused_side(window: MainWindow) -> int:
    """The pane that holds the keyboard focus; else the first, the baseline.

    Decision: the baseline by default, so that "what it was" sits left of "what it is", as in
    every diff tool.
    """
    focus = window.focusWidget()
    for side, panel in enumerate(window.sides):
        if focus is not None and (focus is panel or panel.isAncestorOf(focus)):
            return side
    return 0


def open_at_revision(window: MainWindow, side: int | None = None) -> RevisionDialog | None:
    """Ask which revision to open ``side`` at (the focused pane when None), then load it there."""
    from parity_gui.app.revisions import target_of
    from parity_gui.ui.actions import side_name
    from parity_gui.ui.side import tell

    side = focused_side(window) if side is None else side
    state = window.states[side]
    try:
        target = target_of(state.spec or "", window.base or Path.cwd())
    except ParityError as error:
        tell(window, f"Open {side_name(side)} at revision: {error.message}")
        return None
    dialog = RevisionDialog(window, window.pool, target.folder, target.spec)
    dialog.setWindowTitle(f"Open {side_name(side).title()} at Revision")
    name = f"{state.name.split('@')[0]}@" if state.name and state.name != target.spec else None
    dialog.chosen.connect(lambda revision: window.load(side, target.at(revision), name and name + revision))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
