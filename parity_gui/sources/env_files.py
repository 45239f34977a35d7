"""The ``.env`` files a compose file names in ``env_file``, whatever they are called.

A Django project keeps its settings in ``.envs/.production/.django``, a name that says nothing;
the compose file that names it in ``env_file`` does. The registry reads such a file as a
``.env`` file when a compose file of the same spec (or of the same environment in
``.parity.toml``) names it. Only literal paths count (an entry with ``${…}`` is skipped); a
compose file that cannot be read names nothing here (its own loader reports why).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from parity_gui.errors import ParityError
from parity_gui.sources.text import read_text
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq, load_yaml


def env_files_named(compose_files: Iterable[tuple[Path, str]]) -> frozenset[Path]:
    """The resolved paths of every ``env_file`` the services of ``compose_files`` (paths with
    the names shown for them) name."""
    named: set[Path] = set()
    for compose_file, display in compose_files:
        try:
            top = load_yaml(read_text(compose_file, display))
        except ParityError:
            continue
        services = top.get("services") if isinstance(top, YMap) else None
        if isinstance(services, YMap):
            for service in services.values():
                entries = service.get("env_file") if isinstance(service, YMap) else None
                named |= {(compose_file.parent / p).resolve() for p in _paths(entries)}
    return frozenset(named)


def _paths(entries: YNode | None) -> list[str]:
    items = list(entries) if isinstance(entries, YSeq) else [entries] if entries is not None else []
    paths = []
    for item in items:
        node = item.get("path") if isinstance(item, YMap) else item
        if isinstance(node, Scalar) and isinstance(node.value, str) and "$" not in node.value:
            paths.append(node.value)
    return paths
