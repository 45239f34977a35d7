"""A short mutation fuzz run over every source: loads or parity's own errors, nothing else.
The long run is ``python bench/fuzz.py``."""

from __future__ import annotations

import random

import pytest

from tests.hostile import inputs
from tests.hostile.fuzzing import fuzz, mutate

ROUNDS = 300


@pytest.mark.timeout(120)
def test_mutated_files_of_every_format_load_or_fail_cleanly() -> None:
    findings = list(fuzz(ROUNDS, seed=20261126))
    assert findings == [], "\n\n".join(f"{f.name}: {f.data!r}\n{f.problem}" for f in findings[:3])


def test_the_same_seed_gives_the_same_mutations() -> None:
    seed = inputs.COMPOSE.encode()
    first = [mutate(seed, random.Random(7)) for _ in range(5)]
    again = [mutate(seed, random.Random(7)) for _ in range(5)]
    assert first == again
    assert any(m != seed for m in first)
