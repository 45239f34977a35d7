"""GUI test set-up: offscreen Qt, settings in a temporary folder, and ready-made environments.

Settings never reach the developer's own: every QSettings the app creates (named or default)
is redirected to the test's temporary folder, and windows get a settings file of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from parity_gui.core.origin import Origin
from parity_gui.core.tree import Environment, TreeBuilder
from parity_gui.ui.session import Session
from parity_gui.ui.window import MainWindow

GUI_DATA = Path(__file__).resolve().parent.parent / "data" / "gui"


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path, qapp) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    folder = tmp_path / "settings"
    folder.mkdir()
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(folder))
    yield folder


@pytest.fixture
def settings(private_settings: Path) -> QSettings:
    return QSettings(str(private_settings / "parity-gui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def gui_data() -> Path:
    return GUI_DATA


@pytest.fixture
def window(qtbot, settings: QSettings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(Session(settings), base=GUI_DATA)
    win.persist = True
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    yield win
    win.search.timer.stop()
    win.pool.wait(10_000)


def shop_pair() -> tuple[Environment, Environment]:
    """Two hand-made environments like a small shop's dev and prod, with origins and raw text."""
    dev, prod = TreeBuilder(), TreeBuilder()
    for builder, file in ((dev, "compose.yml"), (prod, "compose.prod.yml")):
        builder.set(("services", "web", "image", "repository"), "ghcr.io/acme/shop-web", Origin(file, 3, 12))
        builder.set(("services", "web", "environment", "DJANGO_SETTINGS_MODULE"), "shop.settings", Origin(file, 6, 31))
        builder.set(("services", "cache", "image", "repository"), "redis", Origin(file, 20, 12))
        builder.set(("services", "cache", "image", "tag"), "7.2", Origin(file, 20, 12), raw="redis:7.2")
    dev.set(("services", "web", "image", "tag"), "2.3.1", Origin("compose.yml", 3, 12))
    prod.set(("services", "web", "image", "tag"), "2.4.0", Origin("compose.prod.yml", 3, 12))
    dev.set(("services", "web", "environment", "POSTGRES_PASSWORD"), "devpass", Origin("compose.yml", 7, 26))
    prod.set(("services", "web", "environment", "POSTGRES_PASSWORD"), "s3cr3t-prod", Origin("compose.prod.yml", 7, 26))
    dev.set(("services", "web", "environment", "DEBUG"), "1", Origin("compose.yml", 8, 14))
    prod.set(("services", "web", "deploy", "replicas"), 3, Origin("compose.prod.yml", 11, 17))
    prod.set(("services", "worker", "command"), ["celery", "-A", "shop", "worker"], Origin("compose.prod.yml", 14, 14))
    return (dev.into(Environment("dev", "compose.yml")), prod.into(Environment("prod", "compose.yml+compose.prod.yml")))


def wide_pair(services: int, per_service: int = 48) -> tuple[Environment, Environment]:
    """Two big environments (``services`` × ``per_service`` leaves) with about 2% drift."""
    left: dict[str, object] = {}
    right: dict[str, object] = {}
    for s in range(services):
        env_left = {f"SETTING_{k:02d}": f"value-{s}-{k}" for k in range(per_service)}
        env_right = dict(env_left)
        if s % 7 == 0:
            env_right["SETTING_03"] = "changed"
        if s % 11 == 0:
            env_right.pop("SETTING_05", None)
        if s % 13 == 0:
            env_right["EXTRA"] = "added"
        left[f"svc{s:05d}"] = {"image": {"repository": "acme/app", "tag": "1.0"}, "environment": env_left}
        tag = "1.1" if s % 17 == 0 else "1.0"
        right[f"svc{s:05d}"] = {"image": {"repository": "acme/app", "tag": tag}, "environment": env_right}
    return (Environment("left", "left.yml", tree={"services": left}),
            Environment("right", "right.yml", tree={"services": right}))


def wait_for_comparison(qtbot, window: MainWindow, action, timeout: int = 20_000) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.comparison_shown, timeout=timeout):
        action()
