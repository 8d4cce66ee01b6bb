"""GAN (Goodfellow et al. 2014): learns a 2D Gaussian; config and sampling."""

import keras
import numpy as np
import pytest

import keras_gan_zoo
from keras_gan_zoo.models.gan import mlp_discriminator
from keras_gan_zoo.models.gan import mlp_generator

MEAN = np.array([2.0, -1.0])
COVARIANCE = np.array([[1.0, 0.5], [0.5, 0.8]])


@pytest.mark.slow
def test_gan_learns_a_2d_gaussian():
    rng = np.random.default_rng(0)
    points = rng.multivariate_normal(MEAN, COVARIANCE, size=8192).astype("float32")
    gan = keras_gan_zoo.GAN(
        generator=mlp_generator(8, (2,), units=(64, 64), data_range=None),
        discriminator=mlp_discriminator((2,), units=(64, 64), pieces=3, dropout=0.0),
        data_range=None,
        seed=0,
    )

    # GAN training oscillates around the equilibrium; decaying the learning
    # rate lets the last iterate settle near it.
    def adam():
        schedule = keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=1280, alpha=0.05)
        return keras.optimizers.Adam(schedule, beta_1=0.5)

    gan.compile(d_optimizer=adam(), g_optimizer=adam())
    gan.fit(points, batch_size=256, epochs=40, verbose=0)

    samples = gan.generate(8192, seed=1)
    np.testing.assert_allclose(samples.mean(axis=0), MEAN, atol=0.2)
    np.testing.assert_allclose(np.cov(samples.T), COVARIANCE, atol=0.3)


def test_untrained_gan_is_far_from_the_gaussian():
    """The learning test above can fail: an untrained G is nowhere near."""
    gan = keras_gan_zoo.GAN(
        generator=mlp_generator(8, (2,), units=(64, 64), data_range=None),
        discriminator=mlp_discriminator((2,), units=(64, 64), pieces=3, dropout=0.0),
        data_range=None,
    )
    samples = gan.generate(4096, seed=1)
    assert np.abs(samples.mean(axis=0) - MEAN).max() > 0.5


def test_default_networks_follow_the_paper():
    gan = keras_gan_zoo.GAN()
    assert gan.latent_dim == 100 and gan.data_shape == (28, 28, 1)
    dense = [layer for layer in gan.generator.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.units for layer in dense] == [1200, 1200, 784]
    assert [layer.activation.__name__ for layer in dense] == ["relu", "relu", "tanh"]
    maxouts = [
        layer
        for layer in gan.discriminator.layers
        if isinstance(layer, keras_gan_zoo.layers.Maxout)
    ]
    assert [(layer.units, layer.pieces) for layer in maxouts] == [(240, 5), (240, 5)]
    assert gan.discriminator.output_shape == (None, 1)


def test_generate_is_seeded_and_in_range():
    gan = keras_gan_zoo.GAN(data_shape=(4, 4, 1), latent_dim=3)
    first, again = gan.generate(5, seed=7), gan.generate(5, seed=7)
    np.testing.assert_array_equal(first, again)
    assert first.shape == (5, 4, 4, 1)
    assert first.min() >= -1 and first.max() <= 1
    assert not np.array_equal(first, gan.generate(5, seed=8))
    # Batched generation gives the same samples as one big batch.
    np.testing.assert_allclose(gan.generate(5, seed=7, batch_size=2), first, atol=1e-6)


def test_minimax_loss_trains_too():
    gan = keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=2, d_steps=3, seed=0)
    gan.compile(loss="minimax")
    history = gan.fit(np.random.default_rng(0).normal(size=(256, 2)), batch_size=64, verbose=0)
    assert np.isfinite(history.history["g_loss"][0])
    # Minimax G loss is E[log(1 - D(G(z)))], always negative.
    assert history.history["g_loss"][0] < 0
    assert int(gan.d_optimizer.iterations) == 3 * int(gan.g_optimizer.iterations) == 12


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="d_steps"):
        keras_gan_zoo.GAN(d_steps=0)
    with pytest.raises(ValueError, match="label_smoothing"):
        keras_gan_zoo.GAN(label_smoothing=1.0)
    with pytest.raises(ValueError, match="Unknown adversarial loss 'hinge_typo'"):
        keras_gan_zoo.GAN(data_shape=(2,), data_range=None).compile(loss="hinge_typo")
