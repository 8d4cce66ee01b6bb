"""Input pipelines: shapes, range, resumable epoch order, bad input."""

import gzip
import struct

import numpy as np
import pytest
from conftest import MNIST_DIR

from keras_gan_zoo import datasets
from keras_gan_zoo.utils import images as image_utils


def _epochs(dataset, count):
    return [np.concatenate(list(dataset.as_numpy_iterator())) for _ in range(count)]


def test_from_arrays_scales_batches_and_drops_the_remainder():
    pixels = np.arange(70 * 4 * 4, dtype=np.int64).reshape(70, 4, 4) % 256
    dataset = datasets.from_arrays(pixels.astype(np.uint8), batch_size=32, shuffle=False)
    batches = list(dataset.as_numpy_iterator())
    assert [b.shape for b in batches] == [(32, 4, 4, 1)] * 2
    assert batches[0].dtype == np.float32
    np.testing.assert_allclose(batches[0][..., 0], pixels[:32] / 127.5 - 1, atol=1e-6)


def test_epoch_order_is_a_function_of_seed_and_epoch():
    pixels = np.random.default_rng(0).integers(0, 256, (64, 2, 2), dtype=np.uint8)
    first = _epochs(datasets.from_arrays(pixels, batch_size=16, seed=3), 3)
    for epoch in first:
        assert sorted(map(bytes, epoch)) == sorted(map(bytes, first[0]))  # a permutation
    assert not np.array_equal(first[0], first[1])
    resumed = _epochs(datasets.from_arrays(pixels, batch_size=16, seed=3, initial_epoch=1), 2)
    np.testing.assert_array_equal(resumed[0], first[1])
    np.testing.assert_array_equal(resumed[1], first[2])


def test_bad_arrays_are_named():
    with pytest.raises(ValueError, match="empty"):
        datasets.from_arrays(np.zeros((0, 4, 4), np.uint8))
    with pytest.raises(ValueError, match="10 images, fewer than one batch of 32"):
        datasets.from_arrays(np.zeros((10, 4, 4), np.uint8), batch_size=32)
    with pytest.raises(ValueError, match="shape"):
        datasets.from_arrays(np.zeros((10, 4), np.uint8), batch_size=2)
    with pytest.raises(ValueError, match=r"span \[3, 3\], outside \[-1, 1\]"):
        datasets.from_arrays(np.full((4, 2, 2), 3.0, np.float32), batch_size=2)


def _write_idx(path, array, compress):
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(
        struct.pack(">I", d) for d in array.shape
    )
    data = header + array.astype(np.uint8).tobytes()
    with (gzip.open if compress else open)(path, "wb") as file:
        file.write(data)


@pytest.mark.parametrize("compress", [True, False])
def test_idx_files_round_trip_and_truncation_is_caught(tmp_path, compress):
    array = np.random.default_rng(0).integers(0, 256, (40, 28, 28), dtype=np.uint8)
    name = "train-images-idx3-ubyte" + (".gz" if compress else "")
    _write_idx(tmp_path / name, array, compress)
    np.testing.assert_array_equal(datasets.read_idx(tmp_path / name), array)
    batch = next(iter(datasets.from_idx(tmp_path, batch_size=8)))
    assert batch.shape == (8, 28, 28, 1)
    raw = tmp_path / "broken-images-idx3-ubyte"
    original = (tmp_path / name).read_bytes()
    raw.write_bytes(original if not compress else b"\0\0\x08\x03")
    if not compress:
        raw.write_bytes(raw.read_bytes()[:-10])
    with pytest.raises(ValueError, match="truncated|not an IDX"):
        datasets.read_idx(raw)


def test_real_mnist_test_set():
    images_file = MNIST_DIR / "t10k-images-idx3-ubyte.gz"
    if not images_file.exists():
        pytest.skip(f"MNIST test set not found at {MNIST_DIR}")
    images = datasets.read_idx(images_file)
    labels = datasets.read_idx(MNIST_DIR / "t10k-labels-idx1-ubyte.gz")
    assert images.shape == (10000, 28, 28) and labels.shape == (10000,)
    assert set(np.unique(labels)) == set(range(10))


def test_image_folder(tmp_path):
    rng = np.random.default_rng(0)
    for i in range(5):
        image_utils.write_png(
            tmp_path / "sub" / f"{i}.png", rng.integers(0, 256, (9, 7, 3), np.uint8)
        )
    batch = next(iter(datasets.from_image_folder(tmp_path, image_size=(8, 8), batch_size=4)))
    assert batch.shape == (4, 8, 8, 3)
    assert batch.numpy().min() >= -1 and batch.numpy().max() <= 1
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="empty"):
        datasets.from_image_folder(tmp_path / "empty", image_size=(8, 8))


def test_bundled_digits():
    images, labels = datasets.digits_arrays(image_size=28)
    assert images.shape == (1797, 28, 28, 1) and images.dtype == np.uint8
    assert images.max() == 255 and set(np.unique(labels)) == set(range(10))
    batch = next(iter(datasets.load_digits(batch_size=64)))
    assert batch.shape == (64, 28, 28, 1)
