"""The triage dialog: record the selected drift as expected (with a reason), or rate it at a
severity, in the project file — then the comparison is evaluated again with it.

The edit itself (byte-exact, checked, atomic) is :func:`parity_gui.app.triage.record`; this
dialog only asks, and says which file it will change before it does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
)

from parity_gui.core.drift import Drift, Severity
from parity_gui.errors import ParityError
from parity_gui.ui.side import short_path, tell

if TYPE_CHECKING:
    from pathlib import Path

    from parity_gui.ui.window import MainWindow


class TriageDialog(QDialog):
    """Which paths, expected or which severity, why — and the file it goes into."""

    def __init__(self, window: MainWindow, drift: Drift, project_file: Path) -> None:
        super().__init__(window)
        from parity_gui.app.triage import patterns_for

        self.window_ = window
        self.drift = drift
        self.project_file = project_file
        self.setWindowTitle("Triage drift")
        self.pattern = QComboBox()
        for pattern in patterns_for(drift.path):
            self.pattern.addItem(pattern, pattern)
        self.decision = QComboBox()
        self.decision.addItem("Expected: by design, never fails a check", None)
        for severity in Severity:
            self.decision.addItem(f"Rate it {severity.value}", severity)
        self.reason = QLineEdit(placeholderText="Why (kept in the project file beside the entry)")
        names = window.comparison.names if window.comparison is not None else ()
        self.only_these = QCheckBox(f"Only when {', '.join(names)} are compared")
        self.decision.currentIndexChanged.connect(lambda _: self.only_these.setEnabled(self.chosen is None))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(lambda text: self._ready(bool(text.strip())))
        self._ready(False)
        form = QFormLayout()
        form.addRow("Paths", self.pattern)
        form.addRow("Decision", self.decision)
        form.addRow("Reason", self.reason)
        form.addRow("", self.only_these)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        where = "a new project file" if not project_file.exists() else "the project file"
        layout.addWidget(QLabel(f"Appended to {where} {short_path(str(project_file))}; nothing else in it changes."))
        layout.addWidget(self.buttons)
        self.resize(620, 220)

    @property
    def chosen(self) -> Severity | None:
        severity: Severity | None = self.decision.currentData()
        return severity

    def _ready(self, ready: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(ready)

    def save(self) -> None:
        from parity_gui.app.triage import Triage, record

        names = self.window_.comparison.names if self.window_.comparison is not None else ()
        only = tuple(names) if self.only_these.isChecked() and self.chosen is None else ()
        decision = Triage(self.pattern.currentData(), self.reason.text(), self.chosen, only)
        try:
            record(self.project_file, decision)
        except ParityError as error:
            QMessageBox.warning(self, "Triage", str(error))
            return
        tell(self.window_, f"Recorded {decision.pattern} in {short_path(str(self.project_file))}; comparing again…")
        self.accept()
        self.window_.evaluate_again()


def triage_selected(window: MainWindow) -> TriageDialog | None:
    """Open the triage dialog for the drift at (or around) the selected row."""
    from pathlib import Path as FilePath

    from parity_gui.app.triage import project_file_for

    comparison, path = window.comparison, window.pair.current_path()
    drift = comparison.drift_covering(path) if comparison is not None and path is not None else None
    if drift is None:
        tell(window, "Select a drift to triage it")
        return None
    specs = [s.spec for s in window.states if s.spec]
    try:
        project_file = project_file_for(specs, window.base or FilePath.cwd())
    except ParityError as error:
        tell(window, str(error))
        return None
    dialog = TriageDialog(window, drift, project_file)
    window.triage_dialog = dialog
    dialog.open()
    return dialog
