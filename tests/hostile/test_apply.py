"""``parity apply PATCH`` applies a fix patch only to the exact files it was made from: a file
changed since, a forged patch or a name leaving the folder is refused in one line, and
nothing is written then."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.cli.main import main

DEV = """\
# the shop, as developers run it
x-logging: &logging
  driver: json-file
services:
  web:
    image: "nginx:1.25"   # pinned for the demo
    logging: *logging
  db:
    image: postgres:15
    environment:
      POSTGRES_DB: shop
"""
PROD = DEV.replace('"nginx:1.25"', '"nginx:1.27"').replace("postgres:15", "postgres:16")


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "dev.yml").write_text(DEV)
    (tmp_path / "prod.yml").write_text(PROD)
    monkeypatch.chdir(tmp_path)
    assert main(["patch", "prod.yml", "dev.yml", "-o", "fix.patch"]) == 1
    return tmp_path


@pytest.mark.timeout(60)
def test_a_patch_applies_to_the_files_it_was_made_from(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["apply", "fix.patch"]) == 0
    assert (shop / "dev.yml").read_text() == PROD
    assert "applied fix.patch: dev.yml" in capsys.readouterr().out
    assert main(["compare", "prod.yml", "dev.yml"]) == 0


@pytest.mark.timeout(60)
def test_a_file_changed_since_is_refused_and_nothing_is_written(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = DEV.replace("  db:", "  cache:\n    image: redis:7\n  db:")
    (shop / "dev.yml").write_text(moved)
    capsys.readouterr()
    assert main(["apply", "fix.patch"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "dev.yml: changed since the patch was made" in err
    assert (shop / "dev.yml").read_text() == moved


@pytest.mark.timeout(60)
def test_a_patch_without_recorded_hashes_is_refused(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (shop / "fix.patch").read_text()
    forged = "\n".join(line for line in text.splitlines() if "sha256:" not in line) + "\n"
    (shop / "forged.patch").write_text(forged)
    capsys.readouterr()
    assert main(["apply", "forged.patch"]) == 2
    assert "records no SHA-256" in capsys.readouterr().err
    assert (shop / "dev.yml").read_text() == DEV


@pytest.mark.timeout(60)
def test_a_patch_naming_a_file_outside_the_folder_is_refused(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (shop / "fix.patch").read_text().replace("  dev.yml", "  ../dev.yml", 1)
    (shop / "outside.patch").write_text(text)
    capsys.readouterr()
    assert main(["apply", "outside.patch"]) == 2
    assert "outside the folder" in capsys.readouterr().err
    assert (shop / "dev.yml").read_text() == DEV


@pytest.mark.timeout(60)
def test_a_patch_that_touches_an_unrecorded_file_is_refused(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = ("diff --git a/other.yml b/other.yml\nnew file mode 100644\n--- /dev/null\n+++ b/other.yml\n"
             "@@ -0,0 +1 @@\n+services: {}\n")
    (shop / "extra.patch").write_text((shop / "fix.patch").read_text() + extra)
    capsys.readouterr()
    assert main(["apply", "extra.patch"]) == 2
    assert "does not name (other.yml)" in capsys.readouterr().err
    assert (shop / "dev.yml").read_text() == DEV and not (shop / "other.yml").exists()
