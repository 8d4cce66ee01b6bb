"""The engine: players, optimizers, logs and the gradient primitives."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import random_images
from keras import layers
from keras import ops

import keras_gan_zoo
from keras_gan_zoo import backend
from keras_gan_zoo.engine import AdversarialModel
from keras_gan_zoo.engine import Player


def keras_io_style_networks(latent_dim):
    """Networks written the way keras-io's DCGAN example writes them."""
    generator = keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            layers.Dense(7 * 7 * 16),
            layers.Reshape((7, 7, 16)),
            layers.Conv2DTranspose(16, kernel_size=4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2DTranspose(1, kernel_size=4, strides=2, padding="same"),
            layers.Activation("tanh"),
        ],
        name="generator",
    )
    discriminator = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(16, kernel_size=4, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ],
        name="discriminator",
    )
    return generator, discriminator


@pytest.mark.carried
def test_keras_io_style_script_trains(tmp_path):
    generator, discriminator = keras_io_style_networks(latent_dim=32)
    gan = keras_gan_zoo.GAN(discriminator=discriminator, generator=generator, d_steps=2, seed=3)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(learning_rate=1e-4),
        g_optimizer=keras.optimizers.Adam(learning_rate=1e-4),
        loss=keras.losses.BinaryCrossentropy(),
    )
    dataset = tf.data.Dataset.from_tensor_slices(random_images(96)).batch(32)
    grids = keras_gan_zoo.callbacks.SampleGrid(tmp_path / "grids", num_images=4)
    history = gan.fit(dataset, epochs=2, callbacks=[grids], verbose=0)

    assert gan.latent_dim == 32
    assert set(history.history) == {"d_loss", "d_real_accuracy", "d_fake_accuracy", "g_loss"}
    assert all(np.isfinite(v).all() for v in history.history.values())
    # 2 epochs x 3 batches; D takes 2 updates per batch.
    assert int(gan.g_optimizer.iterations) == 6
    assert int(gan.d_optimizer.iterations) == 12
    assert gan.optimizer.iterations is gan.g_optimizer.iterations
    assert len(grids.written) == 2


@pytest.mark.skipif(keras.config.backend() == "torch", reason="torch runs eagerly")
def test_jit_compile_true_trains():
    gan = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), filters=8, latent_dim=8, seed=0)
    gan.compile(jit_compile=True)
    gan.fit(random_images(64), batch_size=32, epochs=1, verbose=0)
    assert int(gan.d_optimizer.iterations) == 2


def test_adam_moments_follow_the_update_rule():
    """The moments in the optimizer equal Adam's recursion on the real gradients."""
    network = keras.Sequential([keras.Input((3,)), layers.Dense(1, use_bias=False)])
    network.layers[0].kernel.assign(np.array([[0.5], [-1.0], [2.0]], "float32"))
    model = SingleCritic(network, penalty=False)
    beta_1, beta_2 = 0.5, 0.9
    model.compile(c_optimizer=keras.optimizers.Adam(0.01, beta_1=beta_1, beta_2=beta_2))
    data = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], "float32")
    model.fit(np.tile(data, (3, 1)), batch_size=2, epochs=1, shuffle=False, verbose=0)

    # Loss = mean(network(x)) -> gradient = mean(x) for every step.
    gradient = data.mean(axis=0)
    m = v = np.zeros(3)
    for _ in range(3):
        m = beta_1 * m + (1 - beta_1) * gradient
        v = beta_2 * v + (1 - beta_2) * gradient**2
    optimizer = model.c_optimizer
    assert int(optimizer.iterations) == 3
    np.testing.assert_allclose(ops.convert_to_numpy(optimizer._momentums[0])[:, 0], m, rtol=1e-5)
    np.testing.assert_allclose(ops.convert_to_numpy(optimizer._velocities[0])[:, 0], v, rtol=1e-5)


class SingleCritic(AdversarialModel):
    """One player minimizing mean(D(x)), or a gradient penalty on D."""

    def __init__(self, network, penalty, **kwargs):
        super().__init__(**kwargs)
        self.network = network
        self.penalty = penalty
        self.built = True

    @property
    def data_shape(self):
        return tuple(self.network.input_shape[1:])

    def players(self):
        return [Player("c", self.network, self.critic_loss)]

    def critic_loss(self, batch):
        data = batch.real
        if not self.penalty:
            return ops.mean(self.network(data, training=True)), {}
        _, grads = backend.input_gradient(lambda x: self.network(x, training=True), data)
        return ops.mean(ops.sum(grads**2, axis=1)), {}


def _penalty_numpy(kernel, bias, data):
    """mean_i ||d/dx sum(tanh(x W + b))||^2, in float64."""
    activations = np.tanh(data @ kernel + bias)
    grads = (1 - activations**2) @ kernel.T
    return np.mean(np.sum(grads**2, axis=1))


def test_input_gradient_is_differentiable_again():
    """A gradient penalty's gradient w.r.t. the weights matches finite differences."""
    rng = np.random.default_rng(0)
    kernel = rng.normal(size=(4, 3)).astype("float32")
    bias = rng.normal(size=(3,)).astype("float32")
    data = rng.normal(size=(8, 4)).astype("float32")
    network = keras.Sequential([keras.Input((4,)), layers.Dense(3, activation="tanh")])
    network.layers[0].kernel.assign(kernel)
    network.layers[0].bias.assign(bias)

    # The gradient itself: d/dx sum(tanh(xW + b)) = (1 - tanh^2) W^T.
    outputs, grads = backend.input_gradient(network, ops.convert_to_tensor(data))
    expected = (1 - np.tanh(data @ kernel + bias) ** 2) @ kernel.T
    np.testing.assert_allclose(ops.convert_to_numpy(grads), expected, rtol=1e-5, atol=1e-6)
    assert tuple(outputs.shape) == (8, 3)

    # One SGD step on the penalty moves the weights by lr * dP/dW.
    model = SingleCritic(network, penalty=True)
    model.compile(c_optimizer=keras.optimizers.SGD(learning_rate=0.1))
    model.fit(data, batch_size=8, epochs=1, shuffle=False, verbose=0)

    def numeric_gradient(values, which):
        values = values.astype("float64")
        result = np.zeros_like(values)
        for index in np.ndindex(values.shape):
            step = np.zeros_like(values)
            step[index] = 1e-6
            args = {"kernel": kernel.astype("float64"), "bias": bias.astype("float64")}
            args[which] = values + step
            plus = _penalty_numpy(args["kernel"], args["bias"], data.astype("float64"))
            args[which] = values - step
            minus = _penalty_numpy(args["kernel"], args["bias"], data.astype("float64"))
            result[index] = (plus - minus) / 2e-6
        return result

    new_kernel = ops.convert_to_numpy(network.layers[0].kernel)
    new_bias = ops.convert_to_numpy(network.layers[0].bias)
    np.testing.assert_allclose(
        new_kernel, kernel - 0.1 * numeric_gradient(kernel, "kernel"), atol=1e-5
    )
    np.testing.assert_allclose(new_bias, bias - 0.1 * numeric_gradient(bias, "bias"), atol=1e-5)


@pytest.mark.carried
def test_compile_rejects_unknown_optimizer_argument():
    gan = keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=2)
    with pytest.raises(TypeError, match="h_optimizer"):
        gan.compile(h_optimizer="adam")


@pytest.mark.carried
def test_compile_defaults_follow_the_dcgan_paper():
    gan = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), filters=8)
    gan.compile()
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.Adam)
        assert float(optimizer.learning_rate) == pytest.approx(2e-4)
        assert float(optimizer.beta_1) == pytest.approx(0.5)
    assert gan.adversarial_loss.name == "non_saturating"
