"""Benchmark: reading structured configuration files (YAML, JSON, TOML, INI, .properties).

For each format one file of about ``LEAVES`` values is generated (nested settings, lists of
named items, comments where the format has them), then read by parity's structured source
(values, positions and the tree with origins) and, as the baseline measured in the same run, by
the standard reader without positions: ``json.loads``, PyYAML's ``CSafeLoader``, ``tomllib``,
``configparser``; ``.properties`` has no standard reader, so its baseline is a plain
``str.partition`` per line. Times are CPU seconds (``time.process_time``), best of three.

Target (issue: structured files): a 100,000-value file of any format reads in under 2 s, so
reading a file is never the slow part of a comparison.

Run ``python bench/structured.py`` (about 30 s) or pass a number of values.
"""

from __future__ import annotations

import configparser
import json
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parity_gui.sources.registry import SpecFile
from parity_gui.sources.structured.load import load_structured

LEAVES = 100_000
TARGET_SECONDS = 2.0


def settings(leaves: int) -> dict[str, dict[str, object]]:
    """``leaves`` values in sections of ten, each value a string, number or boolean."""
    return {f"section_{s}": {f"key_{k}": _value(s, k) for k in range(10)} for s in range(leaves // 10)}


def _value(section: int, key: int) -> object:
    if key % 3 == 0:
        return f"value {section}-{key}"
    return key * section if key % 3 == 1 else key % 2 == 0


def as_yaml(data: dict[str, dict[str, object]]) -> str:
    return "# generated\n" + yaml.safe_dump(data, sort_keys=False)


def as_toml(data: dict[str, dict[str, object]]) -> str:
    return _sectioned(data, "# generated", json.dumps)


def as_ini(data: dict[str, dict[str, object]]) -> str:
    return _sectioned(data, "; generated", str)


def _sectioned(data: dict[str, dict[str, object]], comment: str, written: Callable[[object], str]) -> str:
    lines = [comment]
    for name, section in data.items():
        lines.append(f"[{name}]")
        lines += [f"{k} = {written(v)}" for k, v in section.items()]
    return "\n".join(lines) + "\n"


def as_properties(data: dict[str, dict[str, object]]) -> str:
    lines = ["# generated"]
    lines += [f"{name}.{k}={v}" for name, section in data.items() for k, v in section.items()]
    return "\n".join(lines) + "\n"


def read_ini(text: str) -> object:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    return parser


def read_properties(text: str) -> object:
    return dict(line.partition("=")[::2] for line in text.splitlines() if line and line[0] != "#")


FORMATS: dict[str, tuple[str, Callable[[dict[str, dict[str, object]]], str], Callable[[str], object], str]] = {
    "json": ("json", lambda d: json.dumps(d, indent=2), json.loads, "json.loads"),
    "yaml": ("yaml", as_yaml, lambda t: yaml.load(t, Loader=yaml.CSafeLoader), "PyYAML CSafeLoader"),
    "toml": ("toml", as_toml, tomllib.loads, "tomllib"),
    "ini": ("ini", as_ini, read_ini, "configparser"),
    "properties": ("properties", as_properties, read_properties, "str.partition"),
}


def best(action: Callable[[], object]) -> float:
    runs = []
    for _ in range(3):
        started = time.process_time()
        action()
        runs.append(time.process_time() - started)
    return min(runs)


def main() -> None:
    leaves = int(sys.argv[1]) if len(sys.argv) > 1 else LEAVES
    data = settings(leaves)
    print(f"{'format':<11} {'MB':>5} {'values':>8} {'parity s':>9} {'baseline s':>10} {'ratio':>6}  baseline")
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for form, (suffix, write, baseline, label) in FORMATS.items():
            text = write(data)
            path = Path(folder) / f"config.{suffix}"
            path.write_text(text)
            files = [SpecFile(path, path.name)]
            parity = best(lambda files=files, form=form: load_structured(files, "bench", "bench", form))  # type: ignore[misc]
            base = best(lambda text=text, baseline=baseline: baseline(text))  # type: ignore[misc]
            values = len(load_structured(files, "bench", "bench", form).origins)
            failed |= parity > TARGET_SECONDS * leaves / LEAVES
            print(f"{form:<11} {len(text) / 1e6:>5.1f} {values:>8} {parity:>9.2f} {base:>10.3f} "
                  f"{parity / max(base, 1e-9):>5.0f}×  {label}")
    print(f"target: each under {TARGET_SECONDS * leaves / LEAVES:.1f} s — {'MISSED' if failed else 'met'}")


if __name__ == "__main__":
    main()
