"""Runs chainrule's CLI and the PyTorch reference with the same settings on the
same splits, for several seeds, and prints the test accuracies side by side.

    /usr/bin/python3 examples/mnist/reference/compare.py --seeds 0 1 2 3 4 -- --epochs 20
    /usr/bin/python3 examples/mnist/reference/compare.py --seeds 0 1 2 -- \
        --activation relu --loss cross-entropy --optimizer adam --lr 1e-3 --hidden 256 --epochs 20
    /usr/bin/python3 examples/mnist/reference/compare.py --seeds 0 1 2 3 4 -- --model cnn

Flags after `--` go to both programs (spell them as the CLI does; for the
MLP, --lr is required for the reference unless the default, 3, is meant;
--model cnn brings the same defaults to both). Run from the
repository root after `pnpm install`. Outputs go to --work (default
/tmp/chainrule-mnist-compare); nothing is written into the repository.
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent.parent


def run(cmd):
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--work", default="/tmp/chainrule-mnist-compare")
    p.add_argument("flags", nargs=argparse.REMAINDER)
    args = p.parse_args()
    flags = [f for f in args.flags if f != "--"]
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    cli = ["pnpm", "-s", "demo"]
    rows = []
    for seed in args.seeds:
        split = work / f"split-{seed}.json"
        run(cli + ["split", str(split), "--seed", str(seed)])
        out = work / f"chainrule-{seed}"
        run(cli + ["train", *flags, "--seed", str(seed), "--out", str(out), "--no-progress"])
        ours = json.loads((out / "metrics.json").read_text())
        ref_json = work / f"pytorch-{seed}.json"
        run([sys.executable, str(HERE / "pytorch_mnist.py"), "--split", str(split), *flags, "--seed", str(seed), "--json", str(ref_json)])
        theirs = json.loads(ref_json.read_text())
        row = (seed, ours["finalTestAccuracy"], theirs["epochs"][-1]["testAccuracy"], ours["totalSeconds"], sum(e["seconds"] for e in theirs["epochs"]))
        # CPU seconds too: on a shared machine the wall times stretch with the load.
        cpu = (ours.get("cpuSeconds", float("nan")), sum(e.get("cpuSeconds", float("nan")) for e in theirs["epochs"]))
        rows.append(row)
        print(
            f"seed {seed}: chainrule {row[1] * 100:.2f}%  pytorch {row[2] * 100:.2f}%  "
            f"(wall {row[3]:.0f} s / {row[4]:.0f} s, cpu {cpu[0]:.0f} s / {cpu[1]:.0f} s)",
            flush=True,
        )
    ours = [r[1] * 100 for r in rows]
    theirs = [r[2] * 100 for r in rows]
    spread = lambda xs: statistics.stdev(xs) if len(xs) > 1 else 0.0
    print(f"mean: chainrule {statistics.mean(ours):.2f}% (sd {spread(ours):.2f})  pytorch {statistics.mean(theirs):.2f}% (sd {spread(theirs):.2f})")
    print(f"largest per-seed difference: {max(abs(a - b) for a, b in zip(ours, theirs)):.2f} points")


if __name__ == "__main__":
    main()
