"""Docker contexts as the docker CLI resolves them, for ``parity contexts`` and the GUI's menu."""

from __future__ import annotations

from parity_gui.sources.docker.contexts import ContextInfo, list_contexts

__all__ = ["ContextInfo", "list_contexts"]
