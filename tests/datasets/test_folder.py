"""Image folders with bad files in them: the error names the file."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan_zoo import datasets

pytestmark = pytest.mark.neutral


def _image(seed, shape=(12, 10, 3)):
    return np.random.default_rng(seed).integers(0, 256, shape, np.uint8)


def _folder(tmp_path, count=6):
    for i in range(count):
        encode = tf.io.encode_png if i % 2 else tf.io.encode_jpeg
        suffix = ".png" if i % 2 else ".jpg"
        (tmp_path / f"{i}{suffix}").write_bytes(encode(_image(i)).numpy())
    return tmp_path


def _iterate(dataset, epochs=1):
    return [np.asarray(batch) for _ in range(epochs) for batch in dataset]


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("1.png", lambda data: data[: len(data) // 2]),  # truncated PNG
        ("2.jpg", lambda data: data[: len(data) // 2]),  # truncated JPEG
        ("3.png", lambda data: data[:40] + bytes(30) + data[70:]),  # corrupt PNG
        ("4.jpg", lambda data: b""),  # emptied
        ("5.png", lambda data: b"<html>Not found</html>"),  # not an image
    ],
)
def test_a_bad_image_file_is_named(tmp_path, name, damage):
    folder = _folder(tmp_path)
    path = folder / name
    path.write_bytes(damage(path.read_bytes()))
    dataset = datasets.from_image_folder(folder, image_size=8, batch_size=2, seed=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"Cannot decode.*{name}.*corrupt"):
        _iterate(dataset)


def test_the_last_file_of_an_epoch_is_checked_too(tmp_path):
    folder = _folder(tmp_path)
    (folder / "5.png").write_bytes(b"")  # last in sorted order
    dataset = datasets.from_image_folder(folder, image_size=8, batch_size=3, shuffle=False)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Cannot decode.*5\.png"):
        _iterate(dataset)


def test_good_folders_read_as_before(tmp_path):
    folder = _folder(tmp_path)
    unshuffled = _iterate(
        datasets.from_image_folder(folder, image_size=(12, 10), batch_size=3, shuffle=False)
    )
    assert [b.shape for b in unshuffled] == [(3, 12, 10, 3)] * 2
    # PNGs are lossless: the stored pixels, scaled.
    np.testing.assert_allclose(unshuffled[0][1], _image(1) / 127.5 - 1, atol=1e-5)
    first = _iterate(datasets.from_image_folder(folder, image_size=8, batch_size=2, seed=3), 2)
    again = _iterate(datasets.from_image_folder(folder, image_size=8, batch_size=2, seed=3), 2)
    np.testing.assert_array_equal(np.concatenate(first), np.concatenate(again))
    assert len(first) == 6 and all(b.shape == (2, 8, 8, 3) for b in first)
    gray = _iterate(datasets.from_image_folder(folder, image_size=8, channels=1, batch_size=6))
    assert gray[0].shape == (6, 8, 8, 1)
