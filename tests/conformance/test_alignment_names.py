"""Renamed things meet: keys that differ only by the environments' own names are compared as one.

Keys follow each reference's addressing: Terraform's resource and module addresses
("Resource Addressing": ``module.NAME``, ``TYPE.NAME``), compose service names (compose
specification, "Services top-level elements") and Dockerfile stage names ("FROM … AS name").
The names taken out of keys are the environments' own and the ``aliases`` of ``.parity.toml``;
a ``[[rename]]`` table pairs what no name explains. Nothing is paired silently: every drift below
an aligned entry says so, and the comparison carries a note.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from parity_gui.app.compare import request_for, run
from parity_gui.app.project import parse_project
from parity_gui.core.options import CompareOptions
from parity_gui.core.tree import Environment
from parity_gui.engine import compare
from parity_gui.errors import ProjectFileError


def env(name: str, tree: dict[str, Any]) -> Environment:
    return Environment(name, f"{name}/main.tf", tree=tree)


def module(cidr: str, source: str = "../modules/spoke-vpc") -> dict[str, Any]:
    return {"source": source, "inputs": {"cidr_block": cidr, "enable_peering": True}}


@dataclass(frozen=True)
class Case:
    section: str  #: the addressing rule the keys follow
    names: tuple[str, str]
    left: dict[str, Any]
    right: dict[str, Any]
    drift: set[str]  #: pointers of the drift found
    aligned: set[str] = field(default_factory=set)  #: pointers compared as one
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()


CASES = [
    Case(
        "Terraform 'Resource Addressing': module.<NAME> carries the environment's name",
        ("dev", "prod"),
        {"infrastructure": {"module.dev-spoke-vpc": module("10.16.40.0/21")}},
        {"infrastructure": {"module.prod-spoke-vpc": module("10.32.0.0/21")}},
        {"/infrastructure/module.dev-spoke-vpc/inputs/cidr_block"},
        {"/infrastructure/module.dev-spoke-vpc"},
    ),
    Case(
        "Terraform 'Resource Addressing': TYPE.NAME with a one-letter alias (rn-d-… / rn-p-…)",
        ("dev", "prod"),
        {"infrastructure": {"azurerm_resource_group.rn-d-app": {"location": "westeurope"}}},
        {"infrastructure": {"azurerm_resource_group.rn-p-app": {"location": "northeurope"}}},
        {"/infrastructure/azurerm_resource_group.rn-d-app/location"},
        {"/infrastructure/azurerm_resource_group.rn-d-app"},
        aliases=(("dev", ("d",)), ("prod", ("p",))),
    ),
    Case(
        "without the alias, rn-d-… and rn-p-… are not guessed to be one thing",
        ("dev", "prod"),
        {"infrastructure": {"azurerm_resource_group.rn-d-app": {"location": "westeurope"}}},
        {"infrastructure": {"azurerm_resource_group.rn-p-app": {"location": "northeurope"}}},
        {"/infrastructure/azurerm_resource_group.rn-d-app", "/infrastructure/azurerm_resource_group.rn-p-app"},
    ),
    Case(
        "compose 'services': a service named after its environment",
        ("staging", "prod"),
        {"services": {"api-staging": {"image": {"tag": "2.4.0"}}, "db": {"restart": "always"}}},
        {"services": {"API-PROD": {"image": {"tag": "2.4.1"}}, "db": {"restart": "always"}}},
        {"/services/api-staging/image/tag"},
        {"/services/api-staging"},
    ),
    Case(
        "Dockerfile 'FROM … AS name': stage names carrying the environment's name",
        ("dev", "prod"),
        {"images": {"assets-dev": {"env": {"NODE_ENV": "development"}}}},
        {"images": {"assets-prod": {"env": {"NODE_ENV": "production"}}}},
        {"/images/assets-dev/env/NODE_ENV"},
        {"/images/assets-dev"},
    ),
    Case(
        "a name inside a longer word is no name: 'product' is not 'prod'",
        ("dev", "prod"),
        {"services": {"devices": {"restart": "always"}}},
        {"services": {"product": {"restart": "always"}}},
        {"/services/devices", "/services/product"},
    ),
    Case(
        "two candidates for one key: none is paired",
        ("dev", "prod"),
        {"infrastructure": {"module.dev-vpc": module("10.0.0.0/16")}},
        {"infrastructure": {"module.prod-vpc": module("10.1.0.0/16"), "module.PROD-vpc": module("10.2.0.0/16")}},
        {"/infrastructure/module.dev-vpc", "/infrastructure/module.prod-vpc", "/infrastructure/module.PROD-vpc"},
    ),
    Case(
        "a key present on both sides is never moved",
        ("dev", "prod"),
        {"services": {"api-dev": {"restart": "no"}, "api-prod": {"restart": "always"}}},
        {"services": {"api-prod": {"restart": "always"}}},
        {"/services/api-dev"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.section[:60])
def test_keys_differing_only_by_environment_names_are_compared_as_one(case: Case) -> None:
    options = CompareOptions(aliases=case.aliases)
    comparison = compare(env(case.names[0], case.left), env(case.names[1], case.right), options=options)
    assert {d.pointer for d in comparison.drifts} == case.drift
    assert {"/" + "/".join(a.path) for a in comparison.alignments} == case.aligned
    for drift in comparison.drifts:
        said = drift.detail is not None and "compared as one" in drift.detail
        assert said == any(drift.pointer.startswith(p + "/") for p in case.aligned)
    assert len([w for w in comparison.warnings if "compared as one" in w.message]) == len(case.aligned)


def test_three_environments_meet_under_the_first_ones_key() -> None:
    trees = [{"infrastructure": {f"module.{n}-spoke-vpc": module(c)}} for n, c in
             (("prod", "10.32.0.0/21"), ("staging", "10.24.0.0/21"), ("dev", "10.16.40.0/21"))]
    comparison = compare(*(env(n, t) for n, t in zip(("prod", "staging", "dev"), trees, strict=True)))
    [drift] = comparison.drifts
    assert drift.pointer == "/infrastructure/module.prod-spoke-vpc/inputs/cidr_block"
    assert drift.values == ("10.32.0.0/21", "10.24.0.0/21", "10.16.40.0/21")
    [alignment] = comparison.alignments
    assert alignment.keys == ("module.prod-spoke-vpc", "module.staging-spoke-vpc", "module.dev-spoke-vpc")


def test_origins_follow_the_aligned_entry() -> None:
    from parity_gui.core.origin import Origin

    dev = env("dev", {"infrastructure": {"module.dev-spoke-vpc": module("10.16.40.0/21")}})
    prod = env("prod", {"infrastructure": {"module.prod-spoke-vpc": module("10.32.0.0/21")}})
    prod.origins[("infrastructure", "module.prod-spoke-vpc", "inputs", "cidr_block")] = Origin("prod/main.tf", 3, 3)
    [drift] = compare(dev, prod).drifts
    assert drift.origins[1] == Origin("prod/main.tf", 3, 3)
    assert "module.prod-spoke-vpc" in prod.tree["infrastructure"]  # the loaded environment is not changed


PROJECT = '''\
baseline = "prod"

[environments.dev]
files = ["dev/main.tf"]
aliases = ["d"]          # Azure resources are named rn-d-…

[environments.prod]
files = ["prod/main.tf"]
aliases = ["p"]

[[rename]]               # the hub network was renamed when prod moved regions
dev = "/infrastructure/module.hub"
prod = "/infrastructure/module.hub-weu"
'''

MAIN_TF = '''\
module "{env}-spoke-vpc" {{
  source     = "../modules/spoke-vpc"
  cidr_block = "{cidr}"
}}

module "{hub}" {{
  source = "../modules/hub"
  sku    = "{sku}"
}}

resource "azurerm_resource_group" "rn-{letter}-app" {{
  name     = "rn-{letter}-app"
  location = "westeurope"
}}
'''


def test_a_project_file_names_aliases_and_renames(tmp_path: Path) -> None:
    (tmp_path / ".parity.toml").write_text(PROJECT)
    for name, cidr, hub, sku, letter in (("dev", "10.16.40.0/21", "hub", "Basic", "d"),
                                         ("prod", "10.32.0.0/21", "hub-weu", "Premium", "p")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(MAIN_TF.format(env=name, cidr=cidr, hub=hub, sku=sku, letter=letter))
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    comparison = run(request_for([], cwd=tmp_path))
    pointers = {d.pointer: d for d in comparison.drifts}
    assert set(pointers) == {
        "/infrastructure/module.prod-spoke-vpc/inputs/cidr_block",
        "/infrastructure/module.hub-weu/inputs/sku",
        "/infrastructure/azurerm_resource_group.rn-p-app/name",
    }
    assert "renamed by .parity.toml:12" in (pointers["/infrastructure/module.hub-weu/inputs/sku"].detail or "")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[environments.dev]\nfiles = ["a.tf"]\naliases = "d"\n', 3, "`aliases` is a list of names"),
        ('[environments.dev]\nfiles = ["a.tf"]\n[environments.prod]\nfiles = ["b.tf"]\n'
         '[[rename]]\ndev = "/infrastructure/module.a"\nqa = "/infrastructure/module.b"\n', 7,
         "no environment named 'qa'"),
        ('[environments.dev]\nfiles = ["a.tf"]\n[environments.prod]\nfiles = ["b.tf"]\n'
         '[[rename]]\ndev = "/infrastructure/module.a"\n', 5, "two or more environments"),
        ('[environments.dev]\nfiles = ["a.tf"]\n[environments.prod]\nfiles = ["b.tf"]\n'
         '[[rename]]\ndev = "/services/a"\nprod = "/infrastructure/a"\n', 6, "differ only in their last segment"),
    ],
)
def test_bad_alias_and_rename_entries_name_their_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ProjectFileError, match=message) as caught:
        parse_project(text, Path("/repo/.parity.toml"), ".parity.toml")
    assert caught.value.line == line


def test_name_matching_stays_linear_on_long_keys() -> None:
    import time

    long_keys = ["dev-" * 50_000, "d" * 200_000, "-dev" * 50_000 + "x"]
    left = env("dev", {"services": {k: {"restart": "no"} for k in long_keys}})
    right = env("prod", {"services": {k.replace("dev", "prod"): {"restart": "no"} for k in long_keys}})
    start = time.perf_counter()
    comparison = compare(left, right)
    assert time.perf_counter() - start < 2.0
    # "d…d" holds no name, and "…-devx" against "…-prodx" differ by more than a name: one pair
    assert len(comparison.alignments) == 1


def test_the_shop_compared_three_ways_lists_each_path_once() -> None:
    # prod, dev and a bare checkout (compose file, .env, dev's tfvars, the Dockerfile's final stage):
    # values absent from one and different in the others are one row each, never two.
    from collections import Counter

    from parity_gui.app.compare import Request

    shop = Path(__file__).resolve().parents[2] / "resources" / "examples" / "shop"
    specs = (
        "docker-compose.yml+docker-compose.prod.yml+.env.production+infra/prod.tfvars+Dockerfile#production",
        "docker-compose.yml+docker-compose.override.yml+.env.development+infra/dev.tfvars+Dockerfile#dev",
        "docker-compose.yml+.env+infra/dev.tfvars+Dockerfile",
    )
    comparison = run(Request(specs, ("prod", "dev", "checkout"), base=shop))
    counts = Counter(d.pointer for d in (*comparison.drifts, *comparison.context))
    assert counts and max(counts.values()) == 1
    level = next(d for d in comparison.drifts if d.pointer == "/variables/LOG_LEVEL")
    assert level.values[:2] == ("warning", "debug")
