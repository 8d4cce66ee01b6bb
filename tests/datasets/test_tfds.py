"""The tensorflow-datasets path, end to end and offline (tfds' mock data; no download)."""

import importlib

import numpy as np
import pytest

from keras_gan_zoo import datasets

pytestmark = pytest.mark.neutral


def test_what_a_tfds_download_imports_is_installed(tmp_path):
    # tensorflow-datasets imports importlib_resources (lazily, when a builder
    # looks for its checksums, the first step of every download) but declares
    # it only for Python < 3.9, so a fresh install failed every tfds name with
    # ModuleNotFoundError. setup.cfg declares it; this fails if it goes missing.
    importlib.import_module("importlib_resources")
    import tensorflow_datasets as tfds

    builder = tfds.builder("mnist", data_dir=tmp_path)
    # Read from the checksums file inside the tfds package: no network.
    assert builder.url_infos


@pytest.mark.parametrize("image_size", [None, (16, 12)])
def test_from_tfds_yields_scaled_batches_of_a_mocked_dataset(tmp_path, image_size):
    import tensorflow_datasets as tfds

    with tfds.testing.mock_data(num_examples=20, data_dir=str(tmp_path)):
        dataset = datasets.from_tfds(
            "mnist", batch_size=8, image_size=image_size, shuffle=False, data_dir=str(tmp_path)
        )
        batches = [np.asarray(batch) for batch in dataset]
        raw = [example["image"] for example in tfds.as_numpy(tfds.load("mnist", split="train"))]
    height, width = image_size or (28, 28)
    assert [b.shape for b in batches] == [(8, height, width, 1)] * 2  # 20 // 8, rest dropped
    assert all(b.dtype == np.float32 for b in batches)
    values = np.concatenate(batches)
    assert values.min() >= -1 and values.max() <= 1
    assert values.std() > 0.1
    if image_size is None:  # unshuffled, unresized: the stored pixels, scaled
        np.testing.assert_allclose(values, np.stack(raw[:16]) / 127.5 - 1, atol=1e-6)


def test_a_missing_tfds_dependency_is_named(monkeypatch):
    import tensorflow_datasets as tfds

    def load_without_a_module(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'some_module'", name="some_module")

    monkeypatch.setattr(tfds, "load", load_without_a_module)
    with pytest.raises(ModuleNotFoundError) as raised:
        datasets.from_tfds("mnist", batch_size=8)
    notes = "\n".join(getattr(raised.value, "__notes__", []))
    assert "pip install some_module" in notes and "'mnist'" in notes


def test_bad_tfds_arguments_are_named():
    with pytest.raises(ValueError, match="name must be a tensorflow-datasets name"):
        datasets.from_tfds(None)
    with pytest.raises(ValueError, match="name must be a tensorflow-datasets name"):
        datasets.from_tfds("")
    with pytest.raises(ValueError, match="split must be"):
        datasets.from_tfds("mnist", split=0)
    with pytest.raises(ValueError, match="data_dir must be"):
        datasets.from_tfds("mnist", data_dir=3)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        datasets.from_tfds("mnist", batch_size=0)
    with pytest.raises(ValueError, match="shuffle_buffer must be a positive integer"):
        datasets.from_tfds("mnist", shuffle_buffer=0)
