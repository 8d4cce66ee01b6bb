"""Spectral normalization: sigma(W / sigma) = 1, the forward formula, gradients, saving."""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gan_zoo
from keras_gan_zoo.layers import SpectralConv2D
from keras_gan_zoo.layers import SpectralDense
from keras_gan_zoo.models.gan import dense_discriminator
from keras_gan_zoo.models.gan import mlp_generator


def _numpy(tensor):
    return ops.convert_to_numpy(ops.stop_gradient(ops.convert_to_tensor(tensor)))


def _largest_singular_value(kernel):
    return np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]


def test_power_iteration_converges_to_the_largest_singular_value():
    layer = SpectralDense(5)
    x = np.random.default_rng(0).normal(size=(4, 7)).astype("float32")
    for _ in range(50):
        layer(x, training=True)
    assert _largest_singular_value(_numpy(layer.normalized_kernel())) == pytest.approx(1, abs=1e-3)


def test_forward_pass_is_the_normalized_matmul_and_inference_leaves_u_alone():
    layer = SpectralDense(3, activation="relu")
    x = np.random.default_rng(0).normal(size=(4, 6)).astype("float32")
    layer(x)
    kernel, bias, u = (_numpy(w) for w in (layer.kernel, layer.bias, layer.u))
    # One power-iteration step from the stored u, in NumPy.
    v = u @ kernel.T
    v /= np.linalg.norm(v)
    u_next = v @ kernel
    u_next /= np.linalg.norm(u_next)
    sigma = ((v @ kernel) @ u_next.T).item()
    expected = np.maximum(x @ (kernel / sigma) + bias, 0)
    np.testing.assert_allclose(_numpy(layer(x, training=False)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(_numpy(layer.u), u)
    np.testing.assert_allclose(_numpy(layer(x, training=True)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_numpy(layer.u), u_next, rtol=1e-5, atol=1e-6)


def test_conv_matches_a_stock_conv_with_the_normalized_kernel():
    layer = SpectralConv2D(4, 3, strides=2, padding="same")
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 3)).astype("float32")
    outputs = _numpy(layer(x))
    stock = keras.layers.Conv2D(4, 3, strides=2, padding="same")
    stock.build(x.shape)
    stock.set_weights([_numpy(layer.normalized_kernel()), _numpy(layer.bias)])
    np.testing.assert_allclose(outputs, _numpy(stock(x)), rtol=1e-5, atol=1e-5)


def test_layer_called_twice_trains_and_saves(tmp_path):
    # The torch trap of Keras's own layer: the same layer used twice before backward.
    first, second = keras.Input((6,)), keras.Input((6,))
    shared = SpectralDense(3)
    model = keras.Model([first, second], shared(first) + shared(second))
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).normal(size=(16, 6)).astype("float32")
    kernel, u = _numpy(shared.kernel), _numpy(shared.u)
    model.fit([x, -x], np.ones((16, 3)), epochs=2, verbose=0)
    assert not np.allclose(_numpy(shared.kernel), kernel)
    assert not np.allclose(_numpy(shared.u), u)

    model.save(tmp_path / "model.keras")
    restored = keras.saving.load_model(tmp_path / "model.keras")
    restored_layer = next(layer for layer in restored.layers if isinstance(layer, SpectralDense))
    np.testing.assert_array_equal(_numpy(restored_layer.u), _numpy(shared.u))
    np.testing.assert_allclose(
        restored.predict([x, x], verbose=0), model.predict([x, x], verbose=0), atol=1e-6
    )
    assert restored_layer.get_config()["power_iterations"] == 1


def test_sngan_kernels_have_spectral_norm_one_after_training():
    sngan = keras_gan_zoo.SNGAN(
        generator=mlp_generator(2, (2,), units=(16,), data_range=None),
        discriminator=dense_discriminator((2,), units=(16, 16), dense=SpectralDense),
        data_range=None,
        seed=0,
    )
    sngan.compile()
    points = np.random.default_rng(0).normal(size=(1024, 2)).astype("float32")
    sngan.fit(points, batch_size=32, epochs=3, verbose=0)  # 96 G, 480 D updates
    layers = [layer for layer in sngan.discriminator.layers if isinstance(layer, SpectralDense)]
    assert len(layers) == 3
    for layer in layers:
        # One power-iteration step per update: u trails the moving weights a little.
        sigma = _largest_singular_value(_numpy(layer.normalized_kernel()))
        assert sigma == pytest.approx(1.0, abs=0.03), layer.name
    # The raw kernels are not themselves normalized: the layers divide them.
    raw = [_largest_singular_value(_numpy(layer.kernel)) for layer in layers]
    assert max(abs(value - 1.0) for value in raw) > 0.1
    # With the weights still, a few more steps make the estimate exact.
    for _ in range(300):
        sngan.discriminator(points[:32], training=True)
    for layer in layers:
        sigma = _largest_singular_value(_numpy(layer.normalized_kernel()))
        assert sigma == pytest.approx(1.0, abs=1e-3), layer.name
