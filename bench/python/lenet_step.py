"""PyTorch's time for the LeNet-5 training step of the benchmark (issue 16),
on the same numbers as the JavaScript engines: the inputs and initial weights
come from the same xorshift generator as bench/src/data.ts, reimplemented
here, so the first step's loss can be compared across engines.

The step: conv 6@5x5 (padding 2 on the 1x28x28 input), ReLU, max-pool 2,
conv 16@5x5, ReLU, max-pool 2, dense 120, ReLU, 84, ReLU, 10, softmax
cross-entropy (mean over the batch), plain SGD with lr 0.01, float32, two
threads by default (the machine's cores).

Usage: python3 lenet_step.py --batch 64 --warmup 10 --repeats 41 [--threads 2]
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


SHAPES = [(6, 1, 5, 5), (16, 6, 5, 5), (120, 400), (84, 120), (10, 84)]


def lenet_params():
    params = []
    for i, shape in enumerate(SHAPES):
        fan_in = math.prod(shape[1:])
        bound = 1 / math.sqrt(fan_in)
        seed = 21 + 2 * i
        params.append(uniform_array(shape[0] * fan_in, seed, bound).reshape(shape).requires_grad_())
        params.append(uniform_array(shape[0], seed + 1, bound).requires_grad_())
    return params


def forward(p, x):
    h = F.max_pool2d(F.relu(F.conv2d(x, p[0], p[1], padding=2)), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, p[2], p[3])), 2).flatten(1)
    h = F.relu(F.linear(h, p[4], p[5]))
    h = F.relu(F.linear(h, p[6], p[7]))
    return F.linear(h, p[8], p[9])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=41)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    x = uniform_array(args.batch * 28 * 28, 17).abs().reshape(args.batch, 1, 28, 28)
    labels = torch.tensor([i % 10 for i in range(args.batch)])
    params = lenet_params()
    optimizer = torch.optim.SGD(params, lr=0.01)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(forward(params, x), labels)
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
