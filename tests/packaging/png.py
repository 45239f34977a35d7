"""Reading a PNG's size from its header, without Qt."""

from __future__ import annotations

import struct
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file; fails naming the file when it is not a PNG."""
    header = path.read_bytes()[:24]
    if header[:8] != SIGNATURE or header[12:16] != b"IHDR":
        raise AssertionError(f"{path}: not a PNG image")
    width, height = struct.unpack(">II", header[16:24])
    return width, height
