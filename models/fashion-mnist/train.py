#!/usr/bin/python3
"""Train a small CNN on Fashion-MNIST and export it as TorchScript.

Reads the Debian package dataset-fashion-mnist directly (no downloads):
  /usr/share/datasets/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz

Outputs (in --out-dir, default: this script's directory):
  model.pt    TorchScript (torch.jit.trace), input N x 1 x 28 x 28 float32
              normalized as (uint8/255 - 0.2860)/0.3530, output raw logits N x 10
  labels.txt  the 10 class names, one per line, in class-index order

Usage: /usr/bin/python3 models/fashion-mnist/train.py [--out-dir DIR] [--epochs 2]
"""
import argparse
import gzip
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA_DIR = "/usr/share/datasets/fashion-mnist"
MEAN = 0.2860
STD = 0.3530
SEED = 42
LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(path):
    """Read an IDX file (gzip) into a numpy uint8 array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic >> 8 != 0x08:  # 0x08 = unsigned byte
        raise ValueError(f"{path}: unexpected IDX type in magic {magic:#x}")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return arr.reshape(dims)


def load_split(prefix):
    images = read_idx(os.path.join(DATA_DIR, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA_DIR, f"{prefix}-labels-idx1-ubyte.gz"))
    assert images.shape[0] == labels.shape[0]
    return images, labels


def normalize(images_u8):
    """uint8 N x 28 x 28 -> float32 N x 1 x 28 x 28, (x/255 - mean)/std."""
    x = torch.from_numpy(images_u8.astype(np.float32) / 255.0)
    return ((x - MEAN) / STD).unsqueeze(1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)   # 32 x 14 x 14
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)   # 64 x 7 x 7
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)                           # raw logits


def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            pred = model(x[i:i + batch]).argmax(1)
            correct += (pred == y[i:i + batch]).sum().item()
    return correct / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    args = ap.parse_args()

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(2)

    t0 = time.time()
    train_x, train_y = load_split("train")
    test_x, test_y = load_split("t10k")
    print(f"train {train_x.shape}, test {test_x.shape}")
    xtr, ytr = normalize(train_x), torch.from_numpy(train_y.astype(np.int64))
    xte, yte = normalize(test_x), torch.from_numpy(test_y.astype(np.int64))

    model = Net()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    gen = torch.Generator().manual_seed(SEED)
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        total, n = 0.0, 0
        te = time.time()
        for i in range(0, len(xtr), args.batch_size):
            idx = perm[i:i + args.batch_size]
            opt.zero_grad()
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            n += len(idx)
        acc = evaluate(model, xte, yte)
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / n:.4f}, "
              f"test acc {acc * 100:.2f}% ({time.time() - te:.0f}s)")

    model.eval()
    os.makedirs(args.out_dir, exist_ok=True)
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.zeros(1, 1, 28, 28))
    model_path = os.path.join(args.out_dir, "model.pt")
    traced.save(model_path)
    with open(os.path.join(args.out_dir, "labels.txt"), "w") as f:
        f.write("\n".join(LABELS) + "\n")

    # Check the exported file, not the Python module.
    loaded = torch.jit.load(model_path)
    acc = evaluate(loaded, xte, yte)
    print(f"wrote {model_path} ({os.path.getsize(model_path)} bytes)")
    print(f"test accuracy (TorchScript, {len(xte)} test images): {acc * 100:.2f}%")
    print(f"total time {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
