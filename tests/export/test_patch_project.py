"""``parity patch`` on the bundled shop project: environments named in .parity.toml, every kind of file."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.app.compare import request_for, run
from parity_gui.app.export import patch_for, save_patch
from tests.export.patching import EXAMPLES, apply, project

#: Drift no edit of a file can fix without undoing a declared expected difference, or in RUN lines.
NOT_FILE_EDITS = {
    "/infrastructure/locals/is_prod",  # computed from variable.environment, expected to differ
    "/infrastructure/aws_db_instance.main/multi_az",  # computed from is_prod
    "/infrastructure/aws_instance.web[0]/user_data",  # computed from name_prefix, expected to differ
    "/images/Dockerfile/packages/pip/gunicorn",  # installed by RUN lines
    "/images/Dockerfile/packages/pip/debugpy",
    "/images/Dockerfile/packages/pip/django-debug-toolbar",
}


@pytest.mark.parametrize(("reference", "target"), [("prod", "dev"), ("dev", "prod")])
def test_the_shop_patch_leaves_only_expected_drift_and_what_it_names(
    tmp_path: Path, reference: str, target: str
) -> None:
    folder = project(EXAMPLES / "shop", tmp_path / "shop")
    patch = patch_for(reference, target, reveal_secrets=True, cwd=folder)
    assert {n.drift.pointer for n in patch.not_fixed} == NOT_FILE_EDITS
    apply(folder, patch)
    comparison = run(request_for([reference, target], cwd=folder))
    assert {d.pointer for d in comparison.unexpected} == NOT_FILE_EDITS
    assert all(d.expected for d in comparison.drifts if d.pointer not in NOT_FILE_EDITS)


def test_a_saved_patch_is_the_patch_and_the_project_is_untouched(tmp_path: Path) -> None:
    folder = project(EXAMPLES / "shop", tmp_path / "shop")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts}
    patch = patch_for("prod", "dev", cwd=folder)
    out = tmp_path / "fix.patch"
    save_patch(patch, out)
    assert out.read_bytes() == patch.text
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts} == before


def test_a_broad_selection_leaves_expected_differences_alone_unless_named(tmp_path: Path) -> None:
    folder = project(EXAMPLES / "shop", tmp_path / "shop")
    broad = patch_for("dev", "prod", only=["/variables"], cwd=folder)
    chosen = {d.pointer for d in broad.fixed} | {n.drift.pointer for n in broad.not_fixed}
    assert "/variables/LOG_LEVEL" in chosen and "/variables/ALLOWED_HOSTS" not in chosen
    named = patch_for("dev", "prod", only=["/variables/ALLOWED_HOSTS"], cwd=folder)
    assert [d.pointer for d in named.fixed] == ["/variables/ALLOWED_HOSTS"]
