"""The FID Inception network and its preprocessing, against torch-fidelity and TF1.

torch-fidelity's `inception-v3-compat` is the reference port of the TF graph.
It is loaded module by module, without the package's `__init__` (which needs
torchvision): `pip install --no-deps torch-fidelity` (CI does).
"""

import importlib
import importlib.util
import sys
import types

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan_zoo.metrics import fid_network
from keras_gan_zoo.metrics import fid_preprocessing


def _torch_fidelity(module):
    spec = importlib.util.find_spec("torch_fidelity")
    if spec is None:
        pytest.skip("torch-fidelity is not installed (pip install --no-deps torch-fidelity)")
    if "torch_fidelity" not in sys.modules:
        package = types.ModuleType("torch_fidelity")
        package.__path__ = list(spec.submodule_search_locations)
        sys.modules["torch_fidelity"] = package
    return importlib.import_module(f"torch_fidelity.{module}")


def _random_state_dict(model, seed=0):
    """Random weights in the PyTorch ports' layout (names, shapes), as NumPy arrays."""
    rng = np.random.default_rng(seed)
    state = {}
    for layer in model.layers:
        module = fid_network._module(layer)
        if isinstance(layer, keras.layers.Conv2D):
            height, width, inputs, outputs = layer.kernel.shape
            std = np.sqrt(2.0 / (height * width * inputs))
            state[f"{module}.weight"] = rng.normal(0, std, (outputs, inputs, height, width))
        elif isinstance(layer, keras.layers.BatchNormalization):
            channels = layer.gamma.shape[0]
            state[f"{module}.weight"] = rng.uniform(0.5, 1.5, channels)
            state[f"{module}.bias"] = rng.normal(0, 0.1, channels)
            state[f"{module}.running_mean"] = rng.normal(0, 0.1, channels)
            state[f"{module}.running_var"] = rng.uniform(0.5, 1.5, channels)
    state["fc.weight"] = rng.normal(0, 0.02, (1008, 2048))
    state["fc.bias"] = rng.normal(0, 0.02, 1008)
    return {key: value.astype("float32") for key, value in state.items()}


@pytest.fixture(scope="module")
def networks(tmp_path_factory):
    """(our network, torch-fidelity's), with the same random weights."""
    import torch

    reference_module = _torch_fidelity("feature_extractor_inceptionv3")
    ours = fid_network.fid_inception(weights=None)
    state = _random_state_dict(ours)
    fid_network.load_torch_state_dict(ours, state)
    path = tmp_path_factory.mktemp("weights") / "random_inception.pth"
    torch_state = {key: torch.tensor(value) for key, value in state.items()}
    torch_state.update(
        {
            key.replace(".running_var", ".num_batches_tracked"): torch.tensor(0)
            for key in state
            if key.endswith(".running_var")
        }
    )
    torch.save(torch_state, path)
    # torch-fidelity loads the file with a strict load_state_dict: this also
    # checks that our names and shapes are exactly the port's.
    reference = reference_module.FeatureExtractorInceptionV3(
        "inception-v3-compat", ["2048", "logits_unbiased"], feature_extractor_weights_path=path
    )
    return ours, reference


def _relative_error(ours, reference):
    return np.abs(ours - reference).max() / np.abs(reference).max()


@pytest.mark.parametrize("side", [299, 32])
def test_features_equal_torch_fidelity_with_the_same_weights(networks, side):
    import torch

    ours, reference = networks
    images = np.random.default_rng(side).integers(0, 256, (2, side, side, 3)).astype("uint8")
    with torch.no_grad():
        pool3, logits = reference(torch.tensor(images.transpose(0, 3, 1, 2)))
    # predict_on_batch, as evaluation does: one compiled program on JAX, where
    # calling the network eagerly compiles every layer's ops one by one.
    outputs = ours.predict_on_batch(fid_preprocessing.preprocess(images, "tf_legacy"))
    # Measured: about 1e-6 on every backend.
    assert _relative_error(keras.ops.convert_to_numpy(outputs["pool3"]), pool3.numpy()) < 1e-4
    logits_ours = keras.ops.convert_to_numpy(outputs["logits_unbiased"])
    assert _relative_error(logits_ours, logits.numpy()) < 1e-4


def test_state_dict_problems_are_named(networks):
    ours, _ = networks
    state = _random_state_dict(ours)
    del state["Mixed_6b.branch7x7_2.conv.weight"]
    with pytest.raises(ValueError, match="Mixed_6b.branch7x7_2.conv.weight"):
        fid_network.load_torch_state_dict(ours, state)
    state = _random_state_dict(ours)
    state["fc.weight"] = state["fc.weight"][:1000]
    with pytest.raises(ValueError, match=r"fc.weight has shape \(2048, 1000\)"):
        fid_network.load_torch_state_dict(ours, state)


def _numpy_tf1_resize(image, size):
    """TF1 legacy bilinear, one pixel at a time (a slow, independent reference)."""
    in_height, in_width = image.shape[:2]
    out = np.empty((size, size, image.shape[2]))
    for i in range(size):
        y = i * in_height / size
        y0, fy = int(np.floor(y)), y - np.floor(y)
        y1 = min(y0 + 1, in_height - 1)
        for j in range(size):
            x = j * in_width / size
            x0, fx = int(np.floor(x)), x - np.floor(x)
            x1 = min(x0 + 1, in_width - 1)
            top = image[y0, x0] + (image[y0, x1] - image[y0, x0]) * fx
            bottom = image[y1, x0] + (image[y1, x1] - image[y1, x0]) * fx
            out[i, j] = top + (bottom - top) * fy
    return out


def test_tf1_legacy_resize_is_exact():
    rng = np.random.default_rng(1)
    for shape in [(2, 32, 32, 3), (1, 28, 20, 1), (1, 400, 350, 3)]:
        images = rng.integers(0, 256, shape).astype("float32")
        ours = keras.ops.convert_to_numpy(fid_preprocessing.resize_bilinear_tf1(images, (299, 299)))
        tf1 = tf.compat.v1.image.resize_bilinear(images, (299, 299), align_corners=False)
        np.testing.assert_allclose(ours, tf1.numpy(), atol=1e-4)
    small = rng.integers(0, 256, (12, 9, 2)).astype("float64")
    ours = keras.ops.convert_to_numpy(fid_preprocessing.resize_bilinear_tf1(small[None], (31, 31)))
    np.testing.assert_allclose(ours[0], _numpy_tf1_resize(small, 31), atol=1e-3)
    # Not what the half-pixel resize of keras.ops gives (the reason this exists).
    half_pixel = keras.ops.image.resize(images, (299, 299), antialias=False)
    assert np.abs(keras.ops.convert_to_numpy(half_pixel) - tf1.numpy()).mean() > 1.0


def test_preprocessing_conventions():
    generated = np.linspace(-1, 1, 2 * 8 * 8).reshape(2, 8, 8, 1).astype("float32")
    inputs = keras.ops.convert_to_numpy(fid_preprocessing.preprocess(generated, size=16))
    assert inputs.shape == (2, 16, 16, 3)
    np.testing.assert_array_equal(inputs[..., 0], inputs[..., 2])  # gray repeated
    # Quantized like a PNG: (round(x * 127.5 + 127.5) - 128) / 128 at resize-grid points.
    pixels = np.clip(np.round(generated * 127.5 + 127.5), 0, 255)
    np.testing.assert_allclose(inputs[:, ::2, ::2, 0], (pixels[..., 0] - 128) / 128, atol=1e-6)
    torch_style = fid_preprocessing.preprocess(generated, mode="pytorch_fid", size=16)
    assert keras.ops.convert_to_numpy(torch_style).min() >= -1.0
    with pytest.raises(ValueError, match="Unknown FID preprocessing mode 'antialiased'"):
        fid_preprocessing.preprocess(generated, mode="antialiased")
    with pytest.raises(ValueError, match=r"\(n, h, w, 1 or 3\)"):
        fid_preprocessing.preprocess(generated[..., 0])


@pytest.mark.parametrize("shape", [(2, 32, 32, 3), (1, 28, 28, 1), (1, 400, 350, 3)])
def test_clean_mode_resize_equals_pil_bicubic(shape):
    pil = pytest.importorskip("PIL.Image", reason="Pillow is the reference of clean-fid's resize")
    images = np.random.default_rng(2).integers(0, 256, shape).astype("uint8")
    ours = keras.ops.convert_to_numpy(fid_preprocessing.resize_bicubic_pil(images, (299, 299)))
    for index in range(shape[0]):
        for channel in range(shape[3]):
            plane = pil.fromarray(images[index, ..., channel].astype("float32"), mode="F")
            reference = np.asarray(plane.resize((299, 299), resample=pil.BICUBIC))
            np.testing.assert_allclose(ours[index, ..., channel], reference, atol=2e-3)
    clean = keras.ops.convert_to_numpy(fid_preprocessing.preprocess(images, mode="clean"))
    assert clean.shape == (shape[0], 299, 299, 3) and -1.0 <= clean.min() <= clean.max() < 1.0
