#!/usr/bin/env python3
# Checks a report screenshot without third-party modules: decodes the PNG (8-bit RGB/RGBA,
# non-interlaced, as Chromium writes them) with zlib, then asserts that the page is not blank and
# that the heatmap's four call colours are present. Used by report_html_chromium.sh.
import struct
import sys
import zlib

# The colours of report.html (src/lib/report_html.cpp, style_of).
CALLS = {
    "sensitive": (0x1A, 0x98, 0x50),
    "intermediate": (0xF4, 0xA3, 0x00),
    "resistant": (0xD7, 0x30, 0x27),
    "unknown": (0xB0, 0xB0, 0xB0),
}
MIN_PIXELS = 400  # about half of one 50x28 heatmap cell
TOLERANCE = 10


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise ValueError("unsupported PNG layout: depth %d colour type %d interlace %d" % (depth, colour, interlace))
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        ftype = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 0xFF
            elif ftype == 2:
                line[x] = (line[x] + b) & 0xFF
            elif ftype == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def main(path):
    width, height, bpp, rows = read_png(path)
    counts = {name: 0 for name in CALLS}
    non_white = 0
    for line in rows:
        for x in range(0, width * bpp, bpp):
            r, g, b = line[x], line[x + 1], line[x + 2]
            if r < 245 or g < 245 or b < 245:
                non_white += 1
            for name, (cr, cg, cb) in CALLS.items():
                if abs(r - cr) <= TOLERANCE and abs(g - cg) <= TOLERANCE and abs(b - cb) <= TOLERANCE:
                    counts[name] += 1
    total = width * height
    print("%s: %dx%d, %.1f%% non-white; call colour pixels: %s" % (
        path, width, height, 100.0 * non_white / total,
        ", ".join("%s %d" % (k, v) for k, v in counts.items())))
    ok = True
    if non_white < 0.02 * total:
        print("FAIL: the screenshot is blank (less than 2% non-white pixels)")
        ok = False
    for name, n in counts.items():
        if n < MIN_PIXELS:
            print("FAIL: heatmap colour '%s' %s covers only %d pixels" % (name, "#%02x%02x%02x" % CALLS[name], n))
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
