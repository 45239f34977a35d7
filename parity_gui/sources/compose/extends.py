"""``extends``: a service built on another one, in the same file or in another (``file:``).

The base is read (following its own ``extends`` first) and the extending service is merged over
it with the same rules as ``docker compose -f a -f b``. A ``file:`` is found relative to the file
that names it. A chain that comes back to a service already on it is an error naming the chain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from parity_gui.errors import ParseError
from parity_gui.sources.compose.merge import Item, merge
from parity_gui.sources.compose.normalise import normalise_service
from parity_gui.sources.compose.reading import Reading, is_null
from parity_gui.sources.text import not_a_file
from parity_gui.sources.yamlfile import Scalar, YMap, YNode


@dataclass(frozen=True, slots=True)
class ServicesOf:
    """A compose file opened for its services."""

    reading: Reading
    services: YMap | None
    has_resets: bool = False  #: whether the file uses ``!reset`` anywhere
    top: YMap | None = None  #: the file's top level, for reading the whole file


#: Opens another compose file (path on disk, name to show) for ``extends: {file: …}``.
Opener = Callable[[Path, str], ServicesOf]

#: The services visited so far: (file on disk, file as shown, service).
Chain = tuple[tuple[str, str, str], ...]

#: Longer ``extends`` chains are refused rather than followed.
MAX_DEPTH = 64


def read_service(r: Reading, services: YMap, name: str, opener: Opener, chain: Chain = ()) -> Item:
    """Service ``name`` of this file as a canonical item, with its ``extends`` resolved."""
    node = services[name]
    chain = (*chain, _link(r, name))
    if len(chain) > MAX_DEPTH:
        r.fail(f"extends chain of service {name!r} is longer than {MAX_DEPTH} services", node)
    item = normalise_service(r, name, node, r.key_at(services, name))
    extends = node.get("extends") if isinstance(node, YMap) else None
    if is_null(extends):
        return item
    assert extends is not None
    base_name, base = _base_of(r, extends, services, opener)
    again = _link(base.reading, base_name)
    if any(link[0::2] == again[0::2] for link in chain):
        _fail_cycle(r, extends, chain, again)
    if base.services is None or base_name not in base.services:
        r.fail(f"extends: no service {base_name!r} in {base.reading.display}", extends)
    base_item = read_service(base.reading, base.services, base_name, opener, chain)
    merged = merge(base_item, item) or item
    merged.origin = item.origin
    return merged


def _base_of(r: Reading, extends: YNode, services: YMap, opener: Opener) -> tuple[str, ServicesOf]:
    if isinstance(extends, Scalar):
        return r.text(extends, "extends"), ServicesOf(r, services)
    spec = r.mapping(extends, "extends")
    if is_null(spec.get("service")):
        r.fail("extends needs a 'service'", extends)
    name = r.text(spec["service"], "extends.service")
    file_node = spec.get("file")
    if is_null(file_node):
        return name, ServicesOf(r, services)
    assert file_node is not None
    written = r.text(file_node, "extends.file")
    path, shown = r.file_path(written)
    problem = not_a_file(path)
    if problem:
        r.fail(f"extends: file {written} {problem} ({shown})", file_node)
    if str(path.resolve()) == r.identity:
        return name, ServicesOf(r, services)
    return name, opener(path, shown)


def _link(r: Reading, name: str) -> tuple[str, str, str]:
    return (r.identity, r.display, name)


def _fail_cycle(r: Reading, extends: YNode, chain: Chain, again: tuple[str, str, str]) -> None:
    start = next(i for i, link in enumerate(chain) if link[0::2] == again[0::2])
    steps = [*chain[start:], again]
    shown = " → ".join(f"{service} ({shown_file})" for _, shown_file, service in steps)
    raise ParseError(f"extends cycle: {shown}", file=r.display, line=extends.line, column=extends.column)
