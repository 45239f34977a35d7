"""``SPEC@REV``: environments as they were at a git revision, read from git objects only.

Each repository is a real one made in a temporary folder with the ``git`` command.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from parity_gui.core.pointer import from_pointer
from parity_gui.core.tree import Environment
from parity_gui.errors import SourceError
from parity_gui.sources.registry import load

BASE = """\
# the shop's services
x-logging: &logging
  driver: json-file
services:
  web:
    image: ghcr.io/acme/shop-web:1.4.0
    env_file: [.env.web]
    logging: *logging
  db:
    extends:
      file: common/db.yml
      service: postgres
"""
PROD = "services:\n  web:\n    environment:\n      WORKERS: \"8\"\n"
DB = "services:\n  postgres:\n    image: postgres:${PG_VERSION:-15}\n"


def git(repo: Path, *arguments: str) -> str:
    done = subprocess.run(["git", *arguments], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def commit(repo: Path, message: str, files: dict[str, str | None]) -> None:
    for name, content in files.items():
        path = repo / name
        if content is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "shop"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    commit(root, "first", {
        "compose.yml": BASE, "compose.prod.yml": PROD, "common/db.yml": DB,
        ".env": "PG_VERSION=15\n", ".env.web": "LOG_LEVEL=info\r\nSECRET_KEY=first-secret-value\r\n",
    })
    git(root, "tag", "v1.4")
    commit(root, "second", {
        "compose.yml": BASE.replace("1.4.0", "1.5.0"), "compose.prod.yml": PROD.replace('"8"', '"16"'),
        ".env": "PG_VERSION=16\n", ".env.web": "LOG_LEVEL=debug\r\nSECRET_KEY=second-secret-value\r\n",
    })
    return root


def at(env: Environment, pointer: str) -> object:
    return env.get(from_pointer(pointer))


def snapshot(repo: Path) -> tuple[str, str, str, bytes]:
    """What must not change: status, the index, the stash and the refs."""
    index = (repo / ".git" / "index").read_bytes()
    return (git(repo, "status", "--porcelain=v2", "--branch"), git(repo, "stash", "list"),
            git(repo, "show-ref"), index)


def test_a_spec_reads_every_file_it_pulls_in_at_the_revision(repo: Path) -> None:
    """Overrides, .env interpolation, env_file and extends, all as they were at v1.4."""
    then = load("compose.yml+compose.prod.yml@v1.4", base=repo)
    assert at(then, "/services/web/image/tag") == "1.4.0"
    assert at(then, "/services/web/environment/WORKERS") == "8"  # the override at v1.4
    assert at(then, "/services/web/environment/LOG_LEVEL") == "info"  # env_file, CRLF
    assert at(then, "/services/db/image/tag") == "15"  # extends + .env interpolation
    now = load("compose.yml+compose.prod.yml", base=repo)
    assert at(now, "/services/db/image/tag") == "16"


def test_origins_name_the_file_at_the_revision(repo: Path) -> None:
    then = load("compose.yml@v1.4", base=repo)
    origin = then.origins[from_pointer("/services/web/image/tag")]
    assert (origin.file, origin.line) == ("compose.yml@v1.4", 6)
    assert then.origins[from_pointer("/services/db/image/tag")].file == "common/db.yml@v1.4"
    assert "compose.yml@v1.4" in then.sources
    assert then.spec == "compose.yml@v1.4"


def test_the_repository_is_untouched(repo: Path) -> None:
    (repo / "compose.yml").write_text(BASE.replace("1.4.0", "2.0.0-dirty"))  # uncommitted work
    git(repo, "stash", "push", "-q", "-m", "parked")
    (repo / "compose.yml").write_text(BASE.replace("1.4.0", "2.0.0-dirty"))
    git(repo, "add", "compose.yml")
    before = snapshot(repo)
    load("compose.yml+compose.prod.yml@v1.4", base=repo)
    load("compose.yml@HEAD~1", base=repo)
    assert snapshot(repo) == before
    assert (repo / "compose.yml").read_text().count("2.0.0-dirty") == 1


def test_a_file_renamed_or_deleted_since_is_read_as_it_was(repo: Path) -> None:
    git(repo, "mv", "compose.prod.yml", "compose.production.yml")
    commit(repo, "rename", {"common/db.yml": None, "compose.yml": BASE.split("  db:", maxsplit=1)[0]})
    then = load("compose.yml+compose.prod.yml@v1.4", base=repo)
    assert at(then, "/services/db/image/repository") == "library/postgres"
    with pytest.raises(SourceError, match=r"compose.prod.yml"):
        load("compose.yml+compose.prod.yml", base=repo)


def test_a_missing_revision_or_path_is_one_line(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"no revision 'v9\.9'"):
        load("compose.yml@v9.9", base=repo)
    with pytest.raises(SourceError, match=r"no such file") as raised:
        load("compose.staging.yml@v1.4", base=repo)
    assert raised.value.file == "compose.staging.yml@v1.4"
    elsewhere = tmp_path / "not-a-repository"
    elsewhere.mkdir()
    (elsewhere / "compose.yml").write_text(BASE)
    with pytest.raises(SourceError, match="not inside a git repository"):
        load("compose.yml@main", base=elsewhere)


def test_an_at_sign_in_an_existing_path_is_a_path(repo: Path) -> None:
    (repo / "team@ops").mkdir()
    (repo / "team@ops" / "compose.yml").write_text("services:\n  web:\n    image: nginx:1.27\n")
    env = load("team@ops/compose.yml", base=repo)
    assert at(env, "/services/web/image/tag") == "1.27"


def test_a_terraform_module_is_read_at_the_revision(repo: Path) -> None:
    commit(repo, "infra", {
        "infra/envs/prod/main.tf": 'module "db" {\n  source = "../../modules/db"\n  size   = "db.r6g.large"\n}\n',
        "infra/modules/db/main.tf": 'variable "size" {}\nresource "aws_db_instance" "main" {\n'
                                    '  instance_class = var.size\n  engine_version = "15.4"\n}\n',
    })
    git(repo, "tag", "infra-1")
    commit(repo, "bump", {"infra/modules/db/main.tf": 'variable "size" {}\nresource "aws_db_instance" "main" {\n'
                                                      '  instance_class = var.size\n  engine_version = "16.1"\n}\n'})
    then = load("infra/envs/prod@infra-1", base=repo)
    resource = "/infrastructure/module.db.aws_db_instance.main"
    assert at(then, f"{resource}/engine_version") == "15.4"
    assert at(load("infra/envs/prod", base=repo), f"{resource}/engine_version") == "16.1"
    origin = then.origins[from_pointer(f"{resource}/engine_version")]
    assert origin.file == "infra/modules/db/main.tf@infra-1"


@pytest.mark.skipif(shutil.which("kubectl") is None and shutil.which("kustomize") is None,
                    reason="needs kubectl or kustomize")
def test_a_kustomize_base_is_read_at_the_revision(repo: Path) -> None:
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n"
        "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
        "    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:{tag}\n"
    )
    commit(repo, "k8s", {
        "k8s/base/deployment.yaml": deployment.replace("{tag}", "1.0"),
        "k8s/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
        "k8s/overlays/production/kustomization.yaml": "resources:\n  - ../../base\nnamespace: prod\n",
    })
    git(repo, "tag", "k8s-1")
    commit(repo, "k8s bump", {"k8s/base/deployment.yaml": deployment.replace("{tag}", "2.0")})
    then = load("k8s/overlays/production@k8s-1", base=repo)
    now = load("k8s/overlays/production", base=repo)
    assert at(then, "/services/web/image/tag") == "1.0"
    assert at(now, "/services/web/image/tag") == "2.0"


def test_the_revisions_a_user_can_pick(repo: Path) -> None:
    from parity_gui.sources.revision import revision_choices

    choices = revision_choices(repo)
    assert [(c.kind, c.name) for c in choices if c.kind != "commit"] == [("branch", "main"), ("tag", "v1.4")]
    commits = [c for c in choices if c.kind == "commit"]
    assert [c.summary.split(" (")[0] for c in commits] == ["second", "first"]
    assert load(f"compose.yml@{commits[1].name}", base=repo).get(from_pointer("/services/web/image/tag")) == "1.4.0"


def test_no_revisions_outside_a_repository(tmp_path: Path) -> None:
    from parity_gui.sources.revision import revision_choices

    assert revision_choices(tmp_path) == []
