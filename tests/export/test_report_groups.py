"""The Markdown and HTML reports fold the same change in many places into one group."""

from __future__ import annotations

from parity_gui.engine import compare
from parity_gui.export import html_report, markdown
from tests.engine.test_groups import fleet


def test_markdown_folds_a_tag_bump_in_many_services_into_one_group() -> None:
    text = markdown.render(compare(*fleet(12)))
    assert "### Same change in many places" in text
    assert "`/services/*/image/tag` in 11 places</summary>" in text
    assert "dev: `1.4.2` · prod: `1.5.0`" in text
    assert "In: svc-01, svc-02" in text


def test_html_folds_a_tag_bump_in_many_services_into_one_group() -> None:
    page = html_report.render(compare(*fleet(12)))
    assert "<h2>Same change in many places</h2>" in page
    assert "<code>/services/*/image/tag</code> in 11 places</summary>" in page
    assert page.count('<details class="group">') == 2


def test_a_report_without_repeated_changes_has_no_group_section() -> None:
    assert "Same change in many places" not in markdown.render(compare(*fleet(2)))
    assert "Same change in many places" not in html_report.render(compare(*fleet(2)))
