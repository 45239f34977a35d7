"""A folder reads its structured configuration files too, and lists those it leaves out."""

from __future__ import annotations

import shutil
from pathlib import Path

from parity_gui.core.tree import Level
from parity_gui.sources.folder import load_folder

STRUCTURED = Path(__file__).resolve().parent.parent / "data" / "structured"


def checkout(data: Path, tmp_path: Path, name: str) -> Path:
    """The shop example with configuration files where real repositories keep them."""
    copy = tmp_path / name
    shutil.copytree(data / "folder" / "shop", copy, symlinks=True)
    (copy / "config").mkdir()
    shutil.copy(STRUCTURED / "appsettings.Production.json", copy / "config" / "appsettings.json")
    shutil.copy(STRUCTURED / "uwsgi.ini", copy / "uwsgi.ini")
    (copy / "deploy" / "helm").mkdir(parents=True)
    shutil.copy(STRUCTURED / "values-production.yaml", copy / "deploy" / "helm" / "values.yaml")
    (copy / "package.json").write_text('{"name": "shop", "version": "1.0.0"}\n')
    (copy / "pyproject.toml").write_text('[project]\nname = "shop"\n')
    (copy / ".pre-commit-config.yaml").write_text("repos: []\n")
    (copy / "compose.prod.yaml").write_text("services:\n  web:\n    restart: always\n")
    return copy


def test_structured_files_are_read_under_their_path_in_the_folder(data: Path, tmp_path: Path) -> None:
    env = load_folder(checkout(data, tmp_path, "shop"), "shop", "dev", "shop")
    files = env.tree["files"]
    assert set(files) == {"config/appsettings.json", "uwsgi.ini", "deploy/helm/values.yaml"}
    assert files["deploy/helm/values.yaml"]["replicaCount"] == 3
    assert env.origins[("files", "uwsgi.ini", "uwsgi", "processes")].file == "shop/uwsgi.ini"
    assert "services" in env.tree and "variables" in env.tree  # the rest is still read


def test_what_the_folder_leaves_out_is_listed_with_the_reason(data: Path, tmp_path: Path) -> None:
    env = load_folder(checkout(data, tmp_path, "shop"), "shop", "dev", "shop")
    notes = [str(d) for d in env.diagnostics if d.level is Level.NOTE]
    assert "shop/package.json: skipped: a tool's own file, not an environment's configuration" in notes
    assert "shop/pyproject.toml: skipped: a tool's own file, not an environment's configuration" in notes
    assert "shop/.pre-commit-config.yaml: skipped: a hidden file: name it in the spec to read it" in notes
    assert ("shop/compose.prod.yaml: skipped: a compose file the compose project does not use "
            "(name it in the spec to merge it)") in notes


def test_the_same_file_in_two_checkouts_lines_up(data: Path, tmp_path: Path) -> None:
    from parity_gui.app.compare import Request, run

    left, right = checkout(data, tmp_path, "left"), checkout(data, tmp_path, "right")
    ini = right / "uwsgi.ini"
    ini.write_bytes(ini.read_bytes().replace(b"processes = 8", b"processes = 2"))
    comparison = run(Request((str(left), str(right)), base=tmp_path))
    drifted = [d.path for d in comparison.unexpected if d.path[0] == "files"]
    assert drifted == [("files", "uwsgi.ini", "uwsgi", "processes")]


def test_a_folder_reads_its_root_hcl_and_lists_deeper_terragrunt_files(data: Path, tmp_path: Path) -> None:
    folder = checkout(data, tmp_path, "shop")
    (folder / "root.hcl").write_text('inputs = {\n  environment = "prod"\n}\n')
    (folder / "live" / "vpc").mkdir(parents=True)
    unit = 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n'
    (folder / "live" / "vpc" / "terragrunt.hcl").write_text(unit)
    env = load_folder(folder, "shop", "dev", "shop")
    assert env.tree["infrastructure"]["terragrunt.root"]["inputs"] == {"environment": "prod"}
    notes = [str(d) for d in env.diagnostics if d.level is Level.NOTE]
    assert ("shop/live/vpc/terragrunt.hcl: skipped: a Terragrunt file below the top: "
            "name it in the spec to read it") in notes


def test_helm_templates_are_skipped_and_their_values_read(data: Path, tmp_path: Path) -> None:
    folder = checkout(data, tmp_path, "shop")
    chart = folder / "deploy" / "helm"
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: shop\nversion: 1.4.2\n")
    (chart / "templates").mkdir()
    (chart / "templates" / "deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: {{ .Values.replicaCount }}\n"
        "{{- if .Values.ingress.enabled }}\n# ingress\n{{- end }}\n")
    env = load_folder(folder, "shop", "dev", "shop")
    assert env.tree["files"]["deploy/helm/Chart.yaml"]["version"] == "1.4.2"
    assert "deploy/helm/templates/deployment.yaml" not in env.tree["files"]
    notes = [str(d) for d in env.diagnostics if d.level is Level.NOTE]
    assert ("shop/deploy/helm/templates/deployment.yaml: skipped: a template (Helm, Jinja): "
            "render it first, then compare the output") in notes
    assert env.errors == []
