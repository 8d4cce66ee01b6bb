"""The `keras-gan-zoo` command line, run as a user runs it (in a subprocess)."""

import json
import os
import re

import keras
import numpy as np
import pytest
from conftest import MNIST_DIR
from conftest import cli_error
from conftest import run_python

from keras_gan_zoo.callbacks import GANCheckpoint
from keras_gan_zoo.utils import images

BACKEND = keras.config.backend()
CLI = ("-m", "keras_gan_zoo.cli")


def test_train_sample_and_resume_on_the_bundled_digits(tmp_path):
    out = tmp_path / "run"
    # A narrow DCGAN (16 filters, not 64): this checks the command, not the model.
    train = (*CLI, "train", "dcgan", "--dataset", "digits", "--filters", "16", "--out", out)
    train = (*train, "--verbose", "0")
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
    trained, _ = GANCheckpoint.restore(out / "checkpoints")
    assert trained.filters == 16  # --filters reached the model and survived the resume

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


def test_filters_is_refused_for_a_model_without_convolutions(tmp_path, capsys):
    message = cli_error(capsys, "train", "gan", "--filters", "16", "--out", tmp_path / "run")
    assert "--filters sets dcgan's conv width; gan has none" in message
    assert not (tmp_path / "run").exists()


def test_sample_names_a_missing_checkpoint(tmp_path):
    # run_python raises AssertionError with the command's stderr when it exits non-zero.
    with pytest.raises(AssertionError, match=r"neither a preset.*nor a checkpoint folder"):
        run_python([*CLI, "sample", tmp_path, "--out", tmp_path / "g.png"], BACKEND)


def _tiles(grid, side, columns):
    """Cuts a make_grid grid (2-pixel padding) back into images in [-1, 1]."""
    rows = (grid.shape[0] - 2) // (side + 2)
    tiles = [
        grid[2 + r * (side + 2) : 2 + r * (side + 2) + side, 2 + c * (side + 2) :][:, :side]
        for r in range(rows)
        for c in range(columns)
    ]
    return np.stack(tiles).astype("float32") / 127.5 - 1.0


def test_sample_a_built_in_preset_offline(tmp_path, digit_judge):
    # An empty cache, and any attempt to download goes to a closed port.
    offline = {
        "KERAS_GAN_ZOO_CACHE": str(tmp_path / "cache"),
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
    }
    grid_path = tmp_path / "grid.png"
    command = [*CLI, "sample", "dcgan_mnist", "--n", "64", "--out", grid_path]
    log = run_python(command, BACKEND, env=offline)
    assert f"({BACKEND} backend, " in log
    grid = images.read_png(grid_path)
    assert grid.shape == (8 * 30 + 2, 8 * 30 + 2, 1)
    score = digit_judge.score(_tiles(grid, 28, 8))
    # The preset scores 0.529 on 10,000 samples (metadata.json); noise scores 0.
    assert score["recognized"] > 0.3, score
    assert score["digits_present"] >= 8, score
    assert not any(p.is_file() for p in (tmp_path / "cache").rglob("*"))


def test_presets_listing_interpolation_and_non_image_presets(tmp_path, capsys):
    from keras_gan_zoo import cli

    cli.main(["presets"])
    listing = capsys.readouterr().out
    assert "dcgan_mnist" in listing and "gan_ring8" in listing

    message = cli_error(capsys, "sample", "dcgan", "--out", tmp_path / "x.png")
    assert re.search("Unknown preset 'dcgan'.*dcgan_mnist", message)

    rows = tmp_path / "rows.png"
    cli.main(["sample", "dcgan_mnist", "--n", "12", "--interpolate", "6", "--out", str(rows)])
    assert images.read_png(rows).shape == (2 * 30 + 2, 6 * 30 + 2, 1)

    points = tmp_path / "points.npy"
    cli.main(["sample", "gan_ring8", "--n", "100", "--out", str(points)])
    assert np.load(points).shape == (100, 2)
    message = cli_error(capsys, "sample", "gan_ring8", "--out", tmp_path / "points.png")
    assert re.search("not images.*npy", message)


def test_evaluate_a_preset_with_mnist_classifier_features(tmp_path, mnist):
    results_file = tmp_path / "results.json"
    command = [
        *CLI, "evaluate", "dcgan_mnist", "--metric", "fid", "--metric", "kid",
        "--reference", MNIST_DIR, "--features", "mnist", "--n", "1000", "--json", results_file,
    ]  # fmt: skip
    log = run_python(command, BACKEND)
    results = json.loads(results_file.read_text())
    assert "1000 samples (seed 0) vs 10000 reference images; features mnist_classifier" in log
    assert results["n"] == 1000 and results["n_reference"] == 10000
    # At 10,000 samples the preset scores FID 48 and KID 19 on these features, an
    # untrained DCGAN 1242 and 469 (README, benchmarks/mnist_evaluation.py).
    assert 0 < results["fid"] < 100, results
    assert results["kid"] < 100, results


def test_evaluate_without_fid_weights_says_how_to_get_them(tmp_path):
    offline = {
        "KERAS_GAN_ZOO_CACHE": str(tmp_path / "cache"),
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "KERAS_GAN_ZOO_FID_WEIGHTS": "",
    }
    stats = tmp_path / "stats.npz"
    np.savez(stats, mu=np.zeros(2048), sigma=np.eye(2048))
    command = [*CLI, "evaluate", "dcgan_mnist", "--reference", stats, "--n", "100"]
    with pytest.raises(AssertionError) as failure:
        run_python(command, BACKEND, env=offline)
    message = str(failure.value)
    assert "KERAS_GAN_ZOO_FID_WEIGHTS" in message and "pt_inception-2015-12-05" in message
    assert "Traceback" not in message
