"""The `keras-gan-zoo` command line, run as a user runs it (in a subprocess)."""

import os

import keras
import numpy as np
import pytest

from keras_gan_zoo.callbacks import GANCheckpoint
from keras_gan_zoo.utils import images
from tests.conftest import run_python

BACKEND = keras.config.backend()
CLI = ("-m", "keras_gan_zoo.cli")


def test_train_sample_and_resume_on_the_bundled_digits(tmp_path):
    out = tmp_path / "run"
    train = (*CLI, "train", "dcgan", "--dataset", "digits", "--out", out, "--verbose", "0")
    log = run_python([*train, "--epochs", "1"], BACKEND)
    assert f"({BACKEND} backend)" in log

    grids = sorted(os.listdir(out / "samples"))
    assert grids and all(name.endswith(".png") for name in grids)
    grid = images.read_png(out / "samples" / grids[-1])
    assert grid.dtype == np.uint8 and grid.ndim == 3 and grid.shape[-1] == 1
    assert GANCheckpoint.latest(out / "checkpoints")[1] == 1
    assert (out / "generator.keras").is_file()

    # Resuming trains only the epochs that are missing.
    log = run_python([*train, "--epochs", "2", "--resume"], BACKEND)
    assert "Resuming from epoch 1" in log
    assert GANCheckpoint.latest(out / "checkpoints")[1] == 2

    # `--backend` wins over KERAS_BACKEND: the command restarts itself on the asked backend.
    other = "tensorflow" if BACKEND != "tensorflow" else "jax"
    grid_path = tmp_path / "grid.png"
    sample = (*CLI, "--backend", BACKEND, "sample", out / "checkpoints", "--n", "16")
    log = run_python([*sample, "--out", grid_path], other)
    assert f"({BACKEND} backend, " in log
    grid = images.read_png(grid_path)
    # 16 samples of 28x28 make a 4x4 grid with 2-pixel padding.
    assert grid.shape == (4 * 30 + 2, 4 * 30 + 2, 1)
    assert grid.std() > 0


def test_sample_names_a_missing_checkpoint(tmp_path):
    # run_python raises AssertionError with the command's stderr when it exits non-zero.
    with pytest.raises(AssertionError, match=r"neither a preset.*nor a checkpoint folder"):
        run_python([*CLI, "sample", tmp_path, "--out", tmp_path / "g.png"], BACKEND)
