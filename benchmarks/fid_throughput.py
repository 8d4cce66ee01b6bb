"""Times FID feature extraction and the distance math on the CPU, against torch-fidelity.

What is measured, part 1: images per second through the FID Inception
network, from uint8 32x32x3 images (CIFAR-sized, random pixels from a fixed
seed) to pool3 features and unbiased logits, preprocessing (TF1 legacy
bilinear resize to 299x299, scaling to [-1, 1]) included, `--batch-size`
images per call (default 50). Rows:

    torch-fidelity      torch-fidelity 0.4.0's FeatureExtractorInceptionV3
                        ("inception-v3-compat", features ["2048", "logits_unbiased"]),
                        uint8 NCHW in, under torch.inference_mode(); its own resize
    keras tensorflow    tf.function(jit_compile=True) (XLA) of preprocessing + network
    keras jax           jax.jit of preprocessing + `model.stateless_call(training=False)`
    keras torch         preprocessing + `model(x, training=False)`, eager, under
                        torch.inference_mode() (Keras compiles nothing on torch by default)
    keras <backend> (predict_on_batch)
                        opt-in (--only): keras_gan_zoo's own path, what `evaluate` and
                        `FIDCallback` run: `evaluation.inception_extractor`, i.e.
                        preprocessing op by op in keras.ops, then `model.predict_on_batch`
                        (tf.function without XLA on a CPU-only TensorFlow, jax.jit on
                        JAX, eager under no_grad on torch)

The compiled rows are the fastest call of each backend that a user can write
in a few lines, measured before choosing them: on TensorFlow XLA beat
`predict_on_batch` by about 1.7x in a first probe; on JAX the two are the same program; on
torch Keras's own `jit_compile=True` (torch.compile) needs a C++ toolchain
and minutes of compilation, so it is not a row. Their preprocessing is
`fid_preprocessing.resize_bilinear_tf1` and (x - 128) / 128 written out,
because `fid_preprocessing.preprocess` recognizes uint8 by `str(dtype) ==
"uint8"`, which a tf.Tensor or torch.Tensor does not pass (it would treat
the pixels as [-1, 1] floats). The "pool3 vs torch-fidelity" column (max
error over max value, first two images) checks that every row computes the
same function with the same weights.

Weights: the real FID weights cannot be downloaded on the machines this
project is built on, so every row loads the same random weights (same
layout, same compute), written once per run by a preparing child as an .npz
(for Keras, through `fid_network.load_torch_state_dict`) and a .pth (for
torch-fidelity's strict `load_state_dict`).

What is measured, part 2: the host-side math at d = 2048 on float64 NumPy
(synthetic ReLU features, 10,000 per set, the same in every round):

    FID (ours, eigh)      frechet_distance from two (mean, covariance) pairs
    FID (scipy sqrtm)     ||mu1 - mu2||^2 + tr S1 + tr S2 - 2 tr Re sqrtm(S1 S2): how
                          TTUR and pytorch-fid compute it
    statistics, streaming FeatureStatistics.update over N features in
                          --batch-size chunks, then mean_and_covariance (as `extract` does)
    statistics, one shot  feature_statistics of all N features at once
    KID                   kernel_distance, 100 subsets of 1,000

How it is timed: every configuration runs in its own subprocess (the Keras
backend is fixed at import; the peak resident set, ru_maxrss, is then the
configuration's own: framework import, weights, inputs and all), and the
configurations are interleaved over rounds (round 1 runs each once, then
round 2, ...; the order rotates), so that machine noise hits all alike. An
extraction child runs `--warmup` batches untimed (tracing, XLA compilation,
thread pools), then times each of `--batches` batches from the NumPy uint8
batch to NumPy features. Images/s is the batch size over the median batch
time of all rounds; "round medians" is the spread of the per-round values.
A host child times its computation once, in the first `--host-rounds`
rounds (default 1: on 2 busy cores the host rows alone take about 3 minutes
a round, and the defaults are sized to finish in about 10 minutes).

Threads and load: thread pools are left at each library's default (all
cores). Libraries whose threads spin-wait at barriers (OpenMP in PyTorch,
OpenBLAS under NumPy) slow down by several times, not by half, when another
process takes one of the cores; XLA's and Eigen's work-sharing pools degrade
more gently. So each row also shows "other load (cores)": the CPU time the
machine spent outside the child while it timed (from /proc/stat, minus the
child's own CPU time), per round; and "best batch", the fastest timed batch,
which is closer to the unloaded speed. Compare rows of one run, and rows of
similar other load; numbers hold for the machine and its load at the time.

    python benchmarks/fid_throughput.py [--batch-size 50] [--batches 1] [--rounds 2]
    python benchmarks/fid_throughput.py --quick     # smoke run: few images, small host math
    python benchmarks/fid_throughput.py --only torch-fidelity,keras-jax,keras-jax-predict

`--json PATH` writes the raw timings.
"""

import argparse
import contextlib
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time

import numpy as np
from _children import run_child  # benchmarks/_children.py, beside this script

IMAGE_SIDE = 32
IMAGE_SEED = 0
WEIGHTS_SEED = 0
FEATURE_SEED = 1
FEATURE_DIM = 2048

# name: (row label, Keras backend or None, kind)
EXTRACTION = {
    "torch-fidelity": ("torch-fidelity", None, "reference"),
    "keras-tensorflow": ("keras tensorflow (tf.function, XLA)", "tensorflow", "compiled"),
    "keras-jax": ("keras jax (jax.jit)", "jax", "compiled"),
    "keras-torch": ("keras torch (eager, inference_mode)", "torch", "compiled"),
    "keras-tensorflow-predict": ("keras tensorflow (predict_on_batch)", "tensorflow", "predict"),
    "keras-jax-predict": ("keras jax (predict_on_batch)", "jax", "predict"),
    "keras-torch-predict": ("keras torch (predict_on_batch)", "torch", "predict"),
}
HOST = {
    "fid-eigh": "FID from statistics (ours, eigh)",
    "fid-sqrtm": "FID from statistics (scipy sqrtm, TTUR / pytorch-fid)",
    "statistics-streaming": "statistics, streaming (FeatureStatistics)",
    "statistics-one-shot": "statistics, one shot (feature_statistics)",
    "kid": "KID",
}
DEFAULT = [name for name, (_, _, kind) in EXTRACTION.items() if kind != "predict"] + list(HOST)


def _peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _cpu_clocks():
    """(wall seconds, CPU seconds the whole machine was busy, CPU seconds of this process)."""
    busy = float("nan")
    with contextlib.suppress(OSError, ValueError), open("/proc/stat") as file:
        fields = [int(field) for field in file.readline().split()[1:9]]
        user, nice, system, _, _, irq, softirq, steal = fields
        busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), busy, usage.ru_utime + usage.ru_stime


def _other_load(start):
    """Cores kept busy by other processes (or stolen by the hypervisor) since `start`."""
    wall, busy, own = (end - begin for begin, end in zip(start, _cpu_clocks()))
    return max(busy - own, 0.0) / wall


# ------------------------------------------------------------------ children


def _random_state_dict(network, seed):
    """Random weights, as NumPy arrays, under the PyTorch ports' names and shapes."""
    import keras

    from keras_gan_zoo.metrics import fid_network

    rng = np.random.default_rng(seed)
    state = {}
    for layer in network.layers:
        if isinstance(layer, keras.layers.Conv2D):
            height, width, inputs, outputs = layer.kernel.shape
            scale = np.sqrt(2.0 / (height * width * inputs))  # He: activations stay O(1)
            state[f"{fid_network._module(layer)}.weight"] = rng.normal(
                0.0, scale, (outputs, inputs, height, width)
            )
        elif isinstance(layer, keras.layers.BatchNormalization):
            module, channels = fid_network._module(layer), layer.gamma.shape[0]
            state[f"{module}.weight"] = rng.uniform(0.5, 1.5, channels)
            state[f"{module}.bias"] = rng.normal(0.0, 0.1, channels)
            state[f"{module}.running_mean"] = rng.normal(0.0, 0.1, channels)
            state[f"{module}.running_var"] = rng.uniform(0.5, 1.5, channels)
    state["fc.weight"] = rng.normal(0.0, 0.02, (1008, 2048))
    state["fc.bias"] = rng.normal(0.0, 0.02, 1008)
    return {key: value.astype("float32") for key, value in state.items()}


def _synthetic_features(n, dim, seed, shift):
    """ReLU features of a random rank-512 linear map: nonnegative, full-rank covariance."""
    rng = np.random.default_rng(seed)
    mixing = rng.normal(0.0, 1.0 / np.sqrt(512), (512, dim)).astype("float32")
    mixing += shift * rng.normal(0.0, 1.0 / np.sqrt(512), (512, dim)).astype("float32")
    latent = rng.normal(size=(n, 512)).astype("float32")
    return np.maximum(latent @ mixing + 0.1, 0.0)


def prepare(args):
    """Writes the shared inputs: random weights (.npz and .pth), host features and statistics."""
    from keras_gan_zoo.metrics.frechet_distance import feature_statistics

    os.makedirs(args.workdir, exist_ok=True)
    if args.weights:
        import torch

        from keras_gan_zoo.metrics import fid_network

        state = _random_state_dict(fid_network.fid_inception(weights=None), WEIGHTS_SEED)
        np.savez(os.path.join(args.workdir, "weights.npz"), **state)
        torch_state = {key: torch.from_numpy(value) for key, value in state.items()}
        for key in state:
            if key.endswith(".running_var"):
                torch_state[key.replace(".running_var", ".num_batches_tracked")] = torch.tensor(0)
        torch.save(torch_state, os.path.join(args.workdir, "weights.pth"))
    if args.host:
        real = _synthetic_features(args.host_n, args.feature_dim, FEATURE_SEED, shift=0.0)
        fake = _synthetic_features(args.host_n, args.feature_dim, FEATURE_SEED, shift=0.3)
        np.save(os.path.join(args.workdir, "real.npy"), real)
        np.save(os.path.join(args.workdir, "fake.npy"), fake)
        mean1, covariance1 = feature_statistics(real)
        mean2, covariance2 = feature_statistics(fake)
        np.savez(
            os.path.join(args.workdir, "statistics.npz"),
            mean1=mean1,
            covariance1=covariance1,
            mean2=mean2,
            covariance2=covariance2,
        )
    return {}


def _images(args):
    count = (args.warmup + args.batches) * args.batch_size
    rng = np.random.default_rng(IMAGE_SEED)
    images = rng.integers(0, 256, (count, IMAGE_SIDE, IMAGE_SIDE, 3), dtype=np.uint8)
    return [images[start : start + args.batch_size] for start in range(0, count, args.batch_size)]


def _torch_fidelity_runner(workdir):
    """torch-fidelity's extractor, imported module by module: its package __init__
    needs torchvision, which is not installed (pip install --no-deps torch-fidelity)."""
    import importlib
    import importlib.util
    import types

    import torch

    spec = importlib.util.find_spec("torch_fidelity")
    if spec is None:
        raise ModuleNotFoundError("torch-fidelity is not installed")
    if "torch_fidelity" not in sys.modules:
        package = types.ModuleType("torch_fidelity")
        package.__path__ = list(spec.submodule_search_locations)
        sys.modules["torch_fidelity"] = package
    module = importlib.import_module("torch_fidelity.feature_extractor_inceptionv3")
    extractor = module.FeatureExtractorInceptionV3(
        "inception-v3-compat",
        ["2048", "logits_unbiased"],
        feature_extractor_weights_path=os.path.join(workdir, "weights.pth"),
    )

    def run(batch):
        with torch.inference_mode():
            nchw = torch.from_numpy(np.ascontiguousarray(batch.transpose(0, 3, 1, 2)))
            pool3, logits = extractor(nchw)
            return pool3.numpy(), logits.numpy()

    return run, {"torch_threads": torch.get_num_threads()}


def _keras_network(workdir):
    from keras_gan_zoo.metrics import fid_network

    network = fid_network.fid_inception(weights=None)
    with np.load(os.path.join(workdir, "weights.npz")) as arrays:
        fid_network.load_torch_state_dict(network, dict(arrays))
    return network


def _network_input(images):
    """`fid_preprocessing.preprocess(images, "tf_legacy")` for uint8 pixels, on any tensor type."""
    from keras import ops

    from keras_gan_zoo.metrics import fid_preprocessing

    pixels = ops.cast(images, "float32")
    return (fid_preprocessing.resize_bilinear_tf1(pixels, (299, 299)) - 128.0) / 128.0


def _keras_compiled_runner(workdir):
    import keras

    network = _keras_network(workdir)
    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        trainable = [variable.value for variable in network.trainable_variables]
        non_trainable = [variable.value for variable in network.non_trainable_variables]

        @jax.jit
        def forward(trainable, non_trainable, images):
            outputs, _ = network.stateless_call(
                trainable, non_trainable, _network_input(images), training=False
            )
            return outputs["pool3"], outputs["logits_unbiased"]

        def run(batch):
            pool3, logits = forward(trainable, non_trainable, batch)
            return np.asarray(pool3), np.asarray(logits)

    elif backend == "tensorflow":
        import tensorflow as tf

        @tf.function(jit_compile=True)
        def forward(images):
            outputs = network(_network_input(images), training=False)
            return outputs["pool3"], outputs["logits_unbiased"]

        def run(batch):
            pool3, logits = forward(tf.convert_to_tensor(batch))
            return pool3.numpy(), logits.numpy()

    else:
        import torch

        def run(batch):
            with torch.inference_mode():
                outputs = network(_network_input(batch), training=False)
                return tuple(
                    keras.ops.convert_to_numpy(outputs[key]) for key in ("pool3", "logits_unbiased")
                )

    return run, {}


def _keras_predict_runner(workdir):
    from keras_gan_zoo.metrics import evaluation

    extractor = evaluation.inception_extractor("tf_legacy", weights=None)
    extractor.network = _keras_network(workdir)
    return extractor, {}


def time_extraction(args):
    kind = EXTRACTION[args.child][2]
    builders = {
        "reference": _torch_fidelity_runner,
        "compiled": _keras_compiled_runner,
        "predict": _keras_predict_runner,
    }
    run, extra = builders[kind](args.workdir)
    batches = _images(args)
    first_pool3 = None
    for batch in batches[: args.warmup]:
        pool3, _ = run(batch)
        first_pool3 = pool3[:2] if first_pool3 is None else first_pool3
    seconds = []
    clocks = _cpu_clocks()
    for batch in batches[args.warmup :]:
        start = time.perf_counter()
        run(batch)
        seconds.append(time.perf_counter() - start)
    return {
        "seconds": seconds,
        "other_load": _other_load(clocks),
        "pool3": np.asarray(first_pool3, np.float64).tolist(),
        "peak_rss_mib": _peak_rss_mib(),
        **extra,
    }


def _sqrtm_frechet_distance(mean1, covariance1, mean2, covariance2):
    """FID with scipy's general matrix square root of S1 S2 (the TTUR / pytorch-fid way)."""
    import scipy.linalg

    root = scipy.linalg.sqrtm(covariance1 @ covariance2)
    if np.iscomplexobj(root):
        root = root.real  # rounding leaves tiny imaginary parts
    difference = mean1 - mean2
    trace = np.trace(covariance1) + np.trace(covariance2) - 2.0 * np.trace(root)
    return float(difference @ difference + trace)


def time_host(args):
    # By module path: keras_gan_zoo.metrics re-exports functions under the modules' names.
    from keras_gan_zoo.metrics.frechet_distance import FeatureStatistics
    from keras_gan_zoo.metrics.frechet_distance import feature_statistics
    from keras_gan_zoo.metrics.frechet_distance import frechet_distance
    from keras_gan_zoo.metrics.kernel_distance import kernel_distance

    name = args.child
    if name.startswith("fid-"):
        with np.load(os.path.join(args.workdir, "statistics.npz")) as data:
            inputs = [data[k] for k in ("mean1", "covariance1", "mean2", "covariance2")]
        function = frechet_distance if name == "fid-eigh" else _sqrtm_frechet_distance
    else:
        real = np.load(os.path.join(args.workdir, "real.npy"))
        if name == "kid":
            inputs = [np.load(os.path.join(args.workdir, "fake.npy")), real]
            subsets, size = args.kid_subsets, args.kid_subset_size

            def function(fake, real):
                mean, _ = kernel_distance(fake, real, subsets, size)
                return mean

        elif name == "statistics-streaming":
            inputs = [real]

            def function(features):
                running = FeatureStatistics()
                for start in range(0, len(features), args.batch_size):
                    running.update(features[start : start + args.batch_size])
                return float(np.trace(running.mean_and_covariance()[1]))

        else:
            inputs = [real]

            def function(features):
                return float(np.trace(feature_statistics(features)[1]))

    clocks = _cpu_clocks()
    value = function(*inputs)
    seconds = _cpu_clocks()[0] - clocks[0]
    return {
        "seconds": [seconds],
        "other_load": _other_load(clocks),
        "value": value,
        "peak_rss_mib": _peak_rss_mib(),
    }


def child(args):
    if args.child == "prepare":
        return prepare(args)
    if args.child in HOST:
        return time_host(args)
    return time_extraction(args)


# -------------------------------------------------------------------- parent


def _child_env(backend):
    env = dict(os.environ)
    env["KERAS_BACKEND"] = backend
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def _run_child(name, args, extra=()):
    command = [sys.executable, os.path.abspath(__file__), "--child", name]
    for option in (
        "batch_size",
        "batches",
        "warmup",
        "workdir",
        "host_n",
        "feature_dim",
        "kid_subsets",
        "kid_subset_size",
    ):
        command += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
    command += list(extra)
    backend = EXTRACTION[name][1] if name in EXTRACTION else None
    return run_child(command, _child_env(backend or "jax"), args.child_timeout)


def _environment():
    import importlib.metadata as metadata

    versions = {}
    packages = ("keras", "tensorflow-cpu", "tensorflow", "jax", "jaxlib", "torch")
    for package in (*packages, "torch-fidelity", "numpy", "scipy"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    processor = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as file:
        models = [line.split(":", 1)[1].strip() for line in file if line.startswith("model name")]
        processor = models[0] if models else processor
    return {
        "python": platform.python_version(),
        "processor": processor,
        "cpu_count": os.cpu_count(),
        "versions": versions,
    }


def _relative_error(ours, reference):
    ours, reference = np.asarray(ours), np.asarray(reference)
    return float(np.abs(ours - reference).max() / np.abs(reference).max())


def _other_load_range(results):
    loads = [result["other_load"] for result in results]
    return f"{min(loads):.1f}-{max(loads):.1f}" if len(loads) > 1 else f"{loads[0]:.1f}"


def _extraction_table(names, results, failures, args):
    rates = {}
    for name in names:
        seconds = [s for result in results[name] for s in result["seconds"]]
        if seconds:
            rates[name] = args.batch_size / statistics.median(seconds)
    reference = rates.get("torch-fidelity")
    reference_pool3 = results["torch-fidelity"][0]["pool3"] if "torch-fidelity" in rates else None
    lines = [
        "| configuration | images/s | vs torch-fidelity | round medians | best batch "
        "| other load (cores) | peak RSS MiB | pool3 vs torch-fidelity |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in names:
        label = EXTRACTION[name][0]
        if name not in rates:
            lines.append(f"| {label} | skipped: {failures.get(name, 'no data')} | | | | | | |")
            continue
        rounds = [args.batch_size / statistics.median(r["seconds"]) for r in results[name]]
        best = args.batch_size / min(s for r in results[name] for s in r["seconds"])
        ratio = f"{rates[name] / reference:.2f}x" if reference else "-"
        peak = max(r["peak_rss_mib"] for r in results[name])
        check = "-"
        if reference_pool3 is not None and name != "torch-fidelity":
            check = f"{_relative_error(results[name][0]['pool3'], reference_pool3):.1e}"
        lines.append(
            f"| {label} | {rates[name]:.2f} | {ratio} | {min(rounds):.2f}-{max(rounds):.2f} "
            f"| {best:.2f} | {_other_load_range(results[name])} | {peak:.0f} | {check} |"
        )
    return "\n".join(lines)


def _host_table(names, results, failures):
    lines = [
        "| computation | median s | rounds s | other load (cores) | peak RSS MiB | value |",
        "|---|---|---|---|---|---|",
    ]
    for name in names:
        if not results[name]:
            lines.append(f"| {HOST[name]} | skipped: {failures.get(name, 'no data')} | | | | |")
            continue
        seconds = [result["seconds"][0] for result in results[name]]
        peak = max(result["peak_rss_mib"] for result in results[name])
        value = results[name][0]["value"]
        lines.append(
            f"| {HOST[name]} | {statistics.median(seconds):.2f} | "
            f"{', '.join(f'{s:.2f}' for s in seconds)} | {_other_load_range(results[name])} "
            f"| {peak:.0f} | {value:.6g} |"
        )
    return "\n".join(lines)


def _protocol(args, environment, extraction, host, results, load):
    versions = ", ".join(f"{name} {version}" for name, version in environment["versions"].items())
    lines = [
        f"Machine: {environment['processor']}, os.cpu_count() = {environment['cpu_count']}, "
        f"Python {environment['python']}; {versions}. Thread pools at their defaults"
        + (
            f" (torch: {results['torch-fidelity'][0]['torch_threads']} threads)."
            if results.get("torch-fidelity")
            else "."
        ),
        f"Load average (1 min) at start {load[0]:.2f}, at end {load[1]:.2f}.",
    ]
    if extraction:
        lines.append(
            f"Extraction: uint8 {IMAGE_SIDE}x{IMAGE_SIDE}x3 in -> 299x299 (TF1 legacy bilinear) "
            f"-> pool3 + logits_unbiased; batch {args.batch_size}, {args.warmup} warm-up "
            f"batch(es) untimed, {args.batches} timed batch(es) per round, {args.rounds} "
            f"round(s); same random weights and images in every row."
        )
    if host:
        lines.append(
            f"Host math: float64 NumPy, d = {args.feature_dim}, N = {args.host_n} features per "
            f"set; streaming statistics in chunks of {args.batch_size}; KID "
            f"{args.kid_subsets} subsets of {args.kid_subset_size}; one timing in each of the "
            f"first {min(args.host_rounds, args.rounds)} round(s)."
        )
    return "\n".join(lines)


def run_benchmark(names, args):
    extraction = [name for name in names if name in EXTRACTION]
    host = [name for name in names if name in HOST]
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fid_throughput_") as workdir:
        args.workdir = workdir
        flags = (["--weights"] if extraction else []) + (["--host"] if host else [])
        _, failure = _run_child("prepare", args, flags)
        if failure:
            raise SystemExit(f"preparing the inputs failed: {failure}")
        print(f"prepared inputs ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        results = {name: [] for name in names}
        failures = {}
        for round_index in range(args.rounds):
            shift = round_index % len(names)
            for name in names[shift:] + names[:shift]:
                if name in failures or (name in HOST and round_index >= args.host_rounds):
                    continue
                child_start = time.perf_counter()
                result, failure = _run_child(name, args)
                if failure:
                    failures[name] = failure
                    print(f"round {round_index + 1}: {name} skipped: {failure}", file=sys.stderr)
                    continue
                results[name].append(result)
                median = statistics.median(result["seconds"])
                shown = f"{args.batch_size / median:.2f} images/s" if name in EXTRACTION else ""
                print(
                    f"round {round_index + 1}: {name} {shown or f'{median:.2f} s'} "
                    f"({time.perf_counter() - child_start:.0f} s)",
                    file=sys.stderr,
                )
    environment = _environment()
    load = (load_start, os.getloadavg()[0])
    if extraction:
        print(_extraction_table(extraction, results, failures, args))
        print()
    if host:
        print(_host_table(host, results, failures))
        print()
    print(_protocol(args, environment, extraction, host, results, load))
    print(f"Total run time: {time.perf_counter() - started:.0f} s.")
    if args.json:
        raw = {
            "arguments": {k: v for k, v in vars(args).items() if k not in ("child", "workdir")},
            "environment": environment,
            "load_average": load,
            "results": results,
            "failures": failures,
        }
        with open(args.json, "w") as file:
            json.dump(raw, file, indent=1)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="configurations: " + ", ".join([*EXTRACTION, *HOST]),
    )
    parser.add_argument("--batch-size", type=int, default=50, help="images per call (50)")
    parser.add_argument("--batches", type=int, default=1, help="timed batches per round (1)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed batches first (1)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (2)")
    parser.add_argument("--only", default=",".join(DEFAULT), help="comma-separated names")
    parser.add_argument(
        "--host-rounds",
        type=int,
        default=1,
        help="rounds that include the host math (default 1: its rows take minutes)",
    )
    parser.add_argument("--host-n", type=int, default=10_000, help="features per set (10,000)")
    parser.add_argument("--feature-dim", type=int, default=FEATURE_DIM, help=argparse.SUPPRESS)
    parser.add_argument("--kid-subsets", type=int, default=100, help="KID subsets (100)")
    parser.add_argument("--kid-subset-size", type=int, default=1000, help="KID subset size (1000)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: batch 4, 1 timed batch, 1 round; host math at d = 256, N = 1,000, "
        "KID 10 subsets of 500",
    )
    parser.add_argument("--json", default=None, help="write the raw timings here")
    parser.add_argument("--child-timeout", type=int, default=900, help="seconds per child run")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--weights", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--host", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print("RESULT " + json.dumps(child(args)))
        return 0
    if args.quick:
        args.batch_size, args.batches, args.rounds = 4, 1, 1
        args.host_n, args.feature_dim, args.kid_subsets, args.kid_subset_size = 1000, 256, 10, 500
    names = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in names if name not in EXTRACTION and name not in HOST]
    if unknown:
        parser.error(f"unknown configuration(s) {unknown}; choose from {[*EXTRACTION, *HOST]}")
    run_benchmark(names, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
