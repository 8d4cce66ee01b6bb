"""MNIST-format folders with both splits, and batches that carry labels."""

import gzip
import os
import struct
from pathlib import Path

import numpy as np
import pytest

from keras_gan_zoo import datasets

pytestmark = pytest.mark.neutral

SHARED_DATA = Path(os.environ.get("KERAS_GAN_ZOO_DATA", Path(__file__).parents[3] / "shared/data"))


def _write_idx(path, array):
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(
        struct.pack(">I", d) for d in array.shape
    )
    with gzip.open(path, "wb") as file:
        file.write(header + array.astype(np.uint8).tobytes())


def _split(folder, prefix, count, first_label=0):
    """Images whose every pixel is 20 * label, and the labels, as `prefix`-* files."""
    labels = (np.arange(count) + first_label) % 10
    images = np.repeat(20 * labels, 4 * 4).reshape(count, 4, 4)
    _write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images)
    _write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", labels)
    return images, labels


@pytest.fixture
def both_splits(tmp_path):
    _split(tmp_path, "train", 30)
    _split(tmp_path, "t10k", 10, first_label=3)
    return tmp_path


def _count(dataset):
    return sum(len(batch) for batch in dataset.take(len(dataset)))


def test_a_folder_with_both_splits_trains_on_the_training_split(both_splits):
    assert _count(datasets.from_idx(both_splits, batch_size=10)) == 30
    assert _count(datasets.load(str(both_splits), batch_size=10)) == 30
    assert _count(datasets.from_idx(both_splits, batch_size=10, split="test")) == 10
    images, labels = datasets.idx_arrays(both_splits)
    assert images.shape == (30, 4, 4) and labels[0] == 0
    images, labels = datasets.idx_arrays(both_splits, split="test")
    assert images.shape == (10, 4, 4) and labels[0] == 3


def test_a_missing_split_or_a_bad_split_name_is_named(tmp_path, both_splits):
    only_test = tmp_path / "only_test"
    only_test.mkdir()
    _split(only_test, "t10k", 10)
    with pytest.raises(ValueError, match=r"exactly one '\*train-images-idx3-ubyte"):
        datasets.from_idx(only_test, batch_size=5, split="train")
    assert _count(datasets.from_idx(only_test, batch_size=5)) == 10  # its only split
    with pytest.raises(ValueError, match="split must be 'train' or 'test'; got 'validation'"):
        datasets.from_idx(both_splits, split="validation")
    with pytest.raises(ValueError, match="not both"):
        datasets.from_idx(both_splits, split="train", kind="train-images")


def test_two_unrelated_images_files_still_need_a_choice(tmp_path):
    _split(tmp_path, "cats", 10)
    _split(tmp_path, "train", 10)
    with pytest.raises(ValueError, match="found .*cats-images.*Pass split="):
        datasets.from_idx(tmp_path, batch_size=5)


def test_labels_travel_with_their_images_through_the_shuffle(both_splits):
    dataset = datasets.from_idx(both_splits, batch_size=10, labels=True, seed=3)
    seen = []
    for images, labels in dataset.take(3):
        images, labels = np.asarray(images), np.asarray(labels)
        assert labels.dtype == np.int32 and labels.shape == (10,)
        # Pixels 20 * label in [0, 255] map onto [-1, 1]: label = (x + 1) * 127.5 / 20.
        np.testing.assert_allclose((images[:, 0, 0, 0] + 1) * 127.5 / 20, labels, atol=1e-3)
        seen.extend(labels)
    assert seen != [i % 10 for i in range(30)]  # shuffled, not in file order


def test_labels_must_be_one_class_index_per_image():
    images = np.zeros((8, 4, 4), np.uint8)
    cases = {
        "dtype float32": np.zeros(8, np.float32),
        r"shape \(8,\), one per example; got shape \(7,\)": np.zeros(7, int),
        "indices >= 0; found -1": np.array([0] * 7 + [-1]),
        "dtype bool": np.zeros(8, bool),
    }
    for message, labels in cases.items():
        with pytest.raises(ValueError, match=message):
            datasets.from_arrays(images, batch_size=4, labels=labels)


def test_labels_need_their_file(tmp_path):
    images, _ = _split(tmp_path, "train", 10)
    (tmp_path / "train-labels-idx1-ubyte.gz").unlink()
    assert _count(datasets.from_idx(tmp_path, batch_size=5)) == 10  # images alone are fine
    with pytest.raises(ValueError, match="No labels file train-labels-idx1-ubyte"):
        datasets.from_idx(tmp_path, batch_size=5, labels=True)


@pytest.mark.parametrize(("name", "train", "test"), [("fashion_mnist", 60_000, 10_000)])
def test_real_folders_with_both_splits(name, train, test):
    folder = SHARED_DATA / name
    if not folder.is_dir():
        pytest.skip(f"{folder} not found (needs ../shared/data/{name})")
    assert len(datasets.from_idx(folder, batch_size=1000)) == train // 1000
    assert len(datasets.from_idx(folder, batch_size=1000, split="test")) == test // 1000
