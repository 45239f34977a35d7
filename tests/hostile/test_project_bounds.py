"""Files outside the project are never read: a folder's link to ``/etc/shadow`` is skipped with
a note, and an ``include``, ``extends`` or ``env_file`` reaching ``~/.netrc`` is refused by name,
its content never shown. The project is the nearest folder holding ``.parity.toml`` or ``.git``
(else the named file's folder). Compose spec, "include" / "extends" / "env_file": relative paths
start from the including file's folder."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from parity_gui.core.tree import Environment, Level
from parity_gui.errors import ParityError
from parity_gui.sources import registry
from tests.hostile import inputs
from tests.hostile.conftest import attempt

#: What a stolen credentials file holds; it must appear in no diagnostic, value or error.
NETRC = "machine api.github.com login octocat password ghp_CANARYnetrcCANARY0123456789abcdef\n"
CANARY = "CANARYnetrcCANARY"


@pytest.fixture
def home_and_project(untouched: Path) -> tuple[Path, Path]:
    home = untouched / "home"
    home.mkdir()
    (home / ".netrc").write_text(NETRC)
    (home / ".git-credentials").write_text("https://octocat:" + CANARY + "@github.com\n")
    project = untouched / "repo"
    (project / ".git").mkdir(parents=True)
    (project / "deploy").mkdir()
    return home, project


def everything_shown(outcome: Environment | ParityError) -> str:
    if isinstance(outcome, ParityError):
        return str(outcome)
    return repr(outcome.tree) + "\n".join(str(d) for d in outcome.diagnostics)


@pytest.mark.timeout(20)
def test_a_folder_link_to_a_file_outside_is_skipped_with_a_note(
    untouched: Path, home_and_project: tuple[Path, Path], frozen: Callable[[], None]
) -> None:
    home, project = home_and_project
    (project / "compose.yaml").write_text(inputs.COMPOSE)
    (project / ".env").symlink_to(home / ".netrc")
    (project / "deploy" / "Dockerfile").symlink_to(home / ".git-credentials")
    frozen()
    env = attempt(lambda: registry.load(str(project), "repo"))
    assert isinstance(env, Environment), env
    assert CANARY not in everything_shown(env)
    notes = {(d.file or "").rsplit("repo/", 1)[-1]: d for d in env.diagnostics}
    for link in (".env", "deploy/Dockerfile"):
        assert "outside" in notes[link].message, notes
    assert notes["deploy/Dockerfile"].level is Level.NOTE


@pytest.mark.timeout(20)
@pytest.mark.parametrize("reference", [
    "include:\n  - ../../home/.netrc\n",
    "services:\n  web:\n    extends:\n      file: ../../home/.netrc\n      service: web\n",
    "services:\n  web:\n    image: nginx:1.27  # the storefront\n    env_file:\n      - ../../home/.netrc\n",
    "services:\n  web:\n    image: nginx:1.27\n    env_file: [./netrc-link]\n",
], ids=["include", "extends", "env_file", "env_file-link"])
def test_a_reference_outside_the_project_is_refused_and_never_echoed(
    home_and_project: tuple[Path, Path], reference: str
) -> None:
    home, project = home_and_project
    (project / "deploy" / "netrc-link").symlink_to(home / ".netrc")
    (project / "deploy" / "compose.yml").write_text("# production stack\n" + reference)
    outcome = attempt(lambda: registry.load("compose.yml", base=project / "deploy"))
    shown = everything_shown(outcome)
    assert CANARY not in shown and "octocat" not in shown
    assert "outside the project" in shown


@pytest.mark.timeout(20)
def test_a_file_above_the_named_one_but_inside_the_repository_is_read(home_and_project: tuple[Path, Path]) -> None:
    _, project = home_and_project
    (project / "common.env").write_text("LOG_LEVEL=info\n")
    (project / "deploy" / "compose.yml").write_text(
        "services:\n  web:\n    image: nginx:1.27\n    env_file: ../common.env\n")
    env = attempt(lambda: registry.load("compose.yml", base=project / "deploy"))
    assert isinstance(env, Environment), env
    assert env.tree["services"]["web"]["environment"]["LOG_LEVEL"] == "info"


@pytest.mark.timeout(20)
@pytest.mark.parametrize(("make", "said"), [
    (inputs.fifo, "named pipe (FIFO)"),
    (lambda p: p.symlink_to("/dev/null"), "device"),
    (lambda p: p.mkdir(), "folder"),
], ids=["fifo", "device", "folder"])
def test_an_include_that_is_not_a_file_says_what_it_is(
    untouched: Path, make: Callable[[Path], object], said: str
) -> None:
    make(untouched / "shared.yml")
    (untouched / "compose.yml").write_text("include:\n  - shared.yml\nservices:\n  web: {image: nginx}\n")
    error = attempt(lambda: registry.load("compose.yml", base=untouched))
    assert isinstance(error, ParityError)
    assert said in error.message and "not found" not in error.message


@pytest.mark.timeout(30)
def test_an_include_fan_out_reads_each_file_once(untouched: Path) -> None:
    """Depth 15, three ways: 3**15 reads without the once-only rule (compose spec, include)."""
    inputs.include_fan_out(untouched, depth=15)
    started = time.perf_counter()
    env = attempt(lambda: registry.load("compose.yml", base=untouched))
    assert time.perf_counter() - started < 20  # hang guard; bench/hostile.py measures it
    assert isinstance(env, Environment), env
    assert {f"svc-15-{s}" for s in "abc"} <= env.tree["services"].keys()
    assert len(env.sources) == 46


@pytest.mark.timeout(20)
def test_a_file_the_user_names_is_read_through_its_link(home_and_project: tuple[Path, Path]) -> None:
    home, project = home_and_project
    (home / "dotfiles").mkdir()
    (home / "dotfiles" / "compose.yml").write_text(inputs.COMPOSE)
    (project / "compose.yml").symlink_to(home / "dotfiles" / "compose.yml")
    env = attempt(lambda: registry.load("compose.yml", base=project))
    assert isinstance(env, Environment), env
    assert "web" in env.tree["services"]


@pytest.mark.timeout(60)
def test_a_patch_for_files_that_refer_across_folders_is_still_verified(home_and_project: tuple[Path, Path]) -> None:
    """The self-check reloads a copy of the project: the copy is one project too."""
    from parity_gui.app.export import patch_for

    _, project = home_and_project
    (project / "common.yml").write_text("services:\n  base:\n    image: nginx:1.25\n")
    (project / "deploy" / "compose.yml").write_text(
        "services:\n  web:\n    extends:\n      file: ../common.yml\n      service: base\n"
        "    environment:\n      LOG_LEVEL: debug\n")
    (project / "prod.yml").write_text("services:\n  web:\n    image: nginx:1.25\n    environment:\n"
                                      "      LOG_LEVEL: info\n")
    patch = patch_for("prod.yml", "deploy/compose.yml", cwd=project)
    assert patch.checked and len(patch.fixed) == 1, patch.not_fixed
