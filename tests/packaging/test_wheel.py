"""The wheel and sdist a user installs: built from the checkout, installed into a fresh virtual
environment, and run from there with the checkout out of reach."""

from __future__ import annotations

import json
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import pytest

from tests.packaging.builds import (
    REPO,
    Distributions,
    build_distributions,
    project_version,
    run,
    source_copy,
    user_environment,
)
from tests.packaging.png import png_size

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]  # the first tests wait for the build and the install

#: Files under resources/ that are not parity's (byte code, editor swap and backup files).
NOT_SHIPPED_NAMES = {"__pycache__", ".DS_Store", ".git"}
NOT_SHIPPED_SUFFIXES = {".pyc", ".pyo", ".swp", ".orig", ".rej"}


def shipped(relative: Path) -> bool:
    return not (
        NOT_SHIPPED_NAMES.intersection(relative.parts)
        or relative.suffix in NOT_SHIPPED_SUFFIXES
        or relative.name.endswith("~")
    )


def checkout_resources() -> dict[str, bytes]:
    """The files under resources/ in the checkout that a user should receive, by relative path."""
    root = REPO / "resources"
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and shipped(path.relative_to(root))
    }


def wheel_metadata(wheel: Path) -> tuple[dict[str, list[str]], str]:
    """The wheel's METADATA headers (each a list of values) and its entry_points.txt."""
    with zipfile.ZipFile(wheel) as archive:
        info = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
        message = HeaderParser().parsestr(archive.read(info).decode())
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    headers: dict[str, list[str]] = {}
    for key, value in message.items():
        headers.setdefault(key, []).append(value)
    return headers, entry_points


def test_the_wheel_carries_every_resource_as_package_data(distributions: Distributions) -> None:
    with zipfile.ZipFile(distributions.wheel) as archive:
        packaged = {
            name.removeprefix("parity_gui/resources/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("parity_gui/resources/")
        }
    assert packaged == checkout_resources()
    assert "examples/shop/.env" in packaged


def test_byte_code_and_editor_files_among_the_resources_are_left_out(tmp_path: Path) -> None:
    source = source_copy(tmp_path / "source")
    shop = source / "resources" / "examples" / "shop"
    junk = [shop / ".docker-compose.yml.swp", shop / "docker-compose.yml~", shop / "__pycache__" / "x.cpython-311.pyc"]
    for path in junk:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"junk")
    built = build_distributions(tmp_path / "dist", source)
    with zipfile.ZipFile(built.wheel) as archive:
        packaged = [name for name in archive.namelist() if name.startswith("parity_gui/resources/examples/shop/")]
    with tarfile.open(built.sdist) as archive:
        packaged += [name for name in archive.getnames() if "/resources/examples/shop/" in name]
    assert any(name.endswith("/.env") for name in packaged)
    assert not [name for name in packaged if name.endswith((".swp", "~", ".pyc"))]


def test_the_sdist_carries_the_resources_as_real_files(distributions: Distributions) -> None:
    with tarfile.open(distributions.sdist) as archive:
        members = {member.name.split("/", 1)[1]: member for member in archive.getmembers() if "/" in member.name}
    resources = {name.removeprefix("resources/"): member for name, member in members.items()
                 if name.startswith("resources/") and not member.isdir()}
    assert set(resources) == set(checkout_resources())
    assert all(member.isfile() for member in resources.values())
    assert {"setup.py", "pyproject.toml", "LICENSE", "README.md", "packaging/linux/install.sh"} <= set(members)


def test_the_wheel_metadata_declares_version_licence_readme_and_both_commands(distributions: Distributions) -> None:
    headers, entry_points = wheel_metadata(distributions.wheel)
    assert headers["Version"] == [project_version()]
    assert headers["License-Expression"] == ["MIT"]
    assert headers["License-File"] == ["LICENSE"]
    assert headers["Description-Content-Type"] == ["text/markdown"]
    assert "parity = parity_gui.cli.main:main" in entry_points
    assert "parity-gui = parity_gui.ui.main:main" in entry_points


def test_the_installed_parity_reports_the_declared_version(installed: Path, elsewhere: Path) -> None:
    result = run([installed / "parity", "--version"], cwd=elsewhere, env=user_environment(elsewhere / "home"))
    assert result.stdout.strip() == f"parity {project_version()}"


def installed_examples(installed: Path, elsewhere: Path) -> Path:
    """Where the installed package finds its example environments."""
    script = "from parity_gui.app.resources import resource_path; print(resource_path('examples', 'shop'))"
    result = run([installed / "python", "-c", script], cwd=elsewhere, env=user_environment(elsewhere / "home"))
    return Path(result.stdout.strip())


def test_the_installed_package_reads_its_examples_from_its_own_package_data(installed: Path, elsewhere: Path) -> None:
    shop = installed_examples(installed, elsewhere)
    assert shop.is_relative_to(installed.parent)
    assert REPO not in shop.parents
    assert (shop / "docker-compose.yml").is_file()


def test_the_installed_parity_compares_the_bundled_examples(installed: Path, elsewhere: Path) -> None:
    shop = installed_examples(installed, elsewhere)
    dev = f"{shop / 'docker-compose.yml'}+{shop / 'docker-compose.override.yml'}"
    prod = f"{shop / 'docker-compose.yml'}+{shop / 'docker-compose.prod.yml'}"
    command: list[str | Path] = [installed / "parity", "compare", "--format", "json", "--name", "dev", "--name", "prod"]
    home = elsewhere / "home"
    result = run([*command, dev, prod], cwd=elsewhere, env=user_environment(home), expect=1)  # 1: they drift
    report = json.loads(result.stdout)
    by_path = {drift["path"]: drift for drift in report["drift"]}
    database_url = by_path["/services/web/environment/DATABASE_URL"]
    assert database_url["severity"] == "critical"
    assert all(Path(origin["file"]).is_relative_to(shop) for origin in database_url["origins"])


def test_the_installed_parity_gui_takes_a_screenshot(
    installed: Path, elsewhere: Path, distributions: Distributions
) -> None:
    with zipfile.ZipFile(distributions.wheel) as archive:
        if "parity_gui/ui/main.py" not in archive.namelist():
            pytest.skip("the desktop app's entry point (parity_gui/ui/main.py) is not written yet")
    screenshot = elsewhere / "parity.png"
    run([installed / "parity-gui", "--screenshot", screenshot], cwd=elsewhere,
        env=user_environment(elsewhere / "home"), timeout=120)
    width, height = png_size(screenshot)
    assert width >= 400
    assert height >= 300
