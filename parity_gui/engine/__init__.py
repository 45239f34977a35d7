"""Comparing environments: the aligned tree, drift records, severities and navigation."""

from parity_gui.engine.compare import compare
from parity_gui.engine.comparison import AlignedNode, Comparison, Summary

__all__ = ["AlignedNode", "Comparison", "Summary", "compare"]
