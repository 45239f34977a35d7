"""One ``parity`` process after another hostile file: each ends in exit status 2 and one line
naming the file on stderr, and the next comparison works as if nothing had happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_gui.cli.main import main
from tests.hostile import inputs


def hostile_files(folder: Path) -> list[Path]:
    made = {
        "bomb.yml": inputs.yaml_alias_bomb(),
        "deep.tfvars.json": inputs.json_nesting(),
        "deep.tf": inputs.hcl_block_nesting(),
        "dup.yml": "services:\n  a: {image: x}\n  a: {image: y}\n",
        "expand.env": inputs.dotenv_expansion_bomb(),
    }
    for name, text in made.items():
        (folder / name).write_text(text)
    (folder / "binary.yml").write_bytes(b"\x7fELF\x00\x01")
    inputs.fifo(folder / "fifo.yml")
    inputs.sparse_file(folder / "huge.yml", 100 * 2**20)
    return sorted(folder.iterdir())


@pytest.mark.timeout(120)
def test_each_hostile_file_is_one_line_of_error_and_the_next_comparison_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    good = tmp_path / "compose.yml"
    good.write_text(inputs.COMPOSE)
    for path in hostile_files(bad):
        code = main(["compare", str(path), str(good)])
        out, err = capsys.readouterr()
        assert code == 2, (path.name, out, err)
        assert err.count("\n") == 1 and path.name in err and "Traceback" not in err, err
        assert main(["compare", str(good), str(good)]) == 0
        assert "No drift." in capsys.readouterr().out
