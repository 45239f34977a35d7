"""The HTML report in a real browser: it opens without console errors and a filter hides rows.

Needs Debian's ``chromium`` (``make test`` installs it, and sets ``PARITY_REQUIRE_CHROMIUM`` so that
its absence fails instead of skipping); skipped, with the reason, elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from parity_gui.export import html_report
from tests.export.reporting import shop_comparison

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = os.environ.get("PARITY_REQUIRE_CHROMIUM") == "1"
pytestmark = pytest.mark.skipif(CHROMIUM is None and not REQUIRED, reason="Debian's chromium is not installed")

#: Appended to the page: untick "medium", then write what the table shows into the DOM.
_PROBE = """<script>
var box = document.querySelector('input[name="severity"][value="medium"]');
box.checked = false;
box.dispatchEvent(new Event('change', {bubbles: true}));
var hidden = document.querySelectorAll('tr.drift[hidden]').length;
var shown = document.querySelectorAll('tr.drift:not([hidden])').length;
document.body.insertAdjacentHTML('beforeend', '<p id="probe">hidden=' + hidden + ' shown=' + shown + '</p>');
</script>"""


def _run(page: Path, home: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None, "chromium is required here (PARITY_REQUIRE_CHROMIUM=1) but not installed"
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
               f"--user-data-dir={home}", "--virtual-time-budget=3000", "--dump-dom", page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                          env={"HOME": str(home), "PATH": "/usr/bin:/bin"})


def test_the_page_opens_without_console_errors_and_a_filter_click_hides_rows(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(html_report.render(shop_comparison()).replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    done = _run(page, tmp_path)
    assert done.returncode == 0, done.stderr
    assert not re.search(r"Uncaught|CONSOLE\(\d+\).*(Error|Refused)", done.stderr), done.stderr
    probe = re.search(r'<p id="probe">hidden=(\d+) shown=(\d+)</p>', done.stdout)
    assert probe is not None, done.stdout[-2000:]
    assert (int(probe[1]), int(probe[2])) == (3, 2)  # the three medium rows (replicas among them) are hidden
