"""`Encoder`, `load_encoder` and `keras-gan-zoo encode`: images in, codes out."""

import gzip
import struct

import keras
import numpy as np
import pytest
from conftest import cli_error
from conftest import random_images

import keras_gan_zoo
from keras_gan_zoo import cli
from keras_gan_zoo.models.registry import get_model_entry

# Unmarked: saving, loading and running an encoder is checked on every backend.


@pytest.fixture(scope="module")
def presets(tmp_path_factory):
    """Preset folders of a tiny clustering AAE, a tiny ALI and a tiny DCGAN (no encoder)."""
    folder = tmp_path_factory.mktemp("presets")
    models = {}
    for name in ("aae_clustering", "ali", "dcgan"):
        keras.utils.set_random_seed(0)
        model = get_model_entry(name).build_tiny()
        model.save_to_preset(
            folder / name, description=f"tiny {name}", dataset="random", license="MIT"
        )
        models[name] = model
    return folder, models


def _idx_folder(folder, images):
    """MNIST-format images and labels files of `images` (uint8, (n, h, w)) in `folder`."""
    folder.mkdir()
    n, height, width = images.shape
    with gzip.open(folder / "t10k-images-idx3-ubyte.gz", "wb") as file:
        file.write(struct.pack(">IIII", 0x803, n, height, width) + images.tobytes())
    with gzip.open(folder / "t10k-labels-idx1-ubyte.gz", "wb") as file:
        file.write(struct.pack(">II", 0x801, n) + bytes(n))
    return folder


def test_load_encoder_gives_the_models_codes_and_categories(presets):
    folder, models = presets
    images = random_images(5, models["aae_clustering"].data_shape, seed=1)
    encoder = keras_gan_zoo.load_encoder(folder / "aae_clustering")
    assert isinstance(encoder, keras_gan_zoo.Encoder) and encoder.has_categories
    assert encoder.metadata["architecture"] == "CategoricalAdversarialAutoencoder"
    np.testing.assert_allclose(
        encoder.encode(images), models["aae_clustering"].encode(images), atol=1e-6
    )
    np.testing.assert_array_equal(
        encoder.classify(images), models["aae_clustering"].classify(images)
    )
    ali = keras_gan_zoo.load_encoder(folder / "ali")
    assert not ali.has_categories
    np.testing.assert_allclose(ali.encode(images), models["ali"].encode(images), atol=1e-6)
    with pytest.raises(ValueError, match="no categorical code"):
        ali.classify(images)
    with pytest.raises(keras_gan_zoo.PresetError, match="holds a DCGAN, which has no encoder"):
        keras_gan_zoo.load_encoder(folder / "dcgan")
    # A loaded AAE preset also samples, through its decoder.
    assert keras_gan_zoo.load_generator(folder / "aae_clustering").generate(2, seed=0).shape == (
        2, *models["aae_clustering"].data_shape,
    )  # fmt: skip


def test_encoder_saves_alone_and_refuses_bad_images(tmp_path, presets):
    _, models = presets
    encoder = models["aae_clustering"].export_encoder()
    path = tmp_path / "encoder.keras"
    encoder.save(path)
    restored = keras.saving.load_model(path)
    images = random_images(3, encoder.data_shape, seed=2)
    np.testing.assert_allclose(restored.encode(images), encoder.encode(images), atol=1e-6)
    with pytest.raises(ValueError, match="dtype uint8"):
        encoder.encode(np.zeros((2, *encoder.data_shape), "uint8"))
    with pytest.raises(ValueError, match=r"span \[255, 255\].*trained on examples in \[-1, 1\]"):
        encoder.encode(np.full((2, *encoder.data_shape), 255.0, "float32"))
    with pytest.raises(ValueError, match=r"shape \(8, 8, 1\) each"):
        encoder.encode(np.zeros((2, 8, 8, 1), "float32"))
    bad = images.copy()
    bad[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        encoder.encode(bad)


def test_encode_command_writes_codes_and_classes(tmp_path, presets, capsys):
    folder, models = presets
    model = models["aae_clustering"]
    pixels = np.random.default_rng(3).integers(0, 256, (6, 16, 16), dtype=np.uint8)
    idx = _idx_folder(tmp_path / "idx", pixels)
    cli.main(["encode", str(folder / "aae_clustering"), str(idx), "--out",
              str(tmp_path / "codes.npy"), "--classes", str(tmp_path / "classes.npy")])  # fmt: skip
    scaled = pixels[..., None].astype("float32") / 255.0 * 2.0 - 1.0
    np.testing.assert_allclose(np.load(tmp_path / "codes.npy"), model.encode(scaled), atol=1e-5)
    np.testing.assert_array_equal(np.load(tmp_path / "classes.npy"), model.classify(scaled))
    # An .npy array of floats, from a model saved as a .keras file.
    np.save(tmp_path / "images.npy", scaled)
    model.save(tmp_path / "aae.keras")
    cli.main(["encode", str(tmp_path / "aae.keras"), str(tmp_path / "images.npy"), "--out",
              str(tmp_path / "again.npy")])  # fmt: skip
    np.testing.assert_allclose(np.load(tmp_path / "again.npy"), model.encode(scaled), atol=1e-5)
    message = cli_error(capsys, "encode", folder / "dcgan", tmp_path / "images.npy")
    assert "holds a DCGAN, which has no encoder" in message
    message = cli_error(capsys, "encode", folder / "ali", tmp_path / "images.npy", "--classes",
                        tmp_path / "c.npy")  # fmt: skip
    assert "no categorical code" in message
    np.save(tmp_path / "small.npy", np.zeros((2, 8, 8, 1), "float32"))
    message = cli_error(capsys, "encode", folder / "ali", tmp_path / "small.npy")
    assert "small.npy" in message and "(16, 16, 1)" in message
    message = cli_error(capsys, "encode", folder / "ali", tmp_path / "missing.npy")
    assert "does not exist" in message
