"""GAN (Goodfellow et al. 2014): networks, config and sampling.

Learning is tested with every other model in test_mixture_learning.py.
"""

import keras
import numpy as np
import pytest

import keras_gan_zoo

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried

MEAN = np.array([2.0, -1.0])
COVARIANCE = np.array([[1.0, 0.5], [0.5, 0.8]])


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
