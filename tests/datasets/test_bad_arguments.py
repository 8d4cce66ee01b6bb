"""A user's mistakes with the loaders: each gets a ValueError that names the problem."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan_zoo import datasets
from keras_gan_zoo.datasets import validation

pytestmark = pytest.mark.neutral

PIXELS = np.zeros((8, 4, 4), np.uint8)
DIGITS = np.zeros((3, 28, 28), np.uint8)
LABELS = np.arange(3)


@pytest.fixture
def folders(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    for i in range(4):
        (images / f"{i}.png").write_bytes(tf.io.encode_png(np.zeros((5, 5, 3), np.uint8)).numpy())
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("not a folder")
    return tmp_path


def test_folder_arguments(folders):
    images = folders / "images"
    cases = [
        ((None, 8), {}, "Image folder must be a folder path; got None"),
        ((folders / "notes.txt", 8), {}, "notes.txt is a file; pass the folder that holds it"),
        ((folders / "missing", 8), {}, "missing does not exist"),
        ((folders / "empty", 8), {}, "is empty: there are no images"),
        ((images, 8), {"channels": True}, "channels must be 1 or 3; got True"),
        ((images, 8), {"channels": 3.0}, r"channels must be 1 or 3; got 3\.0"),
        ((images, 8), {"channels": 4}, "channels must be 1 or 3; got 4"),
        ((images, 0), {}, r"image_size must be positive; got \(0, 0\)"),
        ((images, (-3, 4)), {}, "image_size must be positive"),
        ((images, 2.5), {}, r"image_size must be \(height, width\) or an int; got 2\.5"),
        ((images, 8), {"batch_size": 0}, "batch_size must be a positive integer; got 0"),
        ((images, 8), {"batch_size": -2}, "batch_size must be a positive integer; got -2"),
        ((images, 8), {"batch_size": 2.5}, "batch_size must be a positive integer; got 2.5"),
        ((images, 8), {"batch_size": 5}, "has 4 images, fewer than one batch of 5"),
        ((images, 8), {"shuffle": "no"}, "shuffle must be True or False; got 'no'"),
        ((images, 8), {"seed": "abc"}, "seed must be an integer; got 'abc'"),
        ((images, 8), {"seed": True}, "seed must be an integer; got True"),
        ((images, 8), {"initial_epoch": -1}, "initial_epoch must be a non-negative integer"),
    ]
    for args, kwargs, message in cases:
        with pytest.raises(ValueError, match=message):
            datasets.from_image_folder(*args, **{"batch_size": 2, **kwargs})


def test_idx_folder_arguments(folders):
    with pytest.raises(ValueError, match="IDX folder must be a folder path; got None"):
        datasets.from_idx(None)
    with pytest.raises(ValueError, match="IDX folder must be a folder path; got None"):
        datasets.idx_arrays(None)
    with pytest.raises(ValueError, match="notes.txt is a file; pass the folder"):
        datasets.from_idx(folders / "notes.txt")
    with pytest.raises(ValueError, match="kind must be a string"):
        datasets.from_idx(folders, kind=5)
    assert not datasets.has_idx_images(folders / "missing")
    assert not datasets.has_idx_images(None)


def test_array_arguments():
    cases = [
        (None, {}, r"Expected an array of images .*; got None"),
        ([[1, 2], [3]], {}, "images of one shape"),
        (np.full((4, 2, 2), "a"), {}, "Expected integer or float images; got dtype <U1"),
        (np.zeros((4, 2, 2), bool), {}, "got dtype bool"),
        (np.zeros((4, 2)), {}, r"Expected images of shape .*got shape \(4, 2\)"),
        (PIXELS, {"batch_size": 0}, "batch_size must be a positive integer"),
        (PIXELS, {"shuffle": "False"}, "shuffle must be True or False"),
        (PIXELS, {"value_range": (1, 0)}, "value_range must be finite with low < high"),
    ]
    for images, kwargs, message in cases:
        with pytest.raises(ValueError, match=message):
            datasets.from_arrays(images, **{"batch_size": 2, **kwargs})


def test_load_names_an_argument_its_loader_does_not_take(folders):
    with pytest.raises(ValueError, match="load_digits .* takes no argument channels; it takes"):
        datasets.load("digits", channels=3)
    with pytest.raises(
        ValueError, match="from_image_folder .* no argument colour; it takes image_"
    ):
        datasets.load(folders / "images", image_size=8, colour=True)
    assert datasets.load(PIXELS, batch_size=4).element_spec.shape == (4, 4, 4, 1)


def test_mixture_and_stacked_mnist_arguments():
    for n in (2.5, "5", 0, True, None):
        with pytest.raises(ValueError, match="n must be a positive integer"):
            datasets.mixture_of_gaussians("ring8", n)
    for seed in ("abc", -1, 1.5):
        with pytest.raises(ValueError, match="seed must be a non-negative integer or None"):
            datasets.mixture_of_gaussians("ring8", 5, seed=seed)
    with pytest.raises(ValueError, match="Unknown mixture"):
        datasets.mixture_of_gaussians(["ring8"], 5)
    points, modes = datasets.mixture_of_gaussians("grid25", np.int64(7), seed=np.int32(3))
    assert points.shape == (7, 2) and modes.shape == (7,)

    with pytest.raises(ValueError, match="n must be a non-negative integer; got None"):
        datasets.stacked_mnist(DIGITS, LABELS, None)
    with pytest.raises(ValueError, match="integer labels 0..9; got dtype float64"):
        datasets.stacked_mnist(DIGITS, np.array([0.5, 1, 2]), 2)
    with pytest.raises(ValueError, match="integer labels 0..9; got dtype <U1"):
        datasets.stacked_mnist(DIGITS, np.array(["a", "b", "c"]), 2)
    with pytest.raises(ValueError, match="seed must be a non-negative integer or None"):
        datasets.stacked_mnist(DIGITS, LABELS, 2, seed="x")
    assert datasets.stacked_mnist(DIGITS, LABELS, 2)[0].shape == (2, 28, 28, 3)


def test_training_data_checks_name_the_problem():
    with pytest.raises(ValueError, match="must be numbers .*got dtype <U1"):
        validation.check_array(np.array([["a"]]), (1,), (-1, 1))
    with pytest.raises(ValueError, match="must be numbers .*got dtype object"):
        validation.check_array(np.array([[None]]), (1,), (-1, 1))
    examples = np.zeros((4, 28, 28, 1), np.float32)
    as_dicts = tf.data.Dataset.from_tensor_slices({"image": examples, "label": np.zeros(4)})
    with pytest.raises(ValueError, match=r"yields dicts \(keys \['image', 'label'\]\)"):
        validation.check_dataset(as_dicts.batch(2), (28, 28, 1), (-1, 1))
    unbatched = tf.data.Dataset.from_tensor_slices(examples)
    with pytest.raises(ValueError, match=r"single examples of shape \(28, 28, 1\), not batches"):
        validation.check_dataset(unbatched, (28, 28, 1), (-1, 1))
    strings = tf.data.Dataset.from_tensor_slices(np.array([["a"]] * 4)).batch(2)
    with pytest.raises(ValueError, match="yields string tensors"):
        validation.check_dataset(strings, (1,), (-1, 1))
    batched = unbatched.batch(2)
    assert validation.check_dataset(batched, (28, 28, 1), (-1, 1)) is not None
