"""The two tree views side by side, kept in step like Meld's panes.

Both views show the same model, so their rows are the same rows; each hides every column but
its own environment's key and value. They share one selection model, and expanding,
collapsing and scrolling one does the same to the other. The pair also remembers which paths
are expanded, so a reload can open the same branches again.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QContextMenuEvent, QFont, QFontMetrics, QIcon, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from parity_gui.core.drift import Severity
from parity_gui.core.pointer import Path
from parity_gui.ui import theme
from parity_gui.ui.models.aligned import AlignedTreeModel, Roles, key_column, value_column

AnyIndex = QModelIndex | QPersistentModelIndex


#: The icon size of a row (severity and kind icons); every row is laid out as if it had one.
ICON_SIZE = 16


def row_height(font: QFont) -> int:
    """The one height of every row in every pane: room for the text or an icon, whichever is taller.

    Decision: a tree view with uniform row heights takes the height of its first row, and a row
    with an icon is taller than one without, so two panes whose first rows differ (a one-sided
    drift on one side, a placeholder on the other) would drift apart line by line. Every pane
    asks this function instead, so equal rows sit at equal heights.
    """
    return max(QFontMetrics(font).height(), ICON_SIZE) + 6


def key_width(width: int) -> int:
    """The key column's share of a pane: nine twentieths, so deep, long keys
    (``FEATURE_NEW_CHECKOUT`` four levels down) still show whole in a 1400-pixel window."""
    return max(160, width * 9 // 20)


class DriftDelegate(QStyledItemDelegate):
    """Paints cells as the style does, plus the drift-count badge on ancestors of drift; every
    row has the same height (:func:`row_height`)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), row_height(option.font))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        badge = index.data(Roles.BADGE)
        if not badge:
            super().paint(painter, option, index)
            self._value_marks(painter, option, index)
            return
        text = str(badge[0])
        font = QFont(option.font)
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        font.setBold(True)
        width = QFontMetrics(font).horizontalAdvance(text) + 12
        narrowed = QStyleOptionViewItem(option)
        narrowed.rect = option.rect.adjusted(0, 0, -(width + 6), 0)
        self._panel(painter, option, index)
        super().paint(painter, narrowed, index)
        pill = QRect(option.rect.right() - width - 3, option.rect.center().y() - 8, width, 16)
        self._pill(painter, pill, text, font, badge)

    def _value_marks(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """Over a value cell: the changed part of a long value marked, and the value as written
        (``$HEALTHCHECK_RETRIES``) dimmed after the resolved one when there is room."""
        span, written = index.data(Roles.CHANGED_SPAN), index.data(Roles.WRITTEN)
        if not span and not written:
            return
        full = QStyleOptionViewItem(option)
        self.initStyleOption(full, index)
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is None:
            return
        area = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, full, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        metrics = QFontMetrics(full.font)
        text = full.text
        left = area.left() + margin
        painter.save()
        painter.setClipRect(area)
        if span:
            start = left + metrics.horizontalAdvance(text[: span[0]])
            width = max(2, metrics.horizontalAdvance(text[span[0]: span[1]]))
            painter.fillRect(QRect(start, area.top() + 2, width, area.height() - 4), theme.current().changed_brush())
        after = left + metrics.horizontalAdvance(text) + 14
        italic = QFont(full.font)
        italic.setItalic(True)
        room = QRect(after, area.top(), area.right() - after, area.height())
        if written and (QFontMetrics(italic).horizontalAdvance(written) <= room.width() or room.width() >= 160):
            painter.setFont(italic)
            painter.setPen(theme.current().color("muted"))
            shown = QFontMetrics(italic).elidedText(written, Qt.TextElideMode.ElideRight, room.width())
            painter.drawText(room, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), shown)
        painter.restore()

    def _panel(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        full = QStyleOptionViewItem(option)
        self.initStyleOption(full, index)
        full.text = ""
        full.icon = QIcon()
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, full, painter, widget)

    @staticmethod
    def _pill(painter: QPainter, rect: QRect, text: str, font: QFont, badge: tuple[int, Severity | None, bool]) -> None:
        _, worst, only_expected = badge
        current = theme.current()
        color = current.color("expected") if only_expected or worst is None else current.severity_color(worst)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, 8, 8)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


class AlignedTreeView(QTreeView):
    """One side of the comparison: a tree showing only its environment's key and value columns."""

    #: a row's menu was asked for: path, side, global position
    row_menu_requested = Signal(object, int, object)

    def __init__(self, side: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.following = False  #: scrolled by its twin, which does the fetching
        self.setUniformRowHeights(True)
        self.setAnimated(False)
        self.setAllColumnsShowFocus(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setItemDelegate(DriftDelegate(self))
        self.setIndentation(16)
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.header().setSectionsMovable(False)
        self.header().setStretchLastSection(True)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.show_own_columns()

    def show_own_columns(self) -> None:
        model = self.model()
        if model is None:
            return
        own = (key_column(self.side), value_column(self.side))
        for column in range(model.columnCount()):
            self.setColumnHidden(column, column not in own)
        self.setTreePosition(key_column(self.side))
        self.header().resizeSection(key_column(self.side), key_width(self.width()))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        index = self.indexAt(event.pos())
        if index.isValid():
            self.row_menu_requested.emit(index.data(Roles.PATH), self.side, event.globalPos())

    def verticalScrollbarValueChanged(self, value: int) -> None:
        """At the end of the rows, show the next chunk of the innermost big open branch there."""
        super().verticalScrollbarValueChanged(value)
        shown = self.model()
        filtered = shown if isinstance(shown, QSortFilterProxyModel) else None
        model = filtered.sourceModel() if filtered is not None else shown
        if self.following or value < self.verticalScrollBar().maximum() or not isinstance(model, AlignedTreeModel):
            return
        index = self._last_row_shown()
        while index.isValid():
            parent = index.parent()
            source = filtered.mapToSource(parent) if filtered is not None else parent
            if model.more_below(source) and (not parent.isValid() or self.isExpanded(parent)):
                model.show_more(source)
                return
            index = parent

    def _last_row_shown(self) -> QModelIndex:
        """The lowest row in the viewport (scrolling by rows can leave a blank strip below it)."""
        step = max(1, self.sizeHintForRow(0))
        for y in range(self.viewport().height() - 2, 0, -step):
            index = self.indexAt(QPoint(1, y))
            if index.isValid():
                return index
        return QModelIndex()

    def drawBranches(self, painter: QPainter, rect: QRect, index: AnyIndex) -> None:
        """No expand arrow on a placeholder row: this side has nothing there to open."""
        own = index.sibling(index.row(), key_column(self.side))
        if own.data(Roles.PRESENT) is False:
            brush = own.data(Qt.ItemDataRole.BackgroundRole)
            if brush is not None:
                painter.fillRect(rect, brush)
            return
        super().drawBranches(painter, rect, index)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.header().resizeSection(key_column(self.side), key_width(self.viewport().width()))
        self.header().setSectionResizeMode(value_column(self.side), QHeaderView.ResizeMode.Stretch)


class TreePair(QObject):
    """Keeps views over one model in step: expansion, scrolling and selection."""

    #: the path of the row that became current (None when nothing is)
    current_path_changed = Signal(object)

    def __init__(self, views: Iterable[AlignedTreeView], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.views = list(views)
        self.expanded: set[Path] = set()
        self._syncing = False
        for view in self.views:
            self._follow(view)

    def _follow(self, view: AlignedTreeView) -> None:
        view.expanded.connect(lambda index, v=view: self._expanded(v, index, True))
        view.collapsed.connect(lambda index, v=view: self._expanded(v, index, False))
        view.verticalScrollBar().valueChanged.connect(lambda value, v=view: self._scrolled(v, value))
        view.header().sectionResized.connect(
            lambda column, _old, width, v=view: self._resized(v, column, width))

    def add_view(self, view: AlignedTreeView) -> None:
        """Keep one more view in step, showing the model and selection the others show."""
        self.views.append(view)
        self._follow(view)
        model = self.lead.model()
        if model is None:
            return
        view.setModel(model)
        old = view.selectionModel()
        view.setSelectionModel(self.lead.selectionModel())
        if old is not None and old is not self.lead.selectionModel():
            old.deleteLater()
        view.scheduleDelayedItemsLayout()
        for path in sorted(self.expanded, key=len):
            index = self._index_of(model, path)
            if index.isValid():
                view.setExpanded(index, True)

    def remove_view(self, view: AlignedTreeView) -> None:
        """Stop keeping ``view`` in step (its pane is closing)."""
        if view in self.views and view is not self.lead:
            self.views.remove(view)

    @staticmethod
    def _index_of(model: QAbstractItemModel, path: Path) -> QModelIndex:
        source = model.sourceModel() if hasattr(model, "sourceModel") else model
        index = source.index_for_path(path) if isinstance(source, AlignedTreeModel) else QModelIndex()
        return model.mapFromSource(index) if source is not model else index  # type: ignore[attr-defined]

    @property
    def lead(self) -> AlignedTreeView:
        return self.views[0]

    def set_model(self, model: QAbstractItemModel) -> None:
        """Show ``model`` in every view with one shared selection."""
        previous = {view.selectionModel() for view in self.views} - {None}
        for view in self.views:
            view.setModel(model)
        selection = self.lead.selectionModel()
        for old in previous:
            if old is not selection:
                old.deleteLater()
        for view in self.views[1:]:
            old = view.selectionModel()
            view.setSelectionModel(selection)
            if old is not None and old is not selection:
                old.deleteLater()
        selection.currentRowChanged.connect(self._current_changed)

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self.current_path_changed.emit(current.data(Roles.PATH) if current.isValid() else None)

    def _expanded(self, source: AlignedTreeView, index: QModelIndex, expand: bool) -> None:
        path = index.data(Roles.PATH)
        if path is not None:
            (self.expanded.add if expand else self.expanded.discard)(path)
        if self._syncing:
            return
        self._syncing = True
        try:
            for view in self.views:
                if view is not source:
                    view.setExpanded(index, expand)
        finally:
            self._syncing = False

    def _resized(self, source: AlignedTreeView, column: int, width: int) -> None:
        """A key column dragged wider in one pane is as wide in every pane."""
        if self._syncing or column != key_column(source.side):
            return
        self._syncing = True
        try:
            for view in self.views:
                if view is not source and view.header().sectionSize(key_column(view.side)) != width:
                    view.header().resizeSection(key_column(view.side), width)
        finally:
            self._syncing = False

    def _scrolled(self, source: AlignedTreeView, value: int) -> None:
        for view in self.views:
            if view is not source:
                bar = view.verticalScrollBar()
                if bar.maximum() < value:
                    bar.setMaximum(source.verticalScrollBar().maximum())
                view.following = True
                try:
                    bar.setValue(value)
                finally:
                    view.following = False

    def expand(self, index: QModelIndex) -> None:
        """Expand ``index`` in every view (the views echo it to :attr:`expanded`)."""
        for view in self.views:
            view.expand(index)

    def collapse_all(self) -> None:
        self.expanded.clear()
        for view in self.views:
            view.collapseAll()

    def current_path(self) -> Path | None:
        index = self.lead.currentIndex()
        path: Path | None = index.data(Roles.PATH) if index.isValid() else None
        return path

    def select(self, index: QModelIndex) -> None:
        """Make ``index`` current in every view, opening its ancestors and scrolling to it."""
        parent = index.parent()
        ancestors = []
        while parent.isValid():
            ancestors.append(parent)
            parent = parent.parent()
        for ancestor in reversed(ancestors):
            self.expand(ancestor)
        for view in self.views:  # lay out now: selecting into a pending layout costs twice as much
            view.executeDelayedItemsLayout()
        flags = QItemSelectionModel.SelectionFlag
        self.lead.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
        for view in self.views:
            view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
