"""Comparison → reports (JSON, Markdown, HTML, SARIF) and fix patches; secrets are masked here."""
