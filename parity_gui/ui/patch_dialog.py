"""The fix patch dialog: choose what to fix, read the patch, then save it.

The patch is made in a pool thread (it checks itself on a copy of the files, which takes a
moment); the dialog shows its summary and the diff itself before anything is written. Saving
writes only the patch file the user chooses: the user's own files are never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QFontDatabase, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from parity_gui.core.pointer import Path, to_pointer
from parity_gui.core.secrets import mask_text
from parity_gui.errors import ParityError
from parity_gui.ui import theme
from parity_gui.ui.side import tell

if TYPE_CHECKING:
    from parity_gui.ui.loading import Pool

#: Makes the patch for a scope (the pointers to fix; empty: all unexpected drift).
PatchMaker = Callable[[Sequence[str]], Any]


class DiffHighlighter(QSyntaxHighlighter):
    """Colours a unified diff as reviewers expect: ``+`` lines, ``-`` lines, hunk and file headers
    (the ``+``/``-`` glyph stays, so colour is never the only sign)."""

    def highlightBlock(self, text: str) -> None:
        colour = _diff_colour(text)
        if colour is not None:
            form = QTextCharFormat()
            form.setForeground(theme.current().color(colour))
            if colour == "diff_hunk":
                form.setFontWeight(QFont.Weight.Bold)
            self.setFormat(0, len(text), form)


def _diff_colour(line: str) -> str | None:
    if line.startswith(("+++", "---", "diff ", "@@", "#")):
        return "diff_hunk"
    if line.startswith("+"):
        return "diff_added"
    if line.startswith("-"):
        return "diff_removed"
    return None


class PatchDialog(QDialog):
    """Direction, scope, a preview of the diff, and Save."""

    def __init__(
        self, parent: QWidget | None, pool: Pool, make: PatchMaker, *, reference: str, target: str,
        selected: Path | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fix patch")
        self.pool, self.make = pool, make
        self.patch: Any = None
        self.generation = 0
        self.scope = QComboBox()
        self.scope.addItem("All unexpected drift", ())
        if selected is not None:
            self.scope.addItem(f"Only the selected row: {to_pointer(selected)}", (to_pointer(selected),))
            self.scope.setCurrentIndex(1)
        self.scope.currentIndexChanged.connect(lambda _: self.build())
        self.summary = QPlainTextEdit("Making the patch…", readOnly=True)
        self.summary.setMaximumHeight(110)
        self.summary.setFrameShape(QFrame.Shape.NoFrame)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("PatchPreview")
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setMinimumHeight(260)
        self.highlighter = DiffHighlighter(self.preview.document())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout(reference, target)
        self.resize(_fitting(parent, 1000, 720))
        self.build()

    def _layout(self, reference: str, target: str) -> None:
        form = QFormLayout()
        form.addRow("Make", QLabel(f"<b>{target}</b>'s files match <b>{reference}</b>"))
        form.addRow("Fix", self.scope)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.buttons)

    @property
    def save_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def build(self) -> None:
        """Make the patch for the chosen scope in the pool; the preview follows when it is done."""
        from parity_gui.ui.loading import Job

        self.generation += 1
        self.patch = None
        self.save_button.setEnabled(False)
        self.summary.setPlainText("Making the patch and checking it on a copy of the files…")
        self.preview.setPlainText("")
        only = tuple(self.scope.currentData() or ())
        self.pool.start(Job(self.generation, lambda: self.make(only)), self._made, self._failed)

    def _made(self, generation: int, patch: Any, _seconds: float) -> None:
        if generation != self.generation:
            return  # the scope changed while this one was being made
        self.patch = patch
        self.summary.setPlainText(patch.summary())
        self.preview.setPlainText(patch.preview or "(nothing to change)")
        self.save_button.setEnabled(not patch.empty)

    def _failed(self, generation: int, failure: Any) -> None:
        if generation == self.generation:
            self.summary.setPlainText(f"The patch could not be made: {getattr(failure, 'message', failure)}")

    def save(self) -> None:
        """Ask where, then write the patch there (atomically); the dialog closes once saved."""
        from parity_gui.app.export import save_patch

        if self.patch is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Save fix patch", "parity-fix.patch", "Patches (*.patch *.diff)")
        if not name:
            return
        try:
            save_patch(self.patch, FilePath(name))
        except ParityError as error:
            QMessageBox.warning(self, "Fix patch", mask_text(str(error)))
            return
        tell(self.parentWidget(), f"Fix patch saved to {name} — apply it with: git apply {FilePath(name).name}")
        self.accept()


def _fitting(parent: QWidget | None, width: int, height: int) -> QSize:
    """``width`` × ``height``, or less when the window it opens over is smaller."""
    if parent is None:
        return QSize(width, height)
    return QSize(min(width, max(600, parent.width() - 40)), min(height, max(420, parent.height() - 40)))
