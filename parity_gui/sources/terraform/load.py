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
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from parity_gui.core.origin import Origin
from parity_gui.core.tree import Coverage, Diagnostic, Environment, Level, TreeBuilder
from parity_gui.errors import ParseError
from parity_gui.sources.nesting import check_json_depth
from parity_gui.sources.terraform.evaluate import Evaluator, is_known
from parity_gui.sources.terraform.hcl import parse_hcl
from parity_gui.sources.terraform.loads import record_file, record_folder, remembered
from parity_gui.sources.terraform.module import (
    ROOT,
    BoundValue,
    Module,
    ModuleFile,
    ModuleReading,
    emit_body,
    module_files,
    read_module,
)
from parity_gui.sources.terraform.module import _locals as module_locals
from parity_gui.sources.text import max_file_bytes, read_text

if TYPE_CHECKING:
    from parity_gui.sources.registry import SpecFile

COVERAGE = ("/infrastructure/**",)
MODULE_SUFFIXES = (".tf", ".tf.json")
VAR_FILE_SUFFIXES = (".tfvars", ".tfvars.json")
#: HCL files larger than this are refused unless ``PARITY_MAX_FILE_BYTES`` is set. python-hcl2
#: reads roughly 100 KB a second, so the first read of a file this big takes over a minute
#: (``PARITY_PARSE_SECONDS`` must allow it); every later read of the same content comes from
#: the parse cache (:mod:`parity_gui.sources.parse_cache`) in milliseconds.
HCL_MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class TerraformFile:
    """One file to read: where it is and how it is named in messages."""

    path: FilePath
    display: str


VariableValue = BoundValue
#: ``terraform.workspace`` for the environment being read (its ``workspace =`` in ``.parity.toml``).
WORKSPACE: ContextVar[str | None] = ContextVar("terraform_workspace", default=None)


@dataclass
class _Load:
    """What one environment's Terraform files produce while they are read."""

    builder: TreeBuilder = field(default_factory=TreeBuilder)
    sources: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load_terraform_files(files: Sequence[SpecFile], name: str, spec: str) -> Environment:
    """Read ``.tf``, ``.tfvars``, ``.tfvars.json`` and Terragrunt ``*.hcl`` files into ``/infrastructure``
    (remembered while nothing the load read changes: :mod:`parity_gui.sources.terraform.loads`)."""
    chosen = [TerraformFile(f.path, f.display) for f in files]
    key = [name, spec, WORKSPACE.get() or "", *(f"{f.path.resolve()}\0{f.display}" for f in chosen)]
    return remembered(key, Coverage.of(COVERAGE), _reread, lambda: _load(chosen, name, spec))


def _reread(path: FilePath, shown: str) -> str:
    return read_hcl_text(TerraformFile(path, shown))


def _load(chosen: Sequence[TerraformFile], name: str, spec: str) -> Environment:
    modules = [f for f in chosen if f.path.name.lower().endswith(MODULE_SUFFIXES)]
    var_files = [f for f in chosen if f.path.name.lower().endswith(VAR_FILE_SUFFIXES)]
    terragrunt = [f for f in chosen if f.path.name.lower().endswith(".hcl")]
    if not modules and var_files:
        modules = module_beside(var_files)
    state = _Load()
    named = {f.path.resolve() for f in var_files}
    automatic = [f for f in auto_var_files(modules) if f.path.resolve() not in named]
    values = _read_var_files([*automatic, *var_files], state)
    _read_modules(modules, values, state)
    for file in terragrunt:
        _read_terragrunt(file, state)
    env = Environment(name=name, spec=spec, coverage=Coverage.of(COVERAGE))
    env.sources, env.diagnostics = state.sources, state.diagnostics
    return state.builder.into(env)


def module_beside(var_files: Sequence[TerraformFile]) -> list[TerraformFile]:
    """The ``.tf`` files in the folders of ``var_files``, in name order."""
    found: list[TerraformFile] = []
    for folder, display in _folders(var_files).items():
        found += [TerraformFile(f.path, _beside(display, f.path.name)) for f in module_files(folder, "")]
    return found


def auto_var_files(modules: Sequence[TerraformFile]) -> list[TerraformFile]:
    """``terraform.tfvars[.json]`` then ``*.auto.tfvars[.json]`` beside the module, as Terraform loads them."""
    found: list[TerraformFile] = []
    for folder, display in _folders(modules).items():
        record_folder(folder)
        names = ["terraform.tfvars", "terraform.tfvars.json"]
        names += sorted(p.name for p in folder.glob("*.auto.tfvars*") if p.name.endswith(VAR_FILE_SUFFIXES))
        found += [TerraformFile(folder / n, _beside(display, n)) for n in names if (folder / n).is_file()]
    return found


def _folders(files: Sequence[TerraformFile]) -> dict[FilePath, str]:
    """Each distinct folder of ``files`` with a file's display name in it."""
    return {f.path.parent: f.display for f in reversed(files)}


def _beside(display: str, name: str) -> str:
    return str(PurePath(display).parent / name)


def read_hcl_text(file: TerraformFile | ModuleFile) -> str:
    """The text of a Terraform file, refused above :data:`HCL_MAX_BYTES` (see there)."""
    limit = max_file_bytes() if os.environ.get("PARITY_MAX_FILE_BYTES") else HCL_MAX_BYTES
    content = read_text(file.path, file.display, limit=limit).content
    record_file(file.path, file.display, content)
    return content


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


def _read_modules(modules: Sequence[TerraformFile], values: dict[str, VariableValue], state: _Load) -> None:
    reading = ModuleReading(state.builder, state.diagnostics, state.sources, read_hcl_text, workspace=WORKSPACE.get())
    files = tuple(ModuleFile(f.path, f.display) for f in modules)
    chain = (modules[0].path.parent.resolve(),) if modules else ()
    read_module(reading, Module(files, "", chain), values)


def _read_terragrunt(file: TerraformFile, state: _Load) -> None:
    parsed = parse_hcl(read_hcl_text(file), file.display)
    state.sources.append(file.display)
    evaluator = Evaluator({}, module_locals([parsed]))
    stem = file.path.name[:-len(".hcl")]
    path = (*ROOT, "terragrunt" if stem.lower() == "terragrunt" else f"terragrunt.{stem}")
    state.builder.branch(path, Origin(file.display, 1))
    emit_body(state.builder, path, parsed.body, evaluator, file.display)
