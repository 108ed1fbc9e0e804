"""PyTorch's time for the benchmark's MLP training step (issue 20), on the
same numbers as the JavaScript engines: inputs, targets and initial weights
come from the xorshift generator of bench/src/data.ts, reimplemented here
(batchData and layerWeights), so the first step's loss can be compared with
chainrule's.

The step (src/engines/chainrule-training.ts): Linear 784->128, sigmoid,
Linear 128->10, sigmoid, mean squared error against one-hot targets, plain
SGD with lr 0.1, float32.

Usage: python3 mlp_step.py --batch 256 --warmup 20 --repeats 101 [--threads 2]
Prints one JSON line: {"median_ms": ..., "first_loss": ..., "runs": [...]}.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F

from bench_data import uniform_array


def layer(inputs, outputs, seed):
    bound = 1 / math.sqrt(inputs)
    w = uniform_array(outputs * inputs, seed, bound).reshape(outputs, inputs).requires_grad_()
    b = uniform_array(outputs, seed + 1, bound).requires_grad_()
    return w, b


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--sizes", default="784,128,10")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=101)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    n_in, n_hidden, n_out = (int(v) for v in args.sizes.split(","))

    # batchData(batch, in, out, 5): |uniform| inputs (abs of the float32 value), one-hot targets.
    x = uniform_array(args.batch * n_in, 5).reshape(args.batch, n_in).abs()
    y = torch.zeros(args.batch, n_out)
    for i in range(args.batch):
        y[i, i % n_out] = 1
    w1, b1 = layer(n_in, n_hidden, 11)
    w2, b2 = layer(n_hidden, n_out, 13)
    optimizer = torch.optim.SGD([w1, b1, w2, b2], lr=0.1)

    def step():
        optimizer.zero_grad()
        out = torch.sigmoid(F.linear(torch.sigmoid(F.linear(x, w1, b1)), w2, b2))
        loss = F.mse_loss(out, y)
        loss.backward()
        optimizer.step()
        return loss.item()

    first_loss = step()
    for _ in range(args.warmup):
        step()
    runs = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        step()
        runs.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"median_ms": statistics.median(runs), "first_loss": first_loss, "runs": runs}))


if __name__ == "__main__":
    main()
