"""A seeded mutation fuzzer over parity's file sources.

Each round takes a realistic file of one format (:data:`inputs.SEEDS`), applies one to six
random mutations (a flipped byte, an inserted fragment that matters to some parser, a deleted
or repeated span, a piece of a file of another format, a truncation) and loads the result the
way a user's file is loaded. The only acceptable outcomes are an Environment or one of parity's
own errors naming the file; anything else is a finding, kept with the bytes that caused it. The
same seed always gives the same inputs.
"""

from __future__ import annotations

import random
import tempfile
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from parity_gui.core.tree import Environment
from parity_gui.errors import ParityError
from parity_gui.sources import registry
from tests.hostile import inputs

FRAGMENTS = [
    b"{", b"}", b"[", b"]", b"(", b")", b'"', b"'", b"${", b"$", b"%{", b"}}", b"&a ", b"*a", b"<<: ",
    b"<<EOF\n", b"EOF\n", b"\n", b"\r\n", b"\t", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b":", b"- ", b"=",
    b"#", b"\\", b"\\\n", b"? ", b"!!int ", b"!reset ", b"---\n", b"...", b"0x_", b"1e999", b"-_",
    b"FROM ", b"ARG ", b"export ", b"variable ", b"services:\n", b"\xc3", b"\xe2\x80\xa8", b" " * 40,
    # the causes of issue 18: port ranges, huge integers, control bytes, files outside the project
    b"1-65535:1-65535", b"9" * 400, b"\x1b[2J", b"\xe2\x80\xae", b"/**/**/**",
    b"include:\n  - ../canary.env\n", b"\n    env_file: ../canary.env\n", b"\n    env_file: /dev/zero\n",
    b"extends:\n      file: ../canary.env\n      service: web\n",
    # structured files: JSON, TOML, INI, .properties
    b'"a": ', b'"a": 1, "a": 2', b"//", b"/*", b"*/", b",]", b"\\u", b"\\ud800", b"\\ud83d\\ude00", b"9" * 5000,
    b"1e999", b"NaN", b'"""', b"'''", b"[[", b"]]", b"a.b.c = ", b"0b", b"0o7", b"1979-05-27T07:32:00Z",
    b"[section]\n", b"[DEFAULT]\n", b"%(home)s", b"key=value\\\n", b"\\\n" * 8, b"\\=", b"! ",
    # Kubernetes: documents, List kinds, Secrets, kustomizations reaching out of the project
    b"\n---\n", b"apiVersion: v1\nkind: List\nitems:\n  - ", b"kind: Secret\ndata:\n  x: ", b"!!!notbase64",
    b"f0VMRgIBAQAAAAAAAAAAAAMAPgABAAAA", b"metadata: {name: ", b"items: [", b"\n  - ../outside\n",
    b"\nresources:\n  - ../canary.env\n", b"  - ../../../etc\n",
    b"\nconfigMapGenerator:\n- name: x\n  envs: [../canary.env]\n", b"\nhelmCharts:\n- name: x\n",
    b"\ncomponents: [../outside]\n",
]
#: A compose file reaching out of its project and publishing whole port ranges: with the
#: realistic files of :data:`inputs.SEEDS`, the starting points of the mutations.
REACHING = """\
# a checkout that reaches for files it must not read
services:
  web:
    image: "nginx:1.27"
    env_file: [../canary.env]
    ports: ["1-65535:1-65535", "8000-8002:9000-9002"]
  \"name\\e[31m\\nHIGH\": {image: busybox}
"""
SEEDS = {**inputs.SEEDS, "compose.reaching.yml": REACHING}
#: Seeds whose every load runs a program (kustomize): this share of the rounds, at least one.
SHARE = {"kustomization.yaml": 0.2}

#: Written beside the fuzzed project's folder, where a file may point (``../canary.env``) but
#: parity must never read: its value showing up anywhere is a finding.
CANARY = "CANARY_outside_the_project_8c1f"


@dataclass(frozen=True)
class Finding:
    """An input that made a load end in something other than a load or parity's own error."""

    name: str
    data: bytes
    problem: str


def mutate(data: bytes, rng: random.Random) -> bytes:
    """``data`` with one to six random mutations applied."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        position = rng.randint(0, len(out))
        operation = rng.randrange(7)
        if operation == 0 and out:
            out[min(position, len(out) - 1)] ^= 1 << rng.randrange(8)
        elif operation in (1, 2):
            out[position:position] = rng.choice(FRAGMENTS)
        elif operation == 3:
            del out[position:position + rng.randint(1, 16)]
        elif operation == 4:
            span = bytes(out[position:position + rng.randint(1, 32)])
            out[position:position] = span * rng.randint(1, 8)
        elif operation == 5:
            other = rng.choice(_SEED_BYTES)
            start = rng.randrange(len(other))
            out[position:position] = other[start:start + rng.randint(1, 64)]
        elif rng.random() < 0.5:
            del out[position:]
    return bytes(out)


_SEED_BYTES = [text.encode() for text in SEEDS.values()]


def load_once(folder: Path, name: str, data: bytes) -> str | None:
    """Write ``data`` as ``folder/name``, load it; the problem found, or None when it behaved."""
    (folder / name).write_bytes(data)
    try:
        outcome = registry.load_local(name, "fuzz", folder)
    except ParityError as e:
        if CANARY in str(e):
            return f"an error shows content from outside the project: {e!r}"
        return None if e.file and "\n" not in e.message else f"error without a file or on several lines: {e!r}"
    except Exception:  # the finding itself
        return traceback.format_exc(limit=-3)
    if not isinstance(outcome, Environment):
        return f"returned {type(outcome).__name__}"
    try:
        shown = repr(outcome.tree) + "".join(str(d) for d in outcome.diagnostics)
    except Exception:  # a value that cannot even be written out is a finding too
        return traceback.format_exc(limit=-3)
    return f"content from outside the project is shown: {shown[:200]}" if CANARY in shown else None


def write_outside(scratch: Path) -> None:
    """Beside the project: a file and a kustomization holding :data:`CANARY`, for a mutant to reach."""
    (scratch / "canary.env").write_text(f"TOKEN={CANARY}\nservices:\n  web:\n    image: {CANARY}\n")
    (scratch / "outside").mkdir()
    (scratch / "outside" / "kustomization.yaml").write_text(
        f"configMapGenerator:\n- name: stolen\n  literals: [NOTE={CANARY}]\n"
    )


def fuzz(rounds: int, seed: int, slow: float = 2.0) -> Iterator[Finding]:
    """``rounds`` mutated files per format; yield what misbehaved (or took over ``slow`` s)."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="parity-fuzz-") as scratch:
        folder = Path(scratch) / "project"
        folder.mkdir()
        write_outside(Path(scratch))
        (folder / "main.tf").write_text(inputs.TERRAFORM)
        for name, text in inputs.KUSTOMIZE_FILES.items():
            (folder / name).write_text(text)
        for name, text in sorted(SEEDS.items()):
            seed_bytes = text.encode()
            for _ in range(max(1, int(rounds * SHARE.get(name, 1.0)))):
                data = mutate(seed_bytes, rng)
                started = time.perf_counter()
                problem = load_once(folder, name, data)
                if problem is None and time.perf_counter() - started > slow:
                    problem = f"took {time.perf_counter() - started:.1f} s"
                if problem is not None:
                    yield Finding(name, data, problem)
            if name != "main.tf":
                (folder / name).unlink(missing_ok=True)
            (folder / "main.tf").write_text(inputs.TERRAFORM)
