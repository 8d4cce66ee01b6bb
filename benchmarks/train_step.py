"""Times one DCGAN training step on each Keras backend and in native loops.

What is measured: one full training step of `keras_gan_zoo.DCGAN(image_shape=
(28, 28, 1), latent_dim=100)` at batch 64 (a D update on fresh latents, a real
and a fake batch, then a G update on fresh latents; Adam(2e-4, beta_1=0.5) for
both; BCE with logits), in milliseconds per step on the CPU, median over the
timed steps of all rounds. Rows:

    native torch                              PyTorch eager, autograd, torch.optim.Adam
    native tensorflow                         tf.function + GradientTape on raw tf.Variables
    native jax (autodiff)                     jax.jit, hand-written Adam, lax.conv_transpose
                                              with the gradient autodiff gives it
    native jax (fixed conv-transpose grad)    same, with keras_gan_zoo.backend.jax_conv
    keras tensorflow / jax / torch            keras_gan_zoo's DCGAN under `model.fit`

The native loops (benchmarks/_native_loops.py) implement the same network,
losses, BatchNorm (batch statistics, moving averages updated) and Adam as the
Keras model, without Keras, in each framework's idiomatic form. Their real
batch is a fixed tensor; the Keras rows read it from
`tf.data.Dataset.from_tensors(batch).repeat()`, so they also pay Keras's
per-step input handling.

How it is timed: every configuration runs in its own subprocess (the Keras
backend is fixed at import), and the configurations are interleaved over
rounds (round 1 runs each once, then round 2, ...), so that machine noise hits
all of them alike. A native child runs warm-up steps (compilation included),
then times each of `--steps` steps, waiting for the result (`block_until_ready`
on JAX, `.numpy()` on TensorFlow; PyTorch on CPU is synchronous). A Keras
child runs `model.fit(..., steps_per_epoch=k)` with a callback that reads the
clock at each batch end; the first epoch (tracing, compilation, warm-up) is
dropped and each later epoch gives one ms/step value: the time from its first
to its last batch end over k - 1 steps. That is Keras's steady-state cost per
step (the step, the input pipeline, the per-batch callbacks and metrics),
without the once-per-epoch work, which real epochs of hundreds of steps
amortize.

How to read the table:
- "vs own native" divides by the native loop of the same framework: the
  overhead of Keras (and of keras_gan_zoo's engine) on that backend. For JAX
  the reference is the fixed native loop, because keras_gan_zoo's
  Conv2DTranspose uses the same custom-VJP kernel gradient; the autodiff
  native row against it shows what that gradient costs.
- "vs native torch" divides by the native PyTorch loop: where each
  configuration stands against the usual CPU baseline.
- "round medians" is the spread of the per-round medians: ratios closer to 1
  than that spread allows are not differences.
Numbers hold for the machine they were taken on (CPU model, core count, other
load); compare rows of one run, not numbers across runs.

    python benchmarks/train_step.py [--steps 30] [--rounds 5] [--only native-torch,keras-jax]
    python benchmarks/train_step.py --check     # sanity checks of the native loops, no timing

`--xla-flags "..."` (experimental) appends flags to XLA_FLAGS in the JAX
children only, e.g. `--xla-flags=--xla_cpu_experimental_ynn_fusion_type=-individual_convolution`;
the flags are printed under the table. `--json PATH` writes the raw timings.
"""

import argparse
import contextlib
import json
import math
import os
import platform
import statistics
import sys
import time

from _children import run_child  # benchmarks/_children.py, beside this script

# name: (row label, framework)
CONFIGS = {
    "native-torch": ("native torch", "torch"),
    "native-tensorflow": ("native tensorflow", "tensorflow"),
    "native-jax": ("native jax (autodiff)", "jax"),
    "native-jax-fixed": ("native jax (fixed conv-transpose grad)", "jax"),
    "keras-tensorflow": ("keras tensorflow", "tensorflow"),
    "keras-jax": ("keras jax", "jax"),
    "keras-torch": ("keras torch", "torch"),
}
OWN_NATIVE = {"torch": "native-torch", "tensorflow": "native-tensorflow", "jax": "native-jax-fixed"}
BATCH, LATENT = 64, 100
TWIN_STEPS = 3  # steps over which the two pure-JAX variants must agree


# ------------------------------------------------------------------ children


def _time_native(name, steps, warmup):
    import _native_loops

    loop = _native_loops.BUILDERS[name]()
    for _ in range(warmup):
        loop.sync(loop.step())
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        loop.sync(loop.step())
        times.append((time.perf_counter() - start) * 1000)
    return times


def _time_keras(steps, epoch_steps):
    import keras
    import numpy as np
    import tensorflow as tf

    import keras_gan_zoo

    keras.utils.set_random_seed(0)
    model = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), latent_dim=LATENT, seed=0)
    model.compile()
    real = np.random.default_rng(0).uniform(-1, 1, (BATCH, 28, 28, 1)).astype("float32")
    dataset = tf.data.Dataset.from_tensors(real).repeat()

    marks = []  # one list of batch-end times per epoch

    class BatchTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            marks.append([])

        def on_train_batch_end(self, batch, logs=None):
            marks[-1].append(time.perf_counter())

    epochs = 1 + math.ceil(steps / (epoch_steps - 1))
    model.fit(
        dataset, epochs=epochs, steps_per_epoch=epoch_steps, verbose=0, callbacks=[BatchTimer()]
    )
    # Epoch 0 (tracing, compilation, warm-up) is dropped. Each later epoch gives
    # its mean ms/step from its first to its last batch end: steady-state
    # steps, without the epoch boundary (iterator, epoch callbacks). The mean,
    # not per-step intervals: JAX dispatches asynchronously, so single
    # intervals can be bunched, while a run of them is not.
    return [(epoch[-1] - epoch[0]) * 1000 / (len(epoch) - 1) for epoch in marks[1:]]


def _check_native(name, steps):
    """Runs a native loop untimed; returns what the parent checks."""
    import _native_loops

    loop = _native_loops.BUILDERS[name]()
    g_shape, d_shape = loop.shapes()
    report = {"g_shape": g_shape, "d_shape": d_shape}
    if name == "native-jax-fixed":
        # Same seed, same math: the autodiff variant must follow the same path.
        # Only the first steps are compared: float rounding differences grow
        # geometrically under Adam (about 10x per step here), so after ten
        # steps the two runs differ by 1e-3 for no fault of either.
        import numpy as np

        twin = _native_loops.BUILDERS["native-jax"]()
        pairs = [(loop.losses(loop.step()), twin.losses(twin.step())) for _ in range(TWIN_STEPS)]
        report["twin_max_loss_difference"] = float(
            max(np.max(np.abs(np.subtract(a, b))) for a, b in pairs)
        )
        leaves = zip(_leaves(loop.params()), _leaves(twin.params()))
        report["twin_max_param_difference"] = max(float(np.max(np.abs(a - b))) for a, b in leaves)
        losses = [a for a, _ in pairs]
    else:
        losses = []
    losses += [loop.losses(loop.step()) for _ in range(steps - len(losses))]
    report["losses"] = losses
    return report


def _leaves(tree):
    import jax
    import numpy as np

    return [np.asarray(leaf) for leaf in jax.tree.leaves(tree)]


def child(args):
    if args.check:
        return _check_native(args.child, args.steps)
    if args.child.startswith("keras-"):
        return {"times_ms": _time_keras(args.steps, args.keras_epoch_steps)}
    return {"times_ms": _time_native(args.child, args.steps, args.warmup)}


# -------------------------------------------------------------------- parent


def _child_env(name, xla_flags):
    env = dict(os.environ)
    env["KERAS_BACKEND"] = CONFIGS[name][1]
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    if xla_flags and CONFIGS[name][1] == "jax":
        env["XLA_FLAGS"] = " ".join(p for p in (env.get("XLA_FLAGS"), xla_flags) if p)
    return env


def _run_child(name, args, extra):
    command = [sys.executable, os.path.abspath(__file__), "--child", name]
    command += ["--steps", str(args.steps), "--warmup", str(args.warmup)]
    command += ["--keras-epoch-steps", str(args.keras_epoch_steps), *extra]
    return run_child(command, _child_env(name, args.xla_flags), args.child_timeout)


def _ratio(value, reference):
    return f"{value / reference:.2f}" if reference else "-"


def _table(names, times, failures, xla_flags):
    medians = {name: statistics.median(sum(times[name], [])) for name in names if times[name]}
    torch_median = medians.get("native-torch")
    lines = [
        "| configuration | median ms/step | vs own native | vs native torch | round medians |",
        "|---|---|---|---|---|",
    ]
    for name in names:
        label, framework = CONFIGS[name]
        if name not in medians:
            lines.append(f"| {label} | skipped: {failures.get(name, 'no data')} | | | |")
            continue
        rounds = [statistics.median(r) for r in times[name]]
        own = medians.get(OWN_NATIVE[framework])
        lines.append(
            f"| {label} | {medians[name]:.1f} | {_ratio(medians[name], own)} | "
            f"{_ratio(medians[name], torch_median)} | {min(rounds):.1f}-{max(rounds):.1f} |"
        )
    if xla_flags:
        lines.append(f"\nJAX rows ran with XLA_FLAGS += {xla_flags!r} (experimental).")
    return "\n".join(lines)


def _environment():
    import importlib.metadata as metadata

    versions = {}
    for package in ("keras", "tensorflow-cpu", "tensorflow", "jax", "jaxlib", "torch"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
        "versions": versions,
    }


def run_benchmark(names, args):
    times = {name: [] for name in names}
    failures = {}
    for round_index in range(args.rounds):
        # Rotate the order each round so no configuration always runs first.
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            if name in failures:
                continue
            started = time.perf_counter()
            result, failure = _run_child(name, args, [])
            if failure:
                failures[name] = failure
                print(f"round {round_index + 1}: {name} skipped: {failure}", file=sys.stderr)
                continue
            times[name].append(result["times_ms"])
            print(
                f"round {round_index + 1}: {name} median "
                f"{statistics.median(result['times_ms']):.1f} ms/step "
                f"({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
            )
    print(_table(names, times, failures, args.xla_flags))
    if args.json:
        raw = {
            "arguments": {key: value for key, value in vars(args).items() if key != "child"},
            "environment": _environment(),
            "times_ms_per_round": times,
            "medians_ms": {n: statistics.median(sum(t, [])) for n, t in times.items() if t},
            "failures": failures,
        }
        with open(args.json, "w") as file:
            json.dump(raw, file, indent=1)


def run_checks(names, args):
    """Untimed sanity checks of the native loops; returns the exit status."""
    status = 0
    for name in names:
        if not name.startswith("native-"):
            continue
        report, failure = _run_child(name, args, ["--check"])
        problems = []
        if failure:
            problems.append(failure)
        else:
            losses = report["losses"]
            d_first, g_first = losses[0]
            d_last = statistics.mean(d for d, _ in losses[-10:])
            g_shape, d_shape = report["g_shape"], report["d_shape"]
            if not all(math.isfinite(value) for pair in losses for value in pair):
                problems.append("non-finite loss")
            # D's last layer sums 6272 unit-scale features with N(0, 0.02)
            # weights, so its first logits have a spread near 1: the first losses
            # land within a few tenths of 2 ln 2 (D) and ln 2 (G), not exactly there.
            if abs(d_first - 2 * math.log(2)) > 0.4 or abs(g_first - math.log(2)) > 0.3:
                problems.append(f"first losses {d_first:.3f}, {g_first:.3f} not near 1.386, 0.693")
            if not d_last < d_first:
                problems.append(f"D loss did not decrease ({d_first:.3f} -> {d_last:.3f})")
            if sorted(g_shape) != [1, 28, 28, BATCH] or list(d_shape) != [BATCH, 1]:
                problems.append(f"shapes G(z) {g_shape}, D(x) {d_shape}")
            twin = report.get("twin_max_loss_difference")
            if twin is not None and twin > 1e-4:
                problems.append(f"differs from the autodiff variant by {twin:.2g}")
            g_last = statistics.mean(g for _, g in losses[-10:])
            details = (
                f"G(z) {tuple(g_shape)}, D(x) {tuple(d_shape)}; D loss {d_first:.3f} -> "
                f"{d_last:.3f}, G loss {g_first:.3f} -> {g_last:.3f}"
            )
            if twin is not None:
                details += (
                    f"; vs autodiff variant over {TWIN_STEPS} steps: losses within "
                    f"{twin:.1e}, weights within {report['twin_max_param_difference']:.1e}"
                )
            print(f"{name}: {details}")
        if problems:
            status = 1
            print(f"{name}: FAILED: {'; '.join(problems)}")
    return status


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="configurations: " + ", ".join(CONFIGS),
    )
    parser.add_argument("--steps", type=int, default=30, help="timed steps per run (default 30)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--only", default=",".join(CONFIGS), help="comma-separated names")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps of native loops")
    parser.add_argument(
        "--keras-epoch-steps",
        type=int,
        default=11,
        help="steps per fit() epoch for the Keras rows (one timing per epoch, over its "
        "k - 1 intervals; default 11)",
    )
    parser.add_argument(
        "--xla-flags",
        default="",
        help="experimental: appended to XLA_FLAGS in the JAX children only",
    )
    parser.add_argument("--json", default=None, help="write the raw timings here")
    parser.add_argument("--child-timeout", type=int, default=600, help="seconds per child run")
    parser.add_argument(
        "--check", action="store_true", help="sanity-check the native loops instead of timing"
    )
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print("RESULT " + json.dumps(child(args)))
        return 0
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in names if name not in CONFIGS]
    if unknown:
        parser.error(f"unknown configuration(s) {unknown}; choose from {list(CONFIGS)}")
    if args.check:
        if args.steps == parser.get_default("steps"):
            args.steps = 40
        return run_checks(names, args)
    run_benchmark(names, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
