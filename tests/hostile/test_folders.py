"""A folder full of traps: link loops, dangling links, a FIFO and a device named like config
files. The scan ends quickly, loads what is real and lists each trap with a reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from parity_gui.core.tree import Environment, Level
from parity_gui.sources import registry
from tests.hostile import inputs
from tests.hostile.conftest import attempt


def trapped_folder(root: Path) -> Path:
    project = root / "project"
    (project / "services" / "api").mkdir(parents=True)
    (project / "docker-compose.yml").write_text(inputs.COMPOSE)
    (project / "services" / "api" / "Dockerfile").write_text(inputs.DOCKERFILE)
    (project / "services" / "api" / "loop").symlink_to("..")  # a loop back up
    (project / "services" / "self").symlink_to(".")
    (project / "services" / "dangling.dockerfile").symlink_to("nowhere/Dockerfile")
    inputs.fifo(project / "services" / "Dockerfile.fifo")
    (project / "services" / "zero.dockerfile").symlink_to("/dev/zero")
    (project / "terragrunt.hcl").symlink_to("/dev/zero")
    inputs.fifo(project / ".env")
    return project


@pytest.mark.timeout(10)
def test_a_folder_of_traps_loads_what_is_real_and_names_every_trap(
    untouched: Path, frozen: Callable[[], None]
) -> None:
    project = trapped_folder(untouched)
    frozen()
    env = attempt(lambda: registry.load(str(project), "trapped"))
    assert isinstance(env, Environment), env
    assert env.tree["services"]["web"]["image"]["repository"] == "library/nginx"
    assert env.tree["images"]["Dockerfile"]["user"] == "1000:1000"  # production: the stage the file builds
    said = {(d.file or "").removeprefix(str(project) + "/"): d.message for d in env.diagnostics}
    for trap in ("services/api/loop", "services/self", "services/dangling.dockerfile",
                 "services/Dockerfile.fifo", "services/zero.dockerfile", "terragrunt.hcl", ".env"):
        assert trap in said, f"{trap} not reported: {said}"
    assert all(d.level is not Level.ERROR or d.file for d in env.diagnostics)


@pytest.mark.timeout(10)
def test_a_link_the_user_names_is_followed(untouched: Path) -> None:
    real = untouched / "real"
    real.mkdir()
    (real / "compose.yaml").write_text(inputs.COMPOSE)
    (untouched / "named").symlink_to(real)
    env = attempt(lambda: registry.load(str(untouched / "named")))
    assert isinstance(env, Environment), env
    assert "web" in env.tree["services"]


@pytest.mark.timeout(10)
def test_a_fifo_named_as_the_compose_file_is_refused_not_read(untouched: Path) -> None:
    inputs.fifo(untouched / "compose.yml")
    error = attempt(lambda: registry.load("compose.yml", base=untouched))
    assert not isinstance(error, Environment)
    assert error.file == "compose.yml"
    assert "not a regular file" in error.message


@pytest.mark.timeout(10)
def test_a_link_to_dev_zero_named_as_a_dotenv_file_is_refused(untouched: Path) -> None:
    (untouched / ".env").symlink_to("/dev/zero")
    error = attempt(lambda: registry.load(".env", base=untouched))
    assert not isinstance(error, Environment)
    assert error.file == ".env"
