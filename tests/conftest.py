"""Shared fixtures and the suite's tiers.

The suite runs once per backend (KERAS_BACKEND=... pytest; tests/run_all_backends.sh
runs all three), and each test belongs to one tier:

- unmarked: the backend's own behaviour (models, layers, losses, training
  steps, saving); runs on every backend.
- `@pytest.mark.neutral`: nothing backend-specific (NumPy metrics, files,
  downloads, datasets, the command line's plumbing); runs once per suite, on
  NEUTRAL_BACKEND.
- `@pytest.mark.carried`: what a loss, trick, layer or model does with the
  backend's numbers, where tests/test_parity.py shows every backend computes
  the same numbers (every registered model's steps, a step with each public
  trick and batch-statistics layer, every adversarial loss). Runs on
  CARRIED_BACKEND only; KERAS_GAN_ZOO_CARRIED_BACKENDS=all runs it everywhere.
- `@pytest.mark.learning`: trains until a model has learned something
  measurable (the ring, MNIST digits). Runs on LEARNING_BACKEND only, since
  the parity tests show that every backend takes the same steps; set
  KERAS_GAN_ZOO_LEARNING_BACKENDS=all (or a comma-separated list) to run the
  full learning matrix.
"""

import contextlib
import fcntl
import gc
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest
from file_server import FileServer

REPO_ROOT = Path(__file__).resolve().parents[1]
MNIST_DIR = Path(os.environ.get("KERAS_GAN_ZOO_MNIST", REPO_ROOT.parent / "shared/data/mnist"))
BACKENDS = ("tensorflow", "jax", "torch")
NEUTRAL_BACKEND = "tensorflow"
# The cheapest backend for small eager models: most carried tests take a
# third of their JAX time and half their TensorFlow time there.
CARRIED_BACKEND = "torch"
# Where each learning test's spread over seeds was measured
# (benchmarks/learning_margins.py), so where its bar is known to hold.
LEARNING_BACKEND = "tensorflow"
# marker: (the switch that chooses its backends, the default)
SWITCHED_TIERS = {
    "carried": ("KERAS_GAN_ZOO_CARRIED_BACKENDS", CARRIED_BACKEND),
    "learning": ("KERAS_GAN_ZOO_LEARNING_BACKENDS", LEARNING_BACKEND),
}


def tier_backends(marker):
    """The backends that run `marker`'s tests: its switch, or its default."""
    switch, default = SWITCHED_TIERS[marker]
    chosen = os.environ.get(switch, default).strip()
    names = BACKENDS if chosen == "all" else tuple(n.strip() for n in chosen.split(",") if n)
    unknown = [name for name in names if name not in BACKENDS]
    if unknown or not names:
        raise pytest.UsageError(
            f"{switch}={chosen!r}: expected 'all' or a comma-separated list of "
            f"{', '.join(BACKENDS)}"
        )
    return names


def learning_backends():
    """The backends that run `learning` tests: KERAS_GAN_ZOO_LEARNING_BACKENDS."""
    return tier_backends("learning")


def pytest_configure(config):
    for marker in SWITCHED_TIERS:
        tier_backends(marker)  # a mistyped switch stops the run before any test


def pytest_report_header(config):
    return (
        f"tiers on {keras.config.backend()}: neutral tests run on {NEUTRAL_BACKEND}, "
        f"carried tests on {', '.join(tier_backends('carried'))}, "
        f"learning tests on {', '.join(learning_backends())}"
    )


def _runs_elsewhere(item, backend):
    if item.get_closest_marker("neutral"):
        return backend != NEUTRAL_BACKEND
    return any(
        item.get_closest_marker(marker) and backend not in tier_backends(marker)
        for marker in SWITCHED_TIERS
    )


def pytest_collection_modifyitems(config, items):
    """Deselects the tests of tiers that run on another backend."""
    backend = keras.config.backend()
    elsewhere = [item for item in items if _runs_elsewhere(item, backend)]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        kept = set(map(id, elsewhere))
        items[:] = [item for item in items if id(item) not in kept]


def pytest_collection_finish(session):
    # Everything imported so far (the frameworks, the zoo, the test modules)
    # lives for the whole run: moved out of the collector's reach, it is not
    # walked again by every collection the tests trigger.
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _fresh_keras_session():
    # Fresh layer names and seeds for every test. Without free_memory=False,
    # clear_session runs a full garbage collection each time: a median 0.95 s
    # per test on TensorFlow, 620 CPU s of a 1,680 s run. Python's own
    # collections still free the models tests leave behind.
    keras.utils.clear_session(free_memory=False)
    keras.utils.set_random_seed(0)
    yield


@pytest.fixture(scope="session")
def mnist():
    """The 10,000 real MNIST test images (uint8, N x 28 x 28) and labels."""
    from keras_gan_zoo import datasets

    images_file = MNIST_DIR / "t10k-images-idx3-ubyte.gz"
    labels_file = MNIST_DIR / "t10k-labels-idx1-ubyte.gz"
    if not (images_file.exists() and labels_file.exists()):
        pytest.skip(f"MNIST test set not found at {MNIST_DIR} (needs ../shared/data/mnist)")
    return datasets.read_idx(images_file), datasets.read_idx(labels_file)


@pytest.fixture(scope="session")
def fashion_mnist():
    """The 10,000 Fashion-MNIST test images (uint8, N x 28 x 28) and labels."""
    from keras_gan_zoo import datasets

    folder = MNIST_DIR.parent / "fashion_mnist"
    if not datasets.has_idx_images(folder):
        pytest.skip(f"Fashion-MNIST not found at {folder} (needs ../shared/data/fashion_mnist)")
    return datasets.idx_arrays(folder, split="test")


def run_python(args, backend, timeout=600, cwd=None, env=None):
    """Runs `python args...` with KERAS_BACKEND=backend; returns stdout, raises on failure.

    `env` adds or overrides environment variables.
    """
    env = dict(os.environ, KERAS_BACKEND=backend, PYTHONPATH=str(REPO_ROOT), **(env or {}))
    result = subprocess.run(
        [sys.executable, *map(str, args)],
        env=env,
        cwd=cwd or REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(map(str, args))} failed on {backend} (exit {result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


@contextlib.contextmanager
def deadline(seconds):
    """Raises TimeoutError in the block after `seconds`: a hang fails the test."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def cli_error(capsys, *argv):
    """Runs `keras-gan-zoo argv...` in this process, expecting a user error.

    Asserts what every user error gets: exit status 2 and one line on stderr,
    `keras-gan-zoo: error: ...`, with no traceback. Returns that line's message.
    """
    from keras_gan_zoo import cli

    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        cli.main([str(arg) for arg in argv])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2, (exit_info.value.code, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("keras-gan-zoo: error: "), err
    return lines[0].removeprefix("keras-gan-zoo: error: ")


@pytest.fixture(scope="session")
def digit_judge(mnist):
    """A `DigitJudge` fitted on the MNIST test set (about 20 s, once per session)."""
    from keras_gan_zoo.metrics import DigitJudge

    return DigitJudge(*mnist)


@pytest.fixture(scope="session")
def shared_folder(tmp_path_factory):
    """Where artifacts made once per suite live (`made_once`).

    tests/run_all_backends.sh runs the backends side by side and points
    KERAS_GAN_ZOO_TEST_CACHE at one folder for all three runs.
    """
    shared = os.environ.get("KERAS_GAN_ZOO_TEST_CACHE")
    return Path(shared) if shared else tmp_path_factory.mktemp("shared")


def made_once(folder, name, make):
    """folder/name, made by `make(scratch_folder)` unless it already exists.

    The first run that needs it makes it while the others wait on a lock, so
    three backends running side by side make each artifact once, not three
    times. `make` writes into a scratch folder that is renamed into place only
    when complete, so no run ever reads half an artifact.
    """
    path = Path(folder) / name
    with open(path.with_name(name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            scratch = path.with_name(name + ".partial")
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir()
            make(scratch)
            scratch.rename(path)
    return path


def random_images(n, shape=(28, 28, 1), seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, *shape)).astype("float32")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty download cache of the test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KERAS_GAN_ZOO_CACHE", str(folder))
    return folder


@pytest.fixture
def served(tmp_path):
    """A FileServer on 127.0.0.1 over tmp_path/'www', stopped after the test."""
    root = tmp_path / "www"
    root.mkdir()
    server = FileServer(root)
    yield server
    server.stop()
