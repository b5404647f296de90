"""Small real PNG files for the media tests (written by hand: signature, IHDR, IDAT, IEND; PNG spec §5)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png(path: Path, width: int = 8, height: int = 6, rgb: tuple[int, int, int] = (200, 80, 40)) -> Path:
    """A ``width`` × ``height`` truecolour PNG of one colour."""
    row = b"\x00" + bytes(rgb) * width  # filter byte 0, then the pixels
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(row * height))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data + _chunk(b"IEND", b""))
    return path
