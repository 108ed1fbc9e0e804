"""A micrograd-style scalar autograd engine in plain Python, written for this
benchmark, timing the same workload as chainrule's Value case: forward and
backward of a sigmoid MLP built neuron by neuron over a set of points.

Usage: python3 value_mlp.py --points 100 --sizes 2,16,16,1 --repeats 5
Prints one JSON line: {"median_ms": ..., "runs": [...]}.
"""
import argparse
import json
import math
import random
import time


class Scalar:
    __slots__ = ("data", "grad", "inputs", "backward_rule")

    def __init__(self, data, inputs=(), backward_rule=None):
        self.data = data
        self.grad = 0.0
        self.inputs = inputs
        self.backward_rule = backward_rule

    def __add__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        out = Scalar(self.data + other.data, (self, other))

        def rule():
            self.grad += out.grad
            other.grad += out.grad

        out.backward_rule = rule
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        out = Scalar(self.data * other.data, (self, other))

        def rule():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out.backward_rule = rule
        return out

    def __sub__(self, other):
        return self + (-other if not isinstance(other, Scalar) else other * -1.0)

    def square(self):
        out = Scalar(self.data * self.data, (self,))

        def rule():
            self.grad += 2.0 * self.data * out.grad

        out.backward_rule = rule
        return out

    def sigmoid(self):
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        out = Scalar(s, (self,))

        def rule():
            self.grad += s * (1.0 - s) * out.grad

        out.backward_rule = rule
        return out

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for child in node.inputs:
                if id(child) not in seen:
                    stack.append((child, False))
        self.grad = 1.0
        for node in reversed(order):
            if node.backward_rule is not None:
                node.backward_rule()


def run(points, sizes, rng):
    layers = [
        [([Scalar(rng.uniform(-1, 1)) for _ in range(sizes[l])], Scalar(0.0)) for _ in range(sizes[l + 1])]
        for l in range(len(sizes) - 1)
    ]
    xs = [[rng.uniform(-1, 1) for _ in range(sizes[0])] for _ in range(points)]
    ys = [1.0 if x[0] * x[1] > 0 else 0.0 for x in xs]
    start = time.perf_counter()
    loss = Scalar(0.0)
    for x, y in zip(xs, ys):
        acts = x
        for layer in layers:
            new = []
            for weights, bias in layer:
                z = bias
                for w, a in zip(weights, acts):
                    z = z + w * a
                new.append(z.sigmoid())
            acts = new
        loss = loss + (acts[0] - y).square()
    loss.backward()
    return (time.perf_counter() - start) * 1000.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--sizes", default="2,16,16,1")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(0)
    runs = [run(args.points, sizes, rng) for _ in range(args.repeats)]
    print(json.dumps({"median_ms": sorted(runs)[len(runs) // 2], "runs": runs}))


if __name__ == "__main__":
    main()
