"""The fix patch dialog: choose what to fix, read the patch, then save it.

The patch is made in a pool thread (it checks itself on a copy of the files, which takes a
moment); the dialog shows its summary and the diff itself before anything is written. Saving
writes only the patch file the user chooses: the user's own files are never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from parity_gui.core.pointer import Path, to_pointer
from parity_gui.core.secrets import mask_text
from parity_gui.errors import ParityError

if TYPE_CHECKING:
    from parity_gui.ui.loading import Pool

#: Makes the patch for a scope (the pointers to fix; empty: all unexpected drift).
PatchMaker = Callable[[Sequence[str]], Any]


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
        self.summary = QLabel("Making the patch…")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("PatchPreview")
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout(reference, target)
        self.resize(900, 640)
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
        self.summary.setText("Making the patch and checking it on a copy of the files…")
        self.preview.setPlainText("")
        only = tuple(self.scope.currentData() or ())
        self.pool.start(Job(self.generation, lambda: self.make(only)), self._made, self._failed)

    def _made(self, generation: int, patch: Any, _seconds: float) -> None:
        if generation != self.generation:
            return  # the scope changed while this one was being made
        self.patch = patch
        self.summary.setText(patch.summary())
        self.preview.setPlainText(patch.preview or "(nothing to change)")
        self.save_button.setEnabled(not patch.empty)

    def _failed(self, generation: int, failure: Any) -> None:
        if generation == self.generation:
            self.summary.setText(f"The patch could not be made: {getattr(failure, 'message', failure)}")

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
        self.accept()
