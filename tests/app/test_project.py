"""`.parity.toml`: named environments, baseline, expected differences, severities, errors by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.app.project import (
    create_project_file,
    find_project,
    init_project,
    load_environment,
    parse_project,
    read_project,
    unmatched_expectations,
)
from parity_gui.core.drift import Severity
from parity_gui.core.pointer import from_pointer
from parity_gui.errors import ProjectFileError
from parity_gui.sources.registry import FILE_KINDS

ISSUE_EXAMPLE = """\
baseline = "prod"
[environments.dev]
files = ["compose.yaml", "compose.override.yaml", ".env", "infra/dev.tfvars", "Dockerfile#dev"]
[environments.prod]
files = ["compose.yaml", "compose.prod.yaml", ".env.production", "infra/prod.tfvars", "Dockerfile#production"]
[[expected]]
path = "/services/*/deploy/replicas"
reason = "prod scales out"
[[expected]]
path = "/infrastructure/**/instance_type"
environments = ["dev", "prod"]
reason = "smaller instances outside prod"
"""

dotenv_registered = pytest.mark.skipif(
    not any(kind.claims(".env.production") for kind in FILE_KINDS),
    reason=".env files are not a registered file kind in this build",
)


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_project(text, Path("/repo/.parity.toml"), ".parity.toml")


@pytest.fixture
def example(data: Path) -> Path:
    return data / "project" / "example" / ".parity.toml"


def test_the_issue_example_reads_as_named_environments() -> None:
    project = parse(ISSUE_EXAMPLE)
    assert list(project.environments) == ["dev", "prod"]
    assert project.baseline == "prod"
    assert project.environment("dev").files[-1] == "Dockerfile#dev"
    assert project.environment("prod").spec.startswith("compose.yaml+compose.prod.yaml+")
    assert project.root == Path("/repo")


def test_expected_differences_become_compare_options_with_reason_and_line() -> None:
    expected = parse(ISSUE_EXAMPLE).options.expected
    assert [(e.glob.pattern, e.reason, e.environments, e.source) for e in expected] == [
        ("/services/*/deploy/replicas", "prod scales out", (), ".parity.toml:7"),
        ("/infrastructure/**/instance_type", "smaller instances outside prod", ("dev", "prod"), ".parity.toml:10"),
    ]


def test_expected_globs_match_one_segment_or_any_depth() -> None:
    options = parse(ISSUE_EXAMPLE).options
    replicas = from_pointer("/services/web/deploy/replicas")
    instance = from_pointer("/infrastructure/module.app/inputs/instance_type")
    assert options.expectation(replicas, ["dev", "prod"]) is not None
    assert options.expectation(instance, ["dev", "prod"]) is not None
    assert options.expectation(instance, ["staging", "qa"]) is None
    assert options.expectation(from_pointer("/services/web/deploy/x/replicas"), ["dev"]) is None


def test_severity_overrides_and_ignored_paths() -> None:
    project = parse(
        'ignore = ["/services/*/labels/**"]\n'
        "[environments.a]\nfiles = ['a.yml']\n"
        "[[severity]]\npath = '/variables/LOG_LEVEL'\nlevel = 'Low'\nreason = 'noise'\n"
    )
    (override,) = project.options.overrides
    assert (override.severity, override.source) == (Severity.LOW, ".parity.toml:5")
    assert project.options.ignores(from_pointer("/services/web/labels/traefik.enable"))


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["dev"], (("prod", "dev"), "prod")),
        (["dev", "prod"], (("prod", "dev"), "prod")),
        ([], (("prod", "dev", "staging"), "prod")),
        (["staging", "dev"], (("staging", "dev"), "staging")),
    ],
)
def test_selecting_environments_by_name(names: list[str], expected: tuple[tuple[str, ...], str]) -> None:
    project = parse(
        'baseline = "prod"\n'
        + "".join(f"[environments.{n}]\nfiles = ['{n}.yml']\n" for n in ("dev", "prod", "staging"))
    )
    selection = project.select(names)
    assert (selection.names, selection.baseline) == expected


def test_one_name_without_a_baseline_is_an_error() -> None:
    project = parse("[environments.dev]\nfiles = ['a.yml']\n[environments.prod]\nfiles = ['b.yml']\n")
    with pytest.raises(ProjectFileError, match="set `baseline`"):
        project.select(["dev"])
    with pytest.raises(ProjectFileError, match=r"no environment named 'qa' \(environments: dev, prod\)"):
        project.select(["qa", "dev"])


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("baseline = \n", 1, "invalid TOML"),
        ('[environments.dev]\nfiles = ["a.yml"\n', 2, "invalid TOML: Unclosed array at the end"),
        ('baseline = "prod"\n[environments.dev]\nfiles = ["a.yml"]\n', 1, "baseline 'prod' is not an environment"),
        ('[environments.dev]\nfile = ["a.yml"]\n', 2, "unknown key 'file'"),
        ('[environments.dev]\ndescription = "x"\n', 1, "needs `files`"),
        ("[environments.dev]\nfiles = []\n", 2, "needs `files`"),
        ('[environments.dev]\nfiles = ["a.yml"]\n\n[[expected]]\npath = "/a"\n', 4, "needs a `reason`"),
        (
            '[environments.dev]\nfiles = ["a.yml"]\n[[expected]]\npath = "/a"\nreason = "r"\n'
            '[[expected]]\nreason = "why"\npath = "services/*"\n',
            8,
            "JSON Pointer path starting with '/'",
        ),
        (
            '[environments.dev]\nfiles = ["a.yml"]\n[[expected]]\npath = "/a"\nreason = "r"\n'
            'environments = ["dev", "qa"]\n',
            6,
            "no environment named 'qa'",
        ),
        ('[[severity]]\npath = "/a"\nlevel = "urgent"\n', 3, "unknown severity 'urgent'"),
        ('[[expectd]]\npath = "/a"\n', 1, "unknown key 'expectd'"),
        ("[environments]\ndev = { files = 'a.yml' }\n", 2, "needs `files`"),
        ('[environments."dev env"]\nfiles = ["a"]\n', 1, "must be letters, digits"),
        ('[environments.dev]\nfiles = ["a"]\n[environments.dev.extra]\nx = 1\n', 3, "unknown key 'extra'"),
        ('[[severity]]\npath = "/a"\n', 1, "needs a `level`"),
    ],
)
def test_validation_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ProjectFileError, match=message) as caught:
        parse(text)
    assert (caught.value.file, caught.value.line) == (".parity.toml", line)
    assert "\n" not in str(caught.value)


def test_an_expected_difference_that_matches_no_drift_is_a_warning_with_its_line() -> None:
    options = parse(ISSUE_EXAMPLE).options
    drift = [from_pointer("/services/web/deploy/replicas"), from_pointer("/variables/DEBUG")]
    warnings = unmatched_expectations(options, drift, ["dev", "prod"])
    assert [str(w) for w in warnings] == [
        ".parity.toml:10: expected difference /infrastructure/**/instance_type matches no drift "
        "(smaller instances outside prod)"
    ]


def test_an_expectation_for_other_environments_is_not_checked() -> None:
    options = parse(ISSUE_EXAMPLE).options
    warnings = unmatched_expectations(options, [from_pointer("/services/web/deploy/replicas")], ["qa", "uat"])
    assert warnings == []


def test_the_example_project_file_reads(example: Path) -> None:
    project = read_project(example, ".parity.toml")
    assert project.baseline == "prod"
    assert {e.glob.pattern: e.source for e in project.options.expected}["/**/ALLOWED_HOSTS"] == ".parity.toml:32"


def test_loading_an_environment_by_name_reads_its_files_relative_to_the_project(tmp_path: Path) -> None:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(
        'variable "environment" {}\nresource "aws_instance" "web" {\n'
        '  instance_type = var.environment == "production" ? "t3.large" : "t3.small"\n}\n'
    )
    (tmp_path / "infra" / "prod.tfvars").write_text('environment = "production"\n')
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12 AS dev\nUSER root\nFROM python:3.12 AS production\nUSER app\n"
    )
    (tmp_path / ".parity.toml").write_text(
        '[environments.dev]\nfiles = ["Dockerfile#dev"]\n'
        '[environments.prod]\nfiles = ["infra/prod.tfvars", "Dockerfile#production"]\n'
    )
    project = read_project(tmp_path / ".parity.toml")
    dev, prod = load_environment(project, "dev"), load_environment(project, "prod")
    assert dev.tree["images"]["Dockerfile"]["user"] == "root"
    assert prod.tree["images"]["Dockerfile"]["user"] == "app"
    assert prod.tree["infrastructure"]["aws_instance.web"]["instance_type"] == "t3.large"
    assert (dev.name, prod.spec) == ("dev", "infra/prod.tfvars+Dockerfile#production")


def test_a_broken_piece_is_an_error_and_the_other_kinds_still_load(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine AS dev\nUSER root\n")
    (tmp_path / "main.tf").write_text('resource "aws_instance" "web" {\n  ami = \n}\n')
    (tmp_path / "dev.tfvars").write_text('size = "small"\n')
    (tmp_path / ".parity.toml").write_text('[environments.dev]\nfiles = ["dev.tfvars", "Dockerfile#dev"]\n')
    env = load_environment(read_project(tmp_path / ".parity.toml"), "dev")
    assert env.tree["images"]["Dockerfile"]["user"] == "root"
    assert [(d.file, d.line) for d in env.errors] == [("main.tf", 2)]


def test_a_missing_file_is_an_error_and_the_other_pieces_still_load(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine\n")
    (tmp_path / ".parity.toml").write_text('[environments.dev]\nfiles = ["Dockerfile", "shared"]\n')
    (tmp_path / "shared").mkdir()
    env = load_environment(read_project(tmp_path / ".parity.toml"), "dev")
    assert "images" in env.tree
    assert env.errors[0].message.startswith("nothing parity reads in this folder")


@dotenv_registered
def test_the_example_environments_load(example: Path) -> None:
    project = read_project(example, ".parity.toml")
    dev, prod = (load_environment(project, n) for n in ("dev", "prod"))
    assert dev.tree["images"]["Dockerfile"]["env"]["DJANGO_DEBUG"] == "1"
    assert prod.tree["images"]["Dockerfile"]["user"] == "10001:10001"
    assert dev.tree["variables"]["LOG_LEVEL"] == "debug"
    assert prod.tree["infrastructure"]["aws_instance.web[2]"]["instance_type"] == "t3.large"


def test_find_project_looks_upward_but_not_past_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "services" / "api").mkdir(parents=True)
    assert find_project(repo / "services" / "api") is None
    (tmp_path / ".parity.toml").write_text("")
    assert find_project(repo / "services" / "api") is None
    (repo / ".parity.toml").write_text("")
    assert find_project(repo / "services" / "api") == (repo / ".parity.toml").resolve()


def test_init_writes_environments_from_what_the_folder_holds(example: Path) -> None:
    text = init_project(example.parent)
    project = parse(text)
    assert project.baseline == "prod"
    assert project.environment("dev").files == (
        "compose.yaml",
        "compose.override.yaml",
        "Dockerfile#dev",
        "infra/dev.tfvars",
        ".env",
    )
    assert project.environment("prod").files == (
        "compose.yaml",
        "compose.prod.yaml",
        "Dockerfile#production",
        "infra/prod.tfvars",
        ".env.production",
    )
    assert project.options.expected == ()
    assert "# [[expected]]" in text


def test_init_in_an_empty_folder_writes_a_commented_template(tmp_path: Path) -> None:
    text = init_project(tmp_path)
    assert parse(text).environments == {}
    assert "# [environments.dev]" in text


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text("services:\n  web:\n    image: nginx\n")
    path = create_project_file(tmp_path)
    assert parse(path.read_text()).environment("dev").files == ("compose.yaml",)
    path.write_text("# mine\n")
    with pytest.raises(ProjectFileError, match="never overwrites"):
        create_project_file(tmp_path)
    assert path.read_text() == "# mine\n"
