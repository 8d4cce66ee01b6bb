"""The evaluation pipeline: batching, padding, generators, caching and the FID callback.

A small network with known outputs stands in for the FID Inception network
(whose real weights are not on this machine): the pipeline must give exactly
what the metric functions give on the same features.
"""

import io
import os
import shutil
import warnings
import zipfile

import keras
import numpy as np
import pytest
from conftest import random_images
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import keras_gan_zoo
from keras_gan_zoo.metrics import evaluation
from keras_gan_zoo.metrics import frechet_distance_of_features
from keras_gan_zoo.metrics import inception_score
from keras_gan_zoo.metrics import kernel_distance
from keras_gan_zoo.metrics.frechet_distance import load_statistics
from keras_gan_zoo.metrics.frechet_distance import save_statistics
from keras_gan_zoo.networks import mlp_discriminator
from keras_gan_zoo.networks import mlp_generator

# The tests of argument checks, caching and reference validation exercise
# backend-neutral host code: they run once, on TensorFlow.


def _pixel_extractor(shape=(6, 6, 1), classes=5, preprocess=None):
    """Features = the pixels; logits = a fixed linear map of them."""
    images = keras.Input(shape)
    pixels = keras.layers.Flatten()(images)
    logits = keras.layers.Dense(
        classes, kernel_initializer=keras.initializers.RandomNormal(0, 1, seed=1)
    )(pixels)
    network = keras.Model(images, {"features": pixels, "logits": logits})
    return evaluation.FeatureExtractor(
        network, "pixels", features="features", logits="logits", preprocess=preprocess
    )


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


@pytest.mark.learning
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


@pytest.mark.neutral
def test_array_statistics_are_keyed_by_their_content_not_by_a_name(cache):
    # Issue 16, item 2: the CLI named an .npy reference by its path, and a
    # given key took the place of the array's hash: new content, old statistics.
    extractor = _pixel_extractor()
    first, second = random_images(100, (6, 6, 1), seed=3), random_images(100, (6, 6, 1), seed=4)
    before = evaluation.reference_statistics(extractor, first, cache_key="reference.npy")
    after = evaluation.reference_statistics(extractor, second, cache_key="reference.npy")
    np.testing.assert_allclose(after[0], second.reshape(100, -1).mean(0), rtol=1e-5, atol=1e-6)
    assert not np.allclose(before[0], after[0])
    # The same images as float64 are the same content: one cache entry serves both.
    again = evaluation.reference_statistics(extractor, second.astype(np.float64))
    np.testing.assert_array_equal(again[1], after[1])
    assert len(list(cache.rglob("pixels-*.npz"))) == 2


@pytest.mark.neutral
def test_path_fingerprint_follows_the_files_content(tmp_path, monkeypatch):
    folder = tmp_path / "reference"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.png").write_bytes(b"1" * 100)
    (folder / "sub" / "b.png").write_bytes(b"2" * 50)
    key = evaluation.path_fingerprint(folder)
    assert evaluation.path_fingerprint(shutil.copytree(folder, tmp_path / "copy")) == key
    (folder / "sub" / "b.png").write_bytes(b"3" * 50)  # same path, same size, new bytes
    assert evaluation.path_fingerprint(folder) != key
    file_key = evaluation.path_fingerprint(folder / "a.png")
    (folder / "a.png").write_bytes(b"4" * 100)
    assert evaluation.path_fingerprint(folder / "a.png") != file_key
    # Above CONTENT_HASH_LIMIT bytes: names, sizes and modification times (ns).
    monkeypatch.setattr(evaluation, "CONTENT_HASH_LIMIT", 0)
    by_stat = evaluation.path_fingerprint(folder)
    os.utime(folder / "sub" / "b.png", ns=(10**18, 10**18))
    assert evaluation.path_fingerprint(folder) != by_stat
    with pytest.raises(ValueError, match="does not exist"):
        evaluation.path_fingerprint(tmp_path / "gone")


@pytest.mark.neutral
def test_reference_arrays_are_checked_as_training_data_is():
    # Issue 16, item 7: [0, 1] floats were taken as [-1, 1] values (FID 752 for 69).
    extractor = _pixel_extractor()
    fake = random_images(40, (6, 6, 1), seed=1)
    pixels = np.random.default_rng(0).integers(0, 256, (40, 6, 6), dtype=np.uint8)
    with pytest.raises(ValueError, match=r"floats spanning \[0, 1\]: most likely \[0, 1\] pixels"):
        evaluation.evaluate(fake, pixels[..., None] / 255.0, extractor=extractor)
    check = evaluation.check_reference_images
    assert check(pixels).shape == (40, 6, 6, 1)  # a channel axis, as from_arrays adds
    np.testing.assert_array_equal(check(pixels.astype(np.int64)), pixels[..., None])
    assert check(pixels / 127.5 - 1).dtype == np.float32
    mistakes = {
        "got dtype object": pixels.astype(object),
        "got dtype bool": pixels > 0,
        r"got shape \(40, 36\)": pixels.reshape(40, 36),
        "are empty": pixels[:0],
        "NaN or infinite": np.full((4, 6, 6), np.inf, np.float32),
        r"integers spanning \[-1, 255\]": np.concatenate([pixels, -np.ones((1, 6, 6))]).astype(int),
        r"floats spanning \[-3, 1\], outside \[-1, 1\]": np.full((4, 6, 6), -3.0)
        + (pixels[:4] > 9) * 4,
    }
    for expected, images in mistakes.items():
        with pytest.raises(ValueError, match=expected):
            check(images, name="These")
    # Same images, same result: uint8 pixels and the floats they scale to.
    as_floats = evaluation.evaluate(fake, pixels / 127.5 - 1, extractor=extractor)["fid"]
    assert evaluation.evaluate(fake, pixels, extractor=extractor)["fid"] == pytest.approx(as_floats)


@pytest.mark.neutral
def test_images_that_do_not_fit_the_features_are_named():
    extractor = _pixel_extractor()
    fake = random_images(40, (6, 6, 1), seed=1)
    larger = np.zeros((40, 8, 8, 3), np.uint8)
    expected = r"take images of shape \(6, 6, 1\), but the reference images have shape \(8, 8, 3\)"
    with pytest.raises(ValueError, match=expected):
        evaluation.evaluate(fake, larger, extractor=extractor)
    generator = keras_gan_zoo.Generator(mlp_generator(4, (5, 5, 1), units=(8,)))
    with pytest.raises(ValueError, match=r"but the samples have shape \(5, 5, 1\)"):
        evaluation.evaluate(generator, fake, extractor=extractor, n=20)
    # An extractor that resizes (as the Inception one does) takes both, and says so.
    resizing = _pixel_extractor(
        preprocess=lambda x: keras.ops.image.resize(evaluation._to_unit_range(x), (6, 6))
    )
    with pytest.raises(ValueError, match=r"the reference images have shape \(8, 8, 3\)"):
        evaluation.evaluate(fake, larger, extractor=resizing)  # resized, still 3 channels
    with pytest.warns(UserWarning, match=r"\(6, 6, 1\) and the reference images \(12, 12, 1\)"):
        evaluation.evaluate(fake, np.zeros((40, 12, 12, 1), np.uint8) + 7, extractor=resizing)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        evaluation.evaluate(fake, fake * 0.5, extractor=resizing)


@pytest.mark.neutral
def test_arguments_are_checked_with_what_was_expected():
    extractor = _pixel_extractor()
    real = random_images(20, (6, 6, 1))
    cases = [
        ({"n": 0}, "n must be a positive integer; got 0"),
        ({"n": 2.5}, "n must be a positive integer; got 2.5"),
        ({"n": True}, "n must be a positive integer; got True"),
        ({"n_reference": -3}, "n_reference must be a positive integer; got -3"),
        ({"batch_size": 0}, "batch_size must be a positive integer; got 0"),
        ({"batch_size": "50"}, "batch_size must be a positive integer; got '50'"),
        ({"seed": -1}, "seed must be a non-negative integer; got -1"),
        ({"metrics": ()}, r"Unknown metrics \[\]; choose from"),
        ({"metrics": 3}, "metrics must be names from"),
        ({"n": 1}, "FID needs at least 2 samples; n=1"),
        ({"metrics": ("dc",), "n_reference": 5}, "needs at least 6 reference images"),
    ]
    for arguments, expected in cases:
        with pytest.raises(ValueError, match=expected):
            evaluation.evaluate(real, real, extractor=extractor, **arguments)
    assert evaluation.evaluate(real, real, metrics="fid", extractor=extractor)["fid"] < 1e-6
    features_only = evaluation.FeatureExtractor(extractor.network, "pixels", features="features")
    with pytest.raises(ValueError, match="needs class logits; pixels has none"):
        evaluation.evaluate(real, metrics=("is",), extractor=features_only)
    with pytest.raises(ValueError, match="batch_size must be a positive integer; got 0"):
        next(evaluation.image_batches(real, batch_size=0))
    with pytest.raises(ValueError, match="every_n_epochs must be a positive integer; got 0"):
        keras_gan_zoo.callbacks.FIDCallback(real, every_n_epochs=0)
    callback = keras_gan_zoo.callbacks.FIDCallback(
        (real + 1) / 2, extractor=extractor, n=10, kid=True
    )
    with pytest.raises(ValueError, match=r"most likely \[0, 1\] pixels"):
        callback.on_train_begin()


@pytest.mark.neutral
def test_bad_statistics_files_are_named(tmp_path, cache):
    extractor = _pixel_extractor()
    real = random_images(20, (6, 6, 1))

    def refused(name, expected, write=None, **arrays):
        path = tmp_path / name
        if write is not None:
            path.write_bytes(write)
        elif arrays:
            np.savez(path, **arrays)
        with pytest.raises(ValueError, match=expected):
            evaluation.evaluate(real, str(path), extractor=extractor)

    eye = np.eye(36)
    refused("zip.npz", r"not a readable \.npz statistics file", write=b"PK\x03\x04 broken")
    refused("random.npz", r"not a readable \.npz statistics file", write=os.urandom(300))
    refused("keys.npz", r"lacks \['sigma'\]", mu=np.zeros(36))
    refused(
        "shapes.npz",
        r"mu of shape \(d,\) and sigma of shape \(d, d\) with 1 <= d <= 16384; got \(36, 1\)",
        mu=np.zeros((36, 1)),
        sigma=eye,
    )
    refused("nan.npz", "NaN or infinite", mu=np.full(36, np.nan), sigma=eye)
    refused(
        "skew.npz", "not symmetric", mu=np.zeros(36), sigma=eye + np.triu(eye, 1) + np.eye(36, k=1)
    )
    refused("objects.npz", "Python objects", mu=np.array([None] * 36, dtype=object), sigma=eye)
    refused("text.npz", "mu must hold numbers", mu=np.array(["a"] * 36), sigma=eye)
    refused(
        "small.npz",
        r"statistics of 10-dimensional features, but the pixels features have 36",
        mu=np.zeros(10),
        sigma=np.eye(10),
    )
    whole = tmp_path / "whole.npz"
    save_statistics(whole, np.zeros(36), eye)
    (tmp_path / "truncated.npz").write_bytes(whole.read_bytes()[:-60])
    refused("truncated.npz", "not a readable|truncated or corrupt")
    np.save(tmp_path / "array.npy", np.zeros(3))
    refused("array.npy", r"a single \.npy array, not an \.npz file")
    refused("missing.npz", "Statistics file .*missing.npz does not exist")
    with pytest.raises(ValueError, match="is a folder, not a statistics file"):
        load_statistics(tmp_path)
    with pytest.raises(ValueError, match="n_reference=5 selects reference images"):
        evaluation.evaluate(real, str(whole), extractor=extractor, n_reference=5)
    # A damaged cache entry is computed again, not reported as the user's mistake.
    first = evaluation.reference_statistics(extractor, real)
    (entry,) = cache.rglob("pixels-*.npz")
    entry.write_bytes(b"damaged")
    np.testing.assert_array_equal(evaluation.reference_statistics(extractor, real)[0], first[0])
    np.testing.assert_array_equal(load_statistics(entry)[0], first[0])


def _npz_with_headers(path, mu_shape, sigma_shape, dtype="<f8", payload=b"\0" * 64):
    """An .npz archive whose members declare these shapes but hold only `payload`."""
    with zipfile.ZipFile(path, "w") as archive:
        for key, shape in (("mu", mu_shape), ("sigma", sigma_shape)):
            member = io.BytesIO()
            header = {"descr": dtype, "fortran_order": False, "shape": shape}
            np.lib.format.write_array_header_1_0(member, header)
            archive.writestr(f"{key}.npy", member.getvalue() + payload)
    return path


@pytest.mark.neutral
def test_a_tampered_statistics_header_is_refused_before_anything_is_allocated(tmp_path):
    huge = _npz_with_headers(tmp_path / "huge.npz", (10**6,), (10**6, 10**6))
    with pytest.raises(ValueError, match=r"with 1 <= d <= 16384; got \(1000000,\)"):
        load_statistics(huge)
    objects = _npz_with_headers(tmp_path / "objects.npz", (4,), (4, 4), dtype="|O")
    with pytest.raises(ValueError, match="Python objects in mu, which are never unpickled"):
        load_statistics(objects)
    short = _npz_with_headers(tmp_path / "short.npz", (64,), (64, 64))
    with pytest.raises(ValueError, match="short.npz is truncated or corrupt"):
        load_statistics(short)


_VALID_STATISTICS = io.BytesIO()
np.savez(_VALID_STATISTICS, mu=np.arange(4.0), sigma=np.eye(4), n=np.int64(10))


@pytest.mark.neutral
@settings(max_examples=150, deadline=None, database=None, derandomize=True)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(_VALID_STATISTICS.getvalue()) - 1), st.integers(0, 255)),
        max_size=8,
    ),
    cut=st.integers(0, len(_VALID_STATISTICS.getvalue())),
    garbage=st.binary(max_size=64),
)
def test_any_bytes_give_statistics_or_a_value_error_naming_the_file(
    tmp_path_factory, edits, cut, garbage
):
    contents = bytearray(_VALID_STATISTICS.getvalue())
    for offset, value in edits:
        contents[offset] = value
    path = tmp_path_factory.getbasetemp() / "any.npz"
    path.write_bytes(bytes(contents[:cut]) + garbage)
    try:
        mean, covariance = load_statistics(path)
    except ValueError as error:
        assert str(error).startswith(str(path)), error
    else:
        assert mean.shape == (4,) and covariance.shape == (4, 4)
        assert np.all(np.isfinite(mean)) and np.all(np.isfinite(covariance))
