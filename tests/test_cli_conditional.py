"""The command line with a conditional model: labels loaded, a split chosen, a class sampled."""

import gzip
import json
import struct

import numpy as np
import pytest
from conftest import cli_error

from keras_gan_zoo import cli

pytestmark = pytest.mark.neutral


def _write_idx(path, array):
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(
        struct.pack(">I", d) for d in array.shape
    )
    with gzip.open(path, "wb") as file:
        file.write(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def mnist_like(tmp_path):
    """Both MNIST splits, 16 x 16: 32 training and 16 test images of 4 classes."""
    folder = tmp_path / "mnist"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for prefix, count in (("train", 32), ("t10k", 16)):
        _write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (count, 16, 16)))
        _write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", np.arange(count) % 4)
    return folder


def _train(out, dataset, *extra):
    cli.main(
        [
            "train", "cgan", "--dataset", str(dataset), "--image-size", "16", "--batch-size",
            "8", "--epochs", "1", "--steps-per-epoch", "2", "--latent-dim", "4", "--verbose",
            "0", "--out", str(out), "--model-arg", "num_classes=4", *extra,
        ]
    )  # fmt: skip


def test_cgan_trains_on_the_chosen_split_with_its_labels_and_samples_a_class(
    tmp_path, mnist_like, capsys
):
    out = tmp_path / "run"
    _train(out, mnist_like, "--split", "test")
    record = json.loads((out / "run.json").read_text())
    assert record["settings"]["split"] == "test" and record["model"] == "cgan"
    # The sample grid has one row per class: 64 images, 4 classes, 16 columns.
    assert (out / "samples" / "epoch_0001.png").exists()
    cli.main(["sample", str(out), "--n", "6", "--label", "3", "--out", str(tmp_path / "s.npy")])
    samples = np.load(tmp_path / "s.npy")
    assert samples.shape == (6, 16, 16, 1)
    message = cli_error(
        capsys, "sample", out, "--n", "2", "--label", "4", "--out", tmp_path / "x.npy"
    )
    assert "--label must be a class" in message and "0 to 3" in message


def test_a_conditional_model_refuses_data_without_labels_and_split_needs_idx(tmp_path, capsys):
    from keras_gan_zoo.utils import images

    folder = tmp_path / "faces"
    folder.mkdir()
    for index in range(4):
        images.write_png(folder / f"{index}.png", np.full((16, 16, 3), 40 * index, np.uint8))
    message = cli_error(
        capsys, "train", "cgan", "--dataset", folder, "--image-size", "16", "--out", tmp_path / "r"
    )
    assert "cgan is conditional" in message and "images only" in message
    message = cli_error(
        capsys, "train", "gan", "--dataset", "digits", "--split", "test", "--out", tmp_path / "r"
    )
    assert "--split" in message and "IDX" in message
