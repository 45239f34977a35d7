"""The main window: two environment sides over one aligned tree, a detail panel, a summary.

The window holds the state of each side (its spec, what loaded or why not) and runs the flow:
load each side in a worker → when every side has settled, compare in a worker → show the
comparison, keeping what was expanded and selected. Menus and the toolbar are built by
:mod:`parity_gui.ui.actions`; the trees are kept in step by :class:`~parity_gui.ui.trees.TreePair`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parity_gui.app.fleet import is_wildcard, left_out_note
from parity_gui.core.drift import Severity
from parity_gui.core.pointer import Path
from parity_gui.core.tree import Diagnostic, Environment
from parity_gui.engine.comparison import Comparison
from parity_gui.errors import ParityError
from parity_gui.ui import actions
from parity_gui.ui.detail import DetailPanel
from parity_gui.ui.groups import DriftGroupsPanel
from parity_gui.ui.loading import (
    Failure,
    Job,
    Pool,
    baseline_first,
    compare_sides,
    fleet_members,
    load_environment,
    project_environments,
    stand_in,
)
from parity_gui.ui.models import AlignedTreeModel, DriftFilterModel, DriftIndex
from parity_gui.ui.models.index import REVEAL_LIMIT
from parity_gui.ui.panes import PanesMixin, SideState, pane_title
from parity_gui.ui.ruler import OverviewRuler
from parity_gui.ui.search import FindBar, IndexBuilder, Search, SearchIndex
from parity_gui.ui.session import Remembered, Session
from parity_gui.ui.side import SidePanel
from parity_gui.ui.status import SummaryBar, against_baseline
from parity_gui.ui.trees import TreePair
from parity_gui.ui.watch import SourceWatch

if TYPE_CHECKING:
    from parity_gui.ui.matrix import MatrixView


class MainWindow(PanesMixin, QMainWindow):
    """parity's window: open two environments and see where they drift."""

    comparison_shown = Signal()  #: a comparison (or nothing) is on screen and every side has settled
    side_settled = Signal(int)  #: a side finished loading, failed or was cancelled

    def __init__(self, session: Session | None = None, base: FilePath | None = None) -> None:
        super().__init__()
        self.setWindowTitle("parity")
        self.session = session or Session()
        self.base = base
        self.states = [SideState(), SideState()]
        self.pool = Pool()
        self.compare_generation = 0
        self.comparing = False
        self.comparison: Comparison | None = None
        self.shown_once = False
        self.persist = True  #: remember window state and the pair on close (off for screenshots)
        self.matches: list[Path] = []
        self.match_position: int | None = None
        self.hidden: list[SideState] = []
        self.left_out: list[Diagnostic] = []  #: engines of a docker://*/NAME that run no NAME
        self.project_first = False  #: see :meth:`prefer_project`
        self.fallback_base: FilePath | None = None
        self.acts: dict[str, QAction] = {}  #: every action by name, filled by :func:`actions.install`
        self.severity_box = QComboBox()
        self._build()
        actions.install(self)
        self._restore_window()
        hints = QGuiApplication.styleHints()
        if hints is not None:  # the palette itself is switched by the application (see main)
            hints.colorSchemeChanged.connect(lambda _: QTimer.singleShot(0, self.restyle))

    # --- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.model = AlignedTreeModel(self)
        self.proxy = DriftFilterModel(self.model, self)
        self.proxy.detach()
        self.sides = [SidePanel(0, "Left"), SidePanel(1, "Right")]
        self.pair = TreePair([s.tree for s in self.sides], self)
        self.pair.set_model(self.model)
        self.pair.current_path_changed.connect(self._current_changed)
        self.detail = DetailPanel()
        self.patch_dialog: QDialog | None = None  #: the fix patch dialog, while it is open
        self.help_dialog: QDialog | None = None  #: the shortcuts and legend, once opened
        self.triage_dialog: QDialog | None = None  #: the triage dialog, once opened
        self.matrix: MatrixView | None = None  #: the matrix, once shown (in place of the panes)
        self.detail.reveal_toggled.connect(self.model.set_revealed)
        self.ruler = OverviewRuler()
        self.ruler.drift_chosen.connect(self.select_path)
        self.groups = DriftGroupsPanel()
        self.groups.path_chosen.connect(self.select_path)
        self.find_bar = FindBar()
        self.find_bar.setVisible(False)
        self.search = Search(self)
        self.indexer = IndexBuilder(self)
        self.indexer.built.connect(self._index_built)
        self._build_layout()
        self.summary = SummaryBar()
        self.statusBar().addWidget(self.summary, 1)
        for panel in self.sides:
            self._connect_panel(panel)
        self._connect_search()
        self.watch = SourceWatch(self)
        self.watch.changed.connect(self._reload_changed)

    # --- reloading when a source file changes --------------------------------------------------
    @property
    def auto_reload(self) -> bool:
        return self.watch.enabled

    @auto_reload.setter
    def auto_reload(self, on: bool) -> None:
        self.watch.enabled = on

    def _watch_sources(self) -> None:
        base = self.base or FilePath.cwd()
        self.watch.watch(base, [s.env for s in self.states if s.env is not None])

    def _reload_changed(self) -> None:
        if self.busy:
            self.watch.later()
            return
        self.summary.show_message("A source file changed: reloading…")
        self.reload()

    def _connect_panel(self, panel: SidePanel) -> None:
        actions.connect_panel(self, panel)
        panel.dropped.connect(self.load)
        panel.header.cancel_requested.connect(partial(self.cancel, panel.side))
        panel.page.retry_requested.connect(partial(self.retry, panel.side))

    def _build_layout(self) -> None:
        self.side_splitter = QSplitter(Qt.Orientation.Horizontal)
        for panel in self.sides:
            self.side_splitter.addWidget(panel)
        top = QWidget()
        layout = QVBoxLayout(top)
        layout.setContentsMargins(6, 6, 6, 0)
        panes = QHBoxLayout()
        panes.setContentsMargins(0, 0, 0, 0)
        panes.setSpacing(2)
        self.views = QStackedWidget()  #: the panes, or the matrix in their place
        self.views.addWidget(self.side_splitter)
        panes.addWidget(self.views, 1)
        panes.addWidget(self.ruler)
        layout.addLayout(panes, 1)
        layout.addWidget(self.find_bar)
        self.main_splitter = QSplitter(Qt.Orientation.Vertical)
        self.main_splitter.addWidget(top)
        self.bottom = QTabWidget()
        self.bottom.setDocumentMode(True)
        self.bottom.addTab(self._scrolling(self.detail), "Details")
        self.bottom.addTab(self.groups, "Drift Groups")
        self.main_splitter.addWidget(self.bottom)
        self.main_splitter.setStretchFactor(0, 4)
        self.main_splitter.setStretchFactor(1, 1)
        self.setCentralWidget(self.main_splitter)

    @staticmethod
    def _scrolling(panel: QWidget) -> QScrollArea:
        """``panel`` in a scroll area: in a short window it scrolls rather than squeezing its
        values out of sight."""
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(panel)
        return area

    def _connect_search(self) -> None:
        self.find_bar.search_changed.connect(self.start_search)
        self.find_bar.opened.connect(self.ensure_search_index)
        self.find_bar.next_requested.connect(lambda: self.go_to_match(1))
        self.find_bar.previous_requested.connect(lambda: self.go_to_match(-1))
        self.find_bar.closed.connect(self._find_closed)
        self.search.finished.connect(self._search_finished)

    # --- loading -------------------------------------------------------------------------------
    def load(self, side: int, spec: str, name: str | None = None, optional: bool = False) -> None:
        """Load ``spec`` into ``side`` in a worker; the other side is untouched. A
        ``docker://*/NAME`` opens one pane per stored Docker context (:meth:`load_fleet`);
        ``optional`` marks one of those engines."""
        if is_wildcard(spec):
            self.load_fleet(side, spec)
            return
        state = self.states[side]
        state.spec, state.name, state.env, state.failure, state.optional = spec, name, None, None, optional
        state.generation += 1
        state.loading = True
        self.sides[side].header.show_loading(state.shown_name(pane_title(side)), spec)
        generation = state.generation

        def cancelled() -> bool:  # asked by the parsing worker's watcher: Cancel stops it at once
            return state.generation != generation

        job = Job(generation, partial(load_environment, spec, name, self.base, cancelled))
        # the result goes to this environment wherever its pane is by then: panes move up when
        # one before them is hidden or closed while they load
        self.pool.start(job, partial(self._loaded, state), partial(self._failed, state))

    def remembered(self, spec: str, name: str | None = None) -> Remembered:
        """How to remember ``spec`` so it opens the same from any folder: a project environment
        by its name and its project's folder, anything else as an absolute spec (with the
        project folder that governs it, if one does)."""
        from parity_gui.app.compare import absolute_spec, governing_project

        base = self.base or FilePath.cwd()
        try:
            project = governing_project([spec], base)
        except ParityError:
            project = None
        folder = str(project.root.resolve()) if project is not None else None
        if project is not None and project.named(spec):
            return Remembered(spec, folder, name)
        return Remembered(absolute_spec(spec, base), folder, name)

    def open_remembered(self, side: int, entry: Remembered) -> None:
        """Open a remembered environment on ``side``; a project environment from its project."""
        if entry.project is not None:
            self.base = FilePath(entry.project)
        self.load(side, entry.spec, entry.name)

    def load_pair(self, sides: list[tuple[str | None, str | None]]) -> None:
        """Load (name, spec) into each side, the project's baseline first (as ``parity compare``
        orders them); a side without a spec shows its welcome page. A ``docker://*/NAME``
        stands for one side per stored Docker context, in its place, as on the command line."""
        sides = baseline_first(sides, self.base)
        self.left_out = []
        planned: list[tuple[str | None, str | None, bool, Failure | None]] = []
        for name, spec in sides:
            members = fleet_members(spec) if spec and is_wildcard(spec) else None
            if isinstance(members, list):
                planned += [(None, member, True, None) for member in members]
            else:
                planned.append((name, spec, False, members))
        self.set_pane_count(len(planned))
        for side, (name, spec, optional, failure) in enumerate(planned):
            if spec and failure is not None:
                self._refuse(side, spec, failure)
            elif spec:
                self.load(side, spec, name, optional)
        if not any(spec for _, spec, _, _ in planned):
            self._settled()

    def load_fleet(self, side: int, wildcard: str) -> None:
        """Open ``docker://*/NAME`` from ``side`` on: its first engine there, the others in new
        panes after the last. An engine that runs no NAME is left out with a note, as the
        command line leaves it out (while more than two panes remain; else its pane says so)."""
        members = fleet_members(wildcard)
        if isinstance(members, Failure):
            self._refuse(side, wildcard, members)
            return
        self.left_out = []
        for number, spec in enumerate(members):
            if number:
                self._add_pane()
            self.load(side if number == 0 else len(self.states) - 1, spec, optional=True)

    def _refuse(self, side: int, spec: str, failure: Failure) -> None:
        """Show on ``side`` why ``spec`` cannot be opened, loading nothing."""
        state = self.states[side]
        state.spec, state.name, state.env, state.optional = spec, None, None, False
        state.generation += 1  # a load still running here is ignored
        self._fail(side, failure)

    def _side_of(self, state: SideState) -> int | None:
        """The pane showing ``state`` now; None once it is hidden or closed."""
        return next((side for side, shown in enumerate(self.states) if shown is state), None)

    def _loaded(self, state: SideState, generation: int, env: Environment, seconds: float) -> None:
        side = self._side_of(state)
        if generation != state.generation or side is None:
            return
        state.env, state.loading = env, False
        if self.persist and state.spec:  # after the load, whose worker imported what this reads with
            self.session.add_recent(self.remembered(state.spec, state.name))
        self.sides[side].header.show_loaded(env, seconds)
        self.sides[side].show_tree()
        self.side_settled.emit(side)
        self._settled()

    def _failed(self, state: SideState, generation: int, failure: Failure) -> None:
        side = self._side_of(state)
        if generation != state.generation or side is None:
            return
        self._fail(side, failure)

    def _fail(self, side: int, failure: Failure) -> None:
        state = self.states[side]
        state.failure, state.loading = failure, False
        if state.optional and failure.absent and len(self.states) > 2:
            self.left_out.append(left_out_note(state.spec or "", failure.message))
            self.close_pane(side)
            return
        self.sides[side].header.name.set_full_text(state.shown_name(pane_title(side)))
        self.sides[side].show_failure(failure)
        self.side_settled.emit(side)
        self._settled()

    def cancel(self, side: int) -> None:
        """Stop waiting for ``side``: its result will be ignored when it arrives."""
        state = self.states[side]
        if not state.loading:
            return
        state.generation += 1
        self._fail(side, Failure("Loading was cancelled. Retry, or open something else.", cancelled=True))

    def retry(self, side: int) -> None:
        state = self.states[side]
        if state.spec:
            self.load(side, state.spec, state.name, state.optional)

    def reload(self) -> None:
        """Load every side again; expansion and selection survive."""
        for side, state in enumerate(self.states):
            if state.spec:
                self.load(side, state.spec, state.name, state.optional)

    def show_environments(self, environments: list[Environment]) -> None:
        """Show environments already loaded (by a caller or a benchmark) and compare them."""
        self.set_pane_count(len(environments))
        for side, env in enumerate(environments):
            state = self.states[side]
            state.generation += 1
            state.spec, state.name, state.env, state.failure, state.loading = env.spec, env.name, env, None, False
            self.sides[side].header.show_loaded(env, 0)
            self.sides[side].show_tree()
        self._settled()

    def evaluate_again(self) -> None:
        """Compare again (the project file changed); the environments are not read again."""
        self._settled()

    @property
    def busy(self) -> bool:
        return self.comparing or any(s.loading for s in self.states)

    # --- comparing -----------------------------------------------------------------------------
    def _settled(self) -> None:
        if any(s.loading for s in self.states):
            return
        environments = [
            s.env or stand_in(s.shown_name(pane_title(i)), s.spec or "") for i, s in enumerate(self.states)
        ]
        self.compare_generation += 1
        if all(s.env is None for s in self.states):
            self._show(None, None)
            return
        self.comparing = True
        self.summary.show_message("Comparing…")
        specs = [s.spec or "" for s in self.states]
        job = Job(self.compare_generation, partial(compare_sides, environments, self.base, specs, tuple(self.left_out)))
        self.pool.start(job, self._compared, self._compare_failed)

    def _compared(self, generation: int, result: tuple[Comparison, DriftIndex], seconds: float) -> None:
        if generation == self.compare_generation:
            self._show(*result)

    def _compare_failed(self, generation: int, failure: Failure) -> None:
        if generation == self.compare_generation:
            self.comparing = False
            self.summary.show_message(f"Could not compare: {failure.message}")
            self.comparison_shown.emit()

    def _show(self, comparison: Comparison | None, drift_index: DriftIndex | None) -> None:
        expanded, current = set(self.pair.expanded), self.pair.current_path()
        self.comparing = False
        self.comparison = comparison
        self.model.set_comparison(comparison, drift_index)
        index = self.model.index_of_drift
        self.groups.set_comparison(comparison, index.groups if index is not None else None)
        self.ruler.set_marks(index.marks if comparison is not None and index is not None else [])
        self.bottom.setTabText(1, f"Drift Groups ({self.groups.count})" if self.groups.count else "Drift Groups")
        self._index_for_search(comparison)
        self.detail.set_comparison(comparison)
        for panel in self.sides:
            panel.tree.show_own_columns()
        missing = [s.shown_name(pane_title(i)) for i, s in enumerate(self.states) if s.env is None]
        if comparison is None:
            self.summary.show_message("Open two environments to compare them")
        elif missing:
            self.summary.show_message(f"Nothing to compare with: {', '.join(missing)} is not loaded")
            self._restore(expanded, current)
        else:
            self.show_counts()
            self._restore(expanded, current)
        for side, panel in enumerate(self.sides):
            text, tip = against_baseline(comparison, side) if comparison is not None and not missing else ("", "")
            panel.header.show_counts(text, tip)
        self._watch_sources()
        self.comparison_shown.emit()

    def _restore(self, expanded: set[Path], current: Path | None) -> None:
        if not self.shown_once:
            self.shown_once = True
            self.reveal_drift(REVEAL_LIMIT)
            first = self.comparison.next_drift(None) if self.comparison else None
            if first is not None:
                self.select_path(first.path)
            return
        self.expand_paths(expanded)
        if current is not None:
            self.select_path(current)

    # --- the trees -----------------------------------------------------------------------------
    @property
    def view_model(self) -> AlignedTreeModel | DriftFilterModel:
        """What the trees show: the filter proxy while a filter is on, else the model itself.

        Decision: without a filter the views use the model directly, so the common case pays
        no proxy mapping per row (it halves the cost of laying out a 100k-row tree).
        """
        return self.proxy if self.proxy.active else self.model

    def proxy_index(self, path: Path) -> Any:
        """The index the trees use for ``path`` (through the filter when one is on)."""
        index = self.model.index_for_path(path)
        return self.proxy.mapFromSource(index) if self.proxy.active else index

    def expand_paths(self, paths: set[Path] | list[Path]) -> None:
        """Expand these branches (parents first); paths that no longer exist are skipped."""
        for view in self.pair.views:  # expanding into a pending layout only records; one layout follows
            view.scheduleDelayedItemsLayout()
        for path in sorted(paths, key=len):
            index = self.proxy_index(path)
            if index.isValid():
                self.pair.expand(index)

    def reveal_drift(self, limit: int | None = None) -> None:
        """Open the branches that lead to drift (the first ``limit`` drifts, or all)."""
        if self.model.index_of_drift is None:
            return
        self.expand_paths(self.model.index_of_drift.branches_to_reveal(limit, self.proxy.mask))

    def select_path(self, path: Path) -> bool:
        index = self.proxy_index(path)
        if not index.isValid():
            return False
        self.pair.select(index)
        return True

    def go_to_drift(self, forward: bool = True) -> None:
        """Select the next (or previous) drift after the current row, wrapping at the ends."""
        if self.comparison is None:
            return
        current = self.pair.current_path()
        step = self.comparison.next_drift if forward else self.comparison.previous_drift
        drift = step(current, accept=self.proxy.accepts_drift)
        if drift is not None:
            self.select_path(drift.path)

    def set_filter(self, only_drift: bool, min_severity: Severity | None, hide_expected: bool | None = None) -> None:
        """Show only drift (at ``min_severity`` or worse), without expected drift when
        ``hide_expected`` (None keeps it as it is); expansion and selection are kept."""
        hide = self.proxy.hide_expected if hide_expected is None else hide_expected
        filtering = only_drift or hide
        expanded, current = set(self.pair.expanded), self.pair.current_path()
        if filtering:
            self.proxy.set_filter(only_drift, min_severity, hide)
            self.model.set_drift_chunks(self.proxy.mask if only_drift else None)
            self.proxy.attach(self.model)
        target = self.proxy if filtering else self.model
        if self.pair.lead.model() is not target:
            self.pair.set_model(target)
            self.pair.expanded.clear()
        if not filtering:
            self.proxy.detach()
            self.proxy.set_filter(only_drift, min_severity, hide)
            self.model.set_drift_chunks(None)
        self.model.set_severity_mask(self.proxy.mask)
        self.ruler.set_severities(self.proxy.mask)
        self.show_counts()
        self.expand_paths(expanded)
        if only_drift:
            self.reveal_drift(REVEAL_LIMIT)
        if current is not None:
            self.select_path(current)

    def show_counts(self) -> None:
        """The status bar's counts under the current filter, and where the selection stands."""
        if self.comparison is None or any(s.env is None for s in self.states):
            return
        self.summary.show_summary(self.comparison, self.proxy.min_severity)
        self._show_position(self.pair.current_path())

    def _show_position(self, path: Path | None) -> None:
        """``drift 3 of 35``: where the selected drift stands among the unexpected ones."""
        comparison, index = self.comparison, self.model.index_of_drift
        if comparison is None or index is None:
            return
        drift = comparison.drift_covering(path) if path is not None else None
        total = index.unexpected_upto[-1] if index.unexpected_upto else 0
        if drift is None:
            self.summary.show_position(None, total)
            return
        position = index.unexpected_upto[comparison.drift_position(drift.path) - 1]
        self.summary.show_position(position, total, expected=drift.expected)

    def restyle(self) -> None:
        """Redraw what holds theme colours of its own after the system switched light and dark."""
        for panel in self.sides:
            panel.header.set_state(panel.header.state, panel.header.pill.toolTip())
        self.show_counts()
        self.detail.show_node(self.detail.node)
        for view in self.pair.views:
            view.viewport().update()

    def reveal(self, path: Path, side: int, reveal: bool) -> None:
        """Show (or mask again) the secret at ``path`` in environment ``side``, in the trees and
        the detail panel; it is masked again when the selection moves."""
        self.model.set_revealed(path, side, reveal)
        (self.detail.revealed.add if reveal else self.detail.revealed.discard)((path, side))
        self.detail.show_node(self.detail.node)

    def _current_changed(self, path: Path | None) -> None:
        if self.model.revealed and all(shown != path for shown, _ in self.model.revealed):
            self.model.mask_all()
            self.detail.revealed.clear()
        node = self.comparison.node(path) if self.comparison is not None and path is not None else None
        self.detail.show_node(node)
        self._show_position(path)

    def current_index(self) -> Any:
        return self.pair.lead.currentIndex()

    # --- search --------------------------------------------------------------------------------
    def _find_closed(self) -> None:
        """Back to the trees: the keyboard goes where it was before Find (a read-only field that
        caught the focus would swallow Ctrl+E, its "end of line")."""
        self.start_search("")
        self.pair.lead.setFocus(Qt.FocusReason.OtherFocusReason)

    def start_search(self, text: str) -> None:
        self.find_bar.show_count(None, 0, bool(text))
        if text:
            self.ensure_search_index()
        self.search.start(text)

    def _index_for_search(self, comparison: Comparison | None) -> None:
        """Forget the old comparison's search index; the new one is built when Find is used."""
        self.search.set_index(None)
        self.indexer.stop()
        if comparison is not None and self.find_bar.isVisible():
            self.ensure_search_index()
            if self.find_bar.field.text():
                self.start_search(self.find_bar.field.text())  # runs again once the new index is built

    def ensure_search_index(self) -> None:
        """Build the search index of the comparison on screen, once, a slice at a time.

        Decision: it is built when Find is first used, not with every comparison, so loading,
        filtering and stepping through drift never share the processor with it.
        """
        comparison = self.comparison
        if comparison is None or self.search.index is not None or self.indexer.comparison is comparison:
            return
        self.indexer.start(comparison)

    def _index_built(self, index: SearchIndex) -> None:
        if self.comparison is index.comparison:
            self.search.set_index(index)

    def _search_finished(self, found: list[Path]) -> None:
        self.matches = found
        self.match_position = None
        self.model.set_matches(set(found))
        self.find_bar.show_count(None, len(found), False)
        if found:
            self.go_to_match(1)

    def go_to_match(self, step: int) -> None:
        """Select the next (step 1) or previous (-1) match that the filter shows."""
        if not self.matches:
            return
        position = -1 if self.match_position is None and step > 0 else (self.match_position or 0)
        for _ in range(len(self.matches)):
            position = (position + step) % len(self.matches)
            if self.select_path(self.matches[position]):
                self.match_position = position
                break
        self.find_bar.show_count(self.match_position, len(self.matches), False)

    # --- window state ----------------------------------------------------------------------------
    def _restore_window(self) -> None:
        geometry = self.session.blob("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        for key, splitter in (("sides", self.side_splitter), ("main", self.main_splitter)):
            state = self.session.blob(key)
            if state is not None:
                splitter.restoreState(state)
            elif key == "main":
                splitter.setSizes([620, 240])

    def closeEvent(self, event: QCloseEvent) -> None:
        self.search.timer.stop()
        self.indexer.stop()
        if self.persist:
            self._save_window()
        super().closeEvent(event)

    def _save_window(self) -> None:
        self.session.set_blob("geometry", self.saveGeometry())
        self.session.set_blob("sides", self.side_splitter.saveState())
        self.session.set_blob("main", self.main_splitter.saveState())
        self.session.save_pair([self.remembered(s.spec, s.name) if s.spec else None for s in self.states])
        self.session.sync()

    def prefer_project(self, fallback_base: FilePath | None) -> None:
        """At :meth:`start`, open every environment of the ``.parity.toml`` governing the working
        folder (the baseline first, as ``parity compare`` with no names does); only when there is
        none, the sides given, named relative to ``fallback_base``."""
        self.project_first = True
        self.fallback_base = fallback_base

    def start(self, sides: list[tuple[str | None, str | None]]) -> None:
        """Begin loading once the window is on screen, so it opens at once."""
        if not self.project_first:
            QTimer.singleShot(0, lambda: self.load_pair(sides))
            return

        def found(_generation: int, names: list[str], _seconds: float) -> None:
            if names:
                self.load_pair([(name, name) for name in names])
            else:
                fall_back()

        def fall_back(*_: object) -> None:
            if self.fallback_base is not None:
                self.base = self.fallback_base
            self.load_pair(sides)

        self.pool.start(Job(0, partial(project_environments, self.base)), found, fall_back)
