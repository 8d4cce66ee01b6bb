"""The learning tests' margins: each configuration trained from several seeds.

A learning test runs one seed per backend, and a machine whose kernels round
differently takes a different path from the same seed (a Zen-4 AVX-512 CI
machine failed a ring test that passed where it landed, the same in every
rerun). So each test's bar has to sit clear of the spread over seeds, and this
script measures that spread: it imports the tests' own training functions
(`train_and_score` in tests/models/test_mixture_learning.py,
`train_and_judge` in tests/models/test_dcgan.py), runs the chosen
configurations in the current KERAS_BACKEND over the given seeds, appends one
JSON line per run to benchmarks/results/learning_margins.jsonl and prints, per
configuration, the bar, every seed's result, the minimum over seeds and its
margin over the bar.

    KERAS_BACKEND=tensorflow python benchmarks/learning_margins.py run \\
        --seeds 0 1 2 3 4 --only GAN-minibatch-discrimination WGAN
    python benchmarks/learning_margins.py table [--only NAMES] [--backend B]

Names: the ring configurations (`test_mixture_learning.MODELS`) and
`dcgan-mnist`. Measure one process at a time, on one core and one thread, as
CI runs the suite: `taskset -c 1` with OMP_NUM_THREADS=1
TF_NUM_INTRAOP_THREADS=1 and XLA_FLAGS="--xla_cpu_multi_thread_eigen=false
intra_op_parallelism_threads=1".

Each run records its configuration's setting (its budget and a fingerprint of
its model and compile arguments). The table shows the runs of the latest
setting measured for each configuration, backend and machine: runs of an older
setting stay in the file but are left out (`--all` shows them).
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "learning_margins.jsonl"
DCGAN = "dcgan-mnist"


def _import_tests():
    """The test modules (tests/ holds no package; pytest imports them by path)."""
    for folder in (ROOT / "tests", ROOT / "tests" / "models"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    import test_dcgan
    import test_mixture_learning

    return test_mixture_learning, test_dcgan


def _machine():
    """The CPU's model name, and whether it has AVX-512 (it changes TF's kernels)."""
    model, flags = platform.processor() or platform.machine(), ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = value
                break
    except OSError:
        pass
    return f"{model}, {'avx512' if 'avx512f' in flags.split() else 'no avx512'}"


# Per kind of test, each measured quantity: (how to print a value, how to
# print a margin: a fraction's in percentage points).
METRICS = {
    "ring": {"modes": ("{:d}/8", "{:+d} modes"), "near": ("{:.0%}", "{:+.0f} pts")},
    "mnist": {"recognized": ("{:.2f}", "{:+.2f}"), "digits_seen": ("{:d}/10", "{:+d} digits")},
}


def _kind(name):
    return "mnist" if name == DCGAN else "ring"


def _bar(name, ring):
    """{metric: the least value the test accepts} for configuration `name`."""
    if name == DCGAN:
        _, dcgan = _import_tests()
        return dict(dcgan.MNIST_BAR)
    return dict(zip(("modes", "near"), ring.bar(name)))


def _run_one(name, seed, ring, dcgan, mnist):
    if name == DCGAN:
        images, judge = mnist()
        result = dcgan.train_and_judge(images, judge, seed=seed)
        return {key: result[key] for key in ("recognized", "digits_seen", "before", "setting")}
    return ring.train_and_score(name, seed=seed)


def _mnist_loader():
    """Loads MNIST and fits the DigitJudge once, on first use."""
    cached = []

    def load():
        if not cached:
            from conftest import MNIST_DIR

            from keras_gan_zoo import datasets
            from keras_gan_zoo.metrics import DigitJudge

            images = datasets.read_idx(MNIST_DIR / "t10k-images-idx3-ubyte.gz")
            labels = datasets.read_idx(MNIST_DIR / "t10k-labels-idx1-ubyte.gz")
            cached.append((images, DigitJudge(images, labels)))
        return cached[0]

    return load


def run(args):
    import keras

    ring, dcgan = _import_tests()
    names = args.only or [*sorted(ring.MODELS), DCGAN]
    unknown = [name for name in names if not _known(name, ring)]
    if unknown:
        raise SystemExit(
            f"Unknown configurations {unknown}; known: {[*sorted(ring.MODELS), DCGAN]}"
        )
    backend, machine, mnist = keras.config.backend(), _machine(), _mnist_loader()
    records = []
    for name in names:
        for seed in args.seeds:
            start = time.perf_counter()
            result = _run_one(name, seed, ring, dcgan, mnist)
            record = {
                "name": name,
                "backend": backend,
                "seed": seed,
                **result,
                "bar": _bar(name, ring),
                "seconds": round(time.perf_counter() - start, 1),
                "machine": machine,
                "threads": {
                    key: os.environ.get(key)
                    for key in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "XLA_FLAGS")
                },
                "affinity": len(os.sched_getaffinity(0)),
                "date": time.strftime("%Y-%m-%d %H:%M"),
            }
            print(json.dumps(record), flush=True)
            records.append(record)
            if not args.no_save:
                RESULTS.parent.mkdir(parents=True, exist_ok=True)
                with open(RESULTS, "a") as results:
                    results.write(json.dumps(record) + "\n")
    print()
    print(table(records))


def _show(values, metrics):
    return " ".join(value.format(values[metric]) for metric, (value, _) in metrics.items())


def _margin(lowest, bar, metrics):
    differences = []
    for metric, (_, margin) in metrics.items():
        difference = lowest[metric] - bar[metric]
        differences.append(margin.format(100 * difference if "pts" in margin else difference))
    return ", ".join(differences)


def _bars(records):
    """{name: its bar in the tests now}, for the configurations in `records`."""
    ring, _ = _import_tests()
    return {name: _bar(name, ring) for name in {r["name"] for r in records} if _known(name, ring)}


def _known(name, ring):
    return name == DCGAN or name in ring.MODELS


def table(records, every_setting=False, bars=None):
    """One row per (configuration, backend, machine, setting): bar, seeds, minimum, margin.

    Unless `every_setting`, only the setting of each (configuration, backend,
    machine)'s latest run is shown; of a seed run twice, the latest run. The
    margins are over `bars` ({name: bar}) where given, else over the bar
    each run recorded.
    """
    latest = {(r["name"], r["backend"], r["machine"]): r["setting"] for r in records}
    groups = {}
    for record in records:
        group = (record["name"], record["backend"], record["machine"])
        if every_setting or record["setting"] == latest[group]:
            groups.setdefault((*group, record["setting"]), {})[record["seed"]] = record
    machines = sorted({key[2] for key in groups})
    lines = [
        "| configuration | backend | bar | per seed | min | margin | s/run | setting |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for (name, backend, machine, setting), by_seed in sorted(groups.items()):
        metrics = METRICS[_kind(name)]
        bar = (bars or {}).get(name) or by_seed[max(by_seed)]["bar"]
        lowest = {metric: min(r[metric] for r in by_seed.values()) for metric in metrics}
        seeds = ", ".join(f"{seed}: {_show(by_seed[seed], metrics)}" for seed in sorted(by_seed))
        seconds = sum(r["seconds"] for r in by_seed.values()) / len(by_seed)
        if len(machines) > 1:
            backend += f" [{machines.index(machine) + 1}]"
        lines.append(
            f"| {name} | {backend} | {_show(bar, metrics)} | {seeds} | {_show(lowest, metrics)} "
            f"| {_margin(lowest, bar, metrics)} | {seconds:.0f} | {setting} |"
        )
    if len(machines) > 1:
        lines += [f"[{i + 1}] {machine}" for i, machine in enumerate(machines)]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="train configurations over seeds (KERAS_BACKEND)")
    run_parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    run_parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="configurations (default all)"
    )
    run_parser.add_argument(
        "--no-save", action="store_true", help=f"do not append to {RESULTS.name}"
    )
    table_parser = commands.add_parser("table", help="re-print the table from the results file")
    table_parser.add_argument("--only", nargs="+", metavar="NAME")
    table_parser.add_argument("--backend", nargs="+")
    table_parser.add_argument("--all", action="store_true", help="include older settings' runs")
    args = parser.parse_args(argv)
    if args.command == "run":
        run(args)
        return
    if not RESULTS.exists():
        raise SystemExit(f"No results yet: {RESULTS} does not exist (run `run` first).")
    records = [json.loads(line) for line in RESULTS.read_text().splitlines() if line.strip()]
    records = [
        r
        for r in records
        if (not args.only or r["name"] in args.only)
        and (not args.backend or r["backend"] in args.backend)
    ]
    print(table(records, every_setting=args.all, bars=_bars(records)))


if __name__ == "__main__":
    main()
