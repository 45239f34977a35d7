"""Services that are one service under different names, compared as one.

A compose service ``web`` and the Deployment ``shop-web`` that runs it in production are paired
in ``.parity.toml`` (``[[pair]] services = ["web", "shop-web"]``); before the walk, each
environment's ``/services/shop-web`` is read as ``/services/web`` (the first name), its origins
and raw text with it. An environment that has two services of one pair keeps them apart and is
left as it is, with a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from parity_gui.core.options import ServicePair
from parity_gui.core.tree import Diagnostic, Environment

T = TypeVar("T")


def paired(env: Environment, pairs: Sequence[ServicePair]) -> Environment:
    """``env`` with its services renamed by ``pairs`` (the same object when nothing changes)."""
    services = env.tree.get("services")
    if not pairs or not isinstance(services, dict):
        return env
    renames: dict[str, str] = {}
    notes: list[Diagnostic] = []
    for pair in pairs:
        present = [n for n in pair.names if n in services]
        if len(present) > 1:
            notes.append(Diagnostic(f"services {', '.join(present)} are paired but both are here; "
                                    "compared under their own names", pair.source))
        elif present and present[0] != pair.name:
            renames[present[0]] = pair.name
    if not renames and not notes:
        return env
    tree = {**env.tree, "services": {renames.get(k, k): v for k, v in services.items()}}
    return replace(env, tree=tree, origins=_rekeyed(env.origins, renames), raw=_rekeyed(env.raw, renames),
                   diagnostics=[*env.diagnostics, *notes])


def _rekeyed(table: dict[tuple[str, ...], T], renames: dict[str, str]) -> dict[tuple[str, ...], T]:
    return {
        (path[0], renames[path[1]], *path[2:]) if len(path) > 1 and path[0] == "services" and path[1] in renames
        else path: value
        for path, value in table.items()
    }
