"""One Terraform module read into ``/infrastructure``, local child modules expanded into it.

A module is the ``.tf`` and ``.tf.json`` files of one folder. Its blocks are keyed by their
Terraform address, prefixed by the module path they were reached through, as ``terraform plan``
names them::

    /infrastructure/aws_instance.web[0]/…                          count = 2
    /infrastructure/aws_s3_bucket.logs["eu"]/…                      for_each over a known map or set
    /infrastructure/module.base_env/{source, version, …, inputs/…}  the call itself
    /infrastructure/module.base_env.module.vpc.aws_subnet.private/… what the call creates
    /infrastructure/module.base_env.variable.cidr/value             the input the module received

Decisions:

* A module whose ``source`` is a local path (``./x``, ``../modules/x``) is read and expanded:
  its variables are bound to the caller's evaluated inputs (else their defaults), and its
  resources, data sources, locals, outputs and nested modules appear under the call's address,
  with origins in the module's own files. Registry and git sources stay calls with their inputs
  and version constraint: parity does not download modules.
* ``count`` and ``for_each`` over values parity can evaluate become instances (``[0]``,
  ``["key"]``), each evaluated with its own ``count.index`` / ``each.key`` / ``each.value``;
  otherwise the block stays one entry and shows the expression.
* A module folder outside the project (see :func:`parity_gui.sources.text.project_root`: the
  repository, or the folder holding ``.parity.toml``) is not read: the call stays, with a
  warning naming its line.
* Bounds: modules nest at most :data:`MAX_DEPTH` deep, a module that calls itself (directly or
  not) is not expanded again, one block makes at most :data:`MAX_INSTANCES` instances and one
  environment expands at most :data:`MAX_MODULE_CALLS` module instances; each of these is a
  warning naming the line, and the rest still loads.
"""

from __future__ import annotations

import bisect
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from pathlib import PurePath
from typing import Any, NamedTuple

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path
from parity_gui.core.tree import Diagnostic, Level, TreeBuilder
from parity_gui.errors import ParseError
from parity_gui.sources.terraform.evaluate import Evaluator, Unknown, is_known, plain
from parity_gui.sources.terraform.hcl import (
    Expression,
    HclAttribute,
    HclBlock,
    HclBody,
    HclFile,
    Syntax,
    is_syntax,
    parse_hcl,
)
from parity_gui.sources.terraform.loads import record_folder
from parity_gui.sources.terraform.parsing import parse_texts
from parity_gui.sources.text import outside_project

ROOT: Path = ("infrastructure",)
MODULE_META = ("source", "version", "count", "for_each", "providers", "depends_on")
REPETITION = ("count", "for_each")
MAX_DEPTH = 16
MAX_INSTANCES = 1000
MAX_MODULE_CALLS = 500
_TWO_LABELS = {"resource", "data"}
_ONE_LABEL = {"module", "variable", "output"}
_JSON_SUFFIX = ".tf.json"


@dataclass(frozen=True, slots=True)
class ModuleFile:
    """One file of a module: where it is and how it is named in messages."""

    path: FilePath
    display: str


@dataclass(frozen=True, slots=True)
class BoundValue:
    """A variable's value from a var file or a caller's input, with where it was set."""

    value: Any
    origin: Origin
    raw: str


@dataclass
class ModuleReading:
    """What reading one environment's modules produces, and what bounds it."""

    builder: TreeBuilder
    diagnostics: list[Diagnostic]
    sources: list[str]
    read_text: Any  #: ``(ModuleFile) -> str``, the size-checked reader of the caller
    workspace: str | None = None
    parsed: dict[FilePath, list[HclFile]] = field(default_factory=dict)
    calls: int = 0


@dataclass(frozen=True, slots=True)
class Module:
    """A module being read: its files, the address prefix it is reached through, its chain."""

    files: tuple[ModuleFile, ...]
    prefix: str
    chain: tuple[FilePath, ...]


def module_files(folder: FilePath, display_folder: str) -> list[ModuleFile]:
    """The ``.tf`` and ``.tf.json`` files of ``folder``, in name order, as Terraform reads them."""
    record_folder(folder)
    try:
        names = sorted(p.name for p in folder.iterdir() if p.name.lower().endswith((".tf", _JSON_SUFFIX)))
    except OSError:
        return []
    return [
        ModuleFile(folder / name, _joined(display_folder, name))
        for name in names
        if (folder / name).is_file() and not (folder / name).is_symlink()
    ]


def _joined(folder: str, name: str) -> str:
    return os.path.normpath(PurePath(folder) / name) if folder else name


def read_module(reading: ModuleReading, module: Module, values: dict[str, BoundValue]) -> Evaluator:
    """Emit ``module``'s blocks; its variables take ``values`` (else their defaults)."""
    parsed = _parse(reading, module.files)
    declared = [b for f in parsed for b in f.body.blocks if b.type == "variable" and b.labels]
    evaluator = Evaluator(_variable_values(declared, values), _locals(parsed), workspace=reading.workspace)
    emitter = _Emitter(reading, module, evaluator)
    for hcl_file in parsed:
        for block in hcl_file.body.blocks:
            emitter.top_block(block, hcl_file.display)
    emitter.bound_values(values, {b.labels[0] for b in declared}, root=not module.prefix)
    return evaluator


def _parse(reading: ModuleReading, files: Sequence[ModuleFile]) -> list[HclFile]:
    key = files[0].path.parent if files else FilePath()
    if key in reading.parsed:
        return reading.parsed[key]
    texts = [(reading.read_text(f), f.display) for f in files]
    reading.sources.extend(f.display for f in files)
    hcl = [(t, d) for (t, d), f in zip(texts, files, strict=True) if not _is_json(f)]
    parsed_hcl = iter(parse_texts(hcl))
    parsed = [json_module_file(t, f.display) if _is_json(f) else next(parsed_hcl)
              for (t, _), f in zip(texts, files, strict=True)]
    reading.parsed[key] = parsed
    return parsed


def _is_json(file: ModuleFile) -> bool:
    return file.path.name.lower().endswith(_JSON_SUFFIX)


def _variable_values(declared: list[HclBlock], values: dict[str, BoundValue]) -> dict[str, Any]:
    """Each variable's value for evaluation: bound, else its default, else unknown."""
    literal = Evaluator({}, {})
    known: dict[str, Any] = {}
    for block in declared:
        name = block.labels[0]
        default = _attribute(block.body, "default")
        known[name] = literal.value(default.value) if default else Unknown(f"var.{name}")
    known.update({k: v.value for k, v in values.items()})
    return known


def _locals(parsed: Sequence[HclFile]) -> dict[str, Expression]:
    return {
        attribute.name: attribute.value
        for hcl_file in parsed
        for block in hcl_file.body.blocks
        if block.type == "locals"
        for attribute in block.body.attributes
    }


def _attribute(body: HclBody, name: str) -> HclAttribute | None:
    return next((a for a in body.attributes if a.name == name), None)


class _Call(NamedTuple):
    """One instance of a ``module`` block being read."""

    name: str
    path: Path
    body: HclBody
    evaluator: Evaluator
    display: str


class _Emitter:
    """Writes one module's blocks into the tree under its prefix."""

    def __init__(self, reading: ModuleReading, module: Module, evaluator: Evaluator) -> None:
        self.reading = reading
        self.module = module
        self.evaluator = evaluator
        self.builder = reading.builder

    def warn(self, message: str, display: str, line: int) -> None:
        self.reading.diagnostics.append(Diagnostic(message, file=display, line=line, level=Level.WARNING))

    def top_block(self, block: HclBlock, display: str) -> None:
        name = self.module.prefix + address(block, self.evaluator, display)
        if block.type in ("resource", "data", "module"):
            instances = self.instances(block, display)
            if instances is not None:
                for key, evaluator in instances:
                    self.block_instance(block, f"{name}{key}", evaluator, display, repeated=True)
                return
        self.block_instance(block, name, self.evaluator, display, repeated=False)

    def block_instance(self, block: HclBlock, name: str, evaluator: Evaluator, display: str, *, repeated: bool) -> None:
        path = (*ROOT, name)
        self.builder.branch(path, Origin(display, block.line, block.column))
        body = _without(block.body, REPETITION) if repeated else block.body
        if block.type == "module":
            self.module_call(_Call(name, path, body, evaluator, display))
            return
        emit_body(self.builder, path, body, evaluator, display)
        if block.type == "variable":
            self.variable_default(block, path, evaluator, display)
        if block.type == "terraform":
            _normalise_required_providers(self.builder, path)

    def variable_default(self, block: HclBlock, path: Path, evaluator: Evaluator, display: str) -> None:
        default = _attribute(block.body, "default")
        if default is not None:
            origin = Origin(display, default.line, default.column)
            self.builder.set((*path, "value"), plain(evaluator.value(default.value)), origin, default.value.text)

    def instances(self, block: HclBlock, display: str) -> list[tuple[str, Evaluator]] | None:
        """The instances ``count`` or ``for_each`` make, or None to keep the block as one entry."""
        count, for_each = _attribute(block.body, "count"), _attribute(block.body, "for_each")
        if count is None and for_each is None:
            return None
        if count is not None:
            value = self.evaluator.value(count.value)
            if not (isinstance(value, int | float) and not isinstance(value, bool) and value >= 0):
                return None
            keys: list[tuple[str, dict[str, Any]]] = [(f"[{i}]", {"count.index": i}) for i in range(int(value))]
        else:
            assert for_each is not None
            found = _for_each_keys(self.evaluator.value(for_each.value))
            if found is None:
                return None
            keys = [(f'["{k}"]', {"each.key": k, "each.value": v}) for k, v in found]
        if len(keys) > MAX_INSTANCES:
            self.warn(f"{len(keys)} instances: only the first {MAX_INSTANCES} are read", display, block.line)
            keys = keys[:MAX_INSTANCES]
        return [(key, self.evaluator.for_instance(**bound)) for key, bound in keys]

    def module_call(self, call: _Call) -> None:
        name, path, body, evaluator, display = call
        meta = HclBody([a for a in body.attributes if a.name in MODULE_META], body.blocks)
        inputs = HclBody([a for a in body.attributes if a.name not in MODULE_META], [])
        emit_body(self.builder, path, meta, evaluator, display)
        emit_body(self.builder, (*path, "inputs"), inputs, evaluator, display)
        source = _attribute(body, "source")
        folder = self.local_source(source, evaluator, display)
        if folder is None or source is None:
            return
        if not self.may_expand(folder, source, display):
            return
        self.reading.calls += 1
        values = {
            a.name: BoundValue(evaluator.value(a.value), Origin(display, a.line, a.column), a.value.text)
            for a in inputs.attributes
        }
        files = module_files(folder, _joined(str(PurePath(display).parent), str(evaluator.value(source.value))))
        child = Module(tuple(files), f"{name}.", (*self.module.chain, folder))
        read_module(self.reading, child, values)

    def local_source(self, source: HclAttribute | None, evaluator: Evaluator, display: str) -> FilePath | None:
        """The folder a local ``source`` names, or None for registry, git and other sources."""
        if source is None:
            return None
        value = evaluator.value(source.value)
        if not isinstance(value, str) or not value.startswith(("./", "../")):
            return None
        here = self.module.chain[-1] if self.module.chain else FilePath(display).parent
        return (here / value).resolve()

    def may_expand(self, folder: FilePath, source: HclAttribute, display: str) -> bool:
        if folder in self.module.chain:
            self.warn("this module calls itself (through its sources): not expanded again", display, source.line)
            return False
        if len(self.module.chain) >= MAX_DEPTH:
            self.warn(f"modules nest more than {MAX_DEPTH} deep: not expanded further", display, source.line)
            return False
        if self.reading.calls >= MAX_MODULE_CALLS:
            self.warn(f"more than {MAX_MODULE_CALLS} module instances: not expanded", display, source.line)
            return False
        if not folder.is_dir():
            self.warn("the module's source folder does not exist", display, source.line)
            return False
        outside = outside_project(folder)
        if outside is not None:
            self.warn(f"the module's source folder {outside.replace('this one', 'it')}", display, source.line)
            return False
        return True

    def bound_values(self, values: dict[str, BoundValue], declared: set[str], *, root: bool) -> None:
        for name, value in values.items():
            path = (*ROOT, f"{self.module.prefix}variable.{name}", "value")
            self.builder.set(path, plain(value.value), value.origin, value.raw)
            if name not in declared and (self.module.files or not root):
                where = value.origin
                level = Level.WARNING if root else Level.ERROR
                message = (f"value for undeclared variable {name!r}" if root
                           else f"the module has no variable {name!r} (an input Terraform refuses)")
                self.reading.diagnostics.append(Diagnostic(message, where.file, where.line, level=level))


def _for_each_keys(value: Any) -> list[tuple[str, Any]] | None:
    """``for_each``'s instance keys and values: a map's keys, or a set of strings."""
    if isinstance(value, dict) and is_known(value):
        return [(str(k), v) for k, v in value.items()]
    if isinstance(value, list) and is_known(value) and all(isinstance(v, str) for v in value):
        return [(v, v) for v in dict.fromkeys(value)]
    return None


def _without(body: HclBody, names: Sequence[str]) -> HclBody:
    return HclBody([a for a in body.attributes if a.name not in names], body.blocks)


def address(block: HclBlock, evaluator: Evaluator, display: str) -> str:
    """The Terraform address of a top-level block (``aws_db_instance.main``, ``module.db``)."""
    labels = block.labels
    if block.type in _TWO_LABELS:
        if len(labels) != 2:
            raise ParseError(f"a {block.type} block needs a type and a name", file=display, line=block.line)
        prefix = "data." if block.type == "data" else ""
        return f"{prefix}{labels[0]}.{labels[1]}"
    if block.type in _ONE_LABEL or block.type == "provider":
        if len(labels) != 1:
            raise ParseError(f"a {block.type} block needs one name", file=display, line=block.line)
        return f"{block.type}.{labels[0]}{_alias(block, evaluator)}"
    return ".".join((block.type, *labels))


def _alias(block: HclBlock, evaluator: Evaluator) -> str:
    alias = _attribute(block.body, "alias")
    if block.type != "provider" or alias is None:
        return ""
    value = evaluator.value(alias.value)
    return f".{value}" if isinstance(value, str) else f".{alias.value.text}"


def _normalise_required_providers(builder: TreeBuilder, path: Path) -> None:
    """The legacy ``aws = "~> 4.0"`` form means the same as ``aws = { version = "~> 4.0" }``."""
    providers = builder.branch(path).get("required_providers")
    if isinstance(providers, dict):
        for name, value in list(providers.items()):
            if isinstance(value, str):
                providers[name] = {"version": value}


def emit_body(builder: TreeBuilder, path: Path, body: HclBody, evaluator: Evaluator, display: str) -> None:
    """Arguments and nested blocks of ``body`` under ``path``.

    Nested blocks (``lifecycle``, ``ingress``, ``dynamic "ingress"``) nest by type and labels. An
    unlabelled block type that appears once is a mapping at ``<type>``; when it repeats inside
    one block, each occurrence is keyed by position (``ingress/0``, ``ingress/1``).
    """
    for attribute in body.attributes:
        origin = Origin(display, attribute.line, attribute.column)
        value = plain(evaluator.value(attribute.value))
        builder.set((*path, attribute.name), value, origin, attribute.value.text)
    repeated = Counter(b.type for b in body.blocks if not b.labels)
    seen: Counter[str] = Counter()
    for block in body.blocks:
        key: tuple[str, ...] = (block.type, *block.labels)
        if not block.labels and repeated[block.type] > 1:
            key = (block.type, str(seen[block.type]))
            seen[block.type] += 1
        child = (*path, *key)
        builder.branch(child, Origin(display, block.line, block.column))
        emit_body(builder, child, block.body, evaluator, display)


# --- .tf.json -------------------------------------------------------------------------------

#: How deep each top-level key of a ``.tf.json`` file nests its labels before the block body.
_JSON_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1,
                "locals": 0, "terraform": 0}


def json_module_file(text: str, display: str) -> HclFile:
    """A ``.tf.json`` file as the blocks its HCL twin would have (Terraform's JSON syntax).

    The JSON is read by the HCL parser itself (JSON objects are HCL object constructors), so
    strings are templates (``"${var.x}"``) and every value keeps its line. Keys named ``//``
    are comments, as in Terraform. Nested blocks inside a block body (``lifecycle``) read as
    map arguments: without a provider's schema, JSON cannot tell the two apart.
    """
    wrapper = "value = "
    parsed = parse_hcl(wrapper + text + "\n", display, fold=False)
    top = parsed.body.attributes[0].value.node if parsed.body.attributes else None
    if top is None or top[0] != "obj":
        raise ParseError("a .tf.json file holds one JSON object", file=display, line=1)
    lines = _LineIndex(text, len(wrapper))
    body = HclBody()
    for key, value in _pairs(top):
        depth = _JSON_LABELS.get(key)
        if depth is None:
            continue
        for labels, inner in _labelled(value, depth):
            line, column = lines.position(inner[1])  # an object's own span
            body.blocks.append(HclBlock(key, labels, _json_body(inner, lines, text), line, column))
    return HclFile(display, text, body)


def _pairs(node: Syntax) -> list[tuple[str, Syntax]]:
    """An object's keys (known strings only, ``//`` comments left out) and value nodes."""
    found = []
    for key_node, value_node, *_ in node[3]:
        key = _literal_key(key_node)
        if key is not None and key != "//":
            found.append((key, value_node))
    return found


def _literal_key(node: Syntax) -> str | None:
    if node[0] == "lit" and isinstance(node[1], str):
        return str(node[1])
    if node[0] == "tpl" and all(isinstance(p, str) for p in node[3]):
        return "".join(node[3])
    return None


def _labelled(node: Syntax, depth: int) -> list[tuple[tuple[str, ...], Syntax]]:
    """The block bodies under ``depth`` levels of label keys; a list holds several bodies."""
    if node[0] == "list":
        return [found for item in node[3] for found in _labelled(item, depth)]
    if node[0] != "obj":
        return []
    if depth == 0:
        return [((), node)]
    return [((key, *labels), body) for key, inner in _pairs(node) for labels, body in _labelled(inner, depth - 1)]


def _json_body(node: Syntax, lines: _LineIndex, text: str) -> HclBody:
    body = HclBody()
    for key_node, value_node, key_start, value_start, value_end in node[3]:
        key = _literal_key(key_node)
        if key is None or key == "//":
            continue
        line, column = lines.position(key_start)
        value_line, value_column = lines.position(value_start)
        start, end = value_start - lines.offset, value_end - lines.offset
        expression = Expression(_shifted(value_node, -lines.offset), text[start:end].strip(),
                                value_line, value_column, text)
        body.attributes.append(HclAttribute(key, expression, line, column))
    return body


def _shifted(node: Any, by: int) -> Any:
    """``node`` with its spans moved by ``by`` characters (from the wrapped text to the file's)."""
    if is_syntax(node):
        start = node[1] + by if node[1] >= 0 else -1
        end = node[2] + by if node[2] >= 0 else -1
        return (node[0], start, end, *(_shifted(p, by) for p in node[3:]))
    if isinstance(node, tuple):
        return tuple(_shifted(p, by) for p in node)
    return node


class _LineIndex:
    """Line and column of a character offset in the wrapped text of a ``.tf.json`` file."""

    def __init__(self, text: str, offset: int) -> None:
        self.offset = offset
        self.starts = [0]
        index = text.find("\n")
        while index >= 0:
            self.starts.append(index + 1)
            index = text.find("\n", index + 1)

    def position(self, wrapped: int) -> tuple[int, int]:
        at = max(wrapped - self.offset, 0)
        line = bisect.bisect_right(self.starts, at)
        return line, at - self.starts[line - 1] + 1
