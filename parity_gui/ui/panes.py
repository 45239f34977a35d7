"""The panes of the window: one per environment, the first the baseline.

:class:`PanesMixin` gives the main window what it does with its panes — add one, close one,
move one, make one the baseline — keeping each pane's header and page in step with the state
of the environment it shows (:class:`SideState`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import TYPE_CHECKING

from parity_gui.core.tree import Environment
from parity_gui.ui.loading import Failure
from parity_gui.ui.side import SidePanel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSplitter

    from parity_gui.ui.trees import TreePair


@dataclass
class SideState:
    """What one side holds: the spec asked for, and the environment or the failure it gave."""

    spec: str | None = None
    name: str | None = None
    env: Environment | None = None
    failure: Failure | None = None
    generation: int = 0
    loading: bool = False
    #: one engine of a ``docker://*/NAME``: left out when it runs no project or stack NAME
    optional: bool = False

    def shown_name(self, fallback: str) -> str:
        if self.env is not None:
            return self.env.name
        if self.name:
            return self.name
        return FilePath(self.spec.split("+")[-1]).name if self.spec else fallback


def pane_title(side: int) -> str:
    """What an empty pane is called: Left, Right, then Pane 3, Pane 4 …"""
    return ("Left", "Right")[side] if side < 2 else f"Pane {side + 1}"


class PanesMixin:
    """Adding, closing and reordering the main window's panes (see the module docstring)."""

    sides: list[SidePanel]
    states: list[SideState]
    hidden: list[SideState]  #: environments hidden from the comparison, to show again
    side_splitter: QSplitter
    pair: TreePair

    def set_pane_count(self, count: int) -> None:
        """Show ``count`` panes (at least two): new ones open empty, extra ones close with their
        environments."""
        count = max(2, count)
        while len(self.sides) < count:
            self._add_pane()
        while len(self.sides) > count:
            self._remove_pane()

    def _add_pane(self) -> SidePanel:
        side = len(self.sides)
        panel = SidePanel(side, pane_title(side))
        self.sides.append(panel)
        self.states.append(SideState())
        self.side_splitter.addWidget(panel)
        self._connect_panel(panel)
        self.pair.add_view(panel.tree)
        sizes = [1000] * len(self.sides)
        self.side_splitter.setSizes(sizes)
        return panel

    def _remove_pane(self) -> None:
        panel = self.sides.pop()
        state = self.states.pop()
        state.generation += 1  # a load still running for it is ignored
        self.pair.remove_view(panel.tree)
        panel.setParent(None)
        panel.deleteLater()

    def add_environment(self) -> None:
        """Open one more pane (its Open menu picks what it holds)."""
        panel = self._add_pane()
        panel.show_welcome()

    def close_pane(self, side: int) -> None:
        """Take environment ``side`` out of the comparison (two panes always stay)."""
        if len(self.states) > 2:
            self._take_pane(side)
            self._settled()

    def hide_pane(self, side: int) -> None:
        """Take environment ``side`` out of the comparison but keep it, to show again (two panes
        always stay)."""
        if len(self.states) > 2:
            self.hidden.append(self._take_pane(side))
            self._settled()

    def show_hidden(self, which: int) -> None:
        """Bring a hidden environment back, in a new last pane, as it was."""
        state = self.hidden.pop(which)
        self._add_pane()
        side = len(self.states) - 1
        self.states[side] = state
        self._refresh_panes()
        if state.env is None and state.failure is None and state.spec:
            self.load(side, state.spec, state.name, state.optional)  # it was still loading when it was hidden
        else:
            self._settled()

    def _take_pane(self, side: int) -> SideState:
        """Remove environment ``side`` and its pane (the panes after it move up); its state."""
        state = self.states[side]
        self.states.append(self.states.pop(side))
        self._refresh_panes()
        self._remove_pane()
        return state

    def move_pane(self, side: int, to: int) -> None:
        """Put environment ``side`` at position ``to``; position 0 is the baseline."""
        to = max(0, min(to, len(self.states) - 1))
        if side == to:
            return
        state = self.states.pop(side)
        self.states.insert(to, state)
        self._refresh_panes()
        if any(s.loading for s in self.states):
            self.reload()
        else:
            self._settled()

    def make_baseline(self, side: int) -> None:
        self.move_pane(side, 0)

    def _refresh_panes(self) -> None:
        """Make each pane show its state again, after the states moved."""
        for side, state in enumerate(self.states):
            panel = self.sides[side]
            if state.env is not None:
                panel.header.show_loaded(state.env, 0)
                panel.show_tree()
            elif state.failure is not None:
                panel.header.name.set_full_text(state.shown_name(pane_title(side)))
                panel.show_failure(state.failure)
            elif state.loading and state.spec:
                panel.header.show_loading(state.shown_name(pane_title(side)), state.spec)
            else:
                panel.header.name.set_full_text(pane_title(side))
                panel.show_welcome()

    def swap(self) -> None:
        """Exchange the first two panes; the first one is the baseline."""
        self.move_pane(1, 0)

    # --- provided by the window ---------------------------------------------------------------
    def _connect_panel(self, panel: SidePanel) -> None:
        raise NotImplementedError

    def _settled(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def load(self, side: int, spec: str, name: str | None = None, optional: bool = False) -> None:
        raise NotImplementedError
