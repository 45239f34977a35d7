"""YAML read the way docker compose reads it, quickly, with the position of every value.

libyaml (through PyYAML's ``CSafeLoader``) composes the node graph, which carries the line,
column and character offset of every node; this module builds the values itself with the
YAML 1.2 rules of Go's ``yaml.v3``, the library docker compose uses. That is where it differs
from PyYAML's own loader: ``22:22`` stays the string ``"22:22"`` (not 1342), ``yes``/``no``/
``on``/``off`` stay strings, ``0755`` is the octal 493 and ``08`` the float 8.0, as yaml.v3 reads
them. Timestamps stay strings (compose receives them so).

Decisions where compose is vague:

* A mapping key is the key's text as written, unquoted: ``80: x`` gives ``"80"``, ``0x50``
  stays ``"0x50"`` and ``~`` stays ``"~"``. A key that is itself a mapping or list is an error.
* A value under a custom tag (``!reset``, ``!override``, ``!foo``) is read as if untagged, and the
  tag is kept on the node for the caller; a standard tag (``!!str``, ``!!int``…) converts the value
  and is not kept. A value that cannot take its standard tag (``!!int abc``) is an error.
* ``raw``/``start``/``end`` of a node cover its own text, after any ``&anchor`` or ``!tag``, so a
  patch replacing that span keeps the anchor and the tag.
* Merge keys (``<<: *a``, ``<<: [*a, *b]``) follow yaml.v3: keys written in the mapping win,
  then earlier merged mappings win over later ones; merged values keep their own positions
  (``key_positions`` too). A key written twice in one mapping is an error naming both lines.
* Aliases share the built node: a value reached through two aliases is the same object. The
  limit on values counts every value and collection as often as aliases repeat it, so an alias
  bomb fails in milliseconds; an alias inside its own anchor is an error, and nesting is bounded
  (through aliases too) before anything recurses.
* One document per file, as compose reads it; a second ``---`` document is an error.
  :func:`load_yaml_documents` reads every document (for generic YAML and manifests).
* A Jinja template is reported as such: ``{% … %}`` outside comments always; ``{{ name }}``
  outside comments only when the file is not valid YAML, and never a Go template's
  ``{{ .Name }}``, which compose accepts in labels (``"traefik.rule={{ .Name }}"``), so a typo
  in such a file is still reported as the typo it is.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from parity_gui.core.collector import collector_paused
from parity_gui.errors import LimitExceeded, ParseError
from parity_gui.sources.text import Text

_STD = "tag:yaml.org,2002:"
_CUSTOM_TAG_SKIP = re.compile(
    r"(?:(?:&[^\s,\[\]{}]+|!<[^>]*>|![^\s,\[\]{}]*)"  # an anchor or a tag
    r"(?:[ \t]+|(?:[ \t]*(?:#[^\n]*)?\r?\n[ \t]*)+|$|(?=[,\]}])))+"  # blanks, comments, breaks
)
#: Values any YAML file may expand to through aliases, however short it is.
MIN_VALUE_BUDGET = 100_000
#: Building the values recurses (two calls per nesting level); deeper limits are capped here.
_DEPTH_CAP = 300


@dataclass(slots=True)
class Scalar:
    """One plain value in a YAML file, with what the user wrote and where."""

    value: str | int | float | bool | None  #: resolved as compose (Go yaml.v3) resolves it
    raw: str  #: the exact source text, quotes and block indicators included
    line: int  #: 1-based line of the value's start
    column: int  #: 1-based column of the value's start
    start: int  #: character offset of ``raw`` in the file's text
    end: int  #: character offset just after ``raw``
    tag: str | None = None  #: a non-standard tag as written (``!reset``), else None
    quoted: bool = False  #: single/double quoted or block style (a string unless tagged)


class YMap(dict[str, "YNode"]):
    """A YAML mapping: its entries by key, plus where it and each of its keys were written."""

    __slots__ = ("column", "end", "key_positions", "line", "start", "tag")

    def __init__(self, line: int, column: int, start: int, end: int, tag: str | None) -> None:
        super().__init__()
        self.line, self.column, self.start, self.end, self.tag = line, column, start, end, tag
        self.key_positions: dict[str, tuple[int, int]] = {}


class YSeq(list["YNode"]):
    """A YAML sequence, plus where it was written."""

    __slots__ = ("column", "end", "line", "start", "tag")

    def __init__(self, line: int, column: int, start: int, end: int, tag: str | None) -> None:
        super().__init__()
        self.line, self.column, self.start, self.end, self.tag = line, column, start, end, tag


YNode = Scalar | YMap | YSeq


class _Composer(yaml.CSafeLoader):
    """libyaml's composer with PyYAML's YAML 1.1 resolution switched off ("" = implicit)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return ""


def load_yaml(text: Text, *, max_values: int = 2_000_000, max_depth: int = 256) -> YNode | None:
    """The single YAML document in ``text``; None when it is empty, only comments, or null.

    Raises :class:`ParseError` (file, line, column) for anything that is not one valid YAML
    document, and :class:`LimitExceeded` when aliases expand past ``max_values`` values or
    nesting passes ``max_depth`` levels.

    A file may also expand to no more values than it has characters (at least
    :data:`MIN_VALUE_BUDGET`): a few hundred bytes of aliases would otherwise pass as a tree
    of a million leaves that every later step (comparing, a JSON report) walks in full, while
    a file without aliases never has more values than characters.
    """
    documents = _documents(text, max_values, max_depth, several=False)
    return documents[0] if documents else None


def load_yaml_documents(text: Text, *, max_values: int = 2_000_000, max_depth: int = 256) -> list[YNode | None]:
    """Every document in ``text`` (``---`` separated), as :func:`load_yaml` reads one; an empty
    document is None. The limit on values holds for the whole file, not each document."""
    return _documents(text, max_values, max_depth, several=True)


def _documents(text: Text, max_values: int, max_depth: int, *, several: bool) -> list[YNode | None]:
    block = _jinja_line(text.content, _JINJA_BLOCK, ("plain", "quoted"))
    if block is not None:
        raise ParseError(_JINJA_MESSAGE, file=text.display, line=block)
    check_entries(text)
    try:
        with collector_paused():
            roots = _compose_all(text) if several else [_compose(text)]
            budget = min(max_values, max(MIN_VALUE_BUDGET, len(text.content)))
            builder = _Builder(text, budget, min(max_depth, _DEPTH_CAP))
            return [_document(builder, root) for root in roots if root is not None or not several]
    except LimitExceeded:
        raise
    except ParseError as e:
        expression = _jinja_line(text.content, _JINJA_EXPRESSION, ("plain", "quoted"))
        if expression is not None:
            raise ParseError(_JINJA_MESSAGE, file=text.display, line=expression) from e
        raise


def _document(builder: _Builder, root: yaml.Node | None) -> YNode | None:
    """One built document; what it expands to is taken from the budget the next one has."""
    if root is None:
        return None
    built, values = builder.build_counted(root)
    builder.max_values -= values
    if isinstance(built, Scalar) and built.value is None and not built.quoted:
        return None  # an explicit but empty document: "---" or "--- ~"
    return built


#: A YAML file may hold at most about this many entries, counted before parsing as its
#: ``": "``, ``":"`` at the end of a line, ``","`` and ``"- "`` (every mapping entry and sequence
#: item needs one), and its ``---`` (a document costs an entry or more): libyaml builds about
#: 100,000 nodes a second here, so past this a file would take seconds and hundreds of MB. Real
#: compose files hold a few thousand; the biggest the performance targets ask for (2.7 MB,
#: 113,000 leaves) about 133,000.
MAX_ENTRIES = 200_000
_ENTRY_MARKS = (": ", ":\n", ":\r", ":\t", ",", "- ", "---")


def check_entries(text: Text) -> None:
    """Refuse ``text`` when it holds more than :data:`MAX_ENTRIES` entries (see there)."""
    content = text.content
    entries = sum(content.count(mark) for mark in _ENTRY_MARKS)
    if entries > MAX_ENTRIES:
        raise LimitExceeded(f"holds about {entries:,} YAML entries (counting ':', ',', '- ' and '---'), "
                            f"over the limit of {MAX_ENTRIES:,} for one file", file=text.display)


# --- libyaml seam -------------------------------------------------------------------------


def _compose_all(text: Text) -> list[yaml.Node | None]:
    """libyaml's node graph of each document in ``text``."""
    nodes: list[yaml.Node | None] = _libyaml(text, lambda: list(yaml.compose_all(text.content, Loader=_Composer)))
    return nodes


def _compose(text: Text) -> yaml.Node | None:
    """libyaml's node graph for ``text``, its errors turned into one-line ParseErrors."""
    node: yaml.Node | None = _libyaml(text, lambda: yaml.compose(text.content, Loader=_Composer))
    return node


def _libyaml(text: Text, compose: Callable[[], Any]) -> Any:
    try:
        return compose()
    except yaml.MarkedYAMLError as e:
        raise _marked_error(e, text) from e
    except yaml.reader.ReaderError as e:
        line, column = _line_column(text.content, e.position)
        raise ParseError(f"unacceptable character #x{e.character:04x} in YAML", file=text.display,
                         line=line, column=column) from e
    except RecursionError as e:
        raise LimitExceeded("YAML nesting is too deep", file=text.display) from e
    except Exception as e:  # libyaml raises odd types on garbage; never let them escape
        raise ParseError(f"cannot read as YAML ({type(e).__name__})", file=text.display) from e


def _marked_error(e: yaml.MarkedYAMLError, text: Text) -> ParseError:
    mark = e.problem_mark or e.context_mark
    problem = e.problem or e.context or "invalid YAML"
    if problem == "but found another document":
        problem = "a second YAML document starts here; compose reads one document per file"
    elif problem.startswith("found undefined alias") and mark is not None:
        name = re.match(r"\*([^\s,\[\]{}]*)", text.content[mark.index:])
        problem = f"found undefined alias {name.group(0) if name else ''}".rstrip()
    elif e.context and e.context_mark is not None and e.problem:
        problem += f" ({e.context}, started at line {e.context_mark.line + 1})"
    if mark is not None and text.content[mark.index:mark.index + 1] == "\t":
        problem = "a tab character here; YAML indents with spaces only"
    kind = ParseError
    if "maximum nesting depth" in problem:
        kind, problem = LimitExceeded, "YAML nests deeper than libyaml's limit of 1000 levels"
    problem = " ".join(problem.split())
    if mark is None:
        return kind(problem, file=text.display)
    return kind(problem, file=text.display, line=mark.line + 1, column=mark.column + 1)


def _line_column(content: str, index: int) -> tuple[int, int]:
    index = max(0, min(index, len(content)))
    return content.count("\n", 0, index) + 1, index - content.rfind("\n", 0, index)


# --- Jinja --------------------------------------------------------------------------------

_JINJA_MESSAGE = "looks like a Jinja template ({% … %}); render it first, then compare the result"
_JINJA_BLOCK = re.compile(r"\{%.*?%\}")
#: ``{{ name }}`` but not a Go template's ``{{ .Name }}``, which compose labels use legitimately.
_JINJA_EXPRESSION = re.compile(r"\{\{-?\s*[^.\s}].*?\}\}")


def _jinja_line(content: str, pattern: re.Pattern[str], contexts: tuple[str, ...]) -> int | None:
    """The line of the first match of ``pattern`` whose place on its line is in ``contexts``."""
    for match in pattern.finditer(content):
        line_start = content.rfind("\n", 0, match.start()) + 1
        if _context(content[line_start:match.start()]) in contexts:
            return content.count("\n", 0, match.start()) + 1
    return None


def _context(prefix: str) -> str:
    """Whether text after ``prefix`` (a line's start) is in a "comment", "quoted" or "plain"."""
    quote = ""
    for i, c in enumerate(prefix):
        before = prefix[i - 1] if i else " "
        if quote:
            if c == quote and (quote == "'" or before != "\\"):
                quote = ""
        elif c in "'\"" and before in " \t[{,:-":
            quote = c
        elif c == "#" and before in " \t":
            return "comment"
    return "quoted" if quote else "plain"


# --- building values ----------------------------------------------------------------------


class _Builder:
    """Turns libyaml's node graph into Scalar/YMap/YSeq, counting and bounding as it goes."""

    def __init__(self, text: Text, max_values: int, max_depth: int) -> None:
        self.text = text
        self.content = text.content
        self.max_values = max_values
        self.max_depth = max_depth
        self.memo: dict[int, tuple[YNode, int, int]] = {}  # id(node) → (built, values, height)
        self.active: set[int] = set()
        self.scalars: dict[int, Scalar] = {}

    def build_counted(self, root: yaml.Node) -> tuple[YNode, int]:
        """The built ``root`` and how many values it expands to."""
        try:
            built, values, _ = self.node(root, 1)
            return built, values
        except RecursionError as e:  # only when called from an already deep stack
            raise self.error(root, "YAML nests too deep to read", LimitExceeded) from e

    def node(self, node: yaml.Node, depth: int) -> tuple[YNode, int, int]:
        """The built node with its expanded value count and height (memoised for aliases)."""
        key = id(node)
        done = self.memo.get(key)
        if done is not None:
            return done
        if key in self.active:
            raise self.error(node, "recursive alias: an alias is used inside its own anchor")
        if depth > self.max_depth:
            raise self.error(node, f"YAML nests deeper than {self.max_depth} levels", LimitExceeded)
        if isinstance(node, yaml.ScalarNode):
            result: tuple[YNode, int, int] = (self.shared_scalar(node), 1, 1)
        else:
            self.active.add(key)
            build = self.mapping if isinstance(node, yaml.MappingNode) else self.sequence
            result = build(node, depth)
            self.active.discard(key)
        if result[1] > self.max_values:
            raise self.error(
                node,
                f"YAML aliases expand to more than {self.max_values} values (alias bomb?)",
                LimitExceeded,
            )
        if result[2] > self.max_depth:
            raise self.error(node, f"YAML nests deeper than {self.max_depth} levels", LimitExceeded)
        self.memo[key] = result
        return result

    def sequence(self, node: yaml.Node, depth: int) -> tuple[YNode, int, int]:
        seq = YSeq(*self.span(node), self.collection_tag(node, "seq"))
        values, height = 1, 1
        built: YNode
        for item in node.value:
            if item.__class__ is yaml.ScalarNode:  # the common case, without node()'s checks
                built, count, child_height = self.shared_scalar(item), 1, 1
            else:
                built, count, child_height = self.node(item, depth + 1)
            seq.append(built)
            values += count
            height = max(height, child_height + 1)
        return seq, values, height

    def mapping(self, node: yaml.Node, depth: int) -> tuple[YNode, int, int]:
        ymap = YMap(*self.span(node), self.collection_tag(node, "map"))
        explicit = self.explicit_keys(node)
        values, height = 1, 1
        built: YNode
        for key_node, value_node in node.value:
            if value_node.__class__ is yaml.ScalarNode:
                built, count, child_height = self.shared_scalar(value_node), 1, 1
            else:
                built, count, child_height = self.node(value_node, depth + 1)
            values += count
            height = max(height, child_height + 1)
            if _is_merge(key_node):
                self.merge(ymap, built, explicit, key_node)
            else:
                key = key_node.value
                ymap[key] = built
                ymap.key_positions[key] = explicit[key]
        return ymap, values, height

    def explicit_keys(self, node: yaml.Node) -> dict[str, tuple[int, int]]:
        """Each key written in the mapping with its position; a key written twice is an error."""
        seen: dict[str, tuple[int, int]] = {}
        merge_line = 0
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, "a mapping key must be a plain value, not a collection")
            mark = key_node.start_mark
            if _is_merge(key_node):
                if merge_line:
                    raise self.error(key_node, f"duplicate key '<<' (first at line {merge_line})")
                merge_line = mark.line + 1
                continue
            key = key_node.value
            if key in seen:
                raise self.error(key_node, f"duplicate key '{key}' (first at line {seen[key][0]})")
            seen[key] = (mark.line + 1, mark.column + 1)
        return seen

    def merge(self, ymap: YMap, merged: YNode, explicit: dict[str, Any], at: yaml.Node) -> None:
        """Apply ``<<``: keys written in the mapping win, then earlier merged mappings win."""
        sources = list(merged) if isinstance(merged, YSeq) else [merged]
        maps = [source for source in sources if isinstance(source, YMap)]
        if len(maps) != len(sources):
            raise self.error(at, "'<<' (merge key) needs a mapping or a list of mappings")
        for source in maps:
            for key, value in source.items():
                if key not in explicit and key not in ymap:
                    ymap[key] = value
                    ymap.key_positions[key] = source.key_positions[key]

    def shared_scalar(self, node: yaml.ScalarNode) -> Scalar:
        """The scalar built for ``node``, the same object each time an alias names it."""
        built = self.scalars.get(id(node))
        if built is None:
            built = self.scalars[id(node)] = self.scalar(node)
        return built

    def scalar(self, node: yaml.ScalarNode) -> Scalar:
        line, column, start, end = self.span(node)
        quoted = bool(node.style)  # None or "" for plain scalars
        tag = node.tag
        if tag:
            return self.tagged_scalar(node, quoted, (line, column, start, end))
        value = node.value if quoted else resolve_plain(node.value)
        return Scalar(value, self.content[start:end], line, column, start, end, None, quoted)

    def tagged_scalar(
        self, node: yaml.ScalarNode, quoted: bool, where: tuple[int, int, int, int]
    ) -> Scalar:
        tag = node.tag
        try:
            value = _resolve_tagged(tag, node.value, quoted)
        except ValueError:
            raise self.error(node, f"cannot read {node.value!r} as {_short(tag)}") from None
        custom = None if tag.startswith(_STD) else tag
        line, column, start, end = where
        return Scalar(value, self.content[start:end], line, column, start, end, custom, quoted)

    def collection_tag(self, node: yaml.Node, kind: str) -> str | None:
        tag: str = node.tag
        if not tag or tag in (_STD + kind, _STD + "omap", _STD + "set", _STD + "pairs"):
            return None
        if tag.startswith(_STD):
            raise self.error(node, f"cannot read a {'list' if kind == 'seq' else 'mapping'} "
                                   f"as {_short(tag)}")
        return tag

    def span(self, node: yaml.Node) -> tuple[int, int, int, int]:
        """Line, column, start and end offsets of the node's own text."""
        mark = node.start_mark
        start, end = mark.index, node.end_mark.index
        if start < end and self.content[start] in "&!":
            return self.span_after_properties(node, start, end)
        return mark.line + 1, mark.column + 1, start, end

    def span_after_properties(self, node: yaml.Node, start: int, end: int) -> tuple[int, int, int, int]:
        """:meth:`span` for a node written after an ``&anchor`` or ``!tag``, which it skips."""
        mark = node.start_mark
        skip = _CUSTOM_TAG_SKIP.match(self.content, start, end)
        if skip is None:
            return mark.line + 1, mark.column + 1, start, end
        skipped = self.content[start:skip.end()]
        breaks = skipped.count("\n")
        if not breaks:
            return mark.line + 1, mark.column + 1 + len(skipped), skip.end(), end
        return mark.line + 1 + breaks, len(skipped) - skipped.rfind("\n"), skip.end(), end

    def error(
        self, node: yaml.Node, message: str, kind: type[ParseError] = ParseError
    ) -> ParseError:
        mark = node.start_mark
        return kind(message, file=self.text.display, line=mark.line + 1, column=mark.column + 1)


def _is_merge(key_node: yaml.Node) -> bool:
    if key_node.value != "<<" or not isinstance(key_node, yaml.ScalarNode):
        return False
    return (key_node.tag == "" and key_node.style in (None, "")) or key_node.tag == _STD + "merge"


def _short(tag: str) -> str:
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


# --- scalar resolution (yaml.v3 resolve.go) -----------------------------------------------

_MAP: dict[str, Any] = {
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}
_HINTED = frozenset("+-0123456789yYnNtTfFoO~.")
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9]+(?:[eE][-+]?[0-9]+)?")
_DIGITS = {2: frozenset("01"), 8: frozenset("01234567"), 10: frozenset("0123456789"),
           16: frozenset("0123456789abcdefABCDEF")}
_PREFIX_BASES = {"b": 2, "B": 2, "o": 8, "O": 8, "x": 16, "X": 16}
_KIND_OF_TAG = {_STD + "bool": bool, _STD + "int": int, _STD + "float": float,
                _STD + "null": type(None)}
_AS_STRING = frozenset({_STD + "str", _STD + "binary", _STD + "timestamp"})


def resolve_plain(text: str) -> str | int | float | bool | None:
    """The value of an untagged plain scalar under yaml.v3's YAML 1.2 rules."""
    if text and text[0] not in _HINTED:
        return text
    if text in _MAP:
        value: str | int | float | bool | None = _MAP[text]
        return value
    first = text[0]
    if first == ".":
        return float(text) if _DOT_FLOAT.fullmatch(text) else text
    if first in "+-0123456789":
        number = _number(text.replace("_", ""))
        return text if number is None else number
    return text


def _number(plain: str) -> int | float | None:
    """Go's ``strconv.ParseInt(s, 0, 64)``, then ``ParseUint``, then yaml.v3's float form."""
    whole = _go_int(plain)
    if whole is not None:
        return whole
    if _YAML_FLOAT.fullmatch(plain):
        number = float(plain)
        return None if math.isinf(number) else number  # Go refuses out-of-range floats
    return None


def _go_int(s: str) -> int | None:
    sign, body = (s[0], s[1:]) if s[:1] in ("+", "-") else ("", s)
    value = _go_uint(body)
    if value is None:
        return None
    if sign == "-":
        return -value if value <= 2**63 else None
    limit = 2**63 if sign == "+" else 2**64  # ParseUint (no sign) reaches 2^64-1
    return value if value < limit else None


def _go_uint(body: str) -> int | None:
    if not body:
        return None
    base, digits = 10, body
    if body[0] == "0":
        base, digits = 8, body[1:]
        if len(body) >= 3 and body[1] in _PREFIX_BASES:
            base, digits = _PREFIX_BASES[body[1]], body[2:]
    if not set(digits) <= _DIGITS[base]:
        return None
    if len(digits.lstrip("0")) > 64:  # past 64 bits in any base: Go refuses it (and Python's
        return None                   # int() refuses over 4300 digits)
    return int(digits, base) if digits else 0


def _resolve_tagged(tag: str, text: str, quoted: bool) -> str | int | float | bool | None:
    """A scalar's value given its tag ("" when untagged); ValueError when it cannot take it."""
    if not tag or not tag.startswith(_STD):
        return text if quoted else resolve_plain(text)
    if tag in _AS_STRING:
        return text
    wanted = _KIND_OF_TAG.get(tag)
    if wanted is None:
        return text
    value = resolve_plain(text)
    if wanted is float and type(value) is int:
        return float(value)
    if type(value) is not wanted:
        raise ValueError(text)
    return value
