"""A project file speaks only for its own environments and the files inside its folder."""

from __future__ import annotations

from pathlib import Path

from parity_gui.app.compare import governing_project, ordered_by_baseline, request_for
from parity_gui.core.options import CompareOptions

PROJECT = """\
baseline = "prod"

[environments.dev]
files = ["compose.yml"]

[environments.prod]
files = ["compose.yml"]

[[expected]]
path = "/services/*/image/tag"
reason = "rc in dev"
"""


def make(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "deploy").mkdir(parents=True)
    (root / ".parity.toml").write_text(PROJECT)
    (root / "compose.yml").write_text("services: {}\n")
    (tmp_path / "other.yml").write_text("services: {}\n")
    return root


def test_names_and_files_inside_the_folder_are_governed(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert governing_project(["dev", "docker://default/shop"], root) is not None
    assert governing_project(["compose.yml", "compose.yml+deploy"], root) is not None
    assert governing_project(["compose.yml", str(tmp_path / "other.yml")], root) is None
    assert governing_project(["../../other.yml", "../compose.yml"], root / "deploy") is None


def test_the_command_line_applies_the_same_rule(tmp_path: Path) -> None:
    root = make(tmp_path)
    inside = request_for(["compose.yml", "compose.yml"], cwd=root)
    outside = request_for([str(tmp_path / "other.yml"), "compose.yml"], cwd=root)
    assert inside.options.expected and outside.options == CompareOptions()


def test_the_baseline_is_ordered_first(tmp_path: Path) -> None:
    project = governing_project(["dev", "prod"], make(tmp_path))
    assert ordered_by_baseline(project, ["dev", "staging", "prod"]) == [2, 0, 1]
    assert ordered_by_baseline(project, ["a.yml", "b.yml"]) == [0, 1]
    assert ordered_by_baseline(None, ["prod", "dev"]) == [0, 1]
