#!/usr/bin/python3
"""PyTorch's side of the training-step benchmark: one step of the Digits sample's network, one thread.

Run from the repository root with Debian's interpreter (the one that has torch 1.13), after the C# side has
written the weights and data:

    dotnet run -c Release --project tests/ConvGen.Benchmarks -- training-step-save
    /usr/bin/python3 tests/ConvGen.Benchmarks/pytorch/train_step.py [PATH]

PATH defaults to BenchmarkDotNet.Artifacts/training-step.safetensors. The file holds DigitsNet's initial
state_dict (ConvGen's names, which are nn.Sequential's), 32 inputs and labels, ConvGen's first step with
Dropout off for batch 1 and 32 (loss, gradients, state_dict after the update), and the SGD settings.

1. Check: the same network with Dropout(p=0) takes one step from those weights; its loss, gradients and updated
   state_dict must match ConvGen's (Dropout masks come from different generators, so with p > 0 they cannot).
2. Time: with Dropout(p=0.25), as DigitsNet declares it, the step TrainingStepBenchmarks.Step times:
   forward (train mode), F.cross_entropy, zero_grad, backward, SGD step; and the forward alone.
   Each figure is the median over ROUNDS rounds of the mean time per step in a round, after a warm-up.
"""

import copy
import json
import os
import statistics
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULT_PATH = os.path.join("BenchmarkDotNet.Artifacts", "training-step.safetensors")
BATCHES = (1, 32)
DROPOUT_P = 0.25
WARMUP_SECONDS = 1.0
ROUND_SECONDS = 0.5
ROUNDS = 7
# Largest |ConvGen - PyTorch| allowed, relative to the largest |PyTorch| value of the tensor.
TOLERANCE = 1e-4


def read_safetensors(path):
    """Returns (tensors by name, metadata). Tensors may come in any order (ConvGen writes int64 ones first)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    body = raw[8 + n:]
    dtypes = {"F32": "<f4", "I64": "<i8"}
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(body[begin:end], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(array.copy())
    return tensors, metadata


def digits_net(dropout_p):
    """samples/Digits/DigitsNet.cs, layer for layer: index i of the Sequential is ConvGen's layer #i."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(dropout_p), nn.Linear(256, 10),
    )


class Step:
    """A network, its SGD optimizer and one batch, as TrainingStepBenchmarks sets them up."""

    def __init__(self, data, metadata, batch, dropout_p):
        self.net = digits_net(dropout_p)
        state = {k: v for k, v in data.items() if k not in ("input", "labels") and not k.startswith("check.")}
        self.net.load_state_dict(state, strict=True)
        self.net.train()
        self.optimizer = torch.optim.SGD(
            self.net.parameters(), lr=float(metadata["learning_rate"]), momentum=float(metadata["momentum"]))
        self.x = data["input"][:batch].contiguous()
        self.y = data["labels"][:batch].contiguous()

    def step(self):
        loss = F.cross_entropy(self.net(self.x), self.y)
        self.optimizer.zero_grad(set_to_none=False)
        loss.backward()
        self.optimizer.step()
        return loss

    def forward(self):
        return self.net(self.x)


def relative_difference(actual, expected, scale=None):
    """max |actual - expected| / scale, by default / max |expected|."""
    actual, expected = actual.double(), expected.double()
    scale = expected.abs().max().item() if scale is None else scale
    diff = (actual - expected).abs().max().item()
    return diff / scale if scale > 0 else diff


def smallest_pool_gap(net, x):
    """The smallest relative gap between the two largest values of a positive 2x2 max-pool window in a forward of x.

    Where it is tiny, float rounding can make the two engines pick different maxima and route the gradient to
    different elements: a tie, not an error. The fixture's inputs are chosen to keep it at or above 1e-4.
    """
    gaps = []

    def hook(module, inputs, output):
        w = inputs[0].detach()
        n, c, h, wd = w.shape
        windows = w.unfold(2, 2, 2).unfold(3, 2, 2).reshape(n, c, h // 2, wd // 2, 4)
        top = windows.topk(2, dim=-1).values
        positive = top[..., 0] > 0
        relative = (top[..., 0] - top[..., 1]) / torch.where(positive, top[..., 0], torch.ones_like(top[..., 0]))
        gaps.append(torch.where(positive, relative, torch.ones_like(relative)).min().item())

    handles = [m.register_forward_hook(hook) for m in net if isinstance(m, nn.MaxPool2d)]
    with torch.no_grad():
        net(x)
    for h in handles:
        h.remove()
    return min(gaps)


def check(data, metadata):
    """ConvGen's first step without dropout against PyTorch's; returns the worst relative difference."""
    worst = 0.0
    for batch in (int(b) for b in metadata["check_batches"].split(",")):
        prefix = "check.b%d." % batch
        s = Step(data, metadata, batch, dropout_p=0.0)
        # Measured on a copy: the forward in train mode updates BatchNorm's running statistics.
        gap = smallest_pool_gap(copy.deepcopy(s.net), s.x)
        loss = s.step()
        rows = [("loss", relative_difference(loss.detach().reshape(1), data[prefix + "loss"]))]
        # A convolution bias feeding BatchNorm has a true gradient of 0 (BatchNorm subtracts the channel mean), so both
        # sides hold rounding noise there: gradients are measured against the largest gradient of the step.
        grad_scale = max(p.grad.abs().max().item() for p in s.net.parameters())
        rows += [("grad " + name, relative_difference(p.grad, data[prefix + "grad." + name], grad_scale))
                 for name, p in s.net.named_parameters()]
        rows += [("after " + name, relative_difference(t, data[prefix + "after." + name]))
                 for name, t in s.net.state_dict().items()]
        name, diff = max(rows, key=lambda r: r[1])
        print("check batch %2d: loss PyTorch %.7f, ConvGen %.7f; %d tensors, worst relative difference %.1e (%s); "
              "smallest max-pool gap %.1e" % (batch, loss.item(), data[prefix + "loss"].item(), len(rows), diff, name, gap))
        if diff > TOLERANCE and gap < 1e-5:
            print("  a max-pool window holds a near tie: the engines may route its gradient differently; try other inputs")
        worst = max(worst, diff)
    return worst


def time_per_call(fn):
    """Median over ROUNDS rounds of the mean seconds per call; each round runs about ROUND_SECONDS."""
    start = time.perf_counter()
    calls = 0
    while time.perf_counter() - start < WARMUP_SECONDS:
        fn()
        calls += 1
    per_round = max(1, int(calls * ROUND_SECONDS / (time.perf_counter() - start)))
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(per_round):
            fn()
        rounds.append((time.perf_counter() - start) / per_round)
    return statistics.median(rounds), min(rounds), max(rounds)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_PATH
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    data, metadata = read_safetensors(path)
    print("torch %s, %d thread(s), SGD lr %s momentum %s"
          % (torch.__version__, torch.get_num_threads(), metadata["learning_rate"], metadata["momentum"]))

    worst = check(data, metadata)
    if worst > TOLERANCE:
        print("FAILED: ConvGen and PyTorch disagree (worst %.1e > %.0e)" % (worst, TOLERANCE))
        return 1

    print("| Batch | PyTorch step | PyTorch forward (train) | step min .. max |")
    print("|---:|---:|---:|---:|")
    for batch in BATCHES:
        s = Step(data, metadata, batch, dropout_p=DROPOUT_P)
        step, low, high = time_per_call(s.step)
        forward, _, _ = time_per_call(s.forward)
        print("| %d | %.1f µs | %.1f µs | %.1f .. %.1f µs |" % (batch, step * 1e6, forward * 1e6, low * 1e6, high * 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
