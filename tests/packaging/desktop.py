"""Reading parity's Linux desktop integration files: the desktop entry, AppStream metadata, MIME types."""

from __future__ import annotations

import configparser
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest

from tests.packaging.builds import REPO

LINUX = REPO / "packaging" / "linux"
ICONS = REPO / "resources" / "icons"
MIME_NAMESPACE = "{http://www.freedesktop.org/standards/shared-mime-info}"
GLOB = f"{MIME_NAMESPACE}glob"


def app_id() -> str:
    """The application id, as the installer script declares it (``APP_ID=…``)."""
    match = re.search(r"^APP_ID=(\S+)$", (LINUX / "install.sh").read_text(encoding="utf-8"), re.MULTILINE)
    if match is None:
        raise AssertionError(f"{LINUX / 'install.sh'}: no APP_ID= line")
    return match.group(1)


def desktop_entry() -> dict[str, str]:
    """The ``[Desktop Entry]`` group of the desktop file, keys as written."""
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # desktop keys are case-sensitive
    parser.read(LINUX / f"{app_id()}.desktop", encoding="utf-8")
    return dict(parser["Desktop Entry"])


def desktop_list(value: str) -> list[str]:
    """A desktop-entry list value (``a;b;``) as a list."""
    return [item for item in value.split(";") if item]


def metainfo() -> ET.Element:
    return ET.parse(LINUX / f"{app_id()}.metainfo.xml").getroot()


@dataclass(frozen=True)
class MimeType:
    """One file type the MIME package defines."""

    name: str
    globs: tuple[str, ...]


def mime_types() -> list[MimeType]:
    root = ET.parse(LINUX / f"{app_id()}.mime.xml").getroot()
    return [
        MimeType(element.attrib["type"], tuple(glob.attrib["pattern"] for glob in element.iter(GLOB)))
        for element in root.iter(f"{MIME_NAMESPACE}mime-type")
    ]


def tool(name: str, package: str) -> str:
    """The path of a command-line tool the tests need; fails saying which Debian package has it."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: apt-get install {package}")
    return found
