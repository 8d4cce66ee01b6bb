"""Noisy labels, feature matching, historical averaging and R1/R2 inside a real step."""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gan_zoo
from keras_gan_zoo import tricks
from keras_gan_zoo.engine import DISCRIMINATOR
from keras_gan_zoo.engine import GENERATOR
from keras_gan_zoo.networks import dense_discriminator
from keras_gan_zoo.networks import mlp_generator

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried


def _numpy(tensor):
    return ops.convert_to_numpy(tensor)


def _gan(tricks_=(), loss=None, **kwargs):
    gan = keras_gan_zoo.GAN(
        generator=mlp_generator(2, (2,), units=(8,), data_range=None),
        discriminator=dense_discriminator((2,), units=(8, 8)),
        data_range=None,
        tricks=list(tricks_),
        seed=0,
        **kwargs,
    )
    gan.compile(loss=loss)
    return gan


POINTS = np.random.default_rng(0).normal(size=(256, 2)).astype("float32")


def test_noisy_labels_smooth_jitter_and_flip_the_targets():
    gan = _gan()
    trick = tricks.NoisyLabels(smoothing=0.1, noise=0.2, flip_probability=0.25)
    real, fake = (_numpy(t) for t in trick.targets(gan, 1.0, 0.0, 20000))
    flipped = real < 0.5
    assert abs(flipped.mean() - 0.25) < 0.02
    # Unflipped examples: 1 - 0.1 - 0.2 u, u ~ U[0, 1); their fake target stays 0.
    kept = real[~flipped]
    assert kept.max() <= 0.9 and kept.min() >= 0.7 - 1e-6 and abs(kept.mean() - 0.8) < 0.01
    np.testing.assert_array_equal(fake[~flipped], 0.0)
    # Flipped examples swap the two targets.
    np.testing.assert_array_equal(real[flipped], 0.0)
    assert fake[flipped].min() >= 0.7 - 1e-6


def test_noisy_labels_train_and_refuse_losses_without_targets():
    gan = _gan([tricks.NoisyLabels(flip_probability=0.05)])
    history = gan.fit(POINTS, batch_size=32, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])
    with pytest.raises(ValueError, match="NoisyLabels needs a loss with real/fake targets"):
        _gan([tricks.NoisyLabels()], loss="wasserstein").fit(POINTS, batch_size=32, verbose=0)
    with pytest.raises(ValueError, match="flip_probability"):
        tricks.NoisyLabels(flip_probability=0.5)


def test_feature_matching_loss_is_the_squared_distance_of_mean_features():
    discriminator = dense_discriminator((2,), units=(8, 8))
    hidden = discriminator.layers[2].name  # the first hidden Dense
    gan = keras_gan_zoo.GAN(
        generator=mlp_generator(2, (2,), units=(8,), data_range=None),
        discriminator=discriminator,
        data_range=None,
        tricks=[tricks.FeatureMatching(hidden)],
    )
    real, fake = POINTS[:64], POINTS[64:128] + 1.0
    loss = gan.tricks[0].generator_loss(gan, real, fake, loss=123.0)
    kernel, bias = discriminator.get_layer(hidden).get_weights()

    def features(x):
        return np.maximum(x @ kernel + bias, 0.0)

    expected = np.sum((features(real).mean(0) - features(fake).mean(0)) ** 2)
    assert _numpy(loss) == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match="no layer 'nope'"):
        keras_gan_zoo.GAN(data_shape=(2,), data_range=None, tricks=[tricks.FeatureMatching("nope")])


def test_feature_matching_trains_the_generator():
    discriminator = dense_discriminator((2,), units=(8, 8))
    gan = keras_gan_zoo.GAN(
        generator=mlp_generator(2, (2,), units=(8,), data_range=None),
        discriminator=discriminator,
        data_range=None,
        tricks=[tricks.FeatureMatching(discriminator.layers[2].name)],
        seed=0,
    )
    gan.compile()
    before = [w.copy() for w in gan.generator.get_weights()]
    history = gan.fit(POINTS, batch_size=32, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["g_loss"]))
    assert any(not np.allclose(a, b) for a, b in zip(before, gan.generator.get_weights()))


def test_historical_averaging_keeps_the_running_mean_of_the_weights():
    trick = tricks.HistoricalAveraging(weight=0.5, roles=(DISCRIMINATOR,))
    gan = _gan([trick])
    variables = gan.discriminator.trainable_variables
    history = []
    for step in range(3):
        for variable in variables:
            variable.assign(np.full(variable.shape, float(step + 1), "float32"))
        history.append([_numpy(v.value).copy() for v in variables])
        trick.after_update(gan, DISCRIMINATOR)
    for index, average in enumerate(trick._averages[DISCRIMINATOR]):
        np.testing.assert_allclose(_numpy(average.value), np.mean([h[index] for h in history], 0))
    # Weights now all 3, averages all 2: the penalty is 0.5 * (number of weights).
    count = sum(int(np.prod(v.shape)) for v in variables)
    penalty = trick.penalty(gan, DISCRIMINATOR, POINTS, POINTS)["historical_average"]
    assert _numpy(penalty) == pytest.approx(0.5 * count, rel=1e-5)
    assert trick.penalty(gan, GENERATOR, POINTS, POINTS) == {}


def test_historical_averaging_and_zero_centered_penalties_train_under_fit():
    gan = _gan([tricks.HistoricalAveraging(1e-3), tricks.R1Penalty(1.0), tricks.R2Penalty(1.0)])
    history = gan.fit(POINTS, batch_size=32, epochs=2, verbose=0).history
    for name in ("d_historical_average", "g_historical_average", "d_r1", "d_r2"):
        assert np.all(np.isfinite(history[name])), name
    assert history["d_r1"][-1] > 0
    # The averages moved with the weights (state threaded through the step on JAX).
    counts = _numpy(gan.tricks[0]._counts[DISCRIMINATOR].value)
    assert counts == int(gan.d_optimizer.iterations) == 16


def test_ttur_gives_each_player_its_own_learning_rate():
    # Heusel et al. 2017: two time-scales are two optimizers. Adam's first step
    # moves each weight by about its learning rate (m / sqrt(v) = sign(g)).
    gan = keras_gan_zoo.GAN(
        generator=mlp_generator(2, (2,), units=(8,), data_range=None),
        discriminator=dense_discriminator((2,), units=(8, 8)),
        data_range=None,
        seed=0,
    )
    gan.compile(d_optimizer=keras.optimizers.Adam(4e-4), g_optimizer=keras.optimizers.Adam(1e-4))
    d_before = [w.copy() for w in gan.discriminator.get_weights()]
    g_before = [w.copy() for w in gan.generator.get_weights()]
    gan.fit(POINTS[:32], batch_size=32, epochs=1, verbose=0)
    d_step = max(np.abs(a - b).max() for a, b in zip(d_before, gan.discriminator.get_weights()))
    g_step = max(np.abs(a - b).max() for a, b in zip(g_before, gan.generator.get_weights()))
    assert d_step == pytest.approx(4e-4, rel=0.01) and g_step == pytest.approx(1e-4, rel=0.01)
