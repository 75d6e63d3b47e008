#!/usr/bin/python3
"""Write the first N Fashion-MNIST *test* images as 8-bit grayscale PNGs.

Source: Debian package dataset-fashion-mnist (MIT, Zalando Research),
/usr/share/datasets/fashion-mnist/t10k-{images-idx3,labels-idx1}-ubyte.gz.
Pixels are written as-is (no inversion): 0 = black background.

Outputs (in --out-dir, default: this script's directory):
  test-00000.png ... test-<N-1>.png, labels.csv (file,label_index,label)

With --model PATH it also prints the TorchScript model's accuracy on exactly
these images, read back from the PNG files.

Usage: /usr/bin/python3 samples/fashion-mnist/make_samples.py [--count 300] [--model models/fashion-mnist/model.pt]
"""
import argparse
import csv
import gzip
import os
import struct
import zlib

import numpy as np

DATA_DIR = "/usr/share/datasets/fashion-mnist"
LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
MEAN, STD = 0.2860, 0.3530


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic >> 8 != 0x08:
        raise ValueError(f"{path}: unexpected IDX magic {magic:#x}")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def png_gray8(img):
    """Encode a 2-D uint8 array as an 8-bit grayscale PNG (deterministic bytes)."""
    h, w = img.shape
    raw = b"".join(b"\x00" + img[r].tobytes() for r in range(h))  # filter 0 per row

    def chunk(tag, body):
        return (struct.pack(">I", len(body)) + tag + body
                + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)  # 8-bit, color type 0 (gray)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--model", help="TorchScript model to score on the written PNGs")
    args = ap.parse_args()

    images = read_idx(os.path.join(DATA_DIR, "t10k-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA_DIR, "t10k-labels-idx1-ubyte.gz"))
    os.makedirs(args.out_dir, exist_ok=True)
    rows = []
    for i in range(args.count):
        name = f"test-{i:05d}.png"
        with open(os.path.join(args.out_dir, name), "wb") as f:
            f.write(png_gray8(images[i]))
        rows.append((name, int(labels[i]), LABELS[labels[i]]))
    with open(os.path.join(args.out_dir, "labels.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "label_index", "label"])
        w.writerows(rows)
    print(f"wrote {args.count} PNGs and labels.csv to {args.out_dir}")

    if args.model:
        import torch
        from PIL import Image
        torch.set_num_threads(2)
        px = np.stack([np.asarray(Image.open(os.path.join(args.out_dir, r[0])))
                       for r in rows])
        assert px.dtype == np.uint8 and px.shape == (args.count, 28, 28)
        assert np.array_equal(px, images[:args.count]), "PNG round trip differs"
        x = ((torch.from_numpy(px.astype(np.float32) / 255.0) - MEAN) / STD).unsqueeze(1)
        model = torch.jit.load(args.model).eval()
        with torch.no_grad():
            pred = model(x).argmax(1).numpy()
        y = np.array([r[1] for r in rows])
        correct = int((pred == y).sum())
        print(f"model accuracy on these {args.count} images: {correct}/{args.count} "
              f"= {100.0 * correct / args.count:.2f}%")


if __name__ == "__main__":
    main()
