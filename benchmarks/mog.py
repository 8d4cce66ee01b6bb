"""The 2D mixture-of-Gaussians mode-collapse benchmark, beside the published tables.

Two protocols, exactly as ../shared/notes/benchmarks-reference.md defines them
(ring8: 8 distinct modes on the unit circle, std 0.01; grid25: 5x5 grid with
spacing 2, std 0.05; a sample is high quality (HQ) within 3 std of its
nearest mean; a mode is captured if it is nearest to an HQ sample; scored on
2,500 samples):

- V (VEEGAN, Unrolled GAN, GDPP): G and D are MLPs with two hidden layers of
  128 tanh units, z is 256-d N(0, I), batch 512 (510 for m = 3), Adam beta_1 0.5, eps 1e-8,
  learning rate 1e-3 for G and 1e-4 for D, 25,000 iterations (G updates),
  every batch freshly sampled.
- P (PacGAN): 100,000 training points, batch 100 (99 for m = 3, whole packs), 400 epochs, Adam 1e-4
  beta_1 0.8, z 2-d; G an MLP 2-400-400-400-400-2 with BatchNorm and ReLU; D
  three maxout layers (200 units, 5 pieces) and a linear output, its input
  m x 2 for packing degree m; weights from N(0, 0.02). Also reports reverse
  KL of the HQ samples' mode histogram against uniform.

Each run (method, mixture, seed) appends one JSON line to the results file,
so runs can be spread over several invocations (and machines); `table`
prints our mean and spread over seeds beside the published rows.

    KERAS_BACKEND=jax python benchmarks/mog.py run --protocol V --mixture ring8 \
        --method gan unrolled5 --seeds 0 1 2
    python benchmarks/mog.py table

Protocol V methods: gan, unrolled5, wgan_gp, pacgan2/3/4, ali (G as the
protocol's; a Gaussian encoder and a D on (point, z) pairs, BiGAN's MLPs at
128 units, z 256-d N(0, I)), each also with the suffix `_equal_lr` (D's
learning rate raised from 1e-4 to G's 1e-3, our best configurations).
Protocol P methods: gan, pacgan2/3/4.

`--iterations` (protocol V) and `--epochs` (protocol P) shorten a run; the
table shows the training length of every row, and rows trained for less than
the protocol are marked.
"""

import argparse
import json
import os
import platform
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "mog.jsonl"

PROTOCOLS = {
    "V": dict(batch_size=512, iterations=25_000, latent_dim=256),
    "P": dict(batch_size=100, epochs=400, points=100_000, latent_dim=2),
}

# Published rows (../shared/notes/benchmarks-reference.md), as
# {protocol: {method: {mixture: (modes, %HQ, reverse KL) with (mean, s.e.) or mean}}}.
PUBLISHED = {
    "V": {
        "gan": ("GAN", "VEEGAN Table 1", {"ring8": (1, 99.3, None), "grid25": (3.3, 0.5, None)}),
        "unrolled5": (
            "Unrolled GAN (5 steps)",
            "VEEGAN Table 1",
            {"ring8": (7.6, 35.6, None), "grid25": (23.6, 16, None)},
        ),
        "wgan_gp": (
            "WGAN-GP",
            "GDPP Table 1",
            {"ring8": (6.8, 59.6, None), "grid25": (24.2, 28.7, None)},
        ),
        "ali": ("ALI", "VEEGAN Table 1", {"ring8": (2.8, 0.13, None), "grid25": (15.8, 1.6, None)}),
        "veegan": (
            "VEEGAN",
            "VEEGAN Table 1",
            {"ring8": (8, 52.9, None), "grid25": (24.6, 40, None)},
        ),
        "gdpp": (
            "GDPP-GAN",
            "GDPP Table 1",
            {"ring8": (8.0, 71.7, None), "grid25": (24.8, 68.5, None)},
        ),
    },
    "P": {
        "gan": (
            "GAN",
            "PacGAN Table 1",
            {
                "ring8": ((6.3, 0.5), (98.2, 0.2), (0.45, 0.09)),
                "grid25": ((17.3, 0.8), (94.8, 0.7), (0.70, 0.07)),
            },
        ),
        "pacgan2": (
            "PacGAN2",
            "PacGAN Table 1",
            {
                "ring8": ((7.9, 0.1), (95.6, 2.0), (0.07, 0.03)),
                "grid25": ((23.8, 0.7), (91.3, 0.8), (0.13, 0.04)),
            },
        ),
        "pacgan3": (
            "PacGAN3",
            "PacGAN Table 1",
            {
                "ring8": ((7.8, 0.1), (97.7, 0.3), (0.10, 0.02)),
                "grid25": ((24.6, 0.4), (94.2, 0.4), (0.06, 0.02)),
            },
        ),
        "pacgan4": (
            "PacGAN4",
            "PacGAN Table 1",
            {
                "ring8": ((7.8, 0.1), (95.9, 1.4), (0.07, 0.02)),
                "grid25": ((24.8, 0.2), (93.6, 0.6), (0.04, 0.01)),
            },
        ),
    },
}


# === Methods ===
# Each builds a compiled model for (protocol, seed); only the method changes,
# never the protocol's networks, data, batch or training length.


def _protocol_v_networks(latent_dim):
    from keras_gan_zoo.networks import dense_discriminator
    from keras_gan_zoo.networks import mlp_generator

    def networks(packing=1):
        generator = mlp_generator(
            latent_dim, (2,), units=(128, 128), activation="tanh", data_range=None
        )
        discriminator = dense_discriminator((2 * packing,), units=(128, 128), activation="tanh")
        return dict(generator=generator, discriminator=discriminator)

    return networks


def _ali_networks(latent_dim, units):
    """ALI's encoder (a Gaussian over z) and D on (point, z) pairs: BiGAN's MLPs (leaky
    ReLU, batch norm after the first layer) at the protocol's width."""
    from keras_gan_zoo.networks import bigan_discriminator
    from keras_gan_zoo.networks import bigan_encoder

    encoder = bigan_encoder((2,), latent_dim, units=units, stochastic=True)
    discriminator = bigan_discriminator((2,), latent_dim, units=units)
    return dict(encoder=encoder, discriminator=discriminator)


def _adam(learning_rate, beta_1=0.5, beta_2=0.999):
    import keras

    return keras.optimizers.Adam(learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=1e-8)


def build_v(method, seed):
    import keras_gan_zoo

    networks = _protocol_v_networks(PROTOCOLS["V"]["latent_dim"])
    optimizers = dict(d_optimizer=_adam(1e-4), g_optimizer=_adam(1e-3))
    common = dict(data_range=None, seed=seed)
    if method.endswith("_equal_lr"):
        # Our best configurations: a method with D's learning rate raised to
        # G's. At 1e-4 D stays at chance (loss log 4) and G never sharpens.
        method = method.removesuffix("_equal_lr")
        optimizers["d_optimizer"] = _adam(1e-3)
    if method == "gan":
        model = keras_gan_zoo.GAN(**networks(), **common)
    elif method == "unrolled5":
        model = keras_gan_zoo.UnrolledGAN(unrolling_steps=5, **networks(), **common)
    elif method == "wgan_gp":
        model = keras_gan_zoo.WGANGP(**networks(), **common)
    elif method.startswith("pacgan"):
        packing = int(method[len("pacgan") :])
        model = keras_gan_zoo.PacGAN(packing=packing, **networks(packing), **common)
    elif method == "ali":
        # G as the protocol's; E and D on (point, z) pairs of the same width.
        latent_dim = PROTOCOLS["V"]["latent_dim"]
        ali_networks = _ali_networks(latent_dim, (128, 128))
        model = keras_gan_zoo.ALI(
            generator=networks()["generator"], noise="normal", **ali_networks, **common
        )
    else:
        raise ValueError(f"Unknown protocol V method {method!r}.")
    model.compile(**optimizers, steps_per_execution=50)
    return model


def build_p(method, seed):
    import keras_gan_zoo

    if method == "gan":
        packing = 1
    elif method.startswith("pacgan"):
        packing = int(method[len("pacgan") :])
    else:
        raise ValueError(f"Unknown protocol P method {method!r}.")
    # PacGAN's defaults are protocol P's networks and optimizer; packing 1 is its GAN.
    model = keras_gan_zoo.PacGAN(
        packing=packing,
        latent_dim=PROTOCOLS["P"]["latent_dim"],
        data_shape=(2,),
        data_range=None,
        seed=seed,
    )
    model.compile(steps_per_execution=100)
    return model


# === Running ===


def run_one(protocol, mixture, method, seed, iterations=None, epochs=None):
    import keras

    import keras_gan_zoo
    from keras_gan_zoo.metrics import mixture_quality

    keras.utils.set_random_seed(seed)
    settings = PROTOCOLS[protocol]
    if protocol == "V":
        iterations = iterations or settings["iterations"]
        # Fresh samples every batch: one pass over iterations x batch points.
        points, _ = keras_gan_zoo.datasets.mixture_of_gaussians(
            mixture, iterations * settings["batch_size"], seed=1000 + seed
        )
        model = build_v(method, seed)
        # Whole packs, as in P: 510 examples (170 packs) a batch for m = 3.
        batch_size = settings["batch_size"] - settings["batch_size"] % getattr(model, "packing", 1)
        points = points[: iterations * batch_size]
        fit = dict(batch_size=batch_size, epochs=1, shuffle=False)
        length = dict(iterations=iterations, full_length=iterations == settings["iterations"])
    else:
        epochs = epochs or settings["epochs"]
        points, _ = keras_gan_zoo.datasets.mixture_of_gaussians(
            mixture, settings["points"], seed=1000 + seed
        )
        model = build_p(method, seed)
        # Packing needs whole packs: 99 examples (33 packs) a batch for m = 3.
        batch_size = settings["batch_size"] - settings["batch_size"] % model.packing
        fit = dict(batch_size=batch_size, epochs=epochs, shuffle=True)
        length = dict(epochs=epochs, full_length=epochs == settings["epochs"])
    start = time.perf_counter()
    history = model.fit(points, verbose=0, **fit)
    seconds = time.perf_counter() - start
    quality = mixture_quality(model.generate(2500, seed=10_000 + seed), mixture)
    return {
        "protocol": protocol,
        "mixture": mixture,
        "method": method,
        "seed": seed,
        **length,
        "modes": quality["modes"],
        "high_quality": quality["high_quality"],
        "reverse_kl": quality["reverse_kl"],
        "final_d_loss": float(history.history["d_loss"][-1]),
        "final_g_loss": float(history.history["g_loss"][-1]),
        "seconds": round(seconds, 1),
        "backend": keras.config.backend(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
    }


def command_run(args):
    args.results.parent.mkdir(parents=True, exist_ok=True)
    for method in args.method:
        for seed in args.seeds:
            result = run_one(
                args.protocol, args.mixture, method, seed, args.iterations, args.epochs
            )
            with open(args.results, "a") as file:
                file.write(json.dumps(result) + "\n")
            print(
                f"{args.protocol} {args.mixture} {method} seed {seed}: {result['modes']} modes, "
                f"{100 * result['high_quality']:.1f}% HQ, reverse KL {result['reverse_kl']:.3f}, "
                f"{result['seconds']:.0f} s",
                flush=True,
            )


# === Table ===


def _mean_and_error(values):
    import numpy as np

    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return float(values.mean()), None
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(len(values)))


def _format(value, error=None, digits=1):
    if value is None:
        return ""
    if error is None:
        return f"{value:.{digits}f}"
    return f"{value:.{digits}f}+-{error:.{digits}f}"


def _published_cell(entry, index, digits):
    value = entry[index]
    if value is None:
        return ""
    if isinstance(value, tuple):
        return _format(value[0], value[1], digits)
    return _format(value, None, digits)


def read_results(path):
    """The runs recorded in a results file, one dict per JSON line."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def command_table(args):
    rows = read_results(args.results)
    for protocol in ("V", "P"):
        runs = [row for row in rows if row["protocol"] == protocol]
        if not runs:
            continue
        title = "VEEGAN/GDPP" if protocol == "V" else "PacGAN"
        print(f"\nProtocol {protocol} ({title}); ours: mean+-s.e. over seeds\n")
        print(
            "| method | source | mixture | seeds | training | modes | %HQ | reverse KL | time/run |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        methods = sorted({row["method"] for row in runs} | set(PUBLISHED[protocol]))
        for method in methods:
            for mixture in ("ring8", "grid25"):
                if method in PUBLISHED[protocol]:
                    name, source, entries = PUBLISHED[protocol][method]
                    entry = entries[mixture]
                    print(
                        f"| {name} | {source} | {mixture} | | | {_published_cell(entry, 0, 1)} | "
                        f"{_published_cell(entry, 1, 1)} | {_published_cell(entry, 2, 2)} | |"
                    )
                ours = [
                    row for row in runs if row["method"] == method and row["mixture"] == mixture
                ]
                for length in sorted(
                    {(row.get("iterations"), row.get("epochs")) for row in ours}, key=str
                ):
                    group = [
                        row for row in ours if (row.get("iterations"), row.get("epochs")) == length
                    ]
                    modes = _mean_and_error([row["modes"] for row in group])
                    quality = _mean_and_error([100 * row["high_quality"] for row in group])
                    kls = [row["reverse_kl"] for row in group]
                    kl = (
                        _mean_and_error(kls)
                        if all(k != float("inf") for k in kls)
                        else (float("inf"), None)
                    )
                    training = f"{length[0]} it." if protocol == "V" else f"{length[1]} ep."
                    if not group[0]["full_length"]:
                        training += " (short)"
                    seconds = sum(row["seconds"] for row in group) / len(group)
                    backend = group[0]["backend"]
                    print(
                        f"| {method} | ours ({backend}) | {mixture} | {len(group)} | {training} | "
                        f"{_format(*modes)} | {_format(*quality)} | {_format(*kl, digits=2)} | "
                        f"{seconds / 60:.1f} min |"
                    )


def command_against_best(args):
    """Seed by seed against the best published protocol V row (GDPP's)."""
    import numpy as np

    rows = read_results(args.results)
    name, source, best = PUBLISHED["V"]["gdpp"]
    print(f"\nProtocol V, full length, against {name} ({source}): a seed meets it with at least")
    print("as many modes and a larger share of high-quality samples.\n")
    print(
        "| method | mixture | seeds | modes: mean, sd, min-max | %HQ: mean, sd, min-max | meet it |"
    )
    print("|---|---|---|---|---|---|")
    for method in args.method:
        for mixture in ("ring8", "grid25"):
            group = {
                row["seed"]: row
                for row in rows
                if row["protocol"] == "V"
                and row["full_length"]
                and row["method"] == method
                and row["mixture"] == mixture
            }
            if not group:
                continue
            modes = np.array([group[seed]["modes"] for seed in sorted(group)], dtype=float)
            quality = np.array([100 * group[seed]["high_quality"] for seed in sorted(group)])
            best_modes, best_quality, _ = best[mixture]
            meeting = int(np.sum((modes >= best_modes) & (quality > best_quality)))
            sd = 1 if len(group) > 1 else 0
            print(
                f"| {method} | {mixture} | {len(group)} ({min(group)}-{max(group)}) | "
                f"{modes.mean():.1f}, {modes.std(ddof=sd):.1f}, "
                f"{modes.min():.0f}-{modes.max():.0f} | "
                f"{quality.mean():.1f}, {quality.std(ddof=sd):.1f}, "
                f"{quality.min():.1f}-{quality.max():.1f} | {meeting} of {len(group)} |"
            )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="train and score; append to the results file")
    run.add_argument("--protocol", choices=sorted(PROTOCOLS), required=True)
    run.add_argument("--mixture", choices=("ring8", "grid25"), required=True)
    run.add_argument("--method", nargs="+", required=True)
    run.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    run.add_argument("--iterations", type=int, help="protocol V: G updates (default 25,000)")
    run.add_argument("--epochs", type=int, help="protocol P: epochs (default 400)")
    run.add_argument("--results", type=Path, default=RESULTS)
    table = commands.add_parser("table", help="markdown table of the results")
    table.add_argument("--results", type=Path, default=RESULTS)
    against = commands.add_parser(
        "against-best", help="protocol V seed by seed against the best published row"
    )
    against.add_argument("--method", nargs="+", default=["gan_equal_lr", "pacgan2_equal_lr"])
    against.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    commands = {"run": command_run, "table": command_table, "against-best": command_against_best}
    commands[args.command](args)


if __name__ == "__main__":
    main()
