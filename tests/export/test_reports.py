"""Markdown, HTML and SARIF reports: what a reviewer reads, masked, escaped and consistent."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from parity_gui.app import export
from parity_gui.core.drift import Severity
from parity_gui.core.tree import Environment
from parity_gui.engine import compare
from parity_gui.errors import OptionsError
from parity_gui.export import html_report, json_report, markdown, sarif
from parity_gui.export.sections import KIND_GLYPHS, SEVERITY_GLYPHS
from tests.export.reporting import SECRET_DEV, SECRET_PROD, shop_comparison

GOLDEN = Path(__file__).parent / "golden"


_TAG = re.compile(r"•••••• (?:\[[0-9a-f]{8}\]|\(sha256:[0-9a-f]{8}\))")


def golden(name: str, actual: str) -> None:
    """Compare with a golden file kept beside the tests (reviewed by hand when it changes).

    A masked secret's tag is drawn afresh for each report, so tags compare as ``[tag]``.
    """
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert _TAG.sub("•••••• [tag]", actual) == _TAG.sub("•••••• [tag]", expected)


# --- every format ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "markdown", "html", "sarif"])
def test_no_report_format_shows_a_secret_unless_asked(fmt: str) -> None:
    comparison = shop_comparison()
    masked = export.build_report(comparison, fmt)
    assert SECRET_DEV not in masked and SECRET_PROD not in masked
    revealed = export.build_report(comparison, fmt, reveal_secrets=True)
    assert SECRET_DEV in revealed and SECRET_PROD in revealed


@pytest.mark.parametrize("fmt", ["json", "markdown", "html", "sarif"])
def test_every_report_names_the_environments_and_specs_it_covers(fmt: str) -> None:
    text = export.build_report(shop_comparison(), fmt)
    for expected in ("dev", "prod", "compose.yml", "deploy/compose prod.yml"):
        assert expected in text


def test_an_unknown_report_format_is_refused_by_name() -> None:
    with pytest.raises(OptionsError, match="unknown report format 'pdf'"):
        export.build_report(shop_comparison(), "pdf")


def test_the_format_follows_the_file_name_the_user_chose() -> None:
    assert export.format_for(Path("drift.sarif")) == "sarif"
    assert export.format_for(Path("drift.sarif.json")) == "sarif"
    assert export.format_for(Path("REPORT.MD")) == "markdown"
    assert export.format_for(Path("page.htm")) == "html"
    assert export.format_for(Path("out.txt"), default="json") == "json"


def test_a_saved_report_is_written_whole_to_the_chosen_path(tmp_path: Path) -> None:
    target = tmp_path / "drift report.md"
    target.write_text("old content", encoding="utf-8")
    export.save_report(shop_comparison(), "markdown", target)
    written = _TAG.sub("[tag]", target.read_text(encoding="utf-8"))
    assert written == _TAG.sub("[tag]", markdown.render(shop_comparison()))
    assert [p.name for p in tmp_path.iterdir()] == ["drift report.md"]


# --- Markdown ----------------------------------------------------------------------------


def test_markdown_matches_the_golden_pull_request_comment() -> None:
    golden("shop.md", markdown.render(shop_comparison()))


def test_markdown_keeps_pipes_and_backticks_inside_their_table_cell() -> None:
    text = markdown.render(shop_comparison())
    row = next(line for line in text.splitlines() if "GREETING" in line and line.startswith("| ~"))
    assert "`` hello \\| `world` ``" in row
    unescaped_pipes = row.replace("\\|", "").count("|")
    assert unescaped_pipes == 8  # 7 columns


def test_markdown_gives_origins_as_file_and_line_per_environment() -> None:
    text = markdown.render(shop_comparison())
    assert "dev: `compose.yml:4`<br>prod: `deploy/compose prod.yml:4`" in text


def test_markdown_folds_expected_differences_with_their_reason() -> None:
    text = markdown.render(shop_comparison())
    folded = text[text.index("<details>"):text.index("</details>")]
    assert "prod runs more replicas" in folded and "/deploy/replicas" in folded
    rows = [line for line in text[: text.index("<details>")].splitlines() if line.startswith("| ~")]
    assert not [row for row in rows if "/deploy/replicas" in row]


def test_markdown_lists_the_expected_differences_it_was_made_with() -> None:
    text = markdown.render(shop_comparison())
    assert "**Expected differences declared**\n\n- `/services/*/deploy/replicas`: prod runs more replicas\n" in text


def test_a_long_markdown_report_is_cut_at_a_row_with_a_note() -> None:
    dev = Environment("dev", "a.yml", tree={"variables": {f"VAR_{i}": "x" * 50 for i in range(3000)}})
    prod = Environment("prod", "b.yml", tree={"variables": {f"VAR_{i}": "y" * 50 for i in range(3000)}})
    text = markdown.render(compare(dev, prod))
    assert len(text) <= markdown.LIMIT
    assert "**Cut here**" in text
    shown = sum(1 for line in text.splitlines() if line.startswith("| ~"))
    assert f"{3000 - shown} more drift rows are not shown" in text
    assert text.splitlines()[-3].startswith("| ~")  # the last row before the note is whole


# --- HTML --------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects what a browser would load and the rows it would show."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.external: list[str] = []
        self.rows: list[dict[str, str | None]] = []
        self.scripts = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("src", "href"):
            if found.get(name):
                self.external.append(str(found[name]))
        if tag == "link":
            self.external.append(str(found))
        if tag == "script":
            self.scripts += 1
        if tag == "tr" and "drift" in (found.get("class") or "").split():
            self.rows.append(found)
        if tag not in ("meta", "br", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "script" not in self.stack and "style" not in self.stack:
            self.text.append(data)


def _page(comparison: Any = None) -> _Page:
    page = _Page()
    page.feed(html_report.render(comparison or shop_comparison()))
    page.close()
    return page


def test_the_html_page_is_well_formed_and_loads_nothing_from_outside() -> None:
    page = _page()
    assert page.stack == []
    assert page.external == []
    assert page.scripts == 1
    text = html_report.render(shop_comparison())
    assert "Content-Security-Policy" in text and "default-src 'none'" in text


def test_the_html_page_escapes_values_instead_of_running_them() -> None:
    text = html_report.render(shop_comparison())
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; bye" in text
    assert "<script>alert('x')</script> & bye" in "".join(_page().text)


def test_every_html_row_carries_what_the_filters_select_on() -> None:
    rows = _page().rows
    assert [(r["data-severity"], r["data-kind"], r["data-expected"]) for r in rows] == [
        ("high", "changed", "false"),
        ("medium", "changed", "true"),
        ("medium", "changed", "false"),
        ("medium", "changed", "false"),
        ("high", "removed", "false"),
    ]


def test_html_never_shows_severity_by_colour_alone() -> None:
    text = "".join(_page().text)
    assert "◆ high" in text and "■ medium" in text and "− removed" in text and "~ changed" in text


def test_html_follows_the_system_light_or_dark_choice() -> None:
    text = html_report.render(shop_comparison())
    assert "prefers-color-scheme: dark" in text and "color-scheme: light dark" in text


def test_html_filters_offer_every_severity_and_kind() -> None:
    text = html_report.render(shop_comparison())
    for value in ("critical", "high", "medium", "low", "info", "changed", "added", "removed"):
        assert f'value="{value}" checked' in text


# --- SARIF -------------------------------------------------------------------------------


def _require(node: dict[str, Any], *keys: str) -> None:
    missing = [k for k in keys if k not in node]
    assert not missing, f"missing {missing} in {sorted(node)}"


def _check_sarif(log: dict[str, Any]) -> None:
    """The required properties and enumerations of the SARIF 2.1.0 schema, checked by hand."""
    _require(log, "version", "runs")
    assert log["version"] == "2.1.0"
    assert isinstance(log["runs"], list)
    for run in log["runs"]:
        _require(run, "tool")
        _require(run["tool"], "driver")
        driver = run["tool"]["driver"]
        _require(driver, "name")
        ids = []
        for rule in driver.get("rules", []):
            _require(rule, "id")
            for field in ("shortDescription", "fullDescription", "help"):
                _require(rule[field], "text")
            ids.append(rule["id"])
        assert len(ids) == len(set(ids))
        assert run.get("columnKind", "utf16CodeUnits") in ("utf16CodeUnits", "unicodeCodePoints")
        for result in run.get("results", []):
            _require(result, "message")
            _require(result["message"], "text")
            assert result["level"] in ("none", "note", "warning", "error")
            assert result.get("kind", "fail") in ("notApplicable", "pass", "fail", "review", "open", "informational")
            assert ids[result["ruleIndex"]] == result["ruleId"]
            for location in result.get("locations", []):
                physical = location.get("physicalLocation")
                if physical is not None:
                    _require(physical, "artifactLocation")
                    assert physical["artifactLocation"]["uri"]
                    region = physical.get("region", {})
                    assert region.get("startLine", 1) >= 1 and region.get("startColumn", 1) >= 1
                    if "uriBaseId" in physical["artifactLocation"]:
                        assert physical["artifactLocation"]["uriBaseId"] in run["originalUriBaseIds"]


def test_sarif_has_what_the_2_1_0_schema_requires() -> None:
    log = json.loads(sarif.render(shop_comparison()))
    _check_sarif(log)
    assert log["$schema"].endswith("sarif-2.1.0.json")


def test_sarif_has_one_result_per_unexpected_drift_with_its_rule_and_level() -> None:
    results = sarif.report(shop_comparison())["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], r["properties"]["path"]) for r in results] == [
        ("image-version-drift", "error", "/services/db/image/tag"),
        ("value-changed", "warning", "/services/api/environment/DB_PASSWORD"),
        ("value-changed", "warning", "/services/api/environment/GREETING"),
        ("service-only-on-one-side", "error", "/services/mail"),
    ]


def test_sarif_points_at_the_target_file_line_and_column() -> None:
    results = sarif.report(shop_comparison())["runs"][0]["results"]
    tag = results[0]["locations"][0]["physicalLocation"]
    assert tag == {
        "artifactLocation": {"uri": "deploy/compose%20prod.yml", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 4, "startColumn": 12},
    }
    mail = results[3]["locations"][0]["physicalLocation"]  # only the baseline has it
    assert mail["artifactLocation"]["uri"] == "compose.yml" and mail["region"]["startLine"] == 15


def test_sarif_rules_carry_help_text_from_the_severity_rules() -> None:
    rules = sarif.report(shop_comparison())["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == {"image-version-drift", "value-changed", "service-only-on-one-side"}
    version = next(r for r in rules if r["id"] == "image-version-drift")
    assert "Align the tags" in version["help"]["text"]


def test_sarif_lists_expected_differences_as_covered_but_not_as_results() -> None:
    run = sarif.report(shop_comparison())["runs"][0]
    assert run["properties"]["expected"] == [{"path": "/services/db/deploy/replicas",
                                              "reason": "prod runs more replicas"}]


def test_live_drift_has_only_a_logical_location() -> None:
    dev = Environment("dev", "compose.yml", tree={"services": {"web": {"restart": "always"}}})
    live = Environment("live", "docker://", tree={"services": {"web": {"restart": "no"}}})
    result = sarif.report(compare(dev, live))["runs"][0]["results"][0]
    assert result["locations"] == [{"logicalLocations": [{"fullyQualifiedName": "/services/web/restart",
                                                         "kind": "member"}]}]


def test_reports_agree_with_the_json_contract_on_counts() -> None:
    comparison = shop_comparison()
    contract = json_report.report(comparison)
    results = sarif.report(comparison)["runs"][0]["results"]
    assert len(results) == contract["summary"]["drift"]
    rows = _page(comparison).rows
    assert len(rows) == len(contract["drift"])


def test_html_uses_the_gui_palette_and_severity_shapes() -> None:
    from parity_gui.ui import theme

    text = html_report.render(shop_comparison())
    light, dark = text.split("@media (prefers-color-scheme: dark)", 1)
    for severity in Severity:
        assert f"--{severity.value}: {theme.LIGHT.severities[severity]};" in light
        assert f"--{severity.value}: {theme.DARK.severities[severity]};" in dark
    assert [SEVERITY_GLYPHS[s] for s in Severity] == ["▲", "◆", "■", "●", "○"]
    assert KIND_GLYPHS == theme.GLYPHS


def test_a_report_that_shows_secrets_says_so_first() -> None:
    from parity_gui.core.secrets import REVEALED_NOTICE

    comparison = shop_comparison()
    assert markdown.render(comparison, reveal_secrets=True).startswith(REVEALED_NOTICE + "\n")
    page = html_report.render(comparison, reveal_secrets=True)
    assert page.index(REVEALED_NOTICE) < page.index("<h1>")
    assert sarif.report(comparison, reveal_secrets=True)["properties"]["notice"] == REVEALED_NOTICE
    assert REVEALED_NOTICE not in markdown.render(comparison) + html_report.render(comparison)
    assert "properties" not in sarif.report(comparison)
