"""Sampling tools: latents, truncation, labels, interpolation, batching, `Generator`."""

import keras
import numpy as np
import pytest

import keras_gan_zoo
from keras_gan_zoo import sampling


def _tiny_generator(latent_dim=4):
    latents = keras.Input((latent_dim,))
    images = keras.layers.Dense(2 * 2 * 1, activation="tanh")(latents)
    return keras.Model(latents, keras.layers.Reshape((2, 2, 1))(images))


def _conditional_generator(latent_dim=4, num_classes=3):
    latents = keras.Input((latent_dim,), name="latents")
    labels = keras.Input((), dtype="int32", name="labels")
    # One-hot class plus latents: class k moves the output by +k, so the
    # label's effect is visible in the samples.
    one_hot = keras.layers.Lambda(lambda y: keras.ops.one_hot(y, num_classes))(labels)
    shift = keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros", name="shift")
    outputs = keras.layers.Concatenate()([keras.layers.Dense(1)(latents), shift(one_hot)])
    model = keras.Model([latents, labels], outputs)
    model.get_layer("shift").kernel.assign(np.arange(num_classes, dtype="float32")[:, None])
    return model


def test_same_seed_same_latents_and_truncation_bounds_them():
    a = sampling.sample_latents(100, 16, seed=3)
    np.testing.assert_array_equal(a, sampling.sample_latents(100, 16, seed=3))
    assert a.dtype == np.float32 and np.abs(a).max() > 2.0
    truncated = sampling.sample_latents(100, 16, seed=3, truncation=0.5)
    assert np.abs(truncated).max() <= 0.5
    # Redrawing only the components outside the bound keeps the others.
    inside = np.abs(a) <= 0.5
    np.testing.assert_array_equal(truncated[inside], a[inside])
    # A bound no sample reaches changes nothing.
    np.testing.assert_array_equal(sampling.sample_latents(100, 16, 3, truncation=50.0), a)
    with pytest.raises(ValueError, match="truncation"):
        sampling.sample_latents(4, 16, truncation=0.0)
    with pytest.raises(ValueError, match="positive"):
        sampling.sample_latents(0, 16)


def test_truncation_trades_variety_for_typicality():
    generator = keras_gan_zoo.load_generator("dcgan_mnist")
    free = generator.generate(256, seed=0)
    truncated = generator.generate(256, seed=0, truncation=0.3)
    # Images from a truncated normal vary less around their mean image.
    assert truncated.std(axis=0).mean() < 0.8 * free.std(axis=0).mean()


def test_batching_does_not_change_the_samples():
    generator = keras_gan_zoo.Generator(_tiny_generator())
    whole = generator.generate(50, seed=1, batch_size=256)
    np.testing.assert_allclose(generator.generate(50, seed=1, batch_size=7), whole, atol=1e-6)
    with pytest.raises(ValueError, match="batch_size"):
        generator.generate(5, batch_size=0)


def test_slerp_and_lerp():
    rng = np.random.default_rng(0)
    start, end = rng.standard_normal(64), rng.standard_normal(64)
    for method in ("slerp", "lerp"):
        path = sampling.interpolate_latents(start, end, 9, method)
        assert path.shape == (9, 64) and path.dtype == np.float32
        np.testing.assert_allclose(path[0], start, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(path[-1], end, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        sampling.interpolate_latents(start, end, 3, "lerp")[1], (start + end) / 2, rtol=1e-5
    )
    # Between two vectors of equal norm, slerp keeps that norm and moves at a
    # constant angle per step; lerp's midpoint sags towards the origin.
    end = end / np.linalg.norm(end) * np.linalg.norm(start)
    path = sampling.interpolate_latents(start, end, 9, "slerp").astype("float64")
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), np.linalg.norm(start), rtol=1e-5)
    unit = path / np.linalg.norm(path, axis=1, keepdims=True)
    angles = np.arccos(np.clip(np.sum(unit[1:] * unit[:-1], axis=1), -1, 1))
    np.testing.assert_allclose(angles, angles[0], rtol=1e-3)
    midpoint = sampling.interpolate_latents(start, end, 3, "lerp")[1]
    assert np.linalg.norm(midpoint) < 0.9 * np.linalg.norm(start)
    # Parallel vectors: no great circle to follow, so a straight line.
    np.testing.assert_allclose(
        sampling.interpolate_latents(start, 2 * start, 3, "slerp")[1], 1.5 * start, rtol=1e-5
    )
    with pytest.raises(ValueError, match="slerp' or 'lerp"):
        sampling.interpolate_latents(start, end, 3, "cubic")
    with pytest.raises(ValueError, match="same size"):
        sampling.interpolate_latents(start, end[:3], 3)


def test_generator_interpolates_between_its_own_samples():
    generator = keras_gan_zoo.Generator(_tiny_generator())
    frames = generator.interpolate(steps=6, seed=2)
    ends = sampling.sample_latents(2, 4, seed=2)
    np.testing.assert_allclose(frames[0], generator.generate(latents=ends[:1])[0], atol=1e-6)
    np.testing.assert_allclose(frames[-1], generator.generate(latents=ends[1:])[0], atol=1e-6)


def test_class_labels_for_conditional_generators():
    generator = keras_gan_zoo.Generator(_conditional_generator(), num_classes=3)
    latents = sampling.sample_latents(6, 4, seed=0)
    shifted = generator.generate(latents=latents, labels=[0, 1, 2, 0, 1, 2])
    np.testing.assert_allclose(shifted[:, 1], [0, 1, 2, 0, 1, 2], atol=1e-6)
    np.testing.assert_allclose(generator.generate(latents=latents, labels=2)[:, 1], 2.0, atol=1e-6)
    random_labels = generator.generate(300, seed=0)[:, 1]
    assert set(np.round(random_labels).astype(int)) == {0, 1, 2}
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        generator.generate(2, labels=[0, 3])
    with pytest.raises(ValueError, match="one per example"):
        generator.generate(3, labels=[0, 1])
    with pytest.raises(ValueError, match="integers"):
        generator.generate(2, labels=[0.5, 1.0])
    unconditional = keras_gan_zoo.Generator(_tiny_generator())
    with pytest.raises(ValueError, match="unconditional"):
        unconditional.generate(2, labels=1)


def test_generator_saves_and_loads_as_a_keras_file(tmp_path):
    generator = keras_gan_zoo.Generator(_tiny_generator(), data_range=(-1, 1))
    generator.save(tmp_path / "generator.keras")
    loaded = keras.saving.load_model(tmp_path / "generator.keras")
    assert isinstance(loaded, keras_gan_zoo.Generator) and loaded.latent_dim == 4
    np.testing.assert_allclose(loaded.generate(5, seed=0), generator.generate(5, seed=0))


def test_gan_generate_supports_truncation():
    gan = keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=4)
    assert gan.generate(10, seed=0, truncation=0.5).shape == (10, 2)
