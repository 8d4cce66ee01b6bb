"""The facts behind the objective families: optimal D, clipping, unrolling, packing."""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gan_zoo
from keras_gan_zoo import backend
from keras_gan_zoo.models.gan import pack
from keras_gan_zoo.models.unrolled_gan import _UnrolledOptimizer
from keras_gan_zoo.networks import dense_discriminator
from keras_gan_zoo.networks import mlp_generator

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried


def _numpy(tensor):
    return ops.convert_to_numpy(tensor)


def _normal_pdf(x, mean):
    return np.exp(-0.5 * (x - mean) ** 2) / np.sqrt(2 * np.pi)


def test_trained_discriminator_reaches_the_optimal_discriminator():
    # Goodfellow et al., Proposition 1: for a fixed G, D*(x) = p_data / (p_data + p_g).
    # p_data = N(0, 1) and p_g = N(1, 1) (G(z) = z + 1, frozen by a zero learning
    # rate): the log ratio is 1/2 - x, which a linear logit can represent.
    generator = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    generator.set_weights([np.ones((1, 1)), np.ones(1)])
    discriminator = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    gan = keras_gan_zoo.GAN(
        generator=generator, discriminator=discriminator, data_range=None, seed=0
    )
    gan.compile(d_optimizer=keras.optimizers.Adam(0.02), g_optimizer=keras.optimizers.SGD(0.0))
    data = np.random.default_rng(0).normal(size=(32768, 1)).astype("float32")
    gan.fit(data, batch_size=512, epochs=8, verbose=0)

    x = np.linspace(-2.0, 3.0, 11, dtype="float32")[:, None]
    d_star = _normal_pdf(x, 0.0) / (_normal_pdf(x, 0.0) + _normal_pdf(x, 1.0))
    d_trained = 1.0 / (1.0 + np.exp(-_numpy(discriminator(x))))
    np.testing.assert_allclose(d_trained, d_star, atol=0.03)
    np.testing.assert_allclose(generator.get_weights()[1], [1.0])  # G did not move


def test_wgan_keeps_every_critic_weight_inside_the_clip_range():
    wgan = keras_gan_zoo.WGAN(
        generator=mlp_generator(2, (2,), units=(8,), data_range=None),
        discriminator=dense_discriminator((2,), units=(8, 8)),
        data_range=None,
        clip_value=0.05,
        seed=0,
    )
    # A large learning rate pushes weights past the bound at every update.
    wgan.compile(
        d_optimizer=keras.optimizers.RMSprop(0.05), g_optimizer=keras.optimizers.RMSprop(0.05)
    )
    points = np.random.default_rng(0).normal(3.0, 1.0, size=(640, 2)).astype("float32")
    wgan.fit(points, batch_size=64, epochs=1, verbose=0)
    weights = np.concatenate([w.ravel() for w in wgan.discriminator.get_weights()])
    assert np.abs(weights).max() <= 0.05 + 1e-7
    assert np.mean(np.isclose(np.abs(weights), 0.05)) > 0.2  # the bound is active
    assert int(wgan.d_optimizer.iterations) == 5 * int(wgan.g_optimizer.iterations) == 50


# === Unrolled GAN ===


def _unrolled_gan(optimizer):
    gan = keras_gan_zoo.UnrolledGAN(
        generator=mlp_generator(2, (2,), units=(4,), data_range=None),
        discriminator=dense_discriminator((2,), units=(8,), activation="tanh"),
        data_range=None,
        seed=0,
    )
    gan.compile(d_optimizer=optimizer)
    return gan


def _loss_and_gradient(gan, real, fake, steps, first_order=False):
    gan.unrolling_steps, gan.first_order = steps, first_order
    loss, gradient = backend.input_gradient(
        lambda points: gan.unrolled_generator_loss(ops.convert_to_tensor(real), points), fake
    )
    return float(_numpy(loss)), _numpy(gradient)


def test_unrolled_generator_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(8, 2)).astype("float32")
    fake = rng.normal(1.0, 0.5, size=(8, 2)).astype("float32")
    gan = _unrolled_gan(keras.optimizers.SGD(1.0))

    loss, unrolled = _loss_and_gradient(gan, real, fake, steps=3)
    _, plain = _loss_and_gradient(gan, real, fake, steps=0)
    _, first_order = _loss_and_gradient(gan, real, fake, steps=3, first_order=True)
    # Unrolling changes G's gradient; the first-order shortcut is not the same gradient.
    assert np.abs(unrolled - plain).max() > 0.1 * np.abs(plain).max()
    assert np.abs(unrolled - first_order).max() > 0.05 * np.abs(unrolled).max()

    # Central differences of the unrolled loss, through the three D updates.
    step = 1e-2
    estimate = np.zeros_like(fake)
    for index in np.ndindex(*fake.shape):
        shift = np.zeros_like(fake)
        shift[index] = step
        up, _ = _loss_and_gradient(gan, real, fake + shift, steps=3)
        down, _ = _loss_and_gradient(gan, real, fake - shift, steps=3)
        estimate[index] = (up - down) / (2 * step)
    np.testing.assert_allclose(unrolled, estimate, atol=2e-3 * np.abs(estimate).max() + 1e-5)
    # The plain gradient fails the same check: the test can tell them apart.
    assert np.abs(plain - estimate).max() > 10 * np.abs(unrolled - estimate).max()


def _random_like(variable, rng):
    return ops.convert_to_tensor(rng.normal(size=variable.shape).astype("float32"))


def test_unrolled_adam_step_is_kerass_adam_step():
    optimizer = keras.optimizers.Adam(0.01, beta_1=0.5)
    gan = _unrolled_gan(optimizer)
    variables = gan.discriminator.trainable_variables
    rng = np.random.default_rng(0)
    for _ in range(3):  # non-trivial moments and step count
        optimizer.apply([_random_like(v, rng) for v in variables], variables)
    gradients = [_random_like(v, rng) for v in variables]
    unrolled = _UnrolledOptimizer(optimizer, variables)
    predicted = unrolled.update(
        [v.value for v in variables], [ops.convert_to_tensor(g) for g in gradients]
    )
    optimizer.apply(gradients, variables)
    for variable, value in zip(variables, predicted):
        np.testing.assert_allclose(_numpy(value), _numpy(variable.value), rtol=1e-5, atol=1e-7)


def test_unrolled_gan_rejects_optimizers_it_cannot_unroll():
    gan = _unrolled_gan(keras.optimizers.RMSprop(0.01))
    with pytest.raises(ValueError, match="plain SGD, not RMSprop"):
        gan.unrolled_generator_loss(np.zeros((4, 2), "float32"), np.zeros((4, 2), "float32"))


# === PacGAN ===


def test_packing_concatenates_consecutive_examples_on_the_last_axis():
    vectors = np.arange(12, dtype="float32").reshape(6, 2)
    np.testing.assert_array_equal(
        _numpy(pack(vectors, 3)), [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]
    )
    images = np.random.default_rng(0).normal(size=(4, 5, 5, 3)).astype("float32")
    packed = _numpy(pack(images, 2))
    assert packed.shape == (2, 5, 5, 6)
    np.testing.assert_array_equal(packed[1], np.concatenate([images[2], images[3]], axis=-1))


def test_pacgan_discriminator_judges_packs():
    gan = keras_gan_zoo.PacGAN(packing=4, data_shape=(2,), data_range=None, latent_dim=2)
    assert gan.discriminator.input_shape == (None, 8)
    # Protocol P networks: four hidden layers of 400 in G, three maxout layers in D.
    dense = [w for w in gan.generator.layers if isinstance(w, keras.layers.Dense)]
    assert [layer.units for layer in dense] == [400, 400, 400, 400, 2]
    gan.compile()
    points = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    history = gan.fit(points, batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
    assert _numpy(gan.discriminate(points[:16])).shape == (4, 1)
    with pytest.raises(ValueError, match="batch_size 10 is not a multiple of the packing degree 4"):
        gan.fit(points, batch_size=10, epochs=1, verbose=0)
    # 66 points in batches of 16: the last batch keeps its whole pack, the 2 over are dropped.
    more = np.random.default_rng(1).normal(size=(66, 2)).astype("float32")
    history = gan.fit(more, batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
