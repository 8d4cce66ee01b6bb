"""Spectral normalization: sigma(W / sigma) = 1, the forward formula, gradients, saving."""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gan_zoo
from keras_gan_zoo.layers import SpectralConv2D
from keras_gan_zoo.layers import SpectralConv2DTranspose
from keras_gan_zoo.layers import SpectralDense
from keras_gan_zoo.networks import dense_discriminator
from keras_gan_zoo.networks import mlp_generator


def _numpy(tensor):
    return ops.convert_to_numpy(ops.stop_gradient(ops.convert_to_tensor(tensor)))


def _normal(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _largest_singular_value(matrix):
    return np.linalg.svd(matrix, compute_uv=False)[0]


def _power_step(kernel, u):
    """One step of Algorithm 1 in NumPy: (v, new u, sigma = new u^T W v)."""
    v = u @ kernel.T
    v = v / np.linalg.norm(v)
    u = v @ kernel
    u = u / np.linalg.norm(u)
    return v, u, (v @ kernel @ u.T).item()


@pytest.mark.parametrize(
    "layer, inputs, to_matrix",
    [
        (lambda: SpectralDense(5), (4, 7), lambda k: k),
        (lambda: SpectralConv2D(4, 3), (2, 6, 6, 3), lambda k: k.reshape(-1, 4)),
        # The transposed kernel is (kh, kw, out, in): the output axis is -2.
        (
            lambda: SpectralConv2DTranspose(4, 3, strides=2),
            (2, 3, 3, 6),
            lambda k: np.moveaxis(k, -2, -1).reshape(-1, 4),
        ),
    ],
    ids=["dense", "conv", "conv_transpose"],
)
def test_spectral_norm_of_the_normalized_kernel_converges_to_one(layer, inputs, to_matrix):
    layer = layer()
    x = _normal(*inputs)
    layer(x)
    kernel = _numpy(layer.kernel)
    assert tuple(layer.u.shape) == (1, 4 if len(inputs) == 4 else 5)
    np.testing.assert_allclose(np.linalg.norm(_numpy(layer.u)), 1.0, rtol=1e-6)
    for _ in range(50):
        layer(x, training=True)
    np.testing.assert_array_equal(_numpy(layer.kernel), kernel)  # never overwritten
    normalized = to_matrix(_numpy(layer.normalized_kernel()))
    assert abs(_largest_singular_value(normalized) - 1) < 1e-3
    assert abs(_largest_singular_value(to_matrix(kernel)) - 1) > 0.05
    if isinstance(layer, SpectralConv2DTranspose):
        # Normalizing the other grouping, (kh * kw * out, in), would not give 1.
        other = _numpy(layer.normalized_kernel()).reshape(-1, 6)
        assert abs(_largest_singular_value(other) - 1) > 0.01


def test_spectral_dense_forward_pass_and_u_update_match_numpy():
    layer = SpectralDense(3, activation="relu", power_iterations=2)
    x = _normal(4, 6)
    layer(x)
    kernel, bias, u = (_numpy(w) for w in (layer.kernel, layer.bias, layer.u))
    _, u_half, _ = _power_step(kernel, u)
    v, u_next, sigma = _power_step(kernel, u_half)
    expected = np.maximum(x @ (kernel / sigma) + bias, 0)
    np.testing.assert_allclose(_numpy(layer(x)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(_numpy(layer.u), u)  # inference leaves u alone
    np.testing.assert_allclose(_numpy(layer(x, training=True)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(_numpy(layer.u), u_next, rtol=1e-5, atol=1e-6)


def test_stateless_call_returns_the_new_u_and_leaves_the_layer_alone():
    # JAX's train steps see the layer only through stateless calls.
    layer = SpectralDense(3)
    x = _normal(4, 6)
    layer(x)
    kernel, u = _numpy(layer.kernel), _numpy(layer.u)
    _, u_next, _ = _power_step(kernel, u)
    _, (new_u,) = layer.stateless_call(
        [ops.convert_to_tensor(v) for v in layer.trainable_variables],
        [ops.convert_to_tensor(layer.u)],
        ops.convert_to_tensor(x),
        training=True,
    )
    np.testing.assert_allclose(_numpy(new_u), u_next, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(_numpy(layer.u), u)


def test_gradient_flows_through_sigma():
    model = keras.Sequential([keras.Input((6,)), SpectralDense(3, use_bias=False)])
    learning_rate = 0.5
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="mse")
    layer = model.layers[-1]
    x, y = _normal(8, 6), _normal(8, 3, seed=1)
    kernel, u = _numpy(layer.kernel).astype("float64"), _numpy(layer.u).astype("float64")
    model.train_on_batch(x, y)

    v, u_next, sigma = _power_step(kernel, u)
    predictions = x @ kernel / sigma
    upstream = x.T @ (2 * (predictions - y) / y.size)  # d loss / d (W / sigma)
    # d sigma / d W = v^T u with u and v constant (the paper's gradient).
    gradient = upstream / sigma - np.sum(upstream * kernel) / sigma**2 * (v.T @ u_next)
    expected = kernel - learning_rate * gradient
    without_sigma_term = kernel - learning_rate * upstream / sigma
    assert np.abs(expected - without_sigma_term).max() > 1e-3  # the test can tell them apart
    np.testing.assert_allclose(_numpy(layer.kernel), expected, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(_numpy(layer.u), u_next, rtol=1e-5, atol=1e-6)
    _, _, sigma = _power_step(_numpy(layer.kernel), _numpy(layer.u))
    np.testing.assert_allclose(
        model.predict(x, verbose=0), x @ _numpy(layer.kernel) / sigma, rtol=1e-4, atol=1e-5
    )


def test_same_layer_called_twice_before_one_backward_pass():
    # keras.layers.SpectralNormalization fails this on torch (keras#19527).
    first, second = keras.Input((6,)), keras.Input((6,))
    shared = SpectralDense(3)
    model = keras.Model([first, second], shared(first) + shared(second))
    model.compile(optimizer="sgd", loss="mse")
    x = _normal(16, 6)
    kernel, u = _numpy(shared.kernel), _numpy(shared.u)
    for _ in range(3):
        model.train_on_batch([x, -x], np.ones((16, 3)))
    assert not np.allclose(_numpy(shared.kernel), kernel)
    assert not np.allclose(_numpy(shared.u), u)


def test_spectral_layers_save_and_load_u(tmp_path):
    inputs = keras.Input((8, 8, 3))
    hidden = SpectralConv2D(4, 3, strides=2, padding="same", name="conv")(inputs)
    hidden = SpectralConv2DTranspose(2, 3, strides=2, padding="same", name="deconv")(hidden)
    outputs = SpectralDense(5, power_iterations=3, name="dense")(keras.layers.Flatten()(hidden))
    model = keras.Model(inputs, outputs)
    x = _normal(2, 8, 8, 3)
    for _ in range(3):
        model(x, training=True)  # u moves away from its initial draw

    model.save(tmp_path / "model.keras")
    restored = keras.saving.load_model(tmp_path / "model.keras")
    for name in ("conv", "deconv", "dense"):
        np.testing.assert_array_equal(
            _numpy(restored.get_layer(name).u), _numpy(model.get_layer(name).u)
        )
    assert restored.get_layer("dense").power_iterations == 3
    assert isinstance(restored.get_layer("deconv"), SpectralConv2DTranspose)
    np.testing.assert_allclose(_numpy(restored(x)), _numpy(model(x)), rtol=1e-5, atol=1e-6)


def test_spectral_convolutions_match_stock_layers_with_the_normalized_kernel():
    x = _normal(2, 8, 8, 3)
    for spectral, stock in (
        (SpectralConv2D(4, 3, strides=2, padding="same"), keras.layers.Conv2D),
        (SpectralConv2DTranspose(4, 3, strides=2, padding="same"), keras.layers.Conv2DTranspose),
    ):
        spectral.build(x.shape)
        # normalized_kernel() is the kernel of the next call, training or not.
        normalized = _numpy(spectral.normalized_kernel())
        reference = stock(4, 3, strides=2, padding="same")
        reference.build(x.shape)
        reference.set_weights([normalized, _numpy(spectral.bias)])
        expected = _numpy(reference(x))
        np.testing.assert_allclose(_numpy(spectral(x)), expected, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(
            _numpy(spectral(x, training=True)), expected, rtol=1e-5, atol=1e-5
        )
        config = spectral.get_config()
        assert config["power_iterations"] == 1 and config["epsilon"] == 1e-12
        assert type(spectral).from_config(config).get_config() == config


@pytest.mark.skipif(
    keras.config.backend() == "tensorflow", reason="TensorFlow's CPU Conv2D is NHWC only"
)
def test_spectral_conv_channels_first_bias():
    layer = SpectralConv2D(4, 3, data_format="channels_first", bias_initializer="ones")
    x = _normal(2, 3, 6, 6)
    outputs = _numpy(layer(x))
    stock = keras.layers.Conv2D(4, 3, data_format="channels_first")
    stock.build(x.shape)
    stock.set_weights([_numpy(layer.normalized_kernel()), _numpy(layer.bias)])
    np.testing.assert_allclose(outputs, _numpy(stock(x)), rtol=1e-5, atol=1e-5)


@pytest.mark.carried
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
