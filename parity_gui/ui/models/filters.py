"""The drift filter: only rows with drift (at the chosen severities), keeping their ancestors.

A row passes when drift that passes lies at it, below it (its badge), or at an ancestor (a row
inside an added or removed subtree). Every passing branch therefore has a passing child, which
lets :meth:`DriftFilterModel.hasChildren` answer from the source without building mappings for
every row a view lays out — what keeps a 100k-row comparison responsive.

Decision: the severity filter narrows what counts as drift; expected drift passes the filter
(greyed) because hiding it would hide why a count differs from the CLI's.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel

from parity_gui.core.drift import Drift, Severity
from parity_gui.engine.comparison import AlignedNode
from parity_gui.ui.models.aligned import AlignedTreeModel
from parity_gui.ui.models.index import ALL_SEVERITIES, mask_at_least, severity_bit

AnyIndex = QModelIndex | QPersistentModelIndex


class DriftFilterModel(QSortFilterProxyModel):
    """A proxy over :class:`AlignedTreeModel` showing everything, or only drift."""

    def __init__(self, source: AlignedTreeModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self.setSourceModel(source)
        self.aligned = source
        self.only_drift = False
        self.min_severity: Severity | None = None
        self.hide_expected = False
        #: per parent node: the keys of its children that pass (None: every child passes)
        self._passing: dict[AlignedNode, set[str] | None] = {}
        self.modelAboutToBeReset.connect(self._passing.clear)

    @property
    def active(self) -> bool:
        """Whether anything is filtered out (else the views use the source model directly)."""
        return self.only_drift or self.hide_expected

    def attach(self, source: AlignedTreeModel) -> None:
        """Filter ``source`` (again); cheap while no view has asked for rows."""
        if self.sourceModel() is not source:
            self._passing.clear()
            self.setSourceModel(source)

    def detach(self) -> None:
        """Drop every mapping: a proxy no view uses should cost nothing when the filter changes."""
        if self.sourceModel() is not None:
            self.setSourceModel(None)  # type: ignore[arg-type]

    @property
    def mask(self) -> int:
        return mask_at_least(self.min_severity)

    def set_filter(self, only_drift: bool, min_severity: Severity | None, hide_expected: bool = False) -> None:
        """Show only drift (or everything), counting drift at ``min_severity`` or worse, and
        leave out drift declared expected when ``hide_expected``."""
        if (only_drift, min_severity, hide_expected) == (self.only_drift, self.min_severity, self.hide_expected):
            return
        self.beginFilterChange()
        self.only_drift = only_drift
        self.min_severity = min_severity
        self.hide_expected = hide_expected
        self._passing.clear()
        self.endFilterChange()

    def accepts_drift(self, drift: Drift) -> bool:
        """Whether navigation should stop at ``drift`` under the current filters."""
        if self.hide_expected and drift.expected:
            return False
        return self.mask == ALL_SEVERITIES or bool(severity_bit(drift.severity) & self.mask)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self.active:
            return True
        if not self.hide_expected:
            return self._only_drift_accepts(source_row, source_parent)
        node = self.aligned.child_node(source_parent, source_row)
        index = self.aligned.index_of_drift
        if node is None or index is None:
            return False
        if self.hide_expected and index.expected_only(node.path):
            return False
        return not self.only_drift or index.accepts(node.path, self.mask)

    def _only_drift_accepts(self, source_row: int, source_parent: AnyIndex) -> bool:
        """The only-drift filter's answer from the drift index's children with drift, worked out
        once per parent: a branch of 20,000 services asks this for each of them."""
        parent = self.aligned.node(source_parent)
        index = self.aligned.index_of_drift
        if parent is None or index is None or not 0 <= source_row < len(parent.children):
            return False
        if parent not in self._passing:
            self._passing[parent] = index.passing_children(parent.path, self.mask)
        passing = self._passing[parent]
        return passing is None or parent.children[source_row].key in passing

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if not parent.isValid():
            return super().hasChildren(parent)
        return self.aligned.hasChildren(self.mapToSource(parent))
