"""Kubernetes quantities in compose's units. Follows the Kubernetes API reference, "Quantity"
(k8s.io/apimachinery/pkg/api/resource): binary suffixes Ki…Ei, decimal n u m k M G T P E, and
decimal exponents."""

from __future__ import annotations

import time

import pytest

from parity_gui.sources.kubernetes.names import name_stem
from parity_gui.sources.kubernetes.quantities import memory_bytes, parse_quantity


@pytest.mark.parametrize(
    ("text", "value"),
    [("512Mi", 536870912), ("1Gi", 1 << 30), ("2000m", 2), ("250m", 0.25), ("1.5", 1.5), ("2", 2),
     ("1e3", 1000), ("1k", 1000), ("1M", 10**6), (".5", 0.5), ("100n", 1e-7), (3, 3), (0.5, 0.5)],
)
def test_quantities_read_as_the_api_reads_them(text: str | int | float, value: int | float) -> None:
    assert parse_quantity(text) == value
    assert type(parse_quantity(text)) is type(value)


def test_memory_is_whole_bytes_rounded_up() -> None:
    assert memory_bytes("1.5Ki") == 1536
    assert memory_bytes("100m") == 1  # a tenth of a byte is still a byte to the kubelet


@pytest.mark.parametrize("text", ["", "Mi", "12MiB", "1..2", "ten", "1 Gi", "--1"])
def test_what_is_not_a_quantity_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(ValueError, match="Kubernetes quantity"):
        parse_quantity(text)


def test_generated_names_align_by_stem() -> None:
    assert name_stem("ConfigMap", "app-config-89g4tffbfk") == "app-config"  # kustomize's hash
    assert name_stem("Secret", "app-config-7h2k9") == "app-config"  # five random characters
    assert name_stem("Job", "migrate-x7k2p", "migrate-") == "migrate"  # generateName
    assert name_stem("Job", "", "migrate-") == "migrate"
    assert name_stem("ConfigMap", "app-redis") == "app-redis"  # 'redis' is not a suffix
    assert name_stem("Deployment", "web-7h2k9") == "web-7h2k9"  # only generated kinds


@pytest.mark.parametrize(
    "adversarial",
    ["1" * 200_000 + "x", "1." + "1" * 200_000 + "Qi", "a-" * 100_000, "-" * 200_000 + "b"],
)
def test_patterns_stay_linear_on_long_input(adversarial: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ValueError):
        parse_quantity(adversarial)
    name_stem("ConfigMap", adversarial)
    assert time.perf_counter() - started < 0.5
