"""Mangled structured files load or fail with a ParityError naming the file, never anything else."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from parity_gui.errors import ParityError
from parity_gui.sources.registry import SpecFile
from parity_gui.sources.structured.load import load_structured

STRUCTURED = Path(__file__).resolve().parent.parent / "data" / "structured"
FILES = {
    "yaml": "values-production.yaml",
    "json": "appsettings.Production.json",
    "toml": "config.production.toml",
    "ini": "uwsgi.ini",
    "properties": "application-prod.properties",
}
PIECES = ["\n", "\r\n", '"', "'", "\\", "[", "]", "{", "}", ",", ":", "=", "#", "/*", '"""', "\\u12", "\t", "---\n"]


def mangled(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(chars) + 1)
        action = rng.random()
        if action < 0.4:
            chars.insert(at, rng.choice(PIECES))
        elif action < 0.7 and at < len(chars):
            del chars[at:at + rng.randint(1, 8)]
        else:
            chars = chars[:at]
    return "".join(chars)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("form", list(FILES))
def test_mangled_files_load_or_fail_cleanly(tmp_path: Path, form: str) -> None:
    rng = random.Random(f"parity-{form}")
    text = (STRUCTURED / FILES[form]).read_text()
    path = tmp_path / FILES[form]
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(80):
        path.write_text(mangled(text, rng))
        try:
            load_structured([SpecFile(path, FILES[form])], "x", "x", form)
            outcomes["loaded"] += 1
        except ParityError as e:
            assert e.file == FILES[form]
            outcomes["refused"] += 1
    assert outcomes["loaded"] > 0, outcomes
