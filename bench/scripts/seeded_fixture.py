#!/usr/bin/python3
"""A timm-initialised checkpoint made the way ../shared/fixtures/timm's are, for zoo models that have no fixture there.

Int8Bench exports a model with the fixture's weights where one exists and with VitRT's own random initialisation
otherwise; the latter is a harsher and less realistic case for INT8 (no BatchNorm statistics to speak of). This script
writes NAME.safetensors with timm's own initialisation (torch.manual_seed(SEED)) and sane BatchNorm statistics (mean
N(0, 0.1), var in [0.5, 1.5]), in timm's state-dict layout, as F32 (num_batches_tracked as int64), so that Int8Bench
--fixtures DIR scores the model as it scores mobilevitv2_050's fixture.

usage: PYTHONPATH=timm-src /usr/bin/python3 bench/scripts/seeded_fixture.py --model mobilevitv2_100 --out DIR [--seed 0]
"""
import argparse
import json
import os
import struct

import numpy as np
import torch

import timm


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    model = timm.create_model(a.model).eval()
    g = torch.Generator().manual_seed(a.seed + 1)
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.running_mean.copy_(torch.randn(m.num_features, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=g) + 0.5)
    header, blobs, offset = {}, [], 0
    for k, t in model.state_dict().items():
        arr = t.numpy()  # tobytes() writes C order; ascontiguousarray would make a scalar 1-D
        code = {np.dtype("float32"): "F32", np.dtype("int64"): "I64"}[arr.dtype]
        b = arr.tobytes()
        header[k] = {"dtype": code, "shape": list(arr.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, a.model + ".safetensors")
    with open(path + ".part", "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(path + ".part", path)
    print(path)


if __name__ == "__main__":
    main()
