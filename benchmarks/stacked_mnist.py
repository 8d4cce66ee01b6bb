"""Stacked MNIST (1,000 modes), the VEEGAN setting, beside VEEGAN's and PacGAN's tables.

Each image stacks three MNIST training digits as its three channels; its mode
is the digit triple (1,000 of them). The setting of VEEGAN (Srivastava et
al. 2017, Table 2) and PacGAN (Lin et al. 2018, Table 2), as
../shared/notes/benchmarks-reference.md gives it: 128,000 training stacks
(drawn from the 60,000 MNIST training images in ../shared/data/mnist_train),
z 100-d, Adam 2e-4 beta_1 0.5, batch 64, 50 epochs; 26,000 samples, each
channel labelled by the bundled MNIST classifier
(`metrics.stacked_mnist_modes`): the modes covered and KL(mode histogram ||
uniform).

Methods: `dcgan` (DCGAN's networks for 28x28x3), `pacdcgan2` (the same, D
judging pairs), `unrolled5` (DCGAN's networks, G through 5 unrolled D steps)
and `ali` (DCGAN's G, BiGAN's convolutional encoder, Gaussian, and pair D).
`--epochs` shortens a run (50 epochs of 2,000 steps is hours per model on
two CPU cores); the table gives every row's length and marks short ones.
Each run appends a JSON line to the results file; `table` prints the mean
and spread over seeds beside the published rows.

    KERAS_BACKEND=tensorflow python benchmarks/stacked_mnist.py run --method dcgan \
        --epochs 1 --seeds 0
    python benchmarks/stacked_mnist.py table
"""

import argparse
import json
import os
import platform
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "stacked_mnist.jsonl"
PROTOCOL = dict(stacks=128_000, epochs=50, batch_size=64, latent_dim=100, samples=26_000)
METHODS = ("dcgan", "pacdcgan2", "unrolled5", "ali")

# (modes of 1000, KL) as (mean, standard error) or a mean, by source.
PUBLISHED = {
    "dcgan": [("VEEGAN Table 2", 99, 3.4), ("PacGAN Table 2", (78.9, 6.46), (4.50, 0.13))],
    "pacdcgan2": [("PacGAN Table 2", (1000, 0), (0.06, 0.003))],
    "unrolled5": [("VEEGAN Table 2", 48.7, 4.32)],
    "ali": [("VEEGAN Table 2", 16, 5.4)],
    "veegan": [("VEEGAN Table 2", 150, 2.95)],
}
NAMES = {
    "dcgan": "DCGAN",
    "pacdcgan2": "PacDCGAN2",
    "unrolled5": "Unrolled GAN (5 steps)",
    "ali": "ALI",
    "veegan": "VEEGAN",
}


def build(method, seed):
    """The method's compiled model for 28x28x3 stacks; only the method changes."""
    import keras

    import keras_gan_zoo

    shape = (28, 28, 3)
    latent_dim = PROTOCOL["latent_dim"]
    common = dict(data_shape=shape, latent_dim=latent_dim, seed=seed)
    if method == "dcgan":
        model = keras_gan_zoo.DCGAN(**common)
    elif method == "pacdcgan2":
        model = keras_gan_zoo.DCGAN(packing=2, **common)
    elif method == "unrolled5":
        networks = keras_gan_zoo.networks
        model = keras_gan_zoo.UnrolledGAN(
            generator=networks.dcgan_generator(latent_dim, shape),
            discriminator=networks.dcgan_discriminator(shape),
            unrolling_steps=5,
            seed=seed,
        )
    elif method == "ali":
        model = keras_gan_zoo.ALI(variant="conv", noise="normal", **common)
    else:
        raise ValueError(f"Unknown method {method!r}; one of {METHODS}.")
    adam = dict(learning_rate=2e-4, beta_1=0.5)
    model.compile(
        d_optimizer=keras.optimizers.Adam(**adam), g_optimizer=keras.optimizers.Adam(**adam)
    )
    return model


def run_one(method, seed, epochs, data):
    import keras
    import numpy as np

    import keras_gan_zoo
    from keras_gan_zoo.metrics import stacked_mnist_modes

    keras.utils.set_random_seed(seed)
    images, labels = keras_gan_zoo.datasets.idx_arrays(data, split="train")
    stacks, _ = keras_gan_zoo.datasets.stacked_mnist(
        images, labels, PROTOCOL["stacks"], seed=1000 + seed
    )
    model = build(method, seed)
    start = time.perf_counter()
    model.fit(stacks, batch_size=PROTOCOL["batch_size"], epochs=epochs, shuffle=True, verbose=2)
    seconds = time.perf_counter() - start
    score = stacked_mnist_modes(model.generate(PROTOCOL["samples"], seed=10_000 + seed))
    counts = score["mode_counts"]
    return {
        "method": method,
        "seed": seed,
        "epochs": epochs,
        "full_length": epochs == PROTOCOL["epochs"],
        "modes": score["modes"],
        "kl": score["kl_to_uniform"],
        "largest_mode_share": float(np.max(counts) / score["n"]),
        "seconds": round(seconds, 1),
        "backend": keras.config.backend(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
    }


def command_run(args):
    args.results.parent.mkdir(parents=True, exist_ok=True)
    for method in args.method:
        for seed in args.seeds:
            result = run_one(method, seed, args.epochs, args.data)
            with open(args.results, "a") as file:
                file.write(json.dumps(result) + "\n")
            print(
                f"{method} seed {seed}, {args.epochs} epochs: {result['modes']} modes, KL "
                f"{result['kl']:.2f}, {result['seconds']:.0f} s",
                flush=True,
            )


def _cell(value, digits):
    if isinstance(value, tuple):
        return f"{value[0]:.{digits}f}+-{value[1]:.{digits}f}"
    return f"{value:.{digits}f}"


def command_table(args):
    import numpy as np

    rows = []
    if args.results.exists():
        rows = [json.loads(line) for line in args.results.read_text().splitlines() if line]
    print("| method | ours: modes /1000 | ours: KL | seeds | epochs | published: modes, KL |")
    print("|---|---|---|---|---|---|")
    for method in (*METHODS, "veegan"):
        published = "; ".join(
            f"{_cell(modes, 1)}, {_cell(kl, 2)} ({source})"
            for source, modes, kl in PUBLISHED[method]
        )
        runs = [row for row in rows if row["method"] == method]
        by_length = sorted({row["epochs"] for row in runs}) or [None]
        for epochs in by_length:
            chosen = [row for row in runs if row["epochs"] == epochs]
            if not chosen:
                print(f"| {NAMES[method]} | | | | | {published} |")
                continue
            modes = np.array([row["modes"] for row in chosen], float)
            kl = np.array([row["kl"] for row in chosen], float)
            spread = len(chosen) > 1
            mode_cell = f"{modes.mean():.1f}" + (
                f" ({modes.min():.0f}-{modes.max():.0f})" if spread else ""
            )
            kl_cell = f"{kl.mean():.2f}" + (f" ({kl.min():.2f}-{kl.max():.2f})" if spread else "")
            short = "" if epochs == PROTOCOL["epochs"] else " (short run)"
            print(
                f"| {NAMES[method]} | {mode_cell} | {kl_cell} | {len(chosen)} | "
                f"{epochs}{short} | {published} |"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run")
    run.add_argument("--method", nargs="+", choices=METHODS, required=True)
    run.add_argument("--seeds", nargs="+", type=int, default=[0])
    run.add_argument("--epochs", type=int, default=PROTOCOL["epochs"])
    run.add_argument("--data", default=str(Path(__file__).parents[2] / "shared/data/mnist_train"))
    commands.add_parser("table")
    args = parser.parse_args()
    {"run": command_run, "table": command_table}[args.command](args)


if __name__ == "__main__":
    main()
