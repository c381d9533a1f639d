#!/usr/bin/python3
"""A seeded timm checkpoint whose top-1 prediction depends on the image (for accuracy checks without real weights).

A randomly initialised network maps every image to nearly the same logits (its features collapse onto one
direction), so its top-1 is one or two classes whatever the input. This script makes a seeded model that
discriminates, with data-dependent initialisation only (no training, no labels):
  1. timm.create_model(NAME) after torch.manual_seed(SEED): timm's own initialisation;
  2. BatchNorm running statistics re-estimated on calibration images (forward passes in train mode with cumulative
     averaging), so every layer sees normalised activations, as in a trained network;
  3. the classifier's bias set so that the mean logit over the calibration images is zero for every class, and its
     weight scaled so that the logits' spread over images is about 1.
Calibration images go through timm's eval transform (PIL); use images other than the ones to be scored.
Weights are written as F16 (or F32) safetensors in timm's state-dict layout (num_batches_tracked as int64).

usage: PYTHONPATH=timm-src make_checkpoint.py --model NAME --seed S --calib DIR --out X.safetensors [--dtype F16]
"""
import argparse
import json
import os
import struct

import numpy as np
import torch
from PIL import Image

import timm
from timm.data import create_transform, resolve_data_config


def write_safetensors(path, tensors, dtype):
    header = {}
    blobs = []
    offset = 0
    for k, t in tensors.items():
        a = t.detach().cpu().numpy()
        if a.dtype == np.float32:
            a = a.astype(np.float16) if dtype == "F16" else a
            code = dtype
        elif a.dtype == np.int64:
            code = "I64"
        else:
            raise ValueError("unexpected dtype %s for %s" % (a.dtype, k))
        b = np.ascontiguousarray(a).tobytes()
        header[k] = {"dtype": code, "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--calib", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--dtype", default="F16", choices=["F16", "F32"])
    p.add_argument("--bn-scale", type=float, default=1.0,
                   help="multiply every BatchNorm weight by this after re-estimating the statistics")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    model = timm.create_model(a.model, pretrained=False)
    transform = create_transform(**resolve_data_config({}, model=model))
    files = sorted(f for f in os.listdir(a.calib) if f.lower().endswith((".jpg", ".jpeg", ".png")))
    x = torch.stack([transform(Image.open(os.path.join(a.calib, f)).convert("RGB")) for f in files])
    # 2. BatchNorm statistics from the data
    for mod in model.modules():
        if isinstance(mod, torch.nn.modules.batchnorm._BatchNorm):
            mod.reset_running_stats()
            mod.momentum = None  # cumulative average over all batches
    model.train()
    with torch.no_grad():
        for b in torch.split(x, 16):
            model(b)
    model.eval()
    if a.bn_scale != 1.0:
        with torch.no_grad():
            for mod in model.modules():
                if isinstance(mod, torch.nn.modules.batchnorm._BatchNorm):
                    mod.weight.mul_(a.bn_scale)
    # 3. classifier bias and scale from the data
    fc = model.get_classifier()
    with torch.no_grad():
        feats = torch.cat([model.forward_head(model.forward_features(b), pre_logits=True) for b in torch.split(x, 16)])
        logits = feats @ fc.weight.t()
        scale = 1.0 / float(logits.std(0).mean())
        fc.weight.mul_(scale)
        fc.bias.copy_(-(logits * scale).mean(0))
        if a.dtype == "F16":  # what the file will hold
            for t in model.state_dict().values():
                if t.is_floating_point():
                    t.copy_(t.half().float())
        top1 = model(x).argmax(1)
    write_safetensors(a.out, model.state_dict(), a.dtype)
    print("%s seed %d: %d calibration images, %d distinct top-1 classes on them; wrote %s"
          % (a.model, a.seed, len(files), len(set(top1.tolist())), a.out))


if __name__ == "__main__":
    main()
