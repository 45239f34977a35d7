"""Hostile git revisions (``SPEC@REV``): trees holding links to ``/etc/shadow`` or out of the
repository, a blob larger than the file cap, thousands of files, revision names that look like
options, an empty revision, a folder that is not a repository. Each ends in a load or one line
naming the file, with nothing written and nothing from outside the repository shown. The
repositories are real ones, made with the ``git`` command."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from parity_gui.cli.main import main
from parity_gui.core.tree import Environment
from parity_gui.errors import LimitExceeded, ParityError, SourceError
from parity_gui.sources import registry, revision
from tests.hostile import inputs
from tests.hostile.conftest import attempt

CANARY = "CANARY_beside_the_repository_77a1"


def git(repo: Path, *arguments: str) -> None:
    subprocess.run(["git", *arguments], cwd=repo, capture_output=True, check=True)


@pytest.fixture
def repo(untouched: Path) -> Path:
    """A repository whose only commit (``main``) holds the shop's compose file and links that
    leave it; beside it, a file holding :data:`CANARY`."""
    (untouched / "secret.env").write_text(f"TOKEN={CANARY}\n")
    root = untouched / "shop"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    (root / "docker-compose.yml").write_text(inputs.COMPOSE)
    (root / "appsettings.json").write_text(inputs.APPSETTINGS_JSON)
    (root / "shadow.env").symlink_to("/etc/shadow")
    (root / "beside.env").symlink_to("../secret.env")
    (root / "absolute.env").symlink_to(untouched / "secret.env")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "shop")
    return root


def load(spec: str, base: Path) -> Environment | ParityError:
    outcome: Environment | ParityError = attempt(lambda: registry.load(spec, base=base))
    return outcome


@pytest.mark.timeout(30)
@pytest.mark.parametrize("link", ["shadow.env", "beside.env", "absolute.env"])
@pytest.mark.parametrize("how", ["named", "env_file"])
def test_a_link_in_the_revision_that_leaves_the_repository_is_never_read(
    repo: Path, frozen: Callable[[], None], link: str, how: str
) -> None:
    if how == "env_file":
        (repo / "docker-compose.yml").write_text(
            inputs.COMPOSE.replace("    depends_on: [db]\n", f"    depends_on: [db]\n    env_file: [{link}]\n"))
        git(repo, "commit", "-q", "-am", "env file")
    frozen()
    spec = f"dotenv:{link}@main" if how == "named" else "docker-compose.yml@main"
    outcome = load(spec, repo)
    assert isinstance(outcome, SourceError), outcome
    assert CANARY not in str(outcome) and "root:" not in str(outcome)
    assert "\n" not in outcome.message, outcome
    if link == "beside.env" and how == "env_file":
        # relative, it leads out of the private copy the revision is written to, where nothing is
        assert outcome.file == "docker-compose.yml@main" and "beside.env not found" in outcome.message
    else:
        assert outcome.file == f"{link}@main" and "outside" in outcome.message, outcome
    assert "parity-rev-" not in outcome.message  # the private copy is never named


@pytest.mark.timeout(30)
def test_a_blob_larger_than_the_file_cap_is_refused_from_its_size(repo: Path, frozen: Callable[[], None]) -> None:
    (repo / "big.json").write_text('{"blob": "' + "x" * (9 * 2**20) + '"}\n')
    git(repo, "add", "big.json")
    git(repo, "commit", "-q", "-m", "big")
    (repo / "big.json").unlink()
    git(repo, "commit", "-q", "-am", "gone")
    frozen()
    started = time.perf_counter()
    error = load("big.json@HEAD~1", repo)
    assert time.perf_counter() - started < 10
    assert isinstance(error, LimitExceeded), error
    assert error.file == "big.json@HEAD~1" and "over the 8.0 MB limit" in error.message


@pytest.mark.timeout(60)
def test_a_tree_of_thousands_of_files_loads_and_one_past_the_cap_is_refused(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = repo / "settings"
    settings.mkdir()
    for i in range(3000):
        (settings / f"service-{i}.properties").write_text(f"# service {i}\nserver.port={8000 + i}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "settings")
    env = load("settings/service-2999.properties@main", repo)
    assert isinstance(env, Environment), env
    assert env.tree["files"]["properties"]["server.port"] == "10999"
    monkeypatch.setattr(revision, "MAX_FILES", 1000)
    git(repo, "commit", "-q", "--allow-empty", "-m", "a new commit, written out afresh")
    error = load("docker-compose.yml@main", repo)
    assert isinstance(error, LimitExceeded), error
    assert "more than 1,000 files" in error.message and "\n" not in error.message


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", ["--output=OUT", "-oOUT", "--upload-pack=touch OUT", "--exec=touch OUT"])
def test_a_revision_that_looks_like_an_option_is_not_one(repo: Path, tmp_path: Path, name: str) -> None:
    written = tmp_path / "written"
    error = load(f"docker-compose.yml@{name.replace('OUT', str(written))}", repo)
    assert isinstance(error, SourceError), error
    assert error.message.startswith("no revision '-") and "\n" not in error.message
    assert not written.exists()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("spec", ["docker-compose.yml@", "yaml:docker-compose.yml@", "@"])
def test_an_empty_revision_is_named(repo: Path, spec: str) -> None:
    error = load(spec, repo)
    assert isinstance(error, SourceError), error
    assert error.file == spec and error.message.startswith("no revision after '@'")


@pytest.mark.timeout(30)
def test_a_path_ending_in_an_at_sign_is_still_a_path(repo: Path) -> None:
    (repo / "team@").mkdir()
    (repo / "team@" / "compose.yml").write_text(inputs.COMPOSE)
    assert isinstance(load("team@/compose.yml", repo), Environment)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("git_entry", ["empty folder", "file pointing nowhere", "none"])
def test_a_folder_that_is_not_a_repository_is_one_line(untouched: Path, git_entry: str) -> None:
    folder = untouched / "checkout"
    folder.mkdir()
    (folder / "docker-compose.yml").write_text(inputs.COMPOSE)
    if git_entry == "empty folder":
        (folder / ".git").mkdir()
    elif git_entry == "file pointing nowhere":
        (folder / ".git").write_text(f"gitdir: {untouched / 'gone' / '.git'}\n")
    error = load("docker-compose.yml@main", folder)
    assert isinstance(error, SourceError), error
    assert "not inside a git repository" in error.message and "\n" not in error.message


@pytest.mark.timeout(120)
def test_each_hostile_revision_is_one_line_and_exit_2(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo)
    for spec in ["dotenv:shadow.env@main", "dotenv:beside.env@main", "docker-compose.yml@--output=x",
                 "docker-compose.yml@", "docker-compose.yml@v9.9", "missing.yml@main"]:
        code = main(["compare", spec, "docker-compose.yml"])
        out, err = capsys.readouterr()
        assert code == 2, (spec, out, err)
        assert err.count("\n") == 1 and "Traceback" not in err and CANARY not in err, err
    assert not (repo / "x").exists()


@pytest.mark.timeout(30)
def test_a_revision_named_from_the_folder_above_the_repository_is_read(
    repo: Path, untouched: Path, frozen: Callable[[], None]
) -> None:
    """``parity show shop/appsettings.json@main`` from outside the checkout reads the repository
    the file is in; its links out are refused all the same."""
    frozen()
    env = load("shop/appsettings.json@main", untouched)
    assert isinstance(env, Environment), env
    assert env.sources == ["shop/appsettings.json@main"]
    error = load("dotenv:shop/shadow.env@main", untouched)
    assert isinstance(error, SourceError) and "outside the repository" in error.message, error
    nowhere = load("nowhere/compose.yml@main", untouched)
    assert isinstance(nowhere, SourceError) and "not inside a git repository" in nowhere.message, nowhere
