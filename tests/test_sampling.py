"""Sampling tools: latents, truncation, labels, interpolation, batching, `Generator`."""

import tracemalloc

import keras
import numpy as np
import pytest
from conftest import deadline
from scipy import stats

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
    np.testing.assert_array_equal(truncated, sampling.sample_latents(100, 16, 3, truncation=0.5))
    assert truncated.dtype == np.float32 and np.abs(truncated).max() <= 0.5
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


@pytest.mark.neutral
def test_a_tiny_truncation_returns_at_once_and_stays_in_bounds():
    # Issue 16, item 5: redrawing until every component fits never ended.
    generator = keras_gan_zoo.Generator(_tiny_generator())
    with deadline(20):
        latents = sampling.sample_latents(1000, 64, seed=0, truncation=1e-12)
        samples = generator.generate(8, seed=0, truncation=1e-9)
    assert latents.dtype == np.float32 and np.abs(latents).max() <= 1e-12
    # Not all zero: the components spread over the whole interval.
    assert latents.min() < -0.9e-12 and latents.max() > 0.9e-12
    # Latents next to 0 make (nearly) the same example every time.
    np.testing.assert_allclose(samples, generator.generate(latents=np.zeros((8, 4))), atol=1e-6)


@pytest.mark.neutral
@pytest.mark.parametrize("bound", [0.3, 1.0, 2.5])
def test_truncated_latents_follow_the_truncated_normal(bound):
    values = sampling.sample_latents(1000, 100, seed=1, truncation=bound).astype("float64").ravel()
    count = values.size
    law = stats.truncnorm(-bound, bound)
    assert np.abs(values).max() <= bound
    # Moments against the closed form, within 5 standard errors at this size.
    variance, fourth = law.moment(2), law.moment(4)
    eighth = law.moment(8)
    assert abs(values.mean()) < 5 * np.sqrt(variance / count)
    assert abs(np.mean(values**2) - variance) < 5 * np.sqrt((fourth - variance**2) / count)
    assert abs(np.mean(values**4) - fourth) < 5 * np.sqrt((eighth - fourth**2) / count)
    # The whole distribution: Kolmogorov-Smirnov distance under its 0.1% critical value.
    assert stats.kstest(values, law.cdf).statistic < 1.95 / np.sqrt(count)


def test_truncated_samples_are_the_same_on_every_backend():
    # NumPy draws the latents, so a dense generator's samples equal a NumPy
    # forward pass on sample_latents, on each backend.
    network = _tiny_generator()
    kernel, bias = (np.asarray(w, dtype="float64") for w in network.layers[1].get_weights())
    samples = keras_gan_zoo.Generator(network).generate(10, seed=4, truncation=0.7, batch_size=3)
    latents = sampling.sample_latents(10, 4, seed=4, truncation=0.7).astype("float64")
    expected = np.tanh(latents @ kernel + bias).reshape(10, 2, 2, 1)
    np.testing.assert_allclose(samples, expected, atol=1e-5)


@pytest.mark.neutral
@pytest.mark.parametrize("truncation", [None, 0.8])
@pytest.mark.parametrize("num_classes", [None, 5])
def test_latent_batches_equal_one_draw_of_latents_then_labels(truncation, num_classes):
    # The stream generate and evaluation use: all n latents, then all n labels.
    rng = np.random.default_rng(7)
    latents = sampling.sample_latents(103, 6, rng, truncation)
    labels = sampling.class_labels(103, num_classes, None, rng)
    after = rng.standard_normal(3)
    for batch_size in (1, 10, 103, 500):
        seeded = np.random.default_rng(7)
        batches = list(sampling.latent_batches(103, 6, batch_size, seeded, truncation, num_classes))
        assert max(len(b) for b, _ in batches) == min(batch_size, 103)
        np.testing.assert_array_equal(np.concatenate([b for b, _ in batches]), latents)
        if num_classes is None:
            assert all(b is None for _, b in batches)
        else:
            np.testing.assert_array_equal(np.concatenate([b for _, b in batches]), labels)
        # A Generator passed as the seed ends where one draw would leave it.
        np.testing.assert_array_equal(seeded.standard_normal(3), after)


@pytest.mark.neutral
def test_generate_keeps_memory_bounded_by_batch_size():
    # Issue 16: latents for all n were drawn up front, and the outputs copied
    # twice (a list, then a concatenation).
    latent_dim, n, batch_size = 512, 4000, 50
    inputs = keras.Input((latent_dim,))
    network = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    expected = network.predict(sampling.sample_latents(n, latent_dim, seed=2), verbose=0)
    sampling.generate(network, 60, seed=2, batch_size=batch_size)  # warm up the forward pass
    tracemalloc.start()
    try:
        samples = sampling.generate(network, n, seed=2, batch_size=batch_size)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_allclose(samples, expected, rtol=1e-5, atol=1e-5)
    # All the latents at once would take 8.2 MB; one batch takes 100 kB and
    # the result 16 kB.
    all_latents = n * latent_dim * 4
    assert peak < all_latents / 4, f"peak {peak / 1e6:.2f} MB"


@pytest.mark.neutral
def test_generate_refuses_a_result_larger_than_memory_and_writes_into_out(tmp_path, monkeypatch):
    generator = keras_gan_zoo.Generator(_tiny_generator())
    with deadline(20), pytest.raises(ValueError, match=r"needs 1\.6e\+04 GB .* out="):
        generator.generate(10**12, seed=0)
    # A conditional generator's labels come after all n latents in the stream:
    # refused before that pass.
    conditional = keras_gan_zoo.Generator(_conditional_generator(), num_classes=3)
    with deadline(20), pytest.raises(ValueError, match=r"needs 8e\+03 GB"):
        conditional.generate(10**12, seed=0)
    # With room for 100 bytes, 8 examples of 16 bytes do not fit in memory,
    # but go to disk through out=.
    expected = generator.generate(8, seed=3, batch_size=3)
    monkeypatch.setattr(sampling, "available_memory", lambda: 100)
    with pytest.raises(ValueError, match=r"generate\(n=8\).*more than the 1e-07 GB available"):
        generator.generate(8, seed=3)
    on_disk = np.lib.format.open_memmap(
        tmp_path / "x.npy", mode="w+", dtype="float32", shape=(8, 2, 2, 1)
    )
    assert generator.generate(8, seed=3, batch_size=3, out=on_disk) is on_disk
    del on_disk
    np.testing.assert_array_equal(np.load(tmp_path / "x.npy"), expected)
    with pytest.raises(ValueError, match=r"out must have shape \(8, 2, 2, 1\)"):
        generator.generate(8, seed=3, out=np.zeros((8, 3), "float32"))
    with pytest.raises(ValueError, match="out must hold the 8 examples"):
        generator.generate(8, seed=3, out=np.zeros((7, 2, 2, 1), "float32"))


@pytest.mark.neutral
def test_conditional_generate_keeps_the_stream_of_one_draw():
    # Evaluation draws latents then labels from one rng; generate must agree.
    generator = keras_gan_zoo.Generator(_conditional_generator(), num_classes=3)
    rng = np.random.default_rng(5)
    latents = sampling.sample_latents(40, 4, rng)
    labels = sampling.class_labels(40, 3, None, rng)
    expected = generator.generate(latents=latents, labels=labels)
    np.testing.assert_allclose(generator.generate(40, seed=5, batch_size=7), expected, atol=1e-6)


def _bad_argument_calls():
    tiny = keras_gan_zoo.Generator(_tiny_generator())
    network = tiny.network
    gan = keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=4)
    start = np.ones(4)
    return [
        (lambda: tiny.generate(2.5), r"n must be a positive integer; got 2\.5 \(float\)"),
        (lambda: tiny.generate("3"), r"n must be a positive integer; got '3' \(str\)"),
        (lambda: tiny.generate(0), "n must be a positive integer; got 0"),
        (lambda: tiny.generate(-1), "n must be a positive integer; got -1"),
        (lambda: tiny.generate(True), "n must be a positive integer; got True"),
        (lambda: tiny.generate(2, seed="abc"), "seed must be None, a non-negative integer"),
        (lambda: tiny.generate(2, seed=1.5), r"seed must .*got 1\.5"),
        (lambda: tiny.generate(2, seed=-1), "seed must .*non-negative.*got -1"),
        (lambda: tiny.generate(2, batch_size=0), "batch_size must be a positive integer; got 0"),
        (lambda: tiny.generate(2, batch_size=2.5), r"batch_size must be .*got 2\.5"),
        (lambda: tiny.generate(2, truncation=0), "truncation must be a positive finite"),
        (lambda: tiny.generate(2, truncation=-1.0), "truncation must be a positive finite"),
        (lambda: tiny.generate(2, truncation=float("nan")), "truncation .* got nan"),
        (lambda: tiny.generate(2, truncation=float("inf")), "truncation .* got inf"),
        (lambda: tiny.generate(2, truncation="0.5"), "truncation .* got '0.5'"),
        (lambda: tiny.generate(latents=np.ones((2, 5))), r"shape \(n, 4\).*got shape \(2, 5\)"),
        (lambda: tiny.generate(latents=np.ones(4)), r"non-empty \(n, 4\) array, got shape \(4,\)"),
        (lambda: tiny.generate(latents=np.ones((0, 4))), r"non-empty .*got shape \(0, 4\)"),
        (lambda: tiny.generate(latents=[[np.nan] * 4]), "latents must be finite; 4 values"),
        (lambda: tiny.generate(latents=[["a"] * 4]), "latents must be a numeric"),
        (lambda: tiny.generate(3, latents=np.ones((2, 4))), "n=3 differs from the 2 latent"),
        (lambda: tiny.generate(latents=np.ones((2, 4)), truncation=0.5), "does not apply"),
        (lambda: tiny.generate(2, labels=1), "unconditional; it takes no class labels"),
        (lambda: tiny.generate(), "Pass the number of examples n"),
        (lambda: sampling.generate("generator", 2), "generator must be a keras.Model"),
        (lambda: sampling.generate(network, 2, num_classes=0), "num_classes must be .* got 0"),
        (
            lambda: sampling.generate(network, 2, latent_dim=4.0),
            "latent_dim must be a positive integer; got 4.0",
        ),
        (lambda: sampling.sample_latents(2, 0), "latent_dim must be a positive integer; got 0"),
        (lambda: sampling.sample_latents(None, 4), "n must be a positive integer; got None"),
        (lambda: sampling.latent_batches(2, 4, batch_size=0), "batch_size must be"),
        (
            lambda: sampling.interpolate_latents(start, start, 1),
            "steps must be an integer >= 2; got 1",
        ),
        (lambda: sampling.interpolate_latents(start, start, 2.5), "steps must be .*got 2.5"),
        (lambda: sampling.interpolate_latents(start, start, 3, method=None), "'slerp' or"),
        (lambda: sampling.interpolate_latents(start, [np.inf] * 4, 3), "end must be finite"),
        (lambda: sampling.interpolate_latents([np.nan] * 4, start, 3), "start must be finite"),
        (lambda: sampling.interpolate_latents("ab", start, 3), "start and end must be numeric"),
        (lambda: tiny.interpolate(steps=1), "steps must be an integer >= 2; got 1"),
        (lambda: tiny.interpolate(start=np.ones(3)), "same size"),
        (lambda: tiny.interpolate(start=np.ones(3), end=np.ones(3)), "of size 4; got size 3"),
        (lambda: tiny.save_image_grid("x.png", n=0), "n must be a positive integer; got 0"),
        (lambda: tiny.save_image_grid("x.png", n=10**6), "too many for one PNG grid"),
        (lambda: gan.generate(2.5), r"n must be a positive integer; got 2\.5"),
        (lambda: gan.generate(2, seed="abc"), "seed must be None"),
        (lambda: gan.generate(2, batch_size=0), "batch_size must be a positive integer"),
    ]


@pytest.mark.neutral
def test_bad_arguments_are_named_with_what_was_expected(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # save_image_grid must write nothing
    for call, message in _bad_argument_calls():
        with pytest.raises(ValueError, match=message):
            call()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.neutral
def test_interpolation_from_the_origin_is_a_straight_line():
    # Issue 16: slerp divided by a zero norm and returned NaN.
    end = np.random.default_rng(0).standard_normal(8)
    zeros = np.zeros(8)
    for first, last in ((zeros, end), (end, zeros), (zeros, zeros), (1e-320 * end, end)):
        path = sampling.interpolate_latents(first, last, 5, "slerp")
        assert np.isfinite(path).all()
        np.testing.assert_allclose(path, sampling.interpolate_latents(first, last, 5, "lerp"))
    generator = keras_gan_zoo.Generator(_tiny_generator())
    frames = generator.interpolate(steps=4, seed=0, start=np.zeros(4))
    assert frames.shape == (4, 2, 2, 1) and np.isfinite(frames).all()


@pytest.mark.neutral
def test_conditional_interpolation_keeps_one_class_along_the_path():
    generator = keras_gan_zoo.Generator(_conditional_generator(), num_classes=3)
    classes = {
        tuple(np.round(generator.interpolate(steps=6, seed=seed)[:, 1]).astype(int))
        for seed in range(8)
    }
    assert all(len(set(path)) == 1 for path in classes)
    assert len({path[0] for path in classes}) > 1  # a seeded random class, not always 0
    np.testing.assert_allclose(generator.interpolate(steps=3, seed=0, labels=2)[:, 1], 2.0)


@pytest.mark.carried
def test_latent_arithmetic_decodes_the_signed_sum_of_group_means():
    # A linear generator: decoding commutes with the arithmetic, so it can be checked exactly.
    latents = keras.Input((4,))
    network = keras.Model(latents, keras.layers.Dense(3, use_bias=False)(latents))
    generator = keras_gan_zoo.Generator(network, data_range=None)
    rng = np.random.default_rng(0)
    a, b, c = (rng.standard_normal((k, 4)).astype("float32") for k in (3, 2, 4))
    result = generator.arithmetic([(1, a), (-1, b), (1, c)])
    expected = a.mean(0) - b.mean(0) + c.mean(0)
    np.testing.assert_allclose(result, network.predict(expected[None], verbose=0), atol=1e-5)
    # Variations: the first is the sum itself, the others jittered around it.
    varied = generator.arithmetic([(1, a)], n=4, jitter=0.5, seed=1)
    np.testing.assert_allclose(varied[:1], network.predict(a.mean(0)[None], verbose=0), atol=1e-5)
    assert varied.shape == (4, 3) and len(np.unique(varied[:, 0])) == 4
    with pytest.raises(ValueError, match="at least one"):
        generator.arithmetic([])
    with pytest.raises(ValueError, match=r"shape \(n, 4\)"):
        generator.arithmetic([(1, np.zeros((2, 5)))])


def _linear_conditional_generator(label_layer):
    """G(z, y) = W [z, entry(y)]: linear in what the label layer gives, so mixes can be checked."""
    latents = keras.Input((4,), name="latents")
    labels = keras.Input((), dtype="int32", name="labels")
    joined = keras.layers.Concatenate()([latents, label_layer(labels)])
    network = keras.Model([latents, labels], keras.layers.Dense(3, use_bias=False)(joined))
    return keras_gan_zoo.Generator(network, num_classes=5, data_range=None)


@pytest.mark.carried
@pytest.mark.parametrize(
    "label_layer",
    [lambda: keras.layers.Embedding(5, 2), lambda: keras_gan_zoo.layers.OneHot(5)],
    ids=["embedding", "one_hot"],
)
def test_class_interpolation_mixes_where_the_label_enters(label_layer):
    generator = _linear_conditional_generator(label_layer())
    rows = generator.interpolate_classes(1, 4, steps=5, rows=2, seed=3).reshape(2, 5, 3)
    # The ends are the classes' own samples of the row's latent...
    latents = generator.draw(2, 3, labels=1)["z"]
    for label, column in ((1, 0), (4, -1)):
        expected = generator.generate(latents=latents, labels=label)
        np.testing.assert_allclose(rows[:, column], expected, atol=1e-5)
    # ...and, the network being linear, step t is (1 - t) start + t end.
    t = np.linspace(0, 1, 5)[None, :, None]
    np.testing.assert_allclose(rows, (1 - t) * rows[:, :1] + t * rows[:, -1:], atol=1e-5)
    assert np.abs(rows[:, 2] - rows[:, 0]).max() > 1e-3


@pytest.mark.neutral
def test_class_interpolation_names_what_it_needs():
    generator = _linear_conditional_generator(keras.layers.Embedding(5, 2))
    with pytest.raises(ValueError, match=r"end must be a class, 0 to 4; got 5"):
        generator.interpolate_classes(0, 5)
    with pytest.raises(ValueError, match="steps"):
        generator.interpolate_classes(0, 1, steps=1)
    latents = keras.Input((4,))
    unconditional = keras_gan_zoo.Generator(keras.Model(latents, keras.layers.Dense(3)(latents)))
    with pytest.raises(ValueError, match="needs a conditional generator"):
        unconditional.interpolate_classes(0, 1)
