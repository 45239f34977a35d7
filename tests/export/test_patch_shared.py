"""A fix patch leaves the files the target shares with other environments alone when it can.

The project: ``compose.yml`` read by dev, prod and staging; ``compose.dev.yml`` and
``compose.prod.yml`` each read by one. Compose merges later files over earlier ones (compose
specification, "Merge and override"), so a value written in the shared file is fixed in the
target's own override, where it wins.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.app.compare import load_environment, request_for, run
from parity_gui.app.export import patch_for
from parity_gui.export.patch.check import reference_check
from tests.export.patching import DATA, apply, project


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    return project(DATA / "shared", tmp_path / "shop")


def test_a_value_written_in_the_shared_file_is_fixed_in_the_targets_own_override(shared: Path) -> None:
    before = (shared / "compose.yml").read_bytes()
    patch = patch_for("prod", "dev", cwd=shared)
    assert [f.path for f in patch.files] == ["compose.dev.yml"]
    assert {d.pointer for d in patch.fixed} == {
        "/services/web/environment/LOG_LEVEL", "/services/web/environment/WORKERS",
        "/services/web/environment/DEBUG", "/services/db/image/tag",
    }
    assert any(n.startswith("checked: prod, the reference, shares files with the target and is unchanged")
               for n in patch.notes)
    apply(shared, patch)
    assert (shared / "compose.yml").read_bytes() == before
    override = (shared / "compose.dev.yml").read_text()
    assert "LOG_LEVEL: warning" in override and "  db:\n    image: postgres:16.3" in override
    after = run(request_for(["prod", "dev"], cwd=shared))
    assert [d.pointer for d in after.unexpected] == ["/services/web/ports/8000~1tcp"]  # not fixable by an override


def test_a_target_without_a_file_of_its_own_has_the_shared_file_edited_and_the_patch_says_who_else_reads_it(
    shared: Path,
) -> None:
    patch = patch_for("prod", "staging", cwd=shared)
    assert [f.path for f in patch.files] == ["compose.yml"]
    assert any("the patch edits compose.yml, which prod, dev also read" in n for n in patch.notes)
    assert any(n.startswith("checked: prod, the reference,") and "unchanged" in n for n in patch.notes)
    assert b"which prod, dev also read" in patch.text


def test_the_self_check_names_what_an_edit_of_a_shared_file_changed_in_the_reference(shared: Path) -> None:
    prod = load_environment("compose.yml+compose.prod.yml", "prod", base=shared)
    comparison = run(request_for(["prod", "dev"], cwd=shared))
    (shared / "compose.yml").write_text((shared / "compose.yml").read_text().replace("pg_isready", "pg_ready"))
    after = load_environment("compose.yml+compose.prod.yml", "prod", base=shared)
    assert reference_check(prod, prod, comparison).startswith("checked: prod, the reference,")
    assert reference_check(prod, after, comparison) == (
        "the patch also changes prod, the reference, at /services/db/healthcheck/test: it edits a file prod reads"
    )
