"""Review Change…: how a change moves the drift between the project's environments.

As ``parity review`` does, the environments of the ``.parity.toml`` that governs the window's
folder are read at a base revision and in the work tree, in a worker (never on the GUI thread),
and the drift between them is sorted into new, resolved and changed. The base is the one typed
or chosen (Choose… lists branches, tags and recent commits); left empty it is the command
line's default: the merge base with the default branch, else ``HEAD``.

The window shows a summary line (``1 new unexpected drift · 1 resolved · 0 changed against
dev``), what the change does to each environment, and a table of the moved drift; choosing a
row selects its path in the panes when they show it. Cancel abandons the running review (its
result is ignored when it arrives); a failure (no project file, a missing revision) is shown in
place, in one line.
"""

from __future__ import annotations

import html
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parity_gui.engine.review import Movement, Review
from parity_gui.ui import theme
from parity_gui.ui.loading import Failure, Job, Pool
from parity_gui.ui.models.review import PATH_ROLE, ReviewModel, ReviewTable, tabulate
from parity_gui.ui.widgets import configure

if TYPE_CHECKING:
    from parity_gui.ui.window import MainWindow


def run_review(folder: Path, base: str | None, known_report: Path | None = None) -> ReviewTable:
    """The review of the project governing ``folder`` against ``base``, with the drift of the
    earlier JSON report ``known_report`` marked known, laid out for the table (run in a worker)."""
    from parity_gui.app.known import read_baseline
    from parity_gui.app.review import review_project

    known = read_baseline(known_report) if known_report is not None else None
    return tabulate(review_project((), base=base, cwd=folder, known=known))


def summary_line(found: Review) -> str:
    """``1 new unexpected drift · 1 resolved · 0 changed against dev``."""
    if found.after is None:
        return f"One environment ({found.names[0]}): no drift between environments to move"
    failing = len(found.failing)
    new = len(found.of(Movement.NEW))
    head = f"{failing} new unexpected drift" if failing or not new else f"{new} new drift (none unexpected)"
    if failing and new > failing:
        head += f" ({new} new in all)"
    return (f"{head} · {len(found.of(Movement.RESOLVED))} resolved · {len(found.of(Movement.CHANGED))} changed "
            f"against {found.names[0]}")


def changes_line(found: Review) -> str:
    """What the change does to each environment (``prod: 2 drift · dev: nothing``), each changed
    environment a link that opens it before and after the change in the panes."""
    parts = []
    for change in found.changes:
        count = len(change.comparison.drifts)
        name = html.escape(change.name)
        parts.append(f'<a href="{html.escape(change.name, quote=True)}">{name}: {count} drift</a>' if count
                     else f"{name}: nothing")
    return "What the change does to each environment — " + " · ".join(parts)


class ReviewPanel(QDialog):
    """The review of the change from a base revision to the work tree."""

    path_chosen = Signal(tuple)  #: the path of the row chosen
    change_chosen = Signal(str, str)  #: an environment at the base, and as it is now (``prod@main``, ``prod``)

    def __init__(self, parent: QWidget | None, pool: Pool, folder: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review Change")
        self.pool = pool
        self.folder = folder
        self.generation = 0
        self.running = False
        self.review: Review | None = None
        self.base = QLineEdit(placeholderText="merge base with the default branch, else HEAD")
        self.base.setToolTip("The revision the work tree is compared with: a branch, tag or commit")
        self.base.returnPressed.connect(self.start)
        self.choose = QPushButton("Choose…")
        self.choose.clicked.connect(self._choose_base)
        self.known_report: Path | None = None
        self.known = QPushButton("Known Drift…")
        self.known.setToolTip("Mark the drift of an earlier JSON report (parity compare --format json) as known: "
                              "it is shown, and never fails the review")
        self.known.clicked.connect(self._choose_known)
        self.forget = QPushButton("Forget")
        self.forget.setToolTip("Review without the report of known drift")
        self.forget.clicked.connect(partial(self.set_known_report, None))
        self.forget.setVisible(False)
        self.run = QPushButton("Review")
        self.run.clicked.connect(self.start)
        self.progress = configure(QProgressBar(), maximumWidth=90, maximumHeight=8, textVisible=False)
        self.progress.setRange(0, 0)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self.stop)
        self.heading = QLabel()
        self.heading.setObjectName("ReviewHeading")
        self.heading.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("ReviewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changes = QLabel()
        self.changes.setWordWrap(True)
        self.changes.setToolTip("Choose an environment to see it before and after the change in the panes")
        self.changes.linkActivated.connect(self._change_chosen)
        self.model = ReviewModel(self)
        self.table = self._make_table()
        self._lay_out()
        self.resize(960, 520)

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        table.selectionModel().currentRowChanged.connect(self._row_chosen)
        return table

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Base:"))
        top.addWidget(self.base, 1)
        for button in (self.choose, self.known, self.forget, self.run, self.progress, self.cancel):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for widget in (self.heading, self.summary, self.changes):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)

    # --- running ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Review the change against the base in the box (the default when it is empty)."""
        self.generation += 1
        self.running = True
        self._show_busy(True)
        base = self.base.text().strip() or None
        self.heading.setText(f"Reviewing the change from {base or 'the default base'} to the work tree…")
        job = Job(self.generation, partial(run_review, self.folder, base, self.known_report))
        self.pool.start(job, self._reviewed, self._failed)

    def stop(self) -> None:
        """Stop waiting for the running review: its result will be ignored."""
        if not self.running:
            return
        self.generation += 1
        self._failed(self.generation, Failure("Review cancelled. Review again, or choose another base.",
                                              cancelled=True))

    def _reviewed(self, generation: int, table: ReviewTable, seconds: float) -> None:
        if generation != self.generation:
            return
        self.running = False
        self._show_busy(False)
        found = self.review = table.review
        self.model.set_table(table)
        commit = found.commit[:12]
        named = found.base if commit.startswith(found.base) else f"{found.base} ({commit})"
        if not self.base.text().strip():
            named += " (the merge base with the default branch)" if named != "HEAD" else ""
        self.heading.setText(f"Change from {named} to the work tree · reviewed in {seconds:.1f} s")
        self.summary.setText(summary_line(found))
        colour = theme.current().palette.error if found.failing else theme.current().palette.text
        self.summary.setStyleSheet(f"font-weight: bold; color: {colour};")
        self.changes.setText(changes_line(found))
        self._fit_columns()

    def _failed(self, generation: int, failure: Failure) -> None:
        if generation != self.generation:
            return
        self.running = False
        self._show_busy(False)
        self.review = None
        self.model.set_table(None)
        self.heading.setText("Review cancelled" if failure.cancelled else "Could not review the change")
        self.summary.setText(failure.message if not failure.file else f"{failure.location()}: {failure.message}")
        self.summary.setStyleSheet(f"color: {theme.current().palette.error};")
        self.changes.setText("")

    def _show_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel.setVisible(busy)
        self.run.setEnabled(not busy)

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount() - 1):  # the last one stretches
            header.resizeSection(column, min(header.sectionSize(column) + 12, 320))

    # --- choosing --------------------------------------------------------------------------------
    def _choose_base(self) -> None:
        from parity_gui.ui.revision_dialog import RevisionDialog

        dialog = RevisionDialog(self, self.pool, self.folder, "the base of the review")
        dialog.setWindowTitle("Review Against")
        dialog.chosen.connect(self._base_chosen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _choose_known(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(self, "Known drift: an earlier JSON report", str(self.folder),
                                              "JSON report (*.json)")
        if name:
            self.set_known_report(Path(name))

    def set_known_report(self, report: Path | None) -> None:
        """Review again with the drift of ``report`` known (None: without one)."""
        self.known_report = report
        self.known.setText(f"Known: {report.name}" if report is not None else "Known Drift…")
        self.forget.setVisible(report is not None)
        self.start()

    def _base_chosen(self, revision: str) -> None:
        self.base.setText(revision)
        self.start()

    def _change_chosen(self, name: str) -> None:
        if self.review is not None:
            self.change_chosen.emit(f"{name}@{self.review.commit[:12]}", name)

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        path = self.model.data(current, PATH_ROLE) if current.isValid() else None
        if path is not None:
            self.path_chosen.emit(tuple(path))


def review_change(window: MainWindow) -> ReviewPanel:
    """Open the review window for the project governing the window's folder and run the review."""
    panel = window.findChild(ReviewPanel)
    if panel is None:
        panel = ReviewPanel(window, window.pool, window.base or Path.cwd())
        panel.path_chosen.connect(partial(_select_in_panes, window))
        panel.change_chosen.connect(lambda before, after: window.load_pair([(None, before), (None, after)]))
    panel.show()
    panel.raise_()
    if not panel.running:
        panel.start()
    return panel


def _select_in_panes(window: MainWindow, path: tuple[str, ...]) -> None:
    from parity_gui.core.pointer import readable
    from parity_gui.ui.side import tell

    if not window.select_path(path):
        tell(window, f"/{readable(path)} is not in the panes: open the environments it is between")
