#!/usr/bin/python3
"""Labels images with a timm model's own top-1 predictions, made the way timm's validate.py makes them.

Loads timm model NAME (random init, then the given timm-layout .safetensors checkpoint), builds timm's eval
transform from the model's pretrained config (resolve_data_config + create_transform: PIL decode, convert('RGB'),
Resize(shorter side = floor(size / crop_pct), bicubic), CenterCrop, ToTensor, Normalize), and predicts each image.

Writes a TSV (one row per image, sorted by file name):
  file  top1  synset  top5(comma-separated)  margin(top1 - top2 logit)  crop_sha256
where crop_sha256 is the SHA-256 of the centre crop's 8-bit RGB bytes (row-major, r,g,b) before ToTensor: any other
implementation of the transform can be checked against PIL's, image by image, without storing the crops.

usage: PYTHONPATH=timm-src timm_labels.py --model NAME --checkpoint X.safetensors --images DIR --out labels.tsv
       [--folder OUTDIR]  (also copy each image into OUTDIR/<synset>/, an ImageFolder timm's validate.py reads)
"""
import argparse
import hashlib
import json
import os
import shutil
import struct

import numpy as np
import torch
from PIL import Image

import timm
from timm.data import create_transform, resolve_data_config

DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": None, "I64": np.int64, "F64": np.float64}


def read_safetensors(path):
    """The tensors of a .safetensors file (format: u64 header length, JSON header, raw little-endian data)."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        arr = np.frombuffer(data[a:b], dtype=DTYPES[v["dtype"]]).reshape(v["shape"])
        t = torch.from_numpy(arr.copy())
        out[k] = t.float() if t.is_floating_point() else t
    return out


def synsets():
    path = os.path.join(os.path.dirname(timm.__file__), "data", "_info", "imagenet_synsets.txt")
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--images", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--folder")
    a = p.parse_args()
    torch.set_grad_enabled(False)
    model = timm.create_model(a.model, pretrained=False)
    model.load_state_dict(read_safetensors(a.checkpoint))
    model.eval()
    cfg = resolve_data_config({}, model=model)
    transform = create_transform(**cfg)
    pil_part = [t for t in transform.transforms if type(t).__name__ in ("Resize", "CenterCrop")]
    print("timm", timm.__version__, "config", cfg)
    print("transform", transform)
    names = synsets()
    rows = []
    files = sorted(f for f in os.listdir(a.images) if f.lower().endswith((".jpg", ".jpeg", ".png")))
    for f in files:
        img = Image.open(os.path.join(a.images, f)).convert("RGB")
        crop = img
        for t in pil_part:
            crop = t(crop)
        sha = hashlib.sha256(np.asarray(crop, dtype=np.uint8).tobytes()).hexdigest()
        x = transform(img).unsqueeze(0)
        logits = model(x)[0]
        top = torch.topk(logits, 5)
        idx = top.indices.tolist()
        margin = float(top.values[0] - top.values[1])
        rows.append((f, idx[0], names[idx[0]], ",".join(map(str, idx)), "%.6g" % margin, sha))
    with open(a.out, "w") as out:
        out.write("file\ttop1\tsynset\ttop5\tmargin\tcrop_sha256\n")
        for r in rows:
            out.write("\t".join(map(str, r)) + "\n")
    if a.folder:
        for f, _, syn, *_ in rows:
            os.makedirs(os.path.join(a.folder, syn), exist_ok=True)
            shutil.copy(os.path.join(a.images, f), os.path.join(a.folder, syn, f))
    classes = sorted(set(r[1] for r in rows))
    print("%d images, %d distinct top-1 classes" % (len(rows), len(classes)))


if __name__ == "__main__":
    main()
