"""Instance noise, experience replay and DiffAugment: what D sees, inside real steps."""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gan_zoo
from keras_gan_zoo import backend
from keras_gan_zoo import tricks
from keras_gan_zoo.engine import DISCRIMINATOR
from keras_gan_zoo.engine import GENERATOR
from keras_gan_zoo.networks import dense_discriminator
from keras_gan_zoo.networks import mlp_generator

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried

POINTS = np.random.default_rng(0).normal(3.0, 1.0, size=(512, 2)).astype("float32")


def _numpy(tensor):
    return ops.convert_to_numpy(ops.stop_gradient(ops.convert_to_tensor(tensor)))


def _gan(*tricks_):
    gan = keras_gan_zoo.GAN(
        generator=mlp_generator(2, (2,), units=(8,), data_range=None),
        discriminator=dense_discriminator((2,), units=(8,)),
        data_range=None,
        tricks=list(tricks_),
        seed=0,
    )
    gan.compile()
    return gan


def _image_gan(*tricks_, channels=3):
    generator = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(8 * 8 * channels, activation="tanh"),
            keras.layers.Reshape((8, 8, channels)),
        ]
    )
    discriminator = keras.Sequential(
        [
            keras.Input((8, 8, channels)),
            keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(1),
        ]
    )
    gan = keras_gan_zoo.GAN(
        generator=generator, discriminator=discriminator, tricks=list(tricks_), seed=0
    )
    gan.compile()
    return gan


# === Instance noise ===


def test_instance_noise_decays_linearly_to_zero():
    trick = tricks.InstanceNoise(stddev=0.4, decay_steps=10)
    gan = _gan(trick)
    zeros = np.zeros((20000, 2), "float32")
    for step, expected in ((0, 0.4), (5, 0.2), (10, 0.0), (15, 0.0)):
        gan.g_optimizer.iterations.assign(step)
        real, fake = trick.inputs(gan, GENERATOR, zeros, zeros)
        assert _numpy(real).std() == pytest.approx(expected, abs=0.01)
        assert _numpy(fake).std() == pytest.approx(expected, abs=0.01)
        assert not np.array_equal(_numpy(real), _numpy(fake)) or expected == 0


def test_instance_noise_trains_under_fit():
    gan = _gan(tricks.InstanceNoise(0.5, decay_steps=20))
    history = gan.fit(POINTS, batch_size=32, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][0])


# === Experience replay ===


def test_replay_takes_the_first_fakes_from_the_pool_and_stores_the_fresh_ones():
    trick = tricks.ExperienceReplay(pool_size=6, replay_fraction=0.5)
    gan = _gan(trick)
    real = np.zeros((4, 2), "float32")
    first = np.arange(8, dtype="float32").reshape(4, 2)
    # Empty pool: the fakes pass unchanged, and the first two are stored.
    _, fake = trick.inputs(gan, DISCRIMINATOR, real, first)
    np.testing.assert_array_equal(_numpy(fake), first)
    np.testing.assert_array_equal(_numpy(trick.pool.value)[:2], first[:2])
    second = first + 100
    _, fake = trick.inputs(gan, DISCRIMINATOR, real, second)
    fake = _numpy(fake)
    # The first two now come from the pool (the first batch's stored fakes);
    # the rest are fresh.
    for row in fake[:2]:
        assert any(np.array_equal(row, stored) for stored in first[:2])
    np.testing.assert_array_equal(fake[2:], second[2:])
    assert int(_numpy(trick.stored.value)) == 4
    # The generator's update is left alone.
    _, fake = trick.inputs(gan, GENERATOR, real, second)
    np.testing.assert_array_equal(_numpy(fake), second)


def test_replay_pool_fills_under_fit_and_is_saved(tmp_path):
    gan = _gan(tricks.ExperienceReplay(pool_size=40, replay_fraction=0.25))
    gan.fit(POINTS, batch_size=32, epochs=1, verbose=0)  # 16 steps x 8 stored fakes
    trick = gan.tricks[0]
    assert int(_numpy(trick.stored.value)) == 16 * 8
    pool = _numpy(trick.pool.value)
    assert np.all(np.abs(pool).sum(axis=1) > 0)  # every slot holds a generated point
    gan.save(tmp_path / "gan.keras")
    restored = keras.saving.load_model(tmp_path / "gan.keras")
    np.testing.assert_array_equal(_numpy(restored.tricks[0].pool.value), pool)
    with pytest.raises(ValueError, match="pool_size of at least 16"):
        _gan(tricks.ExperienceReplay(pool_size=8)).fit(POINTS, batch_size=32, verbose=0)


# === DiffAugment ===


def test_diffaugment_color_translation_and_cutout():
    constant = np.full((256, 16, 16, 3), 0.2, "float32")
    gan = _image_gan(tricks.DiffAugment(policy=["color"], seed=1))
    colored = _numpy(gan.tricks[0].augment(constant))
    shifts = colored.mean(axis=(1, 2, 3)) - 0.2
    # A constant image keeps no saturation or contrast to change: only brightness moves it.
    assert shifts.min() >= -0.5 - 1e-5 and shifts.max() <= 0.5 + 1e-5 and shifts.std() > 0.2
    cutout = _numpy(_image_gan(tricks.DiffAugment(["cutout"], seed=1)).tricks[0].augment(constant))
    zeroed = (cutout == 0).mean(axis=(1, 2, 3))
    # A square of half the side (a quarter of the pixels), less where it crosses the border.
    assert zeroed.max() == pytest.approx(0.25) and zeroed.mean() > 0.1
    image = np.zeros((1, 16, 16, 1), "float32")
    image[0, 6:10, 6:10] = 1.0
    shifted = _numpy(
        _image_gan(tricks.DiffAugment(["translation"], seed=3), channels=1)
        .tricks[0]
        .augment(np.repeat(image, 64, axis=0))
    )
    rows, cols = np.nonzero(shifted.sum(axis=(0, 3)))
    assert rows.min() >= 6 - 2 and rows.max() <= 9 + 2  # at most 1/8 of 16 pixels
    assert not np.array_equal(shifted[0], shifted[1]) or not np.array_equal(shifted[1], shifted[2])


def test_diffaugment_passes_gradients_and_trains_under_fit():
    images = np.random.default_rng(0).uniform(-1, 1, (8, 8, 8, 3)).astype("float32")
    # fit() straight away: the augmentation's layers are built when it is attached.
    history = _image_gan(tricks.DiffAugment(seed=0)).fit(images, batch_size=8, verbose=0)
    assert np.all(np.isfinite(history.history["d_loss"]))
    gan = _image_gan(tricks.DiffAugment(seed=0))
    _, gradient = backend.input_gradient(lambda x: ops.sum(gan.tricks[0].augment(x) ** 2), images)
    gradient = _numpy(gradient)
    assert np.all(np.isfinite(gradient)) and np.abs(gradient).sum() > 0
    history = gan.fit(np.concatenate([images] * 8), batch_size=16, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["g_loss"]))
    with pytest.raises(ValueError, match="DiffAugment augments images"):
        _gan(tricks.DiffAugment())
