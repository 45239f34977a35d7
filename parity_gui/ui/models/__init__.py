"""Qt models over the engine's aligned comparison tree: one source model and its filter proxy."""

from parity_gui.ui.models.aligned import AlignedTreeModel, Roles
from parity_gui.ui.models.filters import DriftFilterModel
from parity_gui.ui.models.index import DriftIndex

__all__ = ["AlignedTreeModel", "DriftFilterModel", "DriftIndex", "Roles"]
