"""The unified diff itself: git's format, on bytes, accepted by git apply and GNU patch."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from parity_gui.export.patch.diff import FileChange, patch_text, quote_path
from tests.export.patching import git


def _applies(tmp_path: Path, files: dict[str, bytes], patch: bytes) -> dict[str, bytes]:
    """Apply with git in a fresh repository, and check GNU patch accepts it too."""
    folder = tmp_path / "repo"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    git(folder, "init", "-q", ".")
    dry = subprocess.run(["patch", "--dry-run", "--batch", "--binary", "-p1"], input=patch, cwd=folder,
                         capture_output=True, check=False)
    assert dry.returncode == 0, dry.stdout.decode() + dry.stderr.decode()
    done = git(folder, "apply", "-", data=patch)
    assert done.returncode == 0, done.stderr.decode()
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
            and ".git" not in p.parts}


def test_a_last_line_without_newline_gets_the_marker_difflib_omits(tmp_path: Path) -> None:
    before = b"services:\n  web:\n    restart: always"
    after = b"services:\n  web:\n    restart: no"
    patch = patch_text([FileChange("compose.yml", before, after)])
    assert patch.endswith(b"-    restart: always\n\\ No newline at end of file\n"
                          b"+    restart: no\n\\ No newline at end of file\n")
    assert _applies(tmp_path, {"compose.yml": before}, patch)["compose.yml"] == after


def test_crlf_bom_tabs_and_non_utf8_bytes_pass_through(tmp_path: Path) -> None:
    before = b"\xef\xbb\xbfA=1\r\n# caf\xe9 (latin-1)\r\nB=\t2\r\n"
    after = before.replace(b"A=1", b"A=2")
    patch = patch_text([FileChange(".env", before, after)])
    assert b"-\xef\xbb\xbfA=1\r\n+\xef\xbb\xbfA=2\r\n" in patch
    assert _applies(tmp_path, {".env": before}, patch)[".env"] == after


def test_at_least_three_lines_of_context_surround_each_change() -> None:
    before = b"".join(b"line %d\n" % i for i in range(20))
    after = before.replace(b"line 10\n", b"line ten\n")
    patch = patch_text([FileChange("f", before, after)])
    assert b"@@ -8,7 +8,7 @@\n line 7\n line 8\n line 9\n-line 10\n+line ten\n line 11\n line 12\n line 13\n" in patch


def test_paths_with_spaces_quotes_or_accents_are_c_quoted_like_git(tmp_path: Path) -> None:
    assert quote_path(b"a/compose.yml") == b"a/compose.yml"
    assert quote_path(b"a/my compose.yml") == b'"a/my compose.yml"'
    assert quote_path('a/d\u00e9ploiement/"x".yml'.encode()) == b'"a/d\\303\\251ploiement/\\"x\\".yml"'
    name = "déploiement/my compose.yml"
    patch = patch_text([FileChange(name, b"a: 1\n", b"a: 2\n")])
    assert _applies(tmp_path, {name: b"a: 1\n"}, patch)[name] == b"a: 2\n"


def test_a_new_file_is_diffed_from_dev_null(tmp_path: Path) -> None:
    patch = patch_text([FileChange("compose.parity-override.yml", None, b"services: {}\n")])
    assert b"new file mode 100644\n" in patch and b"--- /dev/null\n+++ b/compose.parity-override.yml\n" in patch
    assert _applies(tmp_path, {"keep": b""}, patch)["compose.parity-override.yml"] == b"services: {}\n"


def test_an_unchanged_file_is_left_out() -> None:
    assert patch_text([FileChange("same.yml", b"x: 1\n", b"x: 1\n")]) == b""


@pytest.mark.parametrize("before", [b"", b"one line", b"one line\n"])
def test_small_files_diff_to_a_patch_that_applies(tmp_path: Path, before: bytes) -> None:
    after = b"first\nsecond"
    patch = patch_text([FileChange("small.txt", before, after)], ["# preface lines are ignored by git"])
    assert patch.startswith(b"# preface lines are ignored by git\n")
    assert _applies(tmp_path, {"small.txt": before}, patch)["small.txt"] == after


def test_diffs_from_known_edits_match_difflib_and_stay_fast_on_repeated_lines(tmp_path: Path) -> None:
    from parity_gui.export.patch.edits import FileEdits, Span
    from parity_gui.sources.text import read_text

    block = "  svc{i}:\n    restart: always\n    environment:\n      LOG_LEVEL: debug\n\n"
    (tmp_path / "big.yml").write_text("services:\n" + "".join(block.format(i=i) for i in range(600)))
    edits = FileEdits(read_text(tmp_path / "big.yml"))
    content = edits.text.content
    for i in (5, 6, 300, 599):
        at = content.index(f"  svc{i}:\n")
        level = content.index("debug", at)
        edits.add(Span(level, level + 5, "info"))
    edits.add(Span(len(content), len(content), "  extra:\n    image: busybox\n"))
    known = FileChange("big.yml", edits.text.data, edits.result(), edits.regions())
    matched = FileChange("big.yml", edits.text.data, edits.result())
    assert patch_text([known]) == patch_text([matched])
    assert _applies(tmp_path, {"big.yml": edits.text.data}, patch_text([known]))["big.yml"] == edits.result()
