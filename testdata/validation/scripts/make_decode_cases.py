#!/usr/bin/python3
"""Small image files in the formats where decoders disagree, with the pixels PIL decodes from them.

Writes into DIR: JPEGs with embedded ICC profiles (sRGB, and a linear-RGB profile given as a file), a CMYK JPEG,
an EXIF-rotated JPEG, a progressive 4:2:2 JPEG, a 16-bit RGB PNG, a palette PNG with transparency, a bilevel PNG,
and a TSV with, per file, width, height and the SHA-256 of Image.open(f).convert('RGB') as 8-bit RGB bytes
(row-major r,g,b): what timm's loader hands its transform.

usage: make_decode_cases.py --out DIR --tsv FILE.tsv --linear-icc FILE.icc
"""
import argparse
import hashlib
import os
import struct
import zlib

import numpy as np
from PIL import Image, ImageCms


def rich(rng, w, h):
    yy, xx = np.mgrid[0:h, 0:w]
    a = np.stack([xx * 255 // w, yy * 255 // h, ((xx + yy) * 7) % 256], -1).astype(np.float32)
    a += rng.normal(0, 20, a.shape)
    return np.clip(a, 0, 255).astype(np.uint8)


def png16(path, arr):
    """A 16-bit RGB PNG (PIL cannot write one)."""
    h, w, _ = arr.shape
    raw = b"".join(b"\x00" + arr[y].astype(">u2").tobytes() for y in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--tsv", required=True)
    p.add_argument("--linear-icc", required=True)
    a = p.parse_args()
    rng = np.random.default_rng(7)
    os.makedirs(a.out, exist_ok=True)
    im = Image.fromarray(rich(rng, 97, 61), "RGB")
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    with open(a.linear_icc, "rb") as f:
        linear = f.read()
    im.save(os.path.join(a.out, "icc_srgb.jpg"), quality=90, icc_profile=srgb)
    im.save(os.path.join(a.out, "icc_linear_rgb.jpg"), quality=90, icc_profile=linear)
    im.save(os.path.join(a.out, "icc_linear_rgb.png"), icc_profile=linear)
    im.convert("CMYK").save(os.path.join(a.out, "cmyk.jpg"), quality=90)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90; neither PIL's open nor timm applies it
    im.save(os.path.join(a.out, "exif_orientation.jpg"), quality=90, exif=exif.tobytes())
    im.save(os.path.join(a.out, "progressive_422.jpg"), quality=80, subsampling=1, progressive=True)
    png16(os.path.join(a.out, "rgb16.png"),
          (rich(rng, 45, 33).astype(np.uint16) * 257 + rng.integers(0, 257, (33, 45, 3))).astype(np.uint16))
    pal = im.convert("P", palette=Image.ADAPTIVE, colors=32)
    pal.save(os.path.join(a.out, "palette_transparency.png"), transparency=3)
    im.convert("1").save(os.path.join(a.out, "bilevel.png"))
    with open(a.tsv, "w") as out:
        out.write("file\twidth\theight\trgb_sha256\n")
        for f in sorted(os.listdir(a.out)):
            rgb = Image.open(os.path.join(a.out, f)).convert("RGB")
            sha = hashlib.sha256(np.asarray(rgb, dtype=np.uint8).tobytes()).hexdigest()
            out.write("%s\t%d\t%d\t%s\n" % (f, rgb.width, rgb.height, sha))


if __name__ == "__main__":
    main()
