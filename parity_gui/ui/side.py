"""One side of the window: its environment header, and its tree, error or welcome page.

The header tells what the side holds (name, spec, how many sources, warnings) and its state:
loading (with a busy bar and Cancel), loaded, failed or cancelled. A failure replaces the tree
on this side only, with the message and a clickable ``file:line``; the other side stays usable.
Files and folders dropped anywhere on a side load there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from parity_gui.core.secrets import Masking, mask_text
from parity_gui.core.tree import Environment
from parity_gui.ui import theme
from parity_gui.ui.loading import Failure
from parity_gui.ui.trees import AlignedTreeView
from parity_gui.ui.widgets import configure

STATES = ("empty", "loading", "loaded", "failed", "cancelled")


def spec_for_paths(paths: list[Path]) -> str | None:
    """The spec for dropped paths: a folder on its own, or files joined with ``+``.

    Decision: when a folder is dropped with other things, the first folder wins (a folder
    cannot be joined with files); the files are ignored rather than guessed at.
    """
    folders = [p for p in paths if p.is_dir()]
    if folders:
        return str(folders[0])
    files = [str(p) for p in paths if p.exists()]
    return "+".join(files) if files else None


def short_path(text: str) -> str:
    """``text`` with the working folder left out of the paths in it, for display."""
    here = str(Path.cwd())
    return text.replace(here + "/", "") if here != "/" else text


class ElidedLabel(QLabel):
    """A one-line label that cuts long text in the middle (``/work/…/compose.prod.yml``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self.full = text
        self.setToolTip(text)
        self._elide()

    def minimumSizeHint(self) -> QSize:
        return QSize(40, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self.full) + 4, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideMiddle, max(40, self.width())))


class EnvironmentHeader(QFrame):
    """Name, spec, sources, warnings badge and state of one side."""

    cancel_requested = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EnvironmentHeader")
        self.state = "empty"
        self.title = title
        self.pill = _label("", "StatePill")
        self.name = ElidedLabel()
        self.name.setObjectName("EnvName")
        self.name.set_full_text(title)
        self.sources = _label("", "EnvSources")
        self.spec = ElidedLabel()
        self.spec.setObjectName("EnvSpec")
        self.warnings = configure(QToolButton(), objectName="WarningsBadge")
        self.warnings.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.progress = configure(QProgressBar(), maximumWidth=90, maximumHeight=8, textVisible=False)
        self.progress.setRange(0, 0)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self.cancel_requested)
        self.open_button = configure(QToolButton(), text="Open ▾", objectName="OpenButton",
                                     toolTip="Open files, a folder, a Docker context or a project environment here")
        self.open_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.pane_button = configure(QToolButton(), text="⋮", objectName="PaneButton",
                                     toolTip="Make this the baseline, move, add or close panes")
        self.pane_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.counts = _label("", "EnvCounts")
        self._lay_out()
        self.set_state("empty", "Nothing loaded yet")

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        for widget in (self.pill, self.name, self.sources):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.warnings)
        top.addWidget(self.progress)
        top.addWidget(self.cancel)
        top.addWidget(self.open_button)
        top.addWidget(self.pane_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.spec, 1)
        bottom.addWidget(self.counts)
        layout.addLayout(bottom)

    def set_state(self, state: str, tip: str = "") -> None:
        assert state in STATES, state
        self.state = state
        self.pill.setText({"empty": "empty", "loading": "loading…"}.get(state, state))
        self.pill.setStyleSheet(f"background: {theme.state_color(theme.current(), state)};")
        self.pill.setToolTip(tip)
        busy = state == "loading"
        self.progress.setVisible(busy)
        self.cancel.setVisible(busy)

    def show_loading(self, name: str, spec: str) -> None:
        self.name.set_full_text(name)
        self.set_spec(spec)
        self.sources.setText("")
        self.warnings.setVisible(False)
        self.set_state("loading", f"Loading {spec}")

    def show_loaded(self, env: Environment, seconds: float) -> None:
        self.name.set_full_text(env.name)
        self.set_spec(env.spec)
        count = len(env.sources)
        self.sources.setText(f"· {count} source{'s' if count != 1 else ''}" if count else "")
        self.sources.setToolTip("\n".join(env.sources))
        self.set_state("loaded", f"Loaded in {seconds * 1000:.0f} ms")
        self._show_warnings(env)

    def show_failed(self, failure: Failure) -> None:
        self.sources.setText("")
        self.warnings.setVisible(False)
        self.set_state("cancelled" if failure.cancelled else "failed", failure.message)

    def show_counts(self, text: str, tip: str = "") -> None:
        """How this environment stands against the baseline (``12 drift vs prod``, ``baseline``)."""
        self.counts.setText(text)
        self.counts.setToolTip(tip)

    def set_spec(self, spec: str) -> None:
        self.spec.set_full_text(short_path(spec))

    def _show_warnings(self, env: Environment) -> None:
        warnings = list(dict.fromkeys(env.diagnostics))  # a file read for two parts reports once
        self.warnings.setVisible(bool(warnings))
        if not warnings:
            return
        from parity_gui.ui.status import level_counts

        counts = level_counts(warnings)
        self.warnings.setText(counts)
        self.warnings.setToolTip(f"{counts} while loading {env.name}")
        menu = QMenu(self.warnings)
        masking = Masking.of([env])
        for diagnostic in warnings[:50]:
            action = menu.addAction(mask_text(str(diagnostic), masking))
            if diagnostic.file:
                action.triggered.connect(
                    lambda _=False, f=diagnostic.file, n=diagnostic.line: open_file(f, n, self))
        self.warnings.setMenu(menu)


class MessagePage(QFrame):
    """The page a side shows instead of its tree: an error in place, or the welcome text."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ErrorPage")
        self.title = _label("", "ErrorTitle")
        self.title.setWordWrap(True)
        self.message = _label("", "")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where = _label("", "")
        self.where.linkActivated.connect(lambda link: open_link(link, self))
        self.retry = QPushButton("Retry")
        self.retry.clicked.connect(self.retry_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        for widget in (self.title, self.message, self.where):
            layout.addWidget(widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(2)

    def show_failure(self, name: str, failure: Failure) -> None:
        verb = "Loading cancelled" if failure.cancelled else f"Could not load {name}"
        self.title.setText(verb)
        self.title.setStyleSheet("")
        self.message.setText(failure.message)
        where = failure.location()
        if failure.file:
            self.where.setText(f'<a href="{link_for(failure.file, failure.line)}">{where}</a>')
        else:
            self.where.setText("")
        self.retry.setVisible(True)

    def show_welcome(self) -> None:
        self.title.setText("No environment here yet")
        self.title.setStyleSheet(f"color: {theme.current().palette.text};")
        self.message.setText(
            "Drop a compose file, Dockerfile, .env, Terraform file or a folder here, "
            "or use Open to pick files, a folder, a Docker context or any spec parity accepts."
        )
        self.where.setText("")
        self.retry.setVisible(False)


class SidePanel(QWidget):
    """Header above the tree (or the page that replaces it) for one environment."""

    dropped = Signal(int, str)  #: side, spec

    def __init__(self, side: int, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.header = EnvironmentHeader(title)
        self.tree = AlignedTreeView(side)
        self.page = MessagePage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        self.setAcceptDrops(True)
        self.show_welcome()

    def show_tree(self) -> None:
        self.stack.setCurrentWidget(self.tree)

    def show_failure(self, failure: Failure) -> None:
        self.header.show_failed(failure)
        self.page.show_failure(self.header.name.full, failure)
        self.stack.setCurrentWidget(self.page)

    def show_welcome(self) -> None:
        self.page.show_welcome()
        self.stack.setCurrentWidget(self.page)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        spec = spec_for_paths(paths)
        if spec is not None:
            event.acceptProposedAction()
            self.dropped.emit(self.side, spec)


def _label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    return label


def open_file(file: str, line: int | None = None, widget: QWidget | None = None) -> None:
    """Open ``file`` at ``line`` in the user's editor (see :mod:`parity_gui.ui.editor`); when
    nothing could open it, say so in the status bar of ``widget``'s window."""
    from parity_gui.ui.editor import open_in_editor

    problem = open_in_editor(file, line)
    if problem is not None:
        tell(widget, problem)


def tell(widget: QWidget | None, message: str) -> None:
    """Show ``message`` in the status bar of ``widget``'s main window, for ten seconds."""
    from PySide6.QtWidgets import QMainWindow

    window = widget.window() if widget is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(message, 10_000)


def link_for(file: str, line: int | None) -> str:
    """A ``file://`` link that carries the line (``#L12``), for :func:`open_link`."""
    url = QUrl.fromLocalFile(str(Path(file).absolute()))
    if line:
        url.setFragment(f"L{line}")
    return url.toString()


def open_link(link: str, widget: QWidget | None = None) -> None:
    """Open a link made by :func:`link_for` in the editor, at its line."""
    url = QUrl(link)
    fragment = url.fragment()
    line = int(fragment[1:]) if fragment.startswith("L") and fragment[1:].isdigit() else None
    open_file(url.toLocalFile(), line, widget)
