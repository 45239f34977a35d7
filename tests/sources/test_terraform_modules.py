"""Terraform repositories as they are laid out: ``envs/*`` calling ``../../modules/*``.

Each test names the section of the Terraform language documentation it follows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parity_gui.app.project import load_environment, read_project
from parity_gui.core.pointer import from_pointer
from parity_gui.core.tree import Environment, Level
from parity_gui.engine.compare import compare
from parity_gui.sources.registry import load

SUBNET = 'module.base_env.module.shared_vpc.google_compute_subnetwork.x["{}"]'


@pytest.fixture
def repo(data: Path) -> Path:
    return data / "terraform" / "repo"


@pytest.fixture
def production(repo: Path) -> Environment:
    return load(str(repo / "envs" / "production"), "production")


@pytest.fixture
def development(repo: Path) -> Environment:
    return load(str(repo / "envs" / "development"), "development")


def infra(env: Environment) -> dict[str, Any]:
    found: dict[str, Any] = env.tree["infrastructure"]
    return found


def test_a_local_module_is_expanded_under_the_calls_address(production: Environment) -> None:
    """Modules > Module Sources > Local Paths: ``../../modules/base_env`` is read from disk, and
    Resource Addressing: what a module creates is named ``module.NAME.TYPE.NAME``."""
    addresses = set(infra(production))
    assert "module.base_env" in addresses  # the call, with its inputs
    assert "module.base_env.module.shared_vpc.google_compute_network.vpc" in addresses  # nested local module
    assert infra(production)["module.base_env.module.shared_vpc.google_compute_network.vpc"]["name"] == (
        "acme-production-vpc"
    )


def test_module_variables_take_the_callers_evaluated_inputs(production: Environment) -> None:
    """Modules > Calling a Child Module: arguments of the call set the module's input variables."""
    assert infra(production)["module.base_env.variable.env"]["value"] == "production"
    worker = infra(production)["module.base_env.google_compute_instance.worker[0]"]
    assert worker["labels"] == {"env": "production", "owner": "platform"}  # a local of the module


def test_origins_point_into_the_module_files(production: Environment) -> None:
    origin = production.origins[("infrastructure", SUBNET.format("us-east1"), "ip_cidr_range")]
    assert origin.file.endswith("modules/shared_vpc/main.tf")
    assert origin.line == 25
    call = production.origins[("infrastructure", "module.base_env.variable.env", "value")]
    assert call.file.endswith("envs/production/main.tf")


def test_a_registry_module_stays_a_call_with_its_inputs(production: Environment) -> None:
    """Modules > Module Sources > Terraform Registry: not downloaded, compared as a call."""
    gke = infra(production)["module.base_env.module.gke"]
    assert gke["source"] == "terraform-google-modules/kubernetes-engine/google"
    assert gke["version"] == "~> 30.0"
    assert gke["inputs"]["name"] == "acme-production-gke"
    assert not any(a.startswith("module.base_env.module.gke.") for a in infra(production))


def test_for_each_over_a_known_map_makes_one_instance_per_key(production: Environment) -> None:
    """Meta-Arguments > for_each: instances are addressed ``x["key"]``, with each.key and each.value."""
    east = infra(production)[SUBNET.format("us-east1")]
    assert (east["region"], east["ip_cidr_range"]) == ("us-east1", "10.48.40.0/21")
    assert east["name"] == "acme-production-us-east1"
    assert "for_each" not in east


def test_count_instances_see_their_own_index(production: Environment) -> None:
    """Meta-Arguments > count: ``count.index`` is each instance's number."""
    workers = sorted(a for a in infra(production) if ".worker[" in a)
    assert workers == [f"module.base_env.google_compute_instance.worker[{i}]" for i in range(3)]
    second = infra(production)["module.base_env.google_compute_instance.worker[1]"]
    assert second["name"] == "acme-production-worker-1"
    assert second["metadata_startup_script"] == '#!/bin/sh\necho "worker 1 of production"\n'


def test_a_count_parity_cannot_evaluate_keeps_one_entry_with_the_expression(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_instance" "web" {\n  count = length(data.aws_availability_zones.all.names)\n}\n'
    )
    env = load(str(tmp_path / "main.tf"), "env")
    assert infra(env)["aws_instance.web"]["count"] == "length(data.aws_availability_zones.all.names)"


def test_variable_precedence_is_terraforms(repo: Path) -> None:
    """Input Variables > Variable Definition Precedence: defaults < terraform.tfvars <
    *.auto.tfvars[.json] in lexical order < -var-file in the order given."""
    production = repo / "envs" / "production"
    folder = load(str(production), "p")
    assert infra(folder)["variable.machine_type"]["value"] == "n2-standard-8"  # b.auto.tfvars.json last
    assert infra(folder)["variable.workers"]["value"] == 3
    named = load(f"{production}/main.tf+{production}/surge.tfvars", "p")
    assert infra(named)["variable.workers"]["value"] == 5  # the var file named in the spec wins
    origin = named.origins[("infrastructure", "variable.workers", "value")]
    assert (origin.file.endswith("surge.tfvars"), origin.line) == (True, 1)


def test_tf_json_files_read_with_the_same_semantics_and_origins(production: Environment) -> None:
    """JSON Configuration Syntax: blocks as nested objects, strings as templates, ``//`` a comment."""
    policy = infra(production)["google_monitoring_alert_policy.cpu"]
    assert policy == {"display_name": "CPU high in n2-standard-8", "combiner": "OR", "enabled": True}
    origin = production.origins[("infrastructure", "google_monitoring_alert_policy.cpu", "combiner")]
    assert origin.file.endswith("monitoring.tf.json")
    assert (origin.line, origin.column) == (7, 9)
    assert infra(production)["output.machine"]["value"] == "n2-standard-8"


def test_environments_compare_resource_by_resource(development: Environment, production: Environment) -> None:
    comparison = compare(development, production)
    changed = {"/".join(d.path) for d in comparison.drifts}
    assert f"infrastructure/{SUBNET.format('europe-west1')}/ip_cidr_range" in changed
    assert f"infrastructure/{SUBNET.format('us-east1')}" in changed  # only in production
    assert "infrastructure/module.base_env.google_compute_instance.worker[2]" in changed
    assert f"infrastructure/{SUBNET.format('europe-west1')}/region" not in changed


def test_terraform_workspace_comes_from_the_project_file(tmp_path: Path) -> None:
    """State > Workspaces: ``terraform.workspace`` is the selected workspace's name."""
    (tmp_path / "main.tf").write_text(
        'resource "aws_s3_bucket" "logs" {\n  bucket = "logs-${terraform.workspace}"\n}\n'
    )
    (tmp_path / ".parity.toml").write_text(
        '[environments.staging]\nfiles = ["main.tf"]\nworkspace = "staging"\n\n'
        '[environments.other]\nfiles = ["main.tf"]\n'
    )
    project = read_project(tmp_path / ".parity.toml")
    staging = load_environment(project, "staging")
    other = load_environment(project, "other")
    assert staging.get(from_pointer("/infrastructure/aws_s3_bucket.logs/bucket")) == "logs-staging"
    assert other.get(from_pointer("/infrastructure/aws_s3_bucket.logs/bucket")) == "logs-${terraform.workspace}"


def test_a_module_that_calls_itself_is_not_expanded_again(tmp_path: Path) -> None:
    loop = tmp_path / "modules" / "loop"
    loop.mkdir(parents=True)
    (loop / "main.tf").write_text('module "again" {\n  source = "../loop"\n}\nresource "null_resource" "x" {}\n')
    (tmp_path / "main.tf").write_text('module "first" {\n  source = "./modules/loop"\n}\n')
    env = load(str(tmp_path / "main.tf"), "env")
    assert "module.first.null_resource.x" in infra(env)
    assert "module.first.module.again" in infra(env)
    assert not any(a.startswith("module.first.module.again.") for a in infra(env))
    warnings = [d for d in env.diagnostics if d.level is Level.WARNING]
    assert any("calls itself" in d.message and d.line == 2 for d in warnings)


def test_module_fan_out_is_bounded(tmp_path: Path) -> None:
    """Ten levels, each calling the next a hundred times, would be 100^10 module instances."""
    for level in range(10):
        folder = tmp_path / "modules" / f"m{level}"
        folder.mkdir(parents=True)
        inner = f'module "next" {{\n  count  = 100\n  source = "../m{level + 1}"\n}}\n' if level < 9 else ""
        (folder / "main.tf").write_text(inner + 'resource "null_resource" "here" {}\n')
    (tmp_path / "main.tf").write_text('module "top" {\n  source = "./modules/m0"\n}\n')
    env = load(str(tmp_path / "main.tf"), "env")
    assert len(infra(env)) < 5000
    assert any("module instances" in d.message for d in env.diagnostics)


def test_an_input_the_module_does_not_declare_is_an_error(tmp_path: Path) -> None:
    module = tmp_path / "modules" / "db"
    module.mkdir(parents=True)
    (module / "main.tf").write_text('variable "size" {}\n')
    (tmp_path / "main.tf").write_text('module "db" {\n  source = "./modules/db"\n  sise   = "large"\n}\n')
    env = load(str(tmp_path / "main.tf"), "env")
    errors = [d for d in env.diagnostics if d.level is Level.ERROR]
    assert [(d.message, d.line) for d in errors] == [
        ("the module has no variable 'sise' (an input Terraform refuses)", 3)
    ]
