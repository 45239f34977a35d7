"""Where things are written in a YAML file: the node at an origin, its parent, whole entries.

Built once per file from :func:`parity_gui.sources.yamlfile.load_yaml`. Origins name a value by
line and column; this index answers "which scalar, key or collection starts there", "which
mapping or list physically holds it" (a value merged in through ``<<: *anchor`` is written inside
the anchor, not inside the mapping that merges it) and "which lines does this entry occupy".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from parity_gui.export.patch.edits import Lines
from parity_gui.sources.text import Text
from parity_gui.sources.yamlfile import Scalar, YMap, YNode, YSeq, load_yaml


@dataclass(frozen=True, slots=True)
class Entry:
    """A key of a mapping (``key`` set) or an item of a list (``index`` set), as written."""

    container: YMap | YSeq
    value: YNode
    key: str | None = None
    index: int | None = None
    key_start: int | None = None  #: offset of the key's first character


class YamlFile:
    """One YAML file read for editing: its text, nodes and where each one is."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self.content = text.content
        self.lines = Lines(text.content)
        self.root = load_yaml(text)
        self.scalars: dict[tuple[int, int], Scalar] = {}
        self.collections: dict[tuple[int, int], list[YMap | YSeq]] = {}
        self.keys: dict[tuple[int, int], Entry] = {}
        self.parents: dict[int, Entry] = {}
        if self.root is not None:
            self._index(self.root)

    # --- building the index ---------------------------------------------------------------

    def _index(self, root: YNode) -> None:
        seen: set[int] = set()
        stack: list[YNode] = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, Scalar):
                self.scalars.setdefault((node.line, node.column), node)
                continue
            self.collections.setdefault((node.line, node.column), []).append(node)
            stack.extend(self._children(node))

    def _children(self, node: YMap | YSeq) -> Iterator[YNode]:
        if isinstance(node, YSeq):
            for index, child in enumerate(node):
                if self.inside(child, node):
                    self.parents.setdefault(id(child), Entry(node, child, index=index))
                yield child
            return
        for key, child in node.items():
            line, column = node.key_positions[key]
            start = self.lines.offset(line, column)
            if node.start <= start <= node.end and _is_own_key(node, start):
                entry = Entry(node, child, key=key, key_start=start)
                self.keys.setdefault((line, column), entry)
                self.parents.setdefault(id(child), entry)
            yield child

    @staticmethod
    def inside(child: YNode, parent: YMap | YSeq) -> bool:
        return parent.start <= child.start <= parent.end

    # --- questions ------------------------------------------------------------------------

    def scalar_at(self, line: int, column: int) -> Scalar | None:
        return self.scalars.get((line, column))

    def collection_at(self, line: int, column: int) -> YMap | YSeq | None:
        found = self.collections.get((line, column))
        return found[0] if found else None

    def key_at(self, line: int, column: int) -> Entry | None:
        """The mapping entry whose key is written at ``line``:``column``."""
        return self.keys.get((line, column))

    def parent(self, node: YNode) -> Entry | None:
        """The entry that physically holds ``node`` (None for the root)."""
        return self.parents.get(id(node))

    def is_flow(self, node: YMap | YSeq) -> bool:
        return self.content[node.start:node.start + 1] in ("[", "{")

    def last_offset(self, node: YNode) -> int:
        """Where the text of ``node`` really ends (a block collection's end mark lies at the
        next token, past trailing comments and blank lines)."""
        if isinstance(node, Scalar) or self.is_flow(node):
            return node.end
        own = [c for c in (node.values() if isinstance(node, YMap) else node) if self.inside(c, node)]
        if not own:
            return node.start
        return max(self.last_offset(c) for c in own)

    def entry_lines(self, entry: Entry) -> tuple[int, int] | None:
        """The whole lines an entry occupies (from its line start to after its last line's
        newline), or None when it shares a line with something else."""
        first = entry.key_start if entry.key_start is not None else self._item_dash(entry)
        if first is None:
            return None
        start = self.lines.line_start(first)
        if self.content[start:first].strip(" "):
            return None
        last = self.last_offset(entry.value)
        end = self.lines.line_end(max(last - 1, first))
        tail = self.content[last:end].strip()
        if tail and not tail.startswith("#"):
            return None
        return start, end

    def _item_dash(self, entry: Entry) -> int | None:
        """The offset of the ``-`` introducing a block list item."""
        position = self.content.rfind("-", 0, entry.value.start + 1)
        if position < 0 or self.content[position + 1:entry.value.start].strip(" "):
            return None
        return position

    def indent_of_keys(self, mapping: YMap) -> int | None:
        """The column (0-based) at which a block mapping writes its keys, None if flow style."""
        if self.is_flow(mapping):
            return None
        return mapping.column - 1

    def item_indent(self, sequence: YSeq) -> tuple[str, str] | None:
        """For a block list: the text before ``-`` and between ``-`` and the item, from its first item."""
        if self.is_flow(sequence) or not sequence:
            return None
        dash = self._item_dash(Entry(sequence, sequence[0], index=0))
        if dash is None:
            return None
        start = self.lines.line_start(dash)
        before = self.content[start:dash]
        if before.strip(" "):
            return None
        return before, self.content[dash + 1:sequence[0].start]


def _is_own_key(mapping: YMap, start: int) -> bool:
    """False for keys merged in from an anchor (their positions lie inside the anchor)."""
    return start >= mapping.start
