#!/usr/bin/python3
"""Trains the LeNet-5 of the sample on the UCI digits and writes its weights and a few test digits.

Run from the repository root with Debian's interpreter (the one that has torch and sklearn):

    /usr/bin/python3 samples/LeNet5/data/make_data.py

Data: sklearn.datasets.load_digits() (1797 8x8 images, pixels 0..16), read from the copy Debian's
python3-sklearn ships (see README.md). Pixels are scaled to [0, 1] and each image is upsampled to 32x32
by nearest neighbour (x4), the input size of LeNet-5.

Writes, next to this script:
  lenet5.safetensors         the trained nn.Sequential state_dict ("0.weight", "0.bias", "3.weight", ...)
  digits-sample.safetensors  "images" [16,1,32,32] F32, "labels" [16] I64 and "logits" [16,10] F32:
                             16 test-split images, their true labels and PyTorch's outputs for them
"""

import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 0
EPOCHS = 12
BATCH = 32
SAMPLE = 16


def write_safetensors(path, tensors):
    """safetensors by hand: u64 LE header length, JSON header padded with spaces to 8 bytes, raw LE data."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        dtype, arr = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8")}[t.dtype]
        data = t.numpy().astype(arr).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def lenet5():
    """The network of the sample's declaration, layer for layer (so the state_dict indices match):
    [Network(1, 32, 32)]
    [Conv2d(6, 5), ReLU, MaxPool2d(2)]
    [Conv2d(16, 5), ReLU, MaxPool2d(2)]
    [Flatten, Linear(120), ReLU, Linear(84), ReLU, Linear(10)]
    """
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return (model(x).argmax(1) == y).float().mean().item()


def main():
    torch.set_num_threads(1)
    torch.manual_seed(SEED)

    digits = load_digits()
    images = torch.from_numpy(digits.images.astype(np.float32) / 16.0).unsqueeze(1)  # [1797, 1, 8, 8]
    images = F.interpolate(images, scale_factor=4, mode="nearest")                    # [1797, 1, 32, 32]
    labels = torch.from_numpy(digits.target.astype(np.int64))

    perm = torch.from_numpy(np.random.RandomState(SEED).permutation(len(labels)))
    n_train = int(0.8 * len(labels))
    train, test = perm[:n_train], perm[n_train:]
    x_train, y_train, x_test, y_test = images[train], labels[train], images[test], labels[test]
    print("digits: %d train, %d test" % (len(train), len(test)))

    model = lenet5()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(SEED)
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(n_train, generator=gen)
        total = 0.0
        for i in range(0, n_train, BATCH):
            idx = order[i:i + BATCH]
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        print("epoch %2d  loss %.4f  train acc %.4f  test acc %.4f" % (
            epoch + 1, total / n_train, accuracy(model, x_train, y_train), accuracy(model, x_test, y_test)))

    test_acc = accuracy(model, x_test, y_test)
    print("final test accuracy: %.2f%% (%d/%d)" % (100 * test_acc, round(test_acc * len(test)), len(test)))
    assert test_acc > 0.95, "expected > 95% test accuracy"

    model.eval()
    write_safetensors(os.path.join(HERE, "lenet5.safetensors"), model.state_dict())

    sample_x, sample_y = x_test[:SAMPLE].contiguous(), y_test[:SAMPLE].contiguous()
    with torch.no_grad():
        logits = model(sample_x)
    write_safetensors(os.path.join(HERE, "digits-sample.safetensors"),
                      {"images": sample_x, "labels": sample_y, "logits": logits})
    print("sample labels:      ", sample_y.tolist())
    print("sample predictions: ", logits.argmax(1).tolist())


if __name__ == "__main__":
    main()
