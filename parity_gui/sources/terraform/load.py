"""Terraform: ``.tf`` modules, ``.tfvars`` values and ``terragrunt.hcl``, under ``/infrastructure``.

Every top-level block is one node keyed by its Terraform address::

    /infrastructure/aws_db_instance.main/<argument>       resource
    /infrastructure/data.aws_ami.ubuntu/<argument>        data source
    /infrastructure/module.db/{source, version, count, for_each, providers, depends_on}
    /infrastructure/module.db/inputs/<name>               the module's other arguments
    /infrastructure/variable.region/{type, default, description, sensitive, nullable, value}
    /infrastructure/provider.aws (provider.aws.west with ``alias = "west"``)
    /infrastructure/terraform/{required_version, required_providers/<name>/{source, version}, backend/<type>/…}
    /infrastructure/locals/<name>
    /infrastructure/output.endpoint/{value, description, sensitive}
    /infrastructure/terragrunt/{inputs, include/<name>/path, terraform/source, dependency/…}
    /infrastructure/terragrunt.root/…                     another ``*.hcl`` (``root.hcl``), by its stem

Values are evaluated where that needs no Terraform run (see :mod:`terraform_eval`); the rest is
the expression text. Each argument's origin is its line and column; its raw text is the
expression as written.

Decisions:

* Nested blocks (``lifecycle``, ``ingress``, ``dynamic "ingress"``) nest by type and labels. An
  unlabelled block type that appears once is a mapping at ``<type>``; when it repeats inside
  one block, each occurrence is keyed by position (``ingress/0``, ``ingress/1``).
* ``variable.X/value`` is what a plan would use: the last ``-var-file`` named in the spec, then
  ``*.auto.tfvars`` and ``terraform.tfvars`` beside the module (Terraform's own precedence),
  then the default.
* A spec that names only var files (``infra/prod.tfvars``) also reads the ``.tf`` files in the
  same folder, as ``terraform plan -var-file=prod.tfvars`` run there would, so that arguments
  computed from variables (``var.environment == "production" ? "t3.large" : "t3.small"``)
  compare as values.
* A ``.tfvars`` value that is not a literal (``size = var.other``) is an error diagnostic naming
  its line; the rest of the file still loads.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from parity_gui.core.origin import Origin
from parity_gui.core.pointer import Path
from parity_gui.core.tree import Coverage, Diagnostic, Environment, Level, TreeBuilder
from parity_gui.errors import ParseError
from parity_gui.sources.nesting import check_json_depth
from parity_gui.sources.terraform.evaluate import Evaluator, Unknown, is_known, plain
from parity_gui.sources.terraform.hcl import Expression, HclBlock, HclBody, HclFile, parse_hcl
from parity_gui.sources.text import max_file_bytes, read_text

if TYPE_CHECKING:
    from parity_gui.sources.registry import SpecFile

COVERAGE = ("/infrastructure/**",)
ROOT: Path = ("infrastructure",)
VAR_FILE_SUFFIXES = (".tfvars", ".tfvars.json")
#: HCL files larger than this are refused unless ``PARITY_MAX_FILE_BYTES`` is set: python-hcl2
#: reads roughly 100 KB a second, so 1 MB (some 25,000 lines) already takes several seconds.
HCL_MAX_BYTES = 1024 * 1024
MODULE_META = ("source", "version", "count", "for_each", "providers", "depends_on")
_TWO_LABELS = {"resource", "data"}
_ONE_LABEL = {"module": "module", "variable": "variable", "output": "output"}


@dataclass(frozen=True, slots=True)
class TerraformFile:
    """One file to read: where it is and how it is named in messages."""

    path: FilePath
    display: str


@dataclass(frozen=True, slots=True)
class VariableValue:
    value: Any
    origin: Origin
    raw: str


@dataclass
class _Load:
    """What one environment's Terraform files produce while they are read."""

    builder: TreeBuilder = field(default_factory=TreeBuilder)
    sources: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load_terraform_files(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    """Read ``.tf``, ``.tfvars``, ``.tfvars.json`` and Terragrunt ``*.hcl`` files into ``/infrastructure``."""
    chosen = [TerraformFile(f.path, f.display) for f in files]
    modules = [f for f in chosen if f.path.name.lower().endswith(".tf")]
    var_files = [f for f in chosen if f.path.name.lower().endswith(VAR_FILE_SUFFIXES)]
    terragrunt = [f for f in chosen if f.path.name.lower().endswith(".hcl")]
    if not modules and var_files:
        modules = module_beside(var_files)
    state = _Load()
    named = {f.path.resolve() for f in var_files}
    automatic = [f for f in auto_var_files(modules) if f.path.resolve() not in named]
    values = _read_var_files([*automatic, *var_files], state)
    _read_module(modules, values, state)
    for file in terragrunt:
        _read_terragrunt(file, state)
    env = Environment(name=name, spec=spec, coverage=Coverage.of(COVERAGE))
    env.sources, env.diagnostics = state.sources, state.diagnostics
    return state.builder.into(env)


def module_beside(var_files: Sequence[TerraformFile]) -> list[TerraformFile]:
    """The ``.tf`` files in the folders of ``var_files``, in name order."""
    found: list[TerraformFile] = []
    for folder, display in _folders(var_files).items():
        for path in sorted(folder.glob("*.tf")):
            if path.is_file():
                found.append(TerraformFile(path, _beside(display, path.name)))
    return found


def auto_var_files(modules: Sequence[TerraformFile]) -> list[TerraformFile]:
    """``terraform.tfvars[.json]`` then ``*.auto.tfvars[.json]`` beside the module, as Terraform loads them."""
    found: list[TerraformFile] = []
    for folder, display in _folders(modules).items():
        names = ["terraform.tfvars", "terraform.tfvars.json"]
        names += sorted(p.name for p in folder.glob("*.auto.tfvars*") if p.name.endswith(VAR_FILE_SUFFIXES))
        found += [TerraformFile(folder / n, _beside(display, n)) for n in names if (folder / n).is_file()]
    return found


def _folders(files: Sequence[TerraformFile]) -> dict[FilePath, str]:
    """Each distinct folder of ``files`` with a file's display name in it."""
    return {f.path.parent: f.display for f in reversed(files)}


def _beside(display: str, name: str) -> str:
    return str(PurePath(display).parent / name)


def read_hcl_text(file: TerraformFile) -> str:
    """The text of a Terraform file, refused above :data:`HCL_MAX_BYTES` (see there)."""
    limit = max_file_bytes() if os.environ.get("PARITY_MAX_FILE_BYTES") else HCL_MAX_BYTES
    return read_text(file.path, file.display, limit=limit).content


def _read_var_files(files: Sequence[TerraformFile], state: _Load) -> dict[str, VariableValue]:
    values: dict[str, VariableValue] = {}
    for file in files:
        text = read_hcl_text(file)
        state.sources.append(file.display)
        if file.path.name.lower().endswith(".json"):
            values.update(_json_var_file(text, file.display))
        else:
            values.update(_hcl_var_file(text, file.display, state))
    return values


def _hcl_var_file(text: str, display: str, state: _Load) -> dict[str, VariableValue]:
    parsed = parse_hcl(text, display)
    literal = Evaluator({}, {})
    values: dict[str, VariableValue] = {}
    for block in parsed.body.blocks:
        state.diagnostics.append(_error(f"a .tfvars file holds values, not blocks ({block.type})", display, block.line))
    for attribute in parsed.body.attributes:
        value = literal.value(attribute.value)
        if not is_known(value):
            state.diagnostics.append(
                _error(
                    f"{attribute.name}: a .tfvars value must be a literal (string, number, bool, list, map), "
                    "not an expression",
                    display,
                    attribute.line,
                )
            )
        origin = Origin(display, attribute.line, attribute.column)
        values[attribute.name] = VariableValue(value, origin, attribute.value.text)
    return values


def _json_var_file(text: str, display: str) -> dict[str, VariableValue]:
    check_json_depth(text, display)
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as e:
        raise ParseError(f"invalid JSON: {e.msg}", file=display, line=e.lineno, column=e.colno) from e
    except _DuplicateKey as e:
        first, second = _json_key_lines(text, e.key)
        raise ParseError(f"'{e.key}' is set twice (first at line {first})", file=display, line=second) from None
    except ValueError as e:  # a number too large for a float, and such
        raise ParseError(f"invalid JSON: {e}", file=display) from e
    if not isinstance(data, dict):
        raise ParseError("a .tfvars.json file holds one JSON object of variable values", file=display, line=1)
    return {
        key: VariableValue(value, Origin(display, _json_key_line(text, key)), json.dumps(value))
        for key, value in data.items()
    }


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


def _json_key_lines(text: str, key: str) -> tuple[int | None, int | None]:
    """The lines of the first two places ``"key":`` is written (None when not found)."""
    written = re.compile(rf'"{re.escape(json.dumps(key)[1:-1])}"\s*:')
    lines = [text.count("\n", 0, m.start()) + 1 for m in written.finditer(text)][:2]
    return (lines[0] if lines else None), (lines[1] if len(lines) > 1 else None)


def _json_key_line(text: str, key: str) -> int:
    match = re.search(rf'"{re.escape(key)}"\s*:', text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _error(message: str, display: str, line: int) -> Diagnostic:
    return Diagnostic(message, file=display, line=line, level=Level.ERROR)


def _read_module(files: Sequence[TerraformFile], values: dict[str, VariableValue], state: _Load) -> None:
    parsed = []
    for file in files:
        parsed.append(parse_hcl(read_hcl_text(file), file.display))
        state.sources.append(file.display)
    declared = [b for f in parsed for b in f.body.blocks if b.type == "variable" and b.labels]
    evaluator = Evaluator(_variable_values(declared, values), _locals(parsed))
    for hcl_file in parsed:
        for block in hcl_file.body.blocks:
            _emit_top_block(state.builder, block, evaluator, hcl_file.display)
    _emit_values(state, values, {b.labels[0] for b in declared}, has_module=bool(parsed))


def _variable_values(declared: list[HclBlock], values: dict[str, VariableValue]) -> dict[str, Any]:
    """Each variable's value for evaluation: from a var file, else its default, else unknown."""
    literal = Evaluator({}, {})
    known: dict[str, Any] = {}
    for block in declared:
        name = block.labels[0]
        default = next((a for a in block.body.attributes if a.name == "default"), None)
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


def _emit_values(state: _Load, values: dict[str, VariableValue], declared: set[str], has_module: bool) -> None:
    for name, value in values.items():
        path = (*ROOT, f"variable.{name}", "value")
        state.builder.set(path, plain(value.value), value.origin, value.raw)
        if has_module and name not in declared:
            state.diagnostics.append(
                Diagnostic(f"value for undeclared variable {name!r}", value.origin.file, value.origin.line)
            )


def _emit_variable_default(builder: TreeBuilder, block: HclBlock, evaluator: Evaluator, display: str) -> None:
    default = next((a for a in block.body.attributes if a.name == "default"), None)
    if default is not None:
        path = (*ROOT, f"variable.{block.labels[0]}", "value")
        origin = Origin(display, default.line, default.column)
        builder.set(path, plain(evaluator.value(default.value)), origin, default.value.text)


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
    alias = next((a for a in block.body.attributes if a.name == "alias"), None)
    if block.type != "provider" or alias is None:
        return ""
    value = evaluator.value(alias.value)
    return f".{value}" if isinstance(value, str) else f".{alias.value.text}"


def _emit_top_block(builder: TreeBuilder, block: HclBlock, evaluator: Evaluator, display: str) -> None:
    path = (*ROOT, address(block, evaluator, display))
    builder.branch(path, Origin(display, block.line, block.column))
    if block.type == "module":
        _emit_module(builder, path, block.body, evaluator, display)
        return
    emit_body(builder, path, block.body, evaluator, display)
    if block.type == "variable":
        _emit_variable_default(builder, block, evaluator, display)
    if block.type == "terraform":
        _normalise_required_providers(builder, path)


def _emit_module(builder: TreeBuilder, path: Path, body: HclBody, evaluator: Evaluator, display: str) -> None:
    meta = HclBody([a for a in body.attributes if a.name in MODULE_META], body.blocks)
    inputs = HclBody([a for a in body.attributes if a.name not in MODULE_META], [])
    emit_body(builder, path, meta, evaluator, display)
    emit_body(builder, (*path, "inputs"), inputs, evaluator, display)


def _normalise_required_providers(builder: TreeBuilder, path: Path) -> None:
    """The legacy ``aws = "~> 4.0"`` form means the same as ``aws = { version = "~> 4.0" }``."""
    providers = builder.branch(path).get("required_providers")
    if isinstance(providers, dict):
        for name, value in list(providers.items()):
            if isinstance(value, str):
                providers[name] = {"version": value}


def emit_body(builder: TreeBuilder, path: Path, body: HclBody, evaluator: Evaluator, display: str) -> None:
    """Arguments and nested blocks of ``body`` under ``path`` (see the module docstring)."""
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


def _read_terragrunt(file: TerraformFile, state: _Load) -> None:
    parsed = parse_hcl(read_hcl_text(file), file.display)
    state.sources.append(file.display)
    evaluator = Evaluator({}, _locals([parsed]))
    stem = file.path.name[:-len(".hcl")]
    path = (*ROOT, "terragrunt" if stem.lower() == "terragrunt" else f"terragrunt.{stem}")
    state.builder.branch(path, Origin(file.display, 1))
    emit_body(state.builder, path, parsed.body, evaluator, file.display)
