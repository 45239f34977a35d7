"""`parity compare dev prod` from a project file: expected drift keeps its reason and stays out of the count."""

from __future__ import annotations

from pathlib import Path

from parity_gui.app.project import load_environment, read_project, unmatched_expectations
from parity_gui.core.pointer import from_pointer
from parity_gui.engine import compare

PROJECT = """\
baseline = "prod"

[environments.dev]
files = ["infra/dev.tfvars", "Dockerfile#dev"]

[environments.prod]
files = ["infra/prod.tfvars", "Dockerfile#production"]

[[expected]]
path = "/infrastructure/**/instance_type"
reason = "smaller instances outside prod"

[[expected]]
path = "/services/*/deploy/replicas"
reason = "prod scales out"
"""


def make_repository(root: Path) -> Path:
    (root / "infra").mkdir()
    (root / "infra" / "main.tf").write_text(
        'variable "environment" {}\n\n'
        'resource "aws_instance" "web" {\n'
        '  instance_type = var.environment == "production" ? "t3.large" : "t3.small"\n'
        "}\n"
    )
    (root / "infra" / "dev.tfvars").write_text('environment = "development"\n')
    (root / "infra" / "prod.tfvars").write_text('environment = "production"\n')
    (root / "Dockerfile").write_text(
        "FROM python:3.12-slim AS base\nWORKDIR /srv/app\n\n"
        "FROM base AS dev\nUSER root\n\n"
        "FROM base AS production\nUSER app\n"
    )
    (root / ".parity.toml").write_text(PROJECT)
    return root / ".parity.toml"


def test_dev_against_prod_marks_by_design_drift_as_expected(tmp_path: Path) -> None:
    project = read_project(make_repository(tmp_path), ".parity.toml")
    selection = project.select(["dev"])
    environments = [load_environment(project, name) for name in selection.names]
    comparison = compare(*environments, options=project.options)

    instance = comparison.drift_at(from_pointer("/infrastructure/aws_instance.web/instance_type"))
    assert instance is not None
    assert (instance.values, instance.expected, instance.reason) == (
        ("t3.large", "t3.small"),
        True,
        "smaller instances outside prod",
    )
    user = comparison.drift_at(from_pointer("/images/Dockerfile/user"))
    assert user is not None and not user.expected
    assert user in comparison.unexpected and instance not in comparison.unexpected


def test_an_expectation_nothing_matched_is_reported_with_its_line(tmp_path: Path) -> None:
    project = read_project(make_repository(tmp_path), ".parity.toml")
    environments = [load_environment(project, name) for name in project.select(["dev"]).names]
    comparison = compare(*environments, options=project.options)
    warnings = unmatched_expectations(project.options, (d.path for d in comparison.drifts), comparison.names)
    assert [(w.file, w.line) for w in warnings] == [(".parity.toml", 14)]
    assert "/services/*/deploy/replicas matches no drift" in warnings[0].message
