"""The desktop bundle (``make dist``): built with PyInstaller, run from its own folder with the
checkout out of reach, holding only the Qt parity uses."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from packaging.utils import canonicalize_name

from tests.packaging.builds import REPO, project_version, run, user_environment
from tests.packaging.desktop import app_id
from tests.packaging.png import png_size

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]  # the first test waits for the build

MIXED = REPO / "tests" / "data" / "packaging" / "mixed"
#: Qt libraries parity never uses; finding one in the bundle means an exclusion stopped working.
UNUSED_QT_LIBRARIES = ("Qml", "Quick", "WebEngine", "Multimedia", "Network", "Pdf", "Sql", "PrintSupport", "3D")
UNUSED_PLUGIN_FOLDERS = ("sqldrivers", "tls", "networkinformation", "qmltooling", "egldeviceintegrations", "generic")
#: Bundle size above which something unwanted has crept in (measured: about 160 MiB).
SIZE_LIMIT_MIB = 200


def compare_report(program: Sequence[str | Path], left: Path, right: Path, cwd: Path) -> list[tuple[str, str, str]]:
    """(path, kind, severity) of each drift that ``program compare --format json`` reports."""
    result = run([*program, "compare", "--format", "json", left, right], cwd=cwd,
                 env=user_environment(cwd / "home"), expect=1)
    report: dict[str, Any] = json.loads(result.stdout)
    return sorted((drift["path"], drift["kind"], drift["severity"]) for drift in report["drift"])


def test_the_bundled_parity_reports_the_declared_version(bundle: Path, elsewhere: Path) -> None:
    result = run([bundle / "parity", "--version"], cwd=elsewhere, env=user_environment(elsewhere / "home"))
    assert result.stdout.strip() == f"parity {project_version()}"


def test_the_bundled_parity_compares_the_examples_it_carries(bundle: Path, elsewhere: Path) -> None:
    shop = bundle / "_internal" / "parity_gui" / "resources" / "examples" / "shop"
    dev = f"{shop / 'docker-compose.yml'}+{shop / 'docker-compose.override.yml'}"
    prod = f"{shop / 'docker-compose.yml'}+{shop / 'docker-compose.prod.yml'}"
    result = run([bundle / "parity", "compare", "--format", "json", dev, prod], cwd=elsewhere,
                 env=user_environment(elsewhere / "home"), expect=1)
    drift = {entry["path"]: entry for entry in json.loads(result.stdout)["drift"]}
    assert drift["/services/web/environment/DATABASE_URL"]["severity"] == "critical"


@pytest.mark.parametrize(("left", "right"), [("Dockerfile", "Dockerfile.prod"), ("staging.tf", "prod.tf"),
                                             ("dev.env", "prod.env")])
def test_the_bundled_parity_reads_dockerfiles_terraform_and_dotenv_like_the_checkout(
    bundle: Path, elsewhere: Path, left: str, right: str
) -> None:
    checkout = [sys.executable, "-c", "from parity_gui.cli.main import main; raise SystemExit(main())"]
    bundled = compare_report([bundle / "parity"], MIXED / left, MIXED / right, elsewhere)
    assert bundled  # the fixtures drift
    assert bundled == compare_report(checkout, MIXED / left, MIXED / right, elsewhere)


def test_the_bundled_parity_gui_takes_a_screenshot_offscreen(bundle: Path, elsewhere: Path) -> None:
    screenshot = elsewhere / "parity.png"
    run([bundle / "parity-gui", "--screenshot", screenshot, "--size", "1200x800"], cwd=elsewhere,
        env=user_environment(elsewhere / "home"), timeout=120)
    assert png_size(screenshot) == (1200, 800)


def test_the_bundled_parity_gui_starts_on_an_x11_display(bundle: Path, elsewhere: Path, x_display: str) -> None:
    env = {**user_environment(elsewhere / "home"), "QT_QPA_PLATFORM": "xcb", "DISPLAY": x_display}
    screenshot = elsewhere / "parity.png"
    result = subprocess.run([bundle / "parity-gui", "--screenshot", screenshot], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, (
        f"{result.stderr[-2000:]}\n(the X11 plugin needs libxcb-icccm4 and libxcb-keysyms1 on the machine "
        "that builds the bundle, so that the bundle carries them)"
    )
    assert png_size(screenshot) == (1400, 900)


def test_the_bundle_carries_only_the_qt_parity_uses(bundle: Path) -> None:
    qt_libraries = [path.name for path in bundle.rglob("libQt6*.so*")]
    assert {"libQt6Core.so.6", "libQt6Gui.so.6", "libQt6Widgets.so.6"} <= set(qt_libraries)
    assert [name for name in qt_libraries if any(f"Qt6{unused}" in name for unused in UNUSED_QT_LIBRARIES)] == []
    plugins = bundle / "_internal" / "PySide6" / "Qt" / "plugins"
    assert {path.name for path in plugins.iterdir()}.isdisjoint(UNUSED_PLUGIN_FOLDERS)
    assert (plugins / "platforms" / "libqoffscreen.so").is_file()
    assert (plugins / "platforms" / "libqxcb.so").is_file()
    assert not list(bundle.rglob("libgtk-3*")) and not list(bundle.rglob("libcairo*"))


def test_the_bundle_carries_the_package_metadata_the_about_dialog_reads(bundle: Path) -> None:
    from parity_gui.ui.about import LIBRARIES

    wanted = {"parity-gui", "PySide6-Essentials", *(distribution for _, distribution in LIBRARIES)}
    carried = {
        canonicalize_name(path.parent.name.removesuffix(".dist-info").rsplit("-", 1)[0])
        for path in (bundle / "_internal").glob("*.dist-info/METADATA")
    }
    assert {canonicalize_name(name) for name in wanted} <= carried


def test_the_bundle_stays_small(bundle: Path) -> None:
    size = sum(path.lstat().st_size for path in bundle.rglob("*") if path.is_file() and not path.is_symlink())
    assert size < SIZE_LIMIT_MIB * 2**20


def test_the_bundle_puts_itself_on_the_desktop_and_the_path(bundle: Path, elsewhere: Path) -> None:
    home = elsewhere / "home"
    run(["sh", bundle / "linux" / "install.sh"], cwd=elsewhere, env=user_environment(home))
    local = home / ".local"
    assert (local / "share" / "applications" / f"{app_id()}.desktop").is_file()
    assert (local / "share" / "icons" / "hicolor" / "256x256" / "apps" / f"{app_id()}.png").is_file()
    assert (local / "bin" / "parity-gui").resolve() == (bundle / "parity-gui").resolve()
    result = run([local / "bin" / "parity", "--version"], cwd=elsewhere, env=user_environment(home))
    assert result.stdout.strip() == f"parity {project_version()}"
