"""A big environment comes back from its parsing worker in parts (``sources.parts``), and is put
back together equal to the one the worker built: same values, same key order, same origins."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from parity_gui.core.origin import Origin
from parity_gui.core.tree import Diagnostic, Environment, Level
from parity_gui.sources.parts import PART_SIZE, Assembly, parts
from parity_gui.sources.registry import load, load_local


def _key_order(value: Any) -> Any:
    """Every mapping's keys in order, all the way down (equality of dicts ignores order)."""
    if isinstance(value, dict):
        return [(key, _key_order(child)) for key, child in value.items()]
    if isinstance(value, list):
        return [_key_order(child) for child in value]
    return value


def _through_a_pipe(env: Environment, size: int) -> tuple[Environment, list[bytes]]:
    """``env`` cut in parts, each pickled as the worker sends it, and put back together."""
    pieces, rest = parts(env, size)
    sent = [pickle.dumps(("part", piece)) for piece in pieces]
    assembly = Assembly()
    for message in sent:
        assembly.add(pickle.loads(message)[1])
    return assembly.finish(pickle.loads(pickle.dumps(rest))), sent


def _big_environment() -> Environment:
    services: dict[str, Any] = {}
    for n in range(300):
        services[f"svc-{n:03d}"] = {
            "image": {"repository": "registry.example.com/shop/api", "tag": f"1.{n % 7}.0"},
            "environment": {f"SETTING_{k:02d}": f"value-{n}-{k}" for k in range(40)},
            "command": ["gunicorn", "--workers", str(n % 5 + 1), "shop.wsgi"],
            "labels": {},  # an empty mapping travels too
        }
    services["zz-last"] = {"image": {"repository": "redis", "tag": "7.2"}}
    services["ä-non-ascii"] = {"environment": {"GRÜSS": "grüezi\r\nmitenand"}}
    tree = {"services": services, "volumes": {"db-data": {}}, "name": "shop"}
    origins = {("services", f"svc-{n:03d}", "image"): Origin("compose.yml", n + 1, 5) for n in range(300)}
    raw = {("services", f"svc-{n:03d}", "environment", "SETTING_00"): f"${{S0:-value-{n}-0}}" for n in range(300)}
    return Environment("prod", "compose.yml", tree=tree, origins=origins, raw=raw, secrets=frozenset({"s3cr3t"}),
                       diagnostics=[Diagnostic("unquoted number", "compose.yml", 7, 3, Level.WARNING)])


def test_a_big_environment_comes_back_equal_with_every_key_in_its_order() -> None:
    env = _big_environment()
    expected = pickle.loads(pickle.dumps(env))
    back, sent = _through_a_pipe(env, size=1_000)
    assert len(sent) > 12  # cut: 300 services of about 50 values in pieces of about 1,000
    assert back == expected
    assert _key_order(back.tree) == _key_order(expected.tree)
    assert list(back.origins) == list(expected.origins) and list(back.raw) == list(expected.raw)
    assert all(type(o) is Origin for o in back.origins.values())
    assert back.diagnostics == expected.diagnostics and back.secrets == expected.secrets


def test_each_part_is_small_whatever_the_size_of_the_environment() -> None:
    _, sent = _through_a_pipe(_big_environment(), size=1_000)
    whole = len(pickle.dumps(_big_environment()))
    assert max(len(message) for message in sent) < whole / 8


def test_a_branch_bigger_than_a_part_is_cut_inside_it_and_keeps_its_place() -> None:
    tree = {"a": 1, "big": {f"k{n}": {"x": n, "y": [n, n]} for n in range(50)}, "c": {"d": {}}, "e": []}
    back, sent = _through_a_pipe(Environment("x", "x", tree=tree), size=20)
    assert len(sent) > 3
    assert _key_order(back.tree) == _key_order(tree)


def test_a_small_environment_goes_whole_with_its_origins_as_plain_tuples() -> None:
    env = Environment("dev", ".env", tree={"files": {".env": {"DEBUG": "1"}}},
                      origins={("files", ".env", "DEBUG"): Origin(".env", 1, 1)})
    made, rest = parts(env)
    pieces = list(made)
    assert [kind for kind, _ in pieces] == ["origins"] and rest.tree is env.tree
    assert all(type(origin) is tuple for origin in pieces[0][1][1])
    assembly = Assembly()
    for piece in pieces:
        assembly.add(piece)
    assert assembly.finish(rest) == env


def test_an_empty_environment_comes_back_empty() -> None:
    back, _ = _through_a_pipe(Environment("x", "x", tree={}), size=1)
    assert back.tree == {} and back.origins == {} and back.diagnostics == []


COMPOSE = """\
# docker-compose.yml of a shop, many services alike (x-anchors as real projects write them)
x-common: &common
  restart: unless-stopped
  logging:
    driver: json-file
    options: {max-size: "10m", max-file: "3"}

services:
"""


def test_a_big_compose_file_loaded_in_its_worker_equals_the_same_file_loaded_here(tmp_path: Path) -> None:
    lines = [COMPOSE]
    for n in range(250):
        lines.append(f"  worker-{n:03d}:\n    <<: *common\n    image: \"registry.example.com/shop/worker:1.{n % 9}\"\n"
                     "    environment:\n" + "".join(f"      SETTING_{k:02d}: 'value {n} {k}'\n" for k in range(40)))
    (tmp_path / "docker-compose.yml").write_text("".join(lines).replace("\n", "\r\n"))
    (tmp_path / ".parity.toml").write_text("")
    here = load_local("docker-compose.yml", "prod", tmp_path)
    there = load("docker-compose.yml", "prod", base=tmp_path)  # in a worker process, back in parts
    assert len(here.origins) > 3 * PART_SIZE  # several parts' worth
    assert there.tree == here.tree and _key_order(there.tree) == _key_order(here.tree)
    assert there.origins == here.origins and there.raw == here.raw
    assert there.diagnostics == here.diagnostics and there.sources == here.sources


def test_a_mapping_of_another_type_travels_whole_and_keeps_its_type() -> None:
    from collections import OrderedDict

    kept = OrderedDict((f"k{n}", n) for n in range(100))
    tree = {"small": {"a": 1}, "kept": kept, "after": {"b": 2}}
    back, sent = _through_a_pipe(Environment("x", "x", tree=tree), size=20)
    assert type(back.tree["kept"]) is OrderedDict and back.tree == tree
    assert _key_order(back.tree) == _key_order(tree) and len(sent) >= 2
