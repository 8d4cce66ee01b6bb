"""The `keras-gan-zoo` command line, run as a user runs it.

One real command per backend (a subprocess that trains); the rest of the
command's plumbing does not depend on the backend and runs once, in this
process (`cli.main`), which saves a framework import per command.
"""

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


def test_train_resume_and_sample_on_the_bundled_digits(tmp_path, capsys):
    """The one real command per backend: a subprocess trains, this process resumes and samples."""
    from keras_gan_zoo import cli

    out = tmp_path / "run"
    # A narrow DCGAN (16 filters, not 64) for 2 steps an epoch: this checks the
    # command, not the model.
    train = ["train", "dcgan", "--dataset", "digits", "--filters", "16", "--out", str(out)]
    train += ["--steps-per-epoch", "2", "--batch-size", "16", "--verbose", "0"]
    log = run_python([*CLI, *train, "--epochs", "1"], BACKEND)
    assert f"({BACKEND} backend)" in log

    grids = sorted(os.listdir(out / "samples"))
    assert grids and all(name.endswith(".png") for name in grids)
    grid = images.read_png(out / "samples" / grids[-1])
    assert grid.dtype == np.uint8 and grid.ndim == 3 and grid.shape[-1] == 1
    assert GANCheckpoint.latest(out / "checkpoints")[1] == 1
    assert (out / "generator.keras").is_file()

    # Resuming trains only the epochs that are missing (in this process: the
    # command's plumbing is the same, the import is not paid twice).
    capsys.readouterr()
    cli.main([*train, "--epochs", "2", "--resume"])
    assert "Resuming from epoch 1" in capsys.readouterr().out
    assert GANCheckpoint.latest(out / "checkpoints")[1] == 2
    trained, _ = GANCheckpoint.restore(out / "checkpoints")
    assert trained.filters == 16  # --filters reached the model and survived the resume

    grid_path = tmp_path / "grid.png"
    cli.main(["sample", str(out / "checkpoints"), "--n", "16", "--out", str(grid_path)])
    assert f"({BACKEND} backend, " in capsys.readouterr().out
    grid = images.read_png(grid_path)
    # 16 samples of 28x28 make a 4x4 grid with 2-pixel padding.
    assert grid.shape == (4 * 30 + 2, 4 * 30 + 2, 1)
    assert grid.std() > 0


@pytest.mark.neutral
def test_backend_option_wins_over_keras_backend(tmp_path):
    # The command restarts itself on the asked backend before any work.
    points = tmp_path / "points.npy"
    command = [*CLI, "--backend", "jax", "sample", "gan_ring8", "--n", "10", "--out", points]
    log = run_python(command, "torch")
    assert "(jax backend, " in log
    assert np.load(points).shape == (10, 2)


@pytest.mark.neutral
def test_filters_is_refused_for_a_model_without_convolutions(tmp_path, capsys):
    message = cli_error(capsys, "train", "gan", "--filters", "16", "--out", tmp_path / "run")
    assert "--filters sets dcgan's conv width; gan has none" in message
    assert not (tmp_path / "run").exists()


@pytest.mark.neutral
def test_sample_names_a_missing_checkpoint(tmp_path, capsys):
    message = cli_error(capsys, "sample", tmp_path, "--out", tmp_path / "g.png")
    assert re.search(r"neither a preset.*nor a checkpoint folder", message), message


def _tiles(grid, side, columns):
    """Cuts a make_grid grid (2-pixel padding) back into images in [-1, 1]."""
    rows = (grid.shape[0] - 2) // (side + 2)
    tiles = [
        grid[2 + r * (side + 2) : 2 + r * (side + 2) + side, 2 + c * (side + 2) :][:, :side]
        for r in range(rows)
        for c in range(columns)
    ]
    return np.stack(tiles).astype("float32") / 127.5 - 1.0


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """An empty download cache and no network; returns the list of URLs tried."""
    import urllib.error

    from keras_gan_zoo.utils import downloads

    tried = []

    def no_network(url, *args, **kwargs):
        tried.append(url)
        raise urllib.error.URLError("no network (test)")

    monkeypatch.setattr(downloads.urllib.request, "urlopen", no_network)
    monkeypatch.setenv("KERAS_GAN_ZOO_CACHE", str(tmp_path / "cache"))
    return tried


# The built-in presets sample the same on every backend (tests/presets), so
# what the command does with them is checked once.
@pytest.mark.neutral
def test_sample_a_built_in_preset_offline(tmp_path, capsys, offline, digit_judge):
    from keras_gan_zoo import cli

    grid_path = tmp_path / "grid.png"
    cli.main(["sample", "dcgan_mnist", "--n", "64", "--out", str(grid_path)])
    assert f"({BACKEND} backend, " in capsys.readouterr().out
    grid = images.read_png(grid_path)
    assert grid.shape == (8 * 30 + 2, 8 * 30 + 2, 1)
    score = digit_judge.score(_tiles(grid, 28, 8))
    # The preset scores 0.529 on 10,000 samples (metadata.json); noise scores 0.
    assert score["recognized"] > 0.3, score
    assert score["digits_present"] >= 8, score
    assert offline == []
    assert not any(p.is_file() for p in (tmp_path / "cache").rglob("*"))


@pytest.mark.neutral
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


@pytest.mark.neutral
def test_evaluate_a_preset_with_mnist_classifier_features(tmp_path, capsys, mnist):
    from keras_gan_zoo import cli

    results_file = tmp_path / "results.json"
    cli.main([
        "evaluate", "dcgan_mnist", "--metric", "fid", "--metric", "kid",
        "--reference", str(MNIST_DIR), "--features", "mnist", "--n", "1000",
        "--json", str(results_file),
    ])  # fmt: skip
    log = capsys.readouterr().out
    results = json.loads(results_file.read_text())
    assert "1000 samples (seed 0) vs 10000 reference images; features mnist_classifier" in log
    assert results["n"] == 1000 and results["n_reference"] == 10000
    # At 10,000 samples the preset scores FID 48 and KID 19 on these features, an
    # untrained DCGAN 1242 and 469 (README, benchmarks/mnist_evaluation.py).
    assert 0 < results["fid"] < 100, results
    assert results["kid"] < 100, results


@pytest.mark.neutral
def test_evaluate_without_fid_weights_says_how_to_get_them(tmp_path, capsys, offline, monkeypatch):
    monkeypatch.setenv("KERAS_GAN_ZOO_FID_WEIGHTS", "")
    stats = tmp_path / "stats.npz"
    np.savez(stats, mu=np.zeros(2048), sigma=np.eye(2048))
    # cli_error: exit status 2 and one line, no traceback.
    message = cli_error(capsys, "evaluate", "dcgan_mnist", "--reference", stats, "--n", "100")
    assert "KERAS_GAN_ZOO_FID_WEIGHTS" in message and "pt_inception-2015-12-05" in message
    assert offline, "the weights were not looked for online"
