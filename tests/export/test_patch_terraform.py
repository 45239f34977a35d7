"""Fix patches for Terraform: variables assigned in .tfvars, literals replaced, expressions kept."""

from __future__ import annotations

from pathlib import Path

from parity_gui.export.patch.terraform import hcl
from tests.export.patching import apply, git, patched, project, unexpected

#: The Terraform fixture the Terraform source is tested on: one copy serves both.
TERRAFORM = Path(__file__).resolve().parent.parent / "data" / "terraform" / "infra"


def test_a_tfvars_patch_applies_and_computed_values_follow(tmp_path: Path) -> None:
    folder = project(TERRAFORM, tmp_path / "tf")
    patch = patched(folder, "dev.tfvars", "prod.tfvars", reveal_secrets=True)
    assert [c.path for c in patch.files] == ["prod.tfvars"]  # the shared .tf files are not touched
    assert not patch.not_fixed
    assert any("instance_class is not edited itself but matches" in note for note in patch.notes)
    apply(folder, patch)
    assert unexpected(folder, "dev.tfvars", "prod.tfvars") == []
    assert (folder / "prod.tfvars").read_text() == (
        '# Production\nenvironment       = "development"\ndb_engine_version = "15.6"\nreplicas          = 1\n'
        'db_password       = "dev-only-password"\n'
    )


def test_a_variable_left_at_its_default_is_assigned_in_the_tfvars(tmp_path: Path) -> None:
    folder = project(TERRAFORM, tmp_path / "tf")
    # the context line above holds dev's password: only a patch made with it in clear applies as it is
    patch = patched(folder, "prod.tfvars", "dev.tfvars", only=["/infrastructure/variable.replicas"],
                    reveal_secrets=True)
    apply(folder, patch)
    assert (folder / "dev.tfvars").read_text().endswith('db_password       = "dev-only-password"\nreplicas = 3\n')
    assert "variables.tf" not in {c.path for c in patch.files}


def test_a_secret_variable_gets_a_placeholder(tmp_path: Path) -> None:
    folder = project(TERRAFORM, tmp_path / "tf")
    patch = patched(folder, "prod.tfvars", "dev.tfvars", only=["/infrastructure/variable.db_password"])
    assert b"s3cr3t-prod" not in patch.text and b"CHANGE-ME-secret-" in patch.text
    assert [n.drift.pointer for n in patch.not_fixed] == ["/infrastructure/variable.db_password/value"]


def test_hcl_literals_escape_interpolation() -> None:
    assert hcl("a ${b} %{c}") == '"a $${b} %%{c}"'
    assert hcl([1, True, None, "x"]) == '[1, true, null, "x"]'
    assert hcl({"Team": "ops"}) == '{ "Team" = "ops" }'


def test_reasons_never_quote_a_secret(tmp_path: Path) -> None:
    folder = tmp_path / "tf"
    folder.mkdir()
    token = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
    (folder / "main.tf").write_text(
        'variable "prefix" {\n  default = "x"\n}\n\nresource "null_resource" "hook" {\n'
        f'  header = "${{var.prefix}}-{token}"\n}}\n'
    )
    (folder / "dev.tfvars").write_text('prefix = "dev"\n')
    (folder / "prod.tfvars").write_text('prefix = "prod"\n')
    patch = patched(folder, "dev.tfvars", "prod.tfvars", only=["/infrastructure/null_resource.hook"], check=False)
    assert "computed by the expression" in patch.not_fixed[0].reason
    assert token not in patch.summary() and token.encode() not in patch.text
    revealed = patched(folder, "dev.tfvars", "prod.tfvars", only=["/infrastructure/null_resource.hook"],
                       check=False, reveal_secrets=True)
    assert token in revealed.summary()


def test_block_arguments_are_added_and_removed_on_their_own_lines(tmp_path: Path) -> None:
    folder = tmp_path / "tf"
    (folder / "ref").mkdir(parents=True)
    (folder / "target").mkdir()
    (folder / "ref" / "main.tf").write_text(
        '# the reference\nresource "aws_s3_bucket" "logs" {\n  bucket        = "acme-logs"\n'
        '  force_destroy = true\n}\n'
    )
    (folder / "target" / "main.tf").write_text(
        '# drifted\nresource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n  acl    = "private" # legacy\n}\n'
    )
    git(folder, "init", "-q", ".")
    patch = patched(folder, "ref/main.tf", "target/main.tf")
    assert {d.pointer for d in patch.fixed} == {"/infrastructure/aws_s3_bucket.logs/force_destroy",
                                                "/infrastructure/aws_s3_bucket.logs/acl"}
    apply(folder, patch)
    assert (folder / "target" / "main.tf").read_text() == (
        '# drifted\nresource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs"\n  force_destroy = true\n}\n'
    )
