"""The window shows no credential in error text: a failed side's message and file, and the
warnings menu of a loaded side, are masked like every report."""

from __future__ import annotations

from parity_gui.core.tree import Diagnostic, Environment
from parity_gui.errors import ParseError
from parity_gui.ui.loading import Failure
from parity_gui.ui.side import EnvironmentHeader, MessagePage


def test_a_failed_side_shows_the_url_without_its_password(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = MessagePage()
    qtbot.addWidget(page)
    error = ParseError("include: file https://deploy:Pa/ss@w0rd@git.example.com/base.yml not found",
                       file="/srv/shop/https:/deploy:Pa/ss@w0rd@git.example.com/base.yml", line=2, column=5)
    page.show_failure("dev", Failure.of(error))
    shown = page.message.text() + page.where.text()
    assert "git.example.com" in shown and "w0rd" not in shown and "Pa/ss" not in shown


def test_the_warnings_menu_masks_credentials_and_keeps_the_rest(qtbot) -> None:  # type: ignore[no-untyped-def]
    header = EnvironmentHeader("Left")
    qtbot.addWidget(header)
    env = Environment("dev", "compose.yml")
    env.diagnostics = [
        Diagnostic("env_file postgres://app:Hunter2@db/env skipped", "compose.yml", 7, 5),
        Diagnostic("duplicate key: cannot merge", "compose.yml", 9, 3),
    ]
    header.show_loaded(env, 0.05)
    menu = header.warnings.menu()
    assert menu is not None
    texts = [action.text() for action in menu.actions()]
    assert len(texts) == 2 and "Hunter2" not in " ".join(texts)
    assert "duplicate key: cannot merge" in texts[1]
