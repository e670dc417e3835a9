"""Writes the Teams app icons (manifest/teams/color.png 192×192, outline.png 32×32) with zlib and struct only.

Run once after changing the drawing; the PNGs are committed. The colour icon is a white speech
bubble on the accent colour; the outline icon, as Teams requires, is white on transparent.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path

ACCENT = (0x1F, 0x5F, 0xA8, 0xFF)
WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
CLEAR = (0, 0, 0, 0)
OUT = Path(__file__).resolve().parents[1] / "manifest" / "teams"

Pixel = tuple[int, int, int, int]


def png(size: int, pixel: Callable[[float, float], Pixel]) -> bytes:
    """An RGBA PNG; ``pixel`` gets coordinates scaled to 0..1."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel((x + 0.5) / size, (y + 0.5) / size)) for x in range(size))
        for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def bubble(x: float, y: float, *, inset: float) -> bool:
    """A rounded speech bubble with a tail at the lower left."""
    left, top, right, bottom, r = 0.18 + inset, 0.22 + inset, 0.82 - inset, 0.66 - inset, 0.1
    cx, cy = min(max(x, left + r), right - r), min(max(y, top + r), bottom - r)
    if (x - cx) ** 2 + (y - cy) ** 2 <= r * r and left <= x <= right and top <= y <= bottom:
        return True
    tail = bottom <= y <= 0.82 - inset and 0.3 + inset <= x <= 0.3 + inset + (0.82 - inset - y) * 0.9
    return tail


def color(x: float, y: float) -> Pixel:
    return WHITE if bubble(x, y, inset=0) else ACCENT


def outline(x: float, y: float) -> Pixel:
    return WHITE if bubble(x, y, inset=0) and not bubble(x, y, inset=0.08) else CLEAR


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "color.png").write_bytes(png(192, color))
    (OUT / "outline.png").write_bytes(png(32, outline))
    print(f"wrote {OUT / 'color.png'} and {OUT / 'outline.png'}")
