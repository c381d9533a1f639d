#!/usr/bin/python3
"""Seeded synthetic images for preprocessing and accuracy checks (no network needed).

Each image mixes a colour gradient, sinusoidal gratings (random frequency and orientation), random filled shapes,
lines and a little noise, so that global colour and texture statistics differ from image to image. Sizes, aspect
ratios, file formats and pixel modes vary: JPEG (several qualities, 4:4:4 / 4:2:2 / 4:2:0 chroma subsampling,
progressive, grayscale), PNG (RGB, RGBA, palette, grayscale, gray+alpha).

usage: make_images.py --seed S --count N --out DIR [--min-side A] [--max-side B]
"""
import argparse
import math
import os
import random

import numpy as np
from PIL import Image, ImageDraw

KINDS = [
    ("jpeg", "RGB", dict(quality=90, subsampling=2)),
    ("jpeg", "RGB", dict(quality=75, subsampling=2)),
    ("jpeg", "RGB", dict(quality=95, subsampling=0)),
    ("jpeg", "RGB", dict(quality=85, subsampling=1)),
    ("jpeg", "RGB", dict(quality=88, subsampling=2, progressive=True)),
    ("jpeg", "L", dict(quality=90)),
    ("png", "RGB", {}),
    ("png", "RGBA", {}),
    ("png", "P", {}),
    ("png", "L", {}),
    ("png", "LA", {}),
]


def draw_image(rng, nrng, w, h, noise):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.zeros((h, w, 3), np.float32)
    c0 = np.array([rng.uniform(0, 255) for _ in range(3)], np.float32)
    c1 = np.array([rng.uniform(0, 255) for _ in range(3)], np.float32)
    ang = rng.uniform(0, math.pi)
    t = (xx * math.cos(ang) + yy * math.sin(ang)) / max(w, h)
    t = (t - t.min()) / max(1e-6, t.max() - t.min())
    base += c0 * (1 - t[..., None]) + c1 * t[..., None]
    for _ in range(rng.randint(1, 3)):
        freq = rng.uniform(2, 60) / max(w, h)
        a = rng.uniform(0, math.pi)
        amp = np.array([rng.uniform(-60, 60) for _ in range(3)], np.float32)
        g = np.sin(2 * math.pi * freq * (xx * math.cos(a) + yy * math.sin(a)) + rng.uniform(0, 6.3))
        base += g[..., None] * amp
    img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    for _ in range(rng.randint(3, 25)):
        col = tuple(rng.randint(0, 255) for _ in range(3))
        x0, y0 = rng.uniform(-0.2, 1.0) * w, rng.uniform(-0.2, 1.0) * h
        x1, y1 = x0 + rng.uniform(0.05, 0.6) * w, y0 + rng.uniform(0.05, 0.6) * h
        kind = rng.randint(0, 3)
        if kind == 0:
            d.ellipse([x0, y0, x1, y1], fill=col)
        elif kind == 1:
            d.rectangle([x0, y0, x1, y1], fill=col)
        elif kind == 2:
            pts = [(rng.uniform(0, w), rng.uniform(0, h)) for _ in range(rng.randint(3, 6))]
            d.polygon(pts, fill=col)
        else:
            d.line([x0, y0, x1, y1], fill=col, width=rng.randint(1, 8))
    arr = np.asarray(img).astype(np.float32)
    arr += nrng.normal(0, rng.uniform(0, noise), arr.shape).astype(np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def convert(img, mode, rng):
    if mode == "RGB":
        return img
    if mode == "L":
        return img.convert("L")
    if mode == "P":
        return img.convert("P", palette=Image.ADAPTIVE, colors=rng.choice([16, 64, 256]))
    alpha = Image.linear_gradient("L").resize(img.size).rotate(rng.uniform(0, 360))
    if mode == "RGBA":
        out = img.copy()
        out.putalpha(alpha)
        return out
    out = img.convert("L").convert("LA")
    out.putalpha(alpha)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--min-side", type=int, default=64)
    p.add_argument("--max-side", type=int, default=480)
    a = p.parse_args()
    rng = random.Random(a.seed)
    nrng = np.random.default_rng(a.seed)
    os.makedirs(a.out, exist_ok=True)
    for i in range(a.count):
        aspect = math.exp(rng.uniform(math.log(1 / 3), math.log(3)))
        area = rng.uniform(a.min_side, a.max_side) ** 2
        w = max(8, min(int(round(math.sqrt(area * aspect))), 3 * a.max_side))
        h = max(8, min(int(round(math.sqrt(area / aspect))), 3 * a.max_side))
        fmt, mode, opts = KINDS[i % len(KINDS)]
        # sensor-like noise gives JPEGs texture; PNGs get less, to keep files small
        img = convert(draw_image(rng, nrng, w, h, 12 if fmt == "jpeg" else 3), mode, rng)
        name = "img%04d_%s_%dx%d.%s" % (i, mode.lower(), w, h, "jpg" if fmt == "jpeg" else "png")
        img.save(os.path.join(a.out, name), format=fmt.upper(), **opts)


if __name__ == "__main__":
    main()
