#!/usr/bin/python3
"""Export an UNTRAINED torchvision ResNet-50 as TorchScript, for throughput tests only.

Weights are random (torch.manual_seed(0), weights=None): predictions are
meaningless; the model has ResNet-50's real compute cost. Nothing is downloaded.

Writes next to --out: model.json (descriptor) and labels.txt (class-0..class-999).
The .pt is ~100 MB: regenerate it, never commit it (see .gitignore).

Usage: /usr/bin/python3 load-tests/models/export_resnet50.py [--out load-tests/models/resnet50/model.pt]
"""
import argparse
import json
import os

import torch
import torchvision

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "resnet50", "model.pt")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(2)
    model = torchvision.models.resnet50(weights=None).eval()
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.zeros(1, 3, 224, 224))
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    traced.save(args.out)

    with open(os.path.join(out_dir, "labels.txt"), "w") as f:
        f.write("".join(f"class-{i}\n" for i in range(1000)))
    descriptor = {
        "name": "resnet50-untrained",
        "version": "1",
        "file": os.path.basename(args.out),
        "input": {"channels": 3, "height": 224, "width": 224},
        "normalize": {"scale": 255.0, "mean": [0.485, 0.456, 0.406],
                      "std": [0.229, 0.224, 0.225]},
        "output": {"kind": "classes", "labels": "labels.txt", "topK": 5},
        "notes": "torchvision ResNet-50 with RANDOM, untrained weights (seed 0): "
                 "its predictions are meaningless; use it only for throughput/load tests.",
    }
    with open(os.path.join(out_dir, "model.json"), "w") as f:
        json.dump(descriptor, f, indent=2)
        f.write("\n")

    # Sanity check: the saved file loads and gives N x 1000 logits.
    loaded = torch.jit.load(args.out)
    with torch.no_grad():
        y = loaded(torch.zeros(2, 3, 224, 224))
    assert tuple(y.shape) == (2, 1000), y.shape
    print(f"wrote {args.out} ({os.path.getsize(args.out) / 1e6:.1f} MB), "
          f"model.json, labels.txt; output shape {tuple(y.shape)}")


if __name__ == "__main__":
    main()
