"""The one Qt model of a comparison: the engine's aligned tree, adapted for two (or more) views.

Rows are the aligned tree's nodes, so every view over this model has the same rows in the same
order: a path one side lacks is still a row there, shown as an empty hatched placeholder, as in
Meld. Columns come in one pair per environment — key and value — and each view shows only its
own pair; nothing here assumes there are two.

The model only adapts: nodes are built lazily by the engine and keep their own row, so
``parent()`` is O(1) and a million-row comparison costs nothing until a branch is opened.

A branch with more than :data:`FETCH_CHUNK` children (20,000 services) shows them a chunk at a
time: a view lays out every child of an open branch, so opening such a branch whole would
freeze the window. Scrolling to the end shows the next chunk (see
:meth:`AlignedTreeView.verticalScrollbarValueChanged`); going to a path (next drift, a search
match) shows the chunks up to it.
"""

from __future__ import annotations

import bisect
import enum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from parity_gui.core.drift import Drift
from parity_gui.core.pointer import Path, to_pointer
from parity_gui.engine.comparison import AlignedNode, Comparison
from parity_gui.ui import theme
from parity_gui.ui.models.index import ALL_SEVERITIES, DriftIndex
from parity_gui.ui.models.values import (
    changed_span,
    masking_of,
    normalised_text,
    one_line,
    shown_normalised,
    shown_text,
    written_text,
)

AnyIndex = QModelIndex | QPersistentModelIndex

#: How many children of a big branch are shown before more are fetched.
FETCH_CHUNK = 1000


class Roles(enum.IntEnum):
    """Custom data roles: what delegates, proxies and the window ask besides text."""

    NODE = Qt.ItemDataRole.UserRole + 1  #: the AlignedNode
    PATH = enum.auto()  #: the node's path tuple
    DRIFT = enum.auto()  #: the Drift at this very path, or None
    PRESENT = enum.auto()  #: whether this column's environment has the path
    BADGE = enum.auto()  #: (count, worst Severity or None, only expected) for an ancestor of drift
    SIDE = enum.auto()  #: the environment index of this column
    WRITTEN = enum.auto()  #: the value as written, when it reads otherwise than the resolved value
    CHANGED_SPAN = enum.auto()  #: (start, end) of the changed part inside a long changed value


def key_column(side: int) -> int:
    return 2 * side


def value_column(side: int) -> int:
    return 2 * side + 1


def side_of(column: int) -> int:
    return column // 2


class AlignedTreeModel(QAbstractItemModel):
    """A comparison's aligned tree as a Qt item model (read-only)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.index_of_drift: DriftIndex | None = None
        self.revealed: set[tuple[Path, int]] = set()  #: (path, environment) of each secret shown in clear
        self.severity_mask = ALL_SEVERITIES  #: the severities the badges count
        self.matches: set[Path] = set()
        self.sides = 2
        self._branches: dict[AlignedNode, bool] = {}
        self._fetched: dict[AlignedNode, int] = {}
        self.fetch_chunk = FETCH_CHUNK
        self.chunked = True
        self.drift_mask: int | None = None  #: while the only-drift filter is on: its severities
        self._drift_rows: dict[AlignedNode, list[int] | None] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    # --- content -------------------------------------------------------------------------
    def set_comparison(self, comparison: Comparison | None, drift_index: DriftIndex | None = None) -> None:
        """Show ``comparison`` (None for nothing); views must restore their expansion after."""
        self.beginResetModel()
        self.comparison = comparison
        self.index_of_drift = drift_index or (DriftIndex(comparison) if comparison else None)
        self.sides = len(comparison.environments) if comparison else 2
        self.matches = set()
        self.revealed = set()
        self._branches = {}
        self._fetched = {}
        self._drift_rows = {}
        self.endResetModel()

    def set_revealed(self, path: Path, side: int, reveal: bool) -> None:
        """Show (or mask again) the secret value at ``path`` in environment ``side`` only."""
        (self.revealed.add if reveal else self.revealed.discard)((path, side))
        index = self.index_for_path(path)
        if index.isValid():
            last = index.siblingAtColumn(self.columnCount() - 1)
            self.dataChanged.emit(index.siblingAtColumn(0), last)

    def mask_all(self) -> None:
        """Mask every revealed value again (the selection moved, the sides changed)."""
        shown, self.revealed = self.revealed, set()
        for path, side in shown:
            index = self.index_for_path(path, value_column(side))
            if index.isValid():
                self.dataChanged.emit(index, index)

    def set_severity_mask(self, mask: int) -> None:
        """Count only drift of these severities in the badges."""
        if mask != self.severity_mask:
            self.severity_mask = mask
            self.repaint_all()

    def set_matches(self, matches: set[Path]) -> None:
        """Highlight the rows at these paths (search results)."""
        self.matches = matches
        self.repaint_all()

    def repaint_all(self) -> None:
        rows = self.rowCount()
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, self.columnCount() - 1))

    # --- structure -------------------------------------------------------------------------
    def node(self, index: AnyIndex) -> AlignedNode | None:
        if not index.isValid():
            return self.comparison.root if self.comparison else None
        node: AlignedNode = index.internalPointer()
        return node

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid():
            if parent.column():
                return QModelIndex()
            node = parent.internalPointer()
        elif self.comparison is not None:
            node = self.comparison.root
        else:
            return QModelIndex()
        children = node.children  # asked for every row a view lays out: _shown, inlined
        shown = len(children)
        if self.chunked and shown > self.fetch_chunk:
            shown = self._fetched.get(node, self.fetch_chunk)
        if 0 <= row < shown and 0 <= column < 2 * self.sides:
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, child: AnyIndex | None = None) -> Any:
        if child is None:
            return super().parent()
        if not child.isValid():
            return QModelIndex()
        parent = child.internalPointer().parent
        if parent is None or parent.parent is None:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column():
            return 0
        node = self.node(parent)
        if node is None or (parent.isValid() and not self.is_branch(node)):
            return 0
        return self._shown(node)

    # --- big branches, a chunk at a time -----------------------------------------------------
    def set_drift_chunks(self, mask: int | None) -> None:
        """Count a big branch's chunks in children with drift at these severities (None: in
        children), as the only-drift filter shows only those; switching resets the model.

        Decision: under the filter a chunk ends after its :data:`FETCH_CHUNK`-th child with
        drift, so a million-row comparison's 20,000 services lay out a thousand rows, not
        nine thousand, and a branch whose drift lies far down still shows it in its first chunk.
        """
        if mask != self.drift_mask:
            self.beginResetModel()
            self.drift_mask = mask
            self._fetched = {}
            self._drift_rows = {}
            self.endResetModel()

    def _shown(self, node: AlignedNode) -> int:
        total = len(node.children)
        if total <= self.fetch_chunk or not self.chunked:
            return total
        shown = self._fetched.get(node)
        if shown is None:
            shown = self._fetched[node] = self._chunk_end(node, 0)
        return shown

    def _chunk_end(self, node: AlignedNode, shown: int) -> int:
        """How many of ``node``'s children to show for one more chunk after the first ``shown``."""
        total = len(node.children)
        rows = self._rows_with_drift(node)
        if rows is None:
            return min(total, shown + self.fetch_chunk)
        upto = bisect.bisect_left(rows, shown) + self.fetch_chunk
        return total if upto >= len(rows) else rows[upto - 1] + 1

    def _rows_with_drift(self, node: AlignedNode) -> list[int] | None:
        """The rows of ``node``'s children the only-drift filter keeps (None: no filter, or all)."""
        if self.drift_mask is None or self.index_of_drift is None:
            return None
        if node not in self._drift_rows:
            keys = self.index_of_drift.passing_children(node.path, self.drift_mask)
            rows = None if keys is None else sorted(c.row for c in map(node.child, keys) if c is not None)
            self._drift_rows[node] = rows
        return self._drift_rows[node]

    def more_below(self, parent: AnyIndex) -> bool:
        """Whether ``parent`` has children not shown yet.

        Decision: this is not Qt's ``canFetchMore``, because a tree view fetches from every open
        branch each time it lays out, which would soon show every chunk; the view asks this only
        when it is scrolled to the end.
        """
        node = self.node(parent)
        if node is None or (parent.isValid() and (parent.column() or not self.is_branch(node))):
            return False
        return self._shown(node) < len(node.children)

    def show_more(self, parent: AnyIndex) -> None:
        """Show the next chunk of ``parent``'s children."""
        node = self.node(parent)
        if node is not None and self.more_below(parent):
            own = self.index(parent.row(), 0, parent.parent())  # invalid for the root
            self._show_until(node, own, self._shown(node))

    def _show_until(self, node: AlignedNode, parent: QModelIndex, row: int) -> None:
        shown, total = self._shown(node), len(node.children)
        last = min(total - 1, max(row, self._chunk_end(node, shown) - 1))
        if last < shown:
            return
        self.beginInsertRows(parent, shown, last)
        self._fetched[node] = last + 1
        self.endInsertRows()

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        """Answered without building the children: a view asks this for every row it lays out."""
        if not parent.isValid():
            return self.comparison is not None and bool(self.comparison.root.children)
        return parent.column() == 0 and self.is_branch(parent.internalPointer())

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 2 * self.sides

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        node = index.internalPointer()
        if node is None:
            return _NO_FLAGS
        known = self._branches.get(node)
        if known is None:
            known = self._branches[node] = node.is_branch
        return _BRANCH_FLAGS if known else _LEAF_FLAGS

    def is_branch(self, node: AlignedNode) -> bool:
        """Whether ``node`` can be opened; remembered, as a view asks it for every row it lays out."""
        known = self._branches.get(node)
        if known is None:
            known = self._branches[node] = node.is_branch
        return known

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section % 2:
            return "Value"
        if self.comparison is None or side_of(section) >= len(self.comparison.environments):
            return "Key"
        return f"Key · {self.comparison.environments[side_of(section)].name}"

    # --- finding rows --------------------------------------------------------------------------
    def index_for_path(self, path: Path, column: int = 0) -> QModelIndex:
        """The index of ``path`` (building the branches on the way), or an invalid index."""
        if self.comparison is None or not path:
            return QModelIndex()
        node, parent = self.comparison.root, QModelIndex()
        for key in path:
            child = node.child(key)
            if child is None:
                return QModelIndex()
            if child.row >= self._shown(node):
                self._show_until(node, parent, child.row)
            node, parent = child, self.createIndex(child.row, 0, child)
        return parent if column == 0 else parent.siblingAtColumn(column)

    def child_node(self, parent: AnyIndex, row: int) -> AlignedNode | None:
        node = self.node(parent)
        if node is None:
            return None
        return node.children[row] if 0 <= row < self._shown(node) else None

    # --- data ----------------------------------------------------------------------------------
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        handler = _HANDLERS.get(role)
        if handler is None:
            return None
        node: AlignedNode = index.internalPointer()
        return handler(self, node, index.column())

    def _display(self, node: AlignedNode, column: int) -> str | None:
        side = side_of(column)
        if not node.present(side):
            return None
        if column % 2 == 0:
            return node.key
        env = self.comparison.environments[side]  # type: ignore[union-attr]
        shown = shown_text(env, node.path, node.values[side], reveal=(node.path, side) in self.revealed,
                           masking=masking_of(self.comparison))
        return one_line(shown)

    def _tooltip(self, node: AlignedNode, column: int) -> str | None:
        side = side_of(column)
        if not node.present(side):
            return f"{to_pointer(node.path)}: absent from {self._name(side)}"
        drift = node.drift
        if column % 2 == 0:
            head = to_pointer(node.path)
            return head if drift is None else f"{head}\n{describe(drift)}"
        if node.is_branch:
            return None
        value = shown_normalised(node.path, node.values[side], reveal=(node.path, side) in self.revealed,
                                 masking=masking_of(self.comparison))
        written = self._written(node, column)
        return value if written is None else f"{value}\nas written: {written}"

    def _written(self, node: AlignedNode, column: int) -> str | None:
        side = side_of(column)
        if column % 2 == 0 or not node.present(side) or self.comparison is None:
            return None
        env = self.comparison.environments[side]
        written = written_text(env, node.path, node.values[side], reveal=(node.path, side) in self.revealed,
                               masking=masking_of(self.comparison))
        return one_line(written) if written is not None else None

    def _changed_span(self, node: AlignedNode, column: int) -> tuple[int, int] | None:
        """The changed part of a long value, against the baseline (the baseline against the
        first environment that differs)."""
        drift = node.drift
        side = side_of(column)
        if column % 2 == 0 or drift is None or not node.present(side) or node.is_branch:
            return None
        text = self._display(node, column) or ""
        others = [0] if side else range(1, self.sides)
        for other in others:
            if node.present(other) and node.values[other] != node.values[side]:
                return changed_span(text, self._display(node, value_column(other)) or "")
        return None

    def _decoration(self, node: AlignedNode, column: int) -> Any:
        if column % 2 or not node.present(side_of(column)):
            return None
        drift = node.drift
        if drift is None:
            return None
        return theme.current().drift_icon(drift.kind, drift.severity, drift.expected)

    def _background(self, node: AlignedNode, column: int) -> Any:
        current = theme.current()
        if node.path in self.matches and node.present(side_of(column)):
            return current.search_brush()
        if not node.present(side_of(column)):
            return current.placeholder()
        drift = node.enclosing_drift
        if drift is None:
            return None
        strength = 1.0 if drift.path == node.path else 0.55
        return current.tint(drift.severity, drift.expected, strength)

    def _foreground(self, node: AlignedNode, column: int) -> Any:
        drift = node.enclosing_drift
        if (drift is not None and drift.expected) or self._is_context(node):
            return theme.current().color("muted")
        return None

    def _font(self, node: AlignedNode, column: int) -> Any:
        if self._is_context(node):
            return self._italic
        if column % 2 == 0 and node.drift is not None:
            return self._bold
        return None

    def _badge(self, node: AlignedNode, column: int) -> Any:
        if column % 2 or node.drift is not None or not node.present(side_of(column)) or not node.is_branch:
            return None
        below = self.index_of_drift.under(node.path) if self.index_of_drift else None
        if below is None:
            return None
        count, worst = below.counted(self.severity_mask)
        if count == 0 and below.unexpected:
            return None  # all of it is below the chosen severity
        only_expected = below.unexpected == 0
        return (below.expected if only_expected else count, worst, only_expected)

    def _is_context(self, node: AlignedNode) -> bool:
        return bool(self.comparison and self.comparison.context and self.comparison.context_at(node.path))

    def _name(self, side: int) -> str:
        return self.comparison.environments[side].name if self.comparison else "?"


_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_BRANCH_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_LEAF_FLAGS = _BRANCH_FLAGS | Qt.ItemFlag.ItemNeverHasChildren


def describe(drift: Drift) -> str:
    """``high · changed · image-version-drift`` and the explanation: a drift in one tooltip."""
    expected = f" · expected: {drift.reason}" if drift.expected else ""
    return f"{drift.severity.value} · {drift.kind.value} · {drift.rule}{expected}\n{drift.explanation}"


_HANDLERS: dict[int, Any] = {
    Qt.ItemDataRole.DisplayRole: AlignedTreeModel._display,
    Qt.ItemDataRole.ToolTipRole: AlignedTreeModel._tooltip,
    Qt.ItemDataRole.DecorationRole: AlignedTreeModel._decoration,
    Qt.ItemDataRole.BackgroundRole: AlignedTreeModel._background,
    Qt.ItemDataRole.ForegroundRole: AlignedTreeModel._foreground,
    Qt.ItemDataRole.FontRole: AlignedTreeModel._font,
    Roles.BADGE: AlignedTreeModel._badge,
    Roles.NODE: lambda model, node, column: node,
    Roles.PATH: lambda model, node, column: node.path,
    Roles.DRIFT: lambda model, node, column: node.drift,
    Roles.PRESENT: lambda model, node, column: node.present(side_of(column)),
    Roles.SIDE: lambda model, node, column: side_of(column),
    Roles.WRITTEN: AlignedTreeModel._written,
    Roles.CHANGED_SPAN: AlignedTreeModel._changed_span,
}
_HANDLERS = {int(role): handler for role, handler in _HANDLERS.items()}

__all__ = ["AlignedTreeModel", "Roles", "describe", "key_column", "normalised_text", "side_of", "value_column"]
