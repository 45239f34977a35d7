"""The HTML report: one self-contained page that works offline.

Everything it needs is inside the file: the styles and a few lines of script for the filters.
A Content-Security-Policy forbids loading anything else, so the page cannot reach the network
even if a value in it looked like a link. The table shows every environment side by side,
grouped by service, each row marked by a glyph and a word as well as a colour (severity and
kind), readable in light and dark mode (it follows the system's choice). Filters by severity,
kind and "expected" hide rows; without script every row is shown.

Every value, name and path is HTML-escaped; secret values are masked unless revealed.
"""

from __future__ import annotations

from html import escape as escape_html

from parity_gui.core.drift import DriftKind, Severity
from parity_gui.core.printable import printable
from parity_gui.engine.comparison import Comparison
from parity_gui.export.groups import ShownGroup, shown_groups
from parity_gui.export.sections import (
    ABSENT,
    KIND_GLYPHS,
    SEVERITY_GLYPHS,
    Row,
    Section,
    declared_expectations,
    headline,
    shown,
)

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

#: The GUI's palette (``ui/theme.py``), light and dark, as CSS variables.
_STYLE = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #6b7280; --line: #d0d7de;
  --head: #f3f4f6; --critical: #c4161c; --high: #e3620b; --medium: #b7860b; --low: #2f7de1;
  --info: #6e7781; --added: #1a7f37; --removed: #c4161c; --changed: #b7860b; --differs: #fff8c5; }
@media (prefers-color-scheme: dark) { :root { --bg: #16181d; --fg: #e6e8eb; --muted: #98a1ad;
  --line: #3a3f48; --head: #1e2127; --critical: #ff5a5f; --high: #ff9548; --medium: #e3b341;
  --low: #58a6ff; --info: #9aa5b1; --added: #3fb950; --removed: #ff5a5f; --changed: #e3b341;
  --differs: #3b2e00; } }
body { background: var(--bg); color: var(--fg); margin: 1.5rem;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.35rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th, tr.section th { background: var(--head); }
code, .value { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px;
  white-space: pre-wrap; word-break: break-all; }
.where { color: var(--muted); font-size: 12px; display: block; }
.absent { color: var(--muted); font-style: italic; }
.differs { background: var(--differs); }
.sev { font-weight: 600; white-space: nowrap; }
.sev-critical { color: var(--critical); } .sev-high { color: var(--high); }
.sev-medium { color: var(--medium); } .sev-low { color: var(--low); } .sev-info { color: var(--info); }
.kind { font-weight: 600; white-space: nowrap; }
.kind-added { color: var(--added); } .kind-removed { color: var(--removed); }
.kind-changed { color: var(--changed); }
tr.expected td { opacity: .6; }
.rule { color: var(--muted); font-size: 12px; }
fieldset { display: inline-block; border: 1px solid var(--line); margin: 0 .5rem .5rem 0; }
label { margin-right: .75rem; white-space: nowrap; }
#shown { color: var(--muted); }
.notice { border: 2px solid var(--critical); padding: .5rem .75rem; }
"""

_SCRIPT = """
(function () {
  var form = document.getElementById('filters');
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.drift'));
  function wanted(name) {
    var boxes = form.querySelectorAll('input[name="' + name + '"]:checked');
    return Array.prototype.map.call(boxes, function (b) { return b.value; });
  }
  function apply() {
    var severities = wanted('severity'), kinds = wanted('kind'), expected = wanted('expected').length > 0;
    var shown = 0;
    rows.forEach(function (row) {
      var visible = severities.indexOf(row.dataset.severity) >= 0 && kinds.indexOf(row.dataset.kind) >= 0
        && (expected || row.dataset.expected !== 'true');
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    document.querySelectorAll('tbody.group').forEach(function (group) {
      group.hidden = group.querySelectorAll('tr.drift:not([hidden])').length === 0;
    });
    document.getElementById('shown').textContent = shown + ' of ' + rows.length + ' rows shown';
  }
  form.addEventListener('change', apply);
  apply();
})();
"""


def escape(text: str) -> str:
    """``text`` for HTML: markup escaped, and control characters (which HTML forbids raw)
    written as visible escapes; newlines and tabs kept."""
    return escape_html(printable(text, keep_lines=True))


def render(comparison: Comparison, *, reveal_secrets: bool = False) -> str:
    """The whole page as text (UTF-8 when written)."""
    title = headline(comparison)
    view = shown(comparison, reveal_secrets=reveal_secrets)
    found = view.sections
    body = [
        f"<p class=\"notice\" role=\"alert\"><strong>{escape(view.notice)}</strong></p>" if view.notice else "",
        f"<h1>parity: {escape(title)}</h1>",
        _summary(comparison),
        _environments(comparison),
        _groups(shown_groups(comparison, found), comparison),
        _filters(),
        _table(found, comparison),
        _warnings(view.warnings),
    ]
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>parity: {escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(b for b in body if b)
        + f"\n<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def _groups(groups: list[ShownGroup], comparison: Comparison) -> str:
    """The same change in many places: one folded entry per group, opening on its places."""
    if not groups:
        return ""
    items = []
    for shown_group in groups:
        group, row = shown_group.group, shown_group.row
        values = " · ".join(f"{escape(name)}: <code>{escape(v)}</code>"
                            for name, v in zip(comparison.names, row.cells, strict=True))
        items.append(
            f"<details class=\"group\"><summary>{_kind(group.kind)} "
            f"<span class=\"sev sev-{group.severity.value}\">{_severity(group.severity)}</span> "
            f"<code>{escape(shown_group.pattern)}</code> in {len(group.members)} places</summary>"
            f"<p>{values} — {escape(row.why)} <small>{escape(row.drift.rule)}</small></p>"
            f"<p>In: {escape(shown_group.places)}</p></details>")
    return "<h2>Same change in many places</h2>\n" + "\n".join(items)


def _summary(comparison: Comparison) -> str:
    summary = comparison.summary()
    cells = "".join(
        f"<tr><th scope=\"row\"><span class=\"sev sev-{s.value}\">{_severity(s)}</span></th>"
        f"<td>{summary.by_severity[s]}</td></tr>"
        for s in Severity
    )
    cells += f"<tr><th scope=\"row\">expected (by design)</th><td>{summary.expected}</td></tr>"
    return ("<table class=\"summary\" style=\"width:auto\"><thead><tr><th>Severity</th>"
            f"<th>Unexpected drift</th></tr></thead><tbody>{cells}</tbody></table>")


def _environments(comparison: Comparison) -> str:
    items = []
    for index, env in enumerate(comparison.environments):
        sources = ", ".join(f"<code>{escape(s)}</code>" for s in env.sources)
        baseline = " (baseline)" if index == 0 else ""
        read = f" — read from {sources}" if sources else ""
        items.append(f"<li><strong>{escape(env.name)}</strong>{baseline}: <code>{escape(env.spec)}</code>{read}</li>")
    declared = "".join(
        f"<li><code>{escape(glob)}</code>: {escape(reason)}" + (f" <small>({escape(source)})</small>" if source else "")
        + "</li>"
        for glob, reason, source in declared_expectations(comparison)
    )
    listed = f"<h2>Expected differences declared</h2>\n<ul>{declared}</ul>" if declared else ""
    return "<h2>Environments</h2>\n<ul>" + "".join(items) + "</ul>" + listed


def _filters() -> str:
    severities = "".join(
        f"<label><input type=\"checkbox\" name=\"severity\" value=\"{s.value}\" checked> "
        f"<span class=\"sev sev-{s.value}\">{_severity(s)}</span></label>"
        for s in Severity
    )
    kinds = "".join(
        f"<label><input type=\"checkbox\" name=\"kind\" value=\"{k.value}\" checked> "
        f"<span class=\"kind kind-{k.value}\">{_kind(k)}</span></label>"
        for k in DriftKind
    )
    expected = ("<label><input type=\"checkbox\" name=\"expected\" value=\"yes\" checked> "
                "expected differences</label>")
    return (
        "<h2>Drift</h2>\n<form id=\"filters\" onsubmit=\"return false\">"
        f"<fieldset><legend>Severity</legend>{severities}</fieldset>"
        f"<fieldset><legend>Kind</legend>{kinds}</fieldset>"
        f"<fieldset><legend>Show</legend>{expected}</fieldset></form>\n<p id=\"shown\"></p>"
    )


def _table(found: list[Section], comparison: Comparison) -> str:
    if not found:
        return "<p>No drift.</p>"
    names = "".join(
        f"<th scope=\"col\">{escape(n)}{' (baseline)' if i == 0 else ''}</th>" for i, n in enumerate(comparison.names)
    )
    head = f"<thead><tr><th>Kind</th><th>Severity</th><th>Path</th>{names}<th>Why</th></tr></thead>"
    width = 4 + len(comparison.names)
    groups = [
        f"<tbody class=\"group\"><tr class=\"section\"><th colspan=\"{width}\">{escape(s.title)}</th></tr>"
        + "".join(_row(r) for r in s.rows) + "</tbody>"
        for s in found
    ]
    return f"<table class=\"drift\">{head}{''.join(groups)}</table>"


def _row(row: Row) -> str:
    drift = row.drift
    baseline = row.cells[0]
    pairs = enumerate(zip(row.cells, row.places, strict=True))
    cells = "".join(_value_cell(value, where, i > 0 and value != baseline) for i, (value, where) in pairs)
    why = escape(row.why)
    if drift.expected:
        why += f"<br><em>expected: {escape(str(row.entry.get('reason') or ''))}</em>"
    return (
        f"<tr class=\"drift{' expected' if drift.expected else ''}\" data-severity=\"{drift.severity.value}\" "
        f"data-kind=\"{drift.kind.value}\" data-expected=\"{'true' if drift.expected else 'false'}\">"
        f"<td><span class=\"kind kind-{drift.kind.value}\">{_kind(drift.kind)}</span></td>"
        f"<td><span class=\"sev sev-{drift.severity.value}\">{_severity(drift.severity)}</span></td>"
        f"<td><code>{escape(row.relative_pointer)}</code></td>{cells}"
        f"<td>{why} <span class=\"rule\">{escape(drift.rule)}</span></td></tr>"
    )


def _value_cell(value: str, where: str, differs: bool) -> str:
    shown = f"<span class=\"value\">{escape(value)}</span>"
    if value == ABSENT:
        shown = "<span class=\"absent\">absent</span>"
    mark = " class=\"differs\"" if differs else ""
    place = f"<span class=\"where\">{escape(where)}</span>" if where else ""
    return f"<td{mark}>{shown}{place}</td>"


def _warnings(warnings: list[tuple[str, str, str]]) -> str:
    items = [f"<li>{escape(who)}: {f'<code>{escape(where)}</code> ' if where else ''}{escape(message)}</li>"
             for who, where, message in warnings]
    return "<h2>Warnings while loading</h2>\n<ul>" + "".join(items) + "</ul>" if items else ""


def _severity(severity: Severity) -> str:
    return f"{SEVERITY_GLYPHS[severity]} {severity.value}"


def _kind(kind: DriftKind) -> str:
    return f"{KIND_GLYPHS[kind]} {kind.value}"
