"""Terraform modules, var files and terragrunt.hcl become /infrastructure/<address> trees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parity_gui.core.pointer import from_pointer
from parity_gui.core.tree import Environment, Level
from parity_gui.errors import LimitExceeded, ParseError
from parity_gui.sources.registry import SpecFile, load
from parity_gui.sources.terraform.load import load_terraform_files


def read(*paths: Path) -> Environment:
    return load_terraform_files([SpecFile(p, p.name) for p in paths], "env", "spec")


def module(tmp_path: Path, text: str, name: str = "main.tf") -> Environment:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read(path)


def at(env: Environment, pointer: str) -> Any:
    return env.get(from_pointer(pointer))


@pytest.fixture
def infra(data: Path) -> Path:
    return data / "terraform" / "infra"


@pytest.fixture
def prod(infra: Path) -> Environment:
    return load(str(infra / "prod.tfvars"), "prod")


@pytest.fixture
def dev(infra: Path) -> Environment:
    return load(str(infra / "dev.tfvars"), "dev")


def test_blocks_are_keyed_by_terraform_address(prod: Environment) -> None:
    assert set(prod.tree["infrastructure"]) >= {
        "aws_db_instance.main",
        "aws_instance.web[0]",
        "data.aws_ami.ubuntu",
        "module.cache",
        "variable.environment",
        "provider.aws",
        "provider.aws.us",
        "terraform",
        "locals",
        "output.db_endpoint",
    }


def test_a_var_file_alone_reads_the_module_beside_it(prod: Environment) -> None:
    assert prod.sources[0].endswith("prod.tfvars")
    assert {Path(s).name for s in prod.sources[1:]} == {"main.tf", "variables.tf", "database.tf"}


def test_conditional_on_a_known_variable_compares_as_values(dev: Environment, prod: Environment) -> None:
    pointer = "/infrastructure/aws_instance.web[0]/instance_type"
    assert (at(dev, pointer), at(prod, pointer)) == ("t3.small", "t3.large")


def test_locals_and_templates_are_evaluated(prod: Environment) -> None:
    assert at(prod, "/infrastructure/aws_db_instance.main/identifier") == "shop-production-db"
    assert at(prod, "/infrastructure/aws_db_instance.main/instance_class") == "db.r6g.large"
    assert at(prod, "/infrastructure/aws_db_instance.main/multi_az") is True
    assert at(prod, "/infrastructure/aws_db_instance.main/tags") == {
        "Project": "shop",
        "Environment": "production",
    }
    assert at(prod, "/infrastructure/locals/is_prod") is True


def test_arithmetic_and_numbers(prod: Environment) -> None:
    assert at(prod, "/infrastructure/aws_instance.web[0]/ebs_block_device/1/volume_size") == 20

def test_count_over_a_known_value_makes_one_instance_per_index(prod: Environment, dev: Environment) -> None:
    """Terraform language, "The count meta-argument": ``count = 3`` creates ``web[0]``..``web[2]``."""
    def instances(env: Environment) -> list[str]:
        return sorted(k for k in env.tree["infrastructure"] if k.startswith("aws_instance.web"))

    assert instances(prod) == ["aws_instance.web[0]", "aws_instance.web[1]", "aws_instance.web[2]"]
    assert instances(dev) == ["aws_instance.web[0]"]
    assert "count" not in prod.tree["infrastructure"]["aws_instance.web[1]"]


def test_what_cannot_be_known_stays_as_its_expression_text(prod: Environment) -> None:
    assert at(prod, "/infrastructure/aws_instance.web[0]/ami") == "data.aws_ami.ubuntu.id"
    assert at(prod, "/infrastructure/output.db_endpoint/value") == "aws_db_instance.main.endpoint"


def test_variable_values_follow_var_file_then_default(dev: Environment, prod: Environment) -> None:
    assert at(prod, "/infrastructure/variable.replicas") == {"type": "number", "default": 1, "value": 3}
    assert at(dev, "/infrastructure/variable.replicas/value") == 1
    assert at(dev, "/infrastructure/variable.db_engine_version/value") == "15.6"


def test_every_argument_has_its_line_and_raw_expression(prod: Environment) -> None:
    path = from_pointer("/infrastructure/aws_instance.web[0]/instance_type")
    origin = prod.origin(path)
    assert origin is not None
    assert (Path(origin.file or "").name, origin.line, origin.column) == ("database.tf", 29, 3)
    assert prod.raw[path] == 'var.environment == "production" ? "t3.large" : "t3.small"'


def test_values_from_a_crlf_var_file_point_at_their_line(prod: Environment) -> None:
    origin = prod.origin(from_pointer("/infrastructure/variable.replicas/value"))
    assert origin is not None and origin.line == 4 and (origin.file or "").endswith("prod.tfvars")


def test_module_calls_have_source_version_and_inputs(prod: Environment) -> None:
    assert at(prod, "/infrastructure/module.cache") == {
        "source": "terraform-aws-modules/elasticache/aws",
        "version": "1.2.0",
        "inputs": {
            "cluster_id": "shop-production-cache",
            "node_type": "cache.r7g.large",
            "engine_version": "7.1",
        },
    }


def test_terraform_block_and_legacy_provider_constraints(prod: Environment) -> None:
    terraform = at(prod, "/infrastructure/terraform")
    assert terraform["required_version"] == ">= 1.6"
    assert terraform["required_providers"] == {
        "aws": {"source": "hashicorp/aws", "version": "~> 5.40"},
        "random": {"version": "~> 3.6"},
    }
    assert terraform["backend"]["s3"]["bucket"] == "acme-terraform-state"


def test_provider_alias_is_part_of_the_address(prod: Environment) -> None:
    assert at(prod, "/infrastructure/provider.aws/region") == "eu-west-1"
    assert at(prod, "/infrastructure/provider.aws.us/region") == "us-east-1"


def test_dynamic_blocks_and_for_each_stay_structured(prod: Environment) -> None:
    ingress = at(prod, "/infrastructure/aws_security_group.web/dynamic/ingress")
    assert ingress == {
        "for_each": [80, 443],
        "content": {"from_port": "ingress.value", "to_port": "ingress.value", "protocol": "tcp"},
    }


def test_a_nested_block_once_is_a_mapping_and_repeated_is_keyed_by_position(prod: Environment) -> None:
    assert at(prod, "/infrastructure/aws_db_instance.main/lifecycle/ignore_changes") == ["password"]
    devices = at(prod, "/infrastructure/aws_instance.web[0]/ebs_block_device")
    assert list(devices) == ["0", "1"]


def test_heredoc_markers_and_indentation_are_stripped(tmp_path: Path) -> None:
    env = module(
        tmp_path, "locals {\n  script = <<-EOT\n    set -e\n      run\n    EOT\n  plain = <<EOF\nkeep  \nEOF\n}\n"
    )
    assert at(env, "/infrastructure/locals/script") == "set -e\n  run\n"
    assert at(env, "/infrastructure/locals/plain") == "keep  \n"


def test_heredocs_are_templates_evaluated_like_strings(prod: Environment, tmp_path: Path) -> None:
    assert at(prod, "/infrastructure/aws_instance.web[0]/user_data") == (
        '#!/bin/bash\necho "starting shop-production"\n  systemctl start shop\n'
    )
    env = module(tmp_path, "locals {\n  s = <<EOT\n%{ if true }on%{ endif } $${HOME} ${var.nope}\nEOT\n}\n")
    assert at(env, "/infrastructure/locals/s") == "%{ if true }on%{ endif } $${HOME} ${var.nope}\n"


def test_strings_lose_quotes_and_interpolation_wrappers(tmp_path: Path) -> None:
    env = module(
        tmp_path,
        (
            'resource "null_resource" "x" {\n'
            '  a = "${var.unknown}"\n'
            '  b = "pre-${var.unknown}-post"\n'
            '  c = "tab\\there \\"q\\""\n'
            '  d = "$${literal}"\n'
            "  e = [for s in var.list : upper(s)]\n"
            '  f = upper("abc")\n'
            "  g = !true\n"
            "  h = -5\n"
            '  i = { "k-1" = 1, k2 : [1, 2] }\n'
            "}\n"
        ),
    )
    x = at(env, "/infrastructure/null_resource.x")
    assert x["a"] == "var.unknown"
    assert x["b"] == "pre-${var.unknown}-post"
    assert x["c"] == 'tab\there "q"'
    assert x["d"] == "${literal}"
    assert x["e"] == "[for s in var.list : upper(s)]"
    assert (x["f"], x["g"], x["h"]) == ("ABC", False, -5)
    assert x["i"] == {"k-1": 1, "k2": [1, 2]}


def test_functions_evaluate_only_on_values_terraform_would_accept(tmp_path: Path) -> None:
    env = module(
        tmp_path,
        "locals {\n"
        '  joined  = join(",", ["a", 1, true])\n'
        '  nulls   = join(",", ["a", null])\n'
        '  size    = lookup({ small = "t3.small" }, "large", "t3.medium")\n'
        '  unknown = templatefile("user-data.sh", {})\n'
        "}\n",
    )
    assert at(env, "/infrastructure/locals") == {
        "joined": "a,1,true",
        "nulls": 'join(",", ["a", null])',
        "size": "t3.medium",
        "unknown": 'templatefile("user-data.sh", {})',
    }


def test_a_list_of_objects_becomes_a_map_keyed_by_position(tmp_path: Path) -> None:
    env = module(tmp_path, "locals {\n  rules = [{ port = 80 }, { port = 443 }]\n}\n")
    assert at(env, "/infrastructure/locals/rules") == {"0": {"port": 80}, "1": {"port": 443}}


def test_locals_that_refer_to_each_other_in_a_loop_stay_text(tmp_path: Path) -> None:
    env = module(tmp_path, "locals {\n  a = local.b\n  b = local.a\n}\n")
    assert at(env, "/infrastructure/locals") == {"a": "local.b", "b": "local.a"}


def test_auto_var_files_load_before_named_ones(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "size" {\n  default = "s"\n}\nvariable "zone" {}\n')
    (tmp_path / "terraform.tfvars").write_text('size = "m"\nzone = "a"\n')
    (tmp_path / "x.auto.tfvars.json").write_text('{\n  "size": "l"\n}\n')
    (tmp_path / "prod.tfvars").write_text('size = "xl"\n')
    env = read(tmp_path / "prod.tfvars")
    assert at(env, "/infrastructure/variable.size/value") == "xl"
    assert at(env, "/infrastructure/variable.zone/value") == "a"
    assert [Path(s).name for s in env.sources[:3]] == ["terraform.tfvars", "x.auto.tfvars.json", "prod.tfvars"]


def test_tfvars_json_values_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "prod.tfvars.json"
    path.write_text(json.dumps({"replicas": 3, "tags": {"team": "core"}}, indent=2))
    env = read(path)
    assert at(env, "/infrastructure/variable.tags/value") == {"team": "core"}
    origin = env.origin(from_pointer("/infrastructure/variable.tags/value"))
    assert origin is not None and origin.line == 3


def test_a_value_for_an_undeclared_variable_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "a" {}\n')
    (tmp_path / "x.tfvars").write_text("b = 1\n")
    env = read(tmp_path / "x.tfvars")
    assert [str(d) for d in env.diagnostics] == ["x.tfvars:1: value for undeclared variable 'b'"]


def test_an_unreadable_tfvars_value_is_an_error_and_the_rest_loads(tmp_path: Path) -> None:
    path = tmp_path / "prod.tfvars"
    path.write_text('region = "eu-west-1"\nsize = var.other\n')
    env = read(path)
    assert at(env, "/infrastructure/variable.region/value") == "eu-west-1"
    assert [(d.level, d.line) for d in env.diagnostics] == [(Level.ERROR, 2)]
    assert "must be a literal" in env.diagnostics[0].message


def test_terragrunt_file_loads_inputs_include_and_source(data: Path) -> None:
    env = load(str(data / "terraform" / "live" / "prod" / "terragrunt.hcl"))
    terragrunt = at(env, "/infrastructure/terragrunt")
    assert terragrunt["inputs"]["environment"] == "prod"
    assert terragrunt["inputs"]["vpc_id"] == "dependency.vpc.outputs.vpc_id"
    assert terragrunt["include"]["root"]["path"] == "find_in_parent_folders()"
    assert terragrunt["terraform"]["source"].endswith("?ref=v1.4.0")
    assert [g.pattern for g in env.coverage.include] == ["/infrastructure/**"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('resource "aws_instance" "x" {\n  ami = \n}\n', 2, "HCL syntax error"),
        ('variable "x" {\n  default = {{ env }}\n}\n', 2, "looks like a template"),
        ('{% for x in y %}\nresource "a" "b" {}\n', 1, "looks like a template"),
        ('locals {\n  a = "unterminated\n', 2, "HCL syntax error"),
        ('resource "only_type" {\n}\n', 1, "needs a type and a name"),
    ],
)
def test_bad_hcl_gives_one_line_errors_with_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        module(tmp_path, text)
    assert caught.value.file == "main.tf"
    assert caught.value.line == line
    assert "\n" not in str(caught.value)


def test_bad_json_var_file(tmp_path: Path) -> None:
    path = tmp_path / "x.tfvars.json"
    path.write_text('{\n  "a": 1,\n}\n')
    with pytest.raises(ParseError, match="invalid JSON") as caught:
        read(path)
    assert caught.value.line == 3


def test_deeply_nested_values_are_refused_with_their_line_before_parsing(tmp_path: Path) -> None:
    depth = 5000
    with pytest.raises(LimitExceeded, match="nests deeper than 64 levels") as caught:
        module(tmp_path, "locals {\n  deep = " + "[" * depth + "]" * depth + "\n}\n")
    assert caught.value.line == 2


def test_values_nested_sixty_levels_deep_still_load(tmp_path: Path) -> None:
    depth = 60
    env = module(tmp_path, "locals {\n  deep = " + "[" * depth + "]" * depth + "\n}\n")
    assert isinstance(at(env, "/infrastructure/locals/deep"), list)


def test_a_terraform_file_over_eight_megabytes_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PARITY_MAX_FILE_BYTES", raising=False)
    path = tmp_path / "huge.tf"
    path.write_text("# padding\n" * 900_000)
    with pytest.raises(LimitExceeded, match=r"over the 8\.0 MB limit") as caught:
        read(path)
    assert caught.value.file == "huge.tf"


def test_the_evaluator_copes_with_any_nesting_the_depth_check_admits(tmp_path: Path) -> None:
    depth = 60
    env = module(tmp_path, "locals {\n  x = " + "(" * depth + "1" + ")" * depth + "\n}\n")
    assert at(env, "/infrastructure/locals/x") == 1
