#!/usr/bin/env python3
"""Write res/wskview.ico: the application icon, drawn from code so that no image
editor or binary source is needed. Deterministic: the same bytes every run.

Usage: scripts/make-icon.py OUTPUT.ico

The picture: a blue rounded tile holding three list rows (the event list), the
middle one highlighted, and a green dot (a live socket) in the corner. Sizes 16
and 32, 32-bit BGRA with alpha (Windows XP and later read these).
"""
import struct
import sys

BG = (0x2B, 0x57, 0x9A)      # tile, RGB
ROW = (0xF2, 0xF4, 0xF8)     # list rows
SEL = (0xFF, 0xC8, 0x3D)     # highlighted row
DOT = (0x3C, 0xC8, 0x5A)     # socket dot


def pixel(size, x, y):
    """RGBA of pixel (x, y), y from the top, for a tile of size x size."""
    s = size / 16.0
    r = 3 * s                                    # corner radius
    cx = min(max(x + 0.5, r), size - r)
    cy = min(max(y + 0.5, r), size - r)
    if (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > r * r:
        return (0, 0, 0, 0)
    dx, dy = (x + 0.5) - 12 * s, (y + 0.5) - 12 * s
    if dx * dx + dy * dy <= (2.6 * s) ** 2:
        return DOT + (255,)
    for i, colour in enumerate((ROW, SEL, ROW)):
        top = (3 + 3.5 * i) * s
        right = 13 * s if i != 2 else 8.5 * s
        if top <= y < top + 2 * s and 3 * s <= x < right:
            return colour + (255,)
    return BG + (255,)


def image(size):
    header = struct.pack('<IiiHHIIiiII', 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(size - 1, -1, -1):            # DIBs are stored bottom-up
        rows.append(b''.join(struct.pack('BBBB', b, g, r, a)
                             for (r, g, b, a) in (pixel(size, x, y) for x in range(size))))
    mask_stride = ((size + 31) // 32) * 4        # AND mask: unused with alpha, all zero
    return header + b''.join(rows) + bytes(mask_stride * size)


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: make-icon.py OUTPUT.ico')
    sizes = (16, 32)
    images = [image(s) for s in sizes]
    out = struct.pack('<HHH', 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    for s, data in zip(sizes, images):
        out += struct.pack('<BBBBHHII', s, s, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    out += b''.join(images)
    with open(sys.argv[1], 'wb') as f:
        f.write(out)


if __name__ == '__main__':
    main()
