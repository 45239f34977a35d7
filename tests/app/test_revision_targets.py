"""Which spec a side reopens at a revision, and which repository offers the revisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.app.revisions import target_of
from parity_gui.errors import OptionsError

PROJECT = """\
[environments.prod]   # what runs
files = ["deploy/compose.yml", "deploy/compose.prod.yml"]
"""


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    (tmp_path / "deploy").mkdir()
    (tmp_path / ".parity.toml").write_text(PROJECT)
    for name in ("compose.yml", "compose.prod.yml"):
        (tmp_path / "deploy" / name).write_text("services:\n  web:\n    image: nginx:1.27\n")
    (tmp_path / "deploy" / "old@2023.env").write_text("A=1\n")
    return tmp_path


def test_a_project_environment_reopens_by_name_from_the_project_folder(shop: Path) -> None:
    nested = shop / "deploy"
    for spec in ("prod", "prod@v1.4", "prod@HEAD~3"):
        target = target_of(spec, nested)
        assert (target.spec, target.folder, target.at("main")) == ("prod", shop, "prod@main")


def test_files_reopen_without_their_old_revision_from_their_own_folder(shop: Path) -> None:
    target = target_of("deploy/compose.yml+deploy/compose.prod.yml@v1.4", shop)
    assert target.spec == "deploy/compose.yml+deploy/compose.prod.yml"
    assert target.folder == shop / "deploy"
    assert target.at("HEAD~1") == "deploy/compose.yml+deploy/compose.prod.yml@HEAD~1"


def test_a_file_whose_name_holds_an_at_sign_stays_whole(shop: Path) -> None:
    assert target_of("deploy/old@2023.env", shop).spec == "deploy/old@2023.env"


def test_a_folder_and_a_kind_prefix_find_their_folder(shop: Path) -> None:
    assert target_of("deploy", shop).folder == shop / "deploy"
    assert target_of("compose:deploy/compose.yml#web", shop).folder == shop / "deploy"


@pytest.mark.parametrize(("spec", "says"), [("", "open something on this side first"),
                                             ("docker://prod/shop", "has no git revisions")])
def test_what_has_no_revision_is_one_line(shop: Path, spec: str, says: str) -> None:
    with pytest.raises(OptionsError, match=says):
        target_of(spec, shop)
