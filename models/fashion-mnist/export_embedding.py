#!/usr/bin/python3
"""Export the Fashion-MNIST CNN's penultimate layer as a TorchScript feature extractor.

Takes the trained weights from the classifier that train.py wrote (models/fashion-mnist/model.pt,
seed 42: the same weights a re-run of train.py gives), so nothing is retrained and the embedding
model always matches the bundled classifier. Before exporting it checks that the weights, put back
into train.py's Net, give bit-identical logits to the TorchScript classifier on the 10k test set.

Outputs (in --out-dir, default: models/fashion-mnist-embedding next to this script's folder):
  model.pt    TorchScript (torch.jit.trace, eval mode), input N x 1 x 28 x 28 float32 normalized
              as (uint8/255 - 0.2860)/0.3530 (as the classifier), output N x 128: relu(fc1(...)),
              the layer before the classifier's last linear layer (not L2-normalized; model.json
              asks the pipeline to normalize)
  model.json  the descriptor the inference service reads (output.kind "embedding")

Usage: /usr/bin/python3 models/fashion-mnist/export_embedding.py [--classifier PATH] [--out-dir DIR]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import train  # noqa: E402  (Net, the data reader and the normalization constants)

DIMENSION = 128


class FeatureExtractor(nn.Module):
    """train.Net without its last layer: the 128-d activation fed to fc2."""

    def __init__(self, net):
        super().__init__()
        self.conv1 = net.conv1
        self.conv2 = net.conv2
        self.fc1 = net.fc1

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        return F.relu(self.fc1(x))                   # N x 128


def batched(module, x, batch=1000):
    """module(x) in batches (the whole test set at once would need about 1 GB for conv1's output)."""
    return torch.cat([module(x[i:i + batch]) for i in range(0, len(x), batch)])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--classifier", default=os.path.join(HERE, "model.pt"),
                    help="the trained TorchScript classifier written by train.py")
    ap.add_argument("--out-dir", default=os.path.join(os.path.dirname(HERE), "fashion-mnist-embedding"))
    args = ap.parse_args()

    torch.manual_seed(train.SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)

    scripted = torch.jit.load(args.classifier).eval()
    net = train.Net()
    net.load_state_dict(scripted.state_dict())
    net.eval()

    test_x, _ = train.load_split("t10k")
    x = train.normalize(test_x)
    with torch.no_grad():
        expected_logits = batched(scripted, x)
        if not torch.equal(batched(net, x), expected_logits):
            raise SystemExit(f"{args.classifier}: weights put back into train.Net do not reproduce its logits")
        extractor = FeatureExtractor(net).eval()
        traced = torch.jit.trace(extractor, torch.zeros(1, 1, 28, 28))
        features = batched(extractor, x)
        # The features are exactly what the classifier's last layer sees.
        if not torch.allclose(net.fc2(features), expected_logits, atol=1e-5):
            raise SystemExit("features do not feed the classifier's logits")

    os.makedirs(args.out_dir, exist_ok=True)
    model_path = os.path.join(args.out_dir, "model.pt")
    traced.save(model_path)
    descriptor = {
        "name": "fashion-mnist-cnn-embedding", "version": "1", "file": "model.pt",
        "input": {"channels": 1, "height": 28, "width": 28},
        "normalize": {"scale": 255.0, "mean": [train.MEAN], "std": [train.STD]},
        "output": {"kind": "embedding", "dimension": DIMENSION, "normalize": True},
        "notes": "Penultimate layer (relu(fc1), 128-d) of the bundled fashion-mnist-cnn:1 classifier; "
                 "export_embedding.py in models/fashion-mnist.",
    }
    head = ", ".join(f"{json.dumps(k)}: {json.dumps(descriptor.pop(k))}" for k in ("name", "version", "file"))
    rest = [f" {json.dumps(k)}: {json.dumps(v)}" for k, v in descriptor.items()]
    with open(os.path.join(args.out_dir, "model.json"), "w") as f:
        f.write("{" + ",\n".join([head] + rest) + "}\n")  # the layout of the classifier's model.json

    # Check the exported file, not the Python module.
    loaded = torch.jit.load(model_path)
    with torch.no_grad():
        out = batched(loaded, x)
    if tuple(out.shape) != (len(x), DIMENSION) or not torch.equal(out, features):
        raise SystemExit(f"{model_path}: exported extractor gives {tuple(out.shape)}, not the features")
    zero_rows = int((out.abs().sum(1) == 0).sum())
    print(f"wrote {model_path} ({os.path.getsize(model_path)} bytes): output {tuple(out.shape)}, "
          f"{zero_rows} all-zero rows, mean L2 norm {out.norm(dim=1).mean():.3f}")
    print(f"sample 0 features [0:4]: {np.array2string(out[0, :4].numpy(), precision=6)}")


if __name__ == "__main__":
    main()
