"""The evaluation pipeline: batching, padding, generators, caching and the FID callback.

A small network with known outputs stands in for the FID Inception network
(whose real weights are not on this machine): the pipeline must give exactly
what the metric functions give on the same features.
"""

import os

import keras
import numpy as np
import pytest
from conftest import random_images

import keras_gan_zoo
from keras_gan_zoo.metrics import evaluation
from keras_gan_zoo.metrics import frechet_distance_of_features
from keras_gan_zoo.metrics import inception_score
from keras_gan_zoo.metrics import kernel_distance
from keras_gan_zoo.metrics.frechet_distance import load_statistics
from keras_gan_zoo.models.gan import mlp_discriminator
from keras_gan_zoo.models.gan import mlp_generator


def _pixel_extractor(shape=(6, 6, 1), classes=5):
    """Features = the pixels; logits = a fixed linear map of them."""
    images = keras.Input(shape)
    pixels = keras.layers.Flatten()(images)
    logits = keras.layers.Dense(
        classes, kernel_initializer=keras.initializers.RandomNormal(0, 1, seed=1)
    )(pixels)
    network = keras.Model(images, {"features": pixels, "logits": logits})
    return evaluation.FeatureExtractor(network, "pixels", features="features", logits="logits")


def test_pipeline_equals_the_metric_functions_on_the_same_features():
    extractor = _pixel_extractor()
    fake = random_images(230, (6, 6, 1), seed=1)  # not a multiple of the batch size
    real = random_images(310, (6, 6, 1), seed=2) * 0.8
    results = evaluation.evaluate(
        fake, real, metrics=("fid", "kid", "is", "pr", "dc"), extractor=extractor, batch_size=64
    )
    fake_features, real_features = fake.reshape(230, -1), real.reshape(310, -1)
    assert results["n"] == 230 and results["n_reference"] == 310
    assert results["fid"] == pytest.approx(
        frechet_distance_of_features(fake_features, real_features), rel=1e-6
    )
    kid, kid_std = kernel_distance(fake_features, real_features)
    assert results["kid"] == pytest.approx(kid, rel=1e-5, abs=1e-7)
    assert results["kid_std"] == pytest.approx(kid_std, rel=1e-5, abs=1e-7)
    logits = keras.ops.convert_to_numpy(extractor.network(fake)["logits"])
    assert results["is"] == pytest.approx(inception_score(logits)[0], rel=1e-5)
    assert 0 <= results["precision"] <= 1 and 0 <= results["coverage"] <= 1
    assert "230 samples" in results["protocol"] and "features pixels" in results["protocol"]


def test_a_generator_is_sampled_like_generate_and_a_dataset_like_an_array():
    import tensorflow as tf

    generator = keras_gan_zoo.Generator(mlp_generator(4, (6, 6, 1), units=(16,)))
    extractor = _pixel_extractor()
    streamed = evaluation.extract(extractor, generator, n=70, batch_size=32, seed=5)
    expected = generator.generate(70, seed=5).reshape(70, -1)
    np.testing.assert_allclose(streamed["features"], expected, atol=1e-5)
    images = random_images(50, (6, 6, 1))
    dataset = tf.data.Dataset.from_tensor_slices((images, np.zeros(50))).batch(7)
    from_dataset = evaluation.extract(extractor, dataset, n=45, batch_size=16)
    np.testing.assert_allclose(from_dataset["features"], images[:45].reshape(45, -1), atol=1e-6)


def test_reference_statistics_are_cached(cache, monkeypatch):
    extractor = _pixel_extractor()
    real = random_images(100, (6, 6, 1), seed=3)
    first = evaluation.reference_statistics(extractor, real)
    saved = list(cache.rglob("pixels-*.npz"))
    assert len(saved) == 1
    np.testing.assert_allclose(load_statistics(saved[0])[0], first[0])

    def no_recomputation(*args, **kwargs):
        raise AssertionError("the reference was run through the network again")

    monkeypatch.setattr(evaluation, "extract", no_recomputation)
    np.testing.assert_array_equal(evaluation.reference_statistics(extractor, real)[1], first[1])
    monkeypatch.undo()
    # A statistics file is a reference too (pytorch-fid's .npz layout).
    from_file = evaluation.evaluate(real, os.fspath(saved[0]), extractor=extractor)
    assert from_file["fid"] == pytest.approx(0.0, abs=1e-6)


def test_bad_input_is_named():
    extractor = _pixel_extractor()
    real = random_images(20, (6, 6, 1))
    with pytest.raises(ValueError, match=r"must lie in \[-1, 1\].*uint8"):
        evaluation.evaluate(real * 255, real, extractor=extractor)
    with pytest.raises(ValueError, match="NaN"):
        evaluation.evaluate(real * np.nan, real, extractor=extractor)
    with pytest.raises(ValueError, match="No images to evaluate"):
        evaluation.evaluate(real[:0], real, extractor=extractor)
    with pytest.raises(ValueError, match="Unknown metrics"):
        evaluation.evaluate(real, real, metrics=("fid", "ssim"), extractor=extractor)
    with pytest.raises(ValueError, match="need reference images"):
        evaluation.evaluate(real, None, metrics=("kid",), extractor=extractor)
    with pytest.raises(ValueError, match="number of samples n"):
        evaluation.evaluate(keras_gan_zoo.Generator(mlp_generator(4, (6, 6, 1))), real)


@pytest.mark.slow
def test_fid_callback_logs_fid_and_kid_and_keeps_the_best_model(tmp_path, cache):
    # A GAN learning a 2D Gaussian; "features" are the points themselves, so
    # the logged FID is the Fréchet distance between the two point clouds.
    rng = np.random.default_rng(0)
    mean, covariance = np.array([2.0, -1.0]), np.array([[1.0, 0.5], [0.5, 0.8]])
    points = rng.multivariate_normal(mean, covariance, size=4096).astype("float32")
    points_input = keras.Input((2,))
    identity = evaluation.FeatureExtractor(
        keras.Model(points_input, points_input), "points", images=False
    )
    gan = keras_gan_zoo.GAN(
        generator=mlp_generator(8, (2,), units=(64, 64), data_range=None),
        discriminator=mlp_discriminator((2,), units=(64, 64), pieces=3, dropout=0.0),
        data_range=None,
        seed=0,
    )
    untrained = evaluation.evaluate(gan, points, extractor=identity, n=2000, seed=7)["fid"]
    callback = keras_gan_zoo.callbacks.FIDCallback(
        points,
        extractor=identity,
        n=2000,
        every_n_epochs=3,
        seed=7,
        kid=True,
        best_path=tmp_path / "best.keras",
    )
    gan.compile()
    history = gan.fit(points, batch_size=256, epochs=6, verbose=0, callbacks=[callback])
    fids = history.history["fid_2k_points"]
    assert [record["epoch"] for record in callback.history] == [3, 6]
    assert len(history.history["kid_2k_points"]) == 2
    # The first logged value is the FID of exactly these samples.
    assert callback.history[0]["fid_2k_points"] == pytest.approx(fids[0])
    assert min(fids) < 0.25 * untrained, (untrained, fids)
    assert callback.best == min(fids)
    best = keras.saving.load_model(tmp_path / "best.keras")
    again = evaluation.evaluate(best, points, extractor=identity, n=2000, seed=7)["fid"]
    assert again == pytest.approx(callback.best, rel=1e-4)
