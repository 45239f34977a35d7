"""Linux desktop integration: the launcher entry, the software-centre metadata, MIME types, icons."""

from __future__ import annotations

import fnmatch
import os
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from tests.packaging.builds import REPO, project_version, run
from tests.packaging.desktop import (
    ICONS,
    LINUX,
    app_id,
    desktop_entry,
    desktop_list,
    metainfo,
    mime_types,
    tool,
)
from tests.packaging.png import png_size

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
YAML_TYPES = {"application/x-yaml", "application/yaml"}


def test_the_desktop_entry_passes_desktop_file_validate() -> None:
    validate = tool("desktop-file-validate", "desktop-file-utils")
    result = run([validate, LINUX / f"{app_id()}.desktop"], cwd=LINUX)
    assert result.stdout.strip() == ""  # warnings and hints are printed, even with exit status 0


def test_the_metainfo_passes_appstreamcli_validate_strictly() -> None:
    appstreamcli = tool("appstreamcli", "appstream")
    result = run([appstreamcli, "validate", "--no-net", "--strict", "--no-color", LINUX / f"{app_id()}.metainfo.xml"],
                 cwd=LINUX)
    assert not re.search(r"^[EW]:", result.stdout, re.MULTILINE)


def test_the_desktop_entry_launches_the_app_with_its_icon() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "parity-gui"
    assert entry["Exec"].endswith("%F")  # parity-gui takes the files to open as LEFT RIGHT
    assert entry["Icon"] == app_id()
    assert "Development" in desktop_list(entry["Categories"])


def test_the_desktop_entry_and_the_metainfo_describe_the_same_app() -> None:
    component = metainfo()
    assert component.findtext("id") == app_id()
    assert component.findtext("launchable[@type='desktop-id']") == f"{app_id()}.desktop"
    assert component.findtext("icon[@type='stock']") == app_id()
    assert component.findtext("name") == desktop_entry()["Name"]
    mediatypes = {element.text for element in component.iterfind("provides/mediatype")}
    assert mediatypes == set(desktop_list(desktop_entry()["MimeType"]))
    assert {element.text for element in component.iterfind("provides/binary")} == {"parity", "parity-gui"}


def test_the_metainfo_announces_the_declared_version_as_its_newest_release() -> None:
    releases = metainfo().findall("releases/release")
    newest = max(releases, key=lambda release: date.fromisoformat(release.attrib["date"]))
    assert newest.attrib["version"] == project_version()
    assert all(release.find("description") is not None for release in releases)


def test_the_metainfo_screenshot_is_a_file_in_the_repository() -> None:
    image = metainfo().find("screenshots/screenshot[@type='default']/image")
    assert image is not None and image.text
    local = REPO / image.text.split("/main/", 1)[1]
    assert png_size(local) == (int(image.attrib["width"]), int(image.attrib["height"]))


def test_the_desktop_entry_opens_compose_dockerfile_terraform_and_dotenv_files() -> None:
    declared = set(desktop_list(desktop_entry()["MimeType"]))
    defined = {mime.name for mime in mime_types()}
    assert declared - YAML_TYPES == defined  # all but YAML are ours to define
    assert declared >= YAML_TYPES


@pytest.mark.parametrize(
    ("file_name", "mime_type"),
    [
        ("Dockerfile", "text/x-dockerfile"),
        ("Dockerfile.prod", "text/x-dockerfile"),
        ("api.dockerfile", "text/x-dockerfile"),
        ("Containerfile", "text/x-dockerfile"),
        ("main.tf", "text/x-terraform"),
        ("prod.tfvars", "text/x-terraform"),
        ("backend.hcl", "text/x-hcl"),
        (".env", "text/x-dotenv"),
        (".env.production", "text/x-dotenv"),
        ("staging.env", "text/x-dotenv"),
    ],
)
def test_the_mime_types_recognise_the_files_parity_reads(file_name: str, mime_type: str) -> None:
    matching = {mime.name for mime in mime_types() if any(fnmatch.fnmatch(file_name, glob) for glob in mime.globs)}
    assert matching == {mime_type}


def test_the_mime_package_compiles_into_a_mime_database(tmp_path: Path) -> None:
    update = tool("update-mime-database", "shared-mime-info")
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    (packages / f"{app_id()}.xml").write_bytes((LINUX / f"{app_id()}.mime.xml").read_bytes())
    run([update, tmp_path / "mime"], cwd=tmp_path, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    globs = (tmp_path / "mime" / "globs2").read_text(encoding="utf-8")
    assert "text/x-dockerfile:dockerfile" in globs
    assert "text/x-terraform:*.tf" in globs


def test_the_icon_is_a_square_svg() -> None:
    svg = ET.parse(ICONS / "parity.svg").getroot()
    _, _, width, height = svg.attrib["viewBox"].split()
    assert width == height


@pytest.mark.parametrize("size", ICON_SIZES)
def test_the_icon_comes_as_a_png_of_each_common_size(size: int) -> None:
    png = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{app_id()}.png"
    assert png_size(png) == (size, size)


def test_the_installer_stages_every_file_where_desktops_look(tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DESTDIR": str(stage), "HOME": str(tmp_path)}
    run(["sh", LINUX / "install.sh", "/usr"], cwd=tmp_path, env=env)
    share = stage / "usr" / "share"
    assert (share / "applications" / f"{app_id()}.desktop").is_file()
    assert (share / "mime" / "packages" / f"{app_id()}.xml").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{app_id()}.svg").is_file()
    assert {path.parent.parent.name for path in (share / "icons" / "hicolor").glob(f"*/apps/{app_id()}.png")} == {
        f"{size}x{size}" for size in ICON_SIZES
    }
    result = run([tool("appstreamcli", "appstream"), "validate-tree", "--no-net", "--no-color", stage], cwd=tmp_path)
    assert not re.search(r"^[EW]:", result.stdout, re.MULTILINE)
