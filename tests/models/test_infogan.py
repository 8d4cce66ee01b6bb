"""InfoGAN's information term against NumPy formulas (float64), and its codes at sampling time.

Parity (tests/test_parity.py) carries InfoGAN's steps to the other backends;
its learning test is tests/models/test_infogan_learning.py.
"""

from pathlib import Path

import numpy as np
import pytest
from keras import ops

import keras_gan_zoo
from keras_gan_zoo import losses
from keras_gan_zoo.engine import DISCRIMINATOR
from keras_gan_zoo.engine import GENERATOR
from keras_gan_zoo.engine import Batch
from keras_gan_zoo.models.registry import get_model_entry

pytestmark = pytest.mark.carried


def _value(tensor):
    return float(ops.convert_to_numpy(tensor))


def _log_softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _gaussian_nll(values, means, log_stddevs):
    z = (values - means) / np.exp(log_stddevs)
    return np.mean(np.sum(0.5 * z**2 + log_stddevs + 0.5 * np.log(2 * np.pi), axis=1))


def _draws(n=6, seed=0):
    rng = np.random.default_rng(seed)
    logits = (3.0 * rng.standard_normal((n, 3 + 4))).astype("float32")
    codes = [rng.integers(3, size=n).astype("int32"), rng.integers(4, size=n).astype("int32")]
    values = rng.uniform(-1, 1, (n, 2)).astype("float32")
    means = rng.standard_normal((n, 2)).astype("float32")
    log_stddevs = (0.3 * rng.standard_normal((n, 2))).astype("float32")
    return logits, codes, values, means, log_stddevs


def test_categorical_code_loss_is_one_log_softmax_per_code():
    logits, codes, *_ = _draws()
    wide = logits.astype(np.float64)
    rows = np.arange(len(logits))
    expected = -np.mean(_log_softmax(wide[:, :3])[rows, codes[0]]) - np.mean(
        _log_softmax(wide[:, 3:])[rows, codes[1]]
    )
    got = _value(losses.categorical_code_loss(codes, logits, (3, 4)))
    assert got == pytest.approx(expected, rel=1e-5)
    # One softmax over all 7 logits (the codes not split) is another value.
    joint = -np.mean(_log_softmax(wide)[rows, codes[0]]) - np.mean(
        _log_softmax(wide)[rows, 3 + codes[1]]
    )
    assert abs(joint - expected) > 0.1
    # A second softmax (on probabilities) is another value too.
    probabilities = np.exp(_log_softmax(wide)).astype("float32")
    assert abs(_value(losses.categorical_code_loss(codes, probabilities, (3, 4))) - expected) > 0.1


def test_continuous_code_loss_is_the_gaussian_negative_log_likelihood():
    _, _, values, means, log_stddevs = _draws()
    v, m, s = (a.astype(np.float64) for a in (values, means, log_stddevs))
    learned = _value(losses.continuous_code_loss(values, means, log_stddevs))
    assert learned == pytest.approx(_gaussian_nll(v, m, s), rel=1e-5)
    fixed = _value(losses.continuous_code_loss(values, means))
    assert fixed == pytest.approx(_gaussian_nll(v, m, np.zeros_like(s)), rel=1e-5)
    # Entropies of the priors: uniform categories, uniform on [-1, 1].
    assert losses.categorical_entropy((3, 4)) == pytest.approx(np.log(12))
    assert losses.continuous_entropy(2) == pytest.approx(2 * np.log(2))


@pytest.mark.parametrize("learned_variance", [False, True])
def test_head_objective_weights_each_term_and_logs_the_bound(learned_variance):
    logits, codes, values, means, log_stddevs = _draws(seed=1)
    model = keras_gan_zoo.InfoGAN(
        data_shape=(16, 16, 1),
        latent_dim=8,
        categorical_codes=(3, 4),
        continuous_codes=2,
        categorical_weight=0.7,
        continuous_weight=0.2,
        learned_variance=learned_variance,
        generator=keras_gan_zoo.networks.infogan_generator(8 + 9, (16, 16, 1), 8, 16),
        discriminator=keras_gan_zoo.networks.infogan_discriminator(
            (16, 16, 1), (3, 4), 2, learned_variance, filters=8, dense_units=16, q_units=8
        ),
    )
    heads = [logits, means] + ([log_stddevs] if learned_variance else [])
    batch = Batch(np.zeros((6, 16, 16, 1), "float32"))
    batch.latents = {"z": None, "categorical": codes, "continuous": values}
    categorical = _value(losses.categorical_code_loss(codes, logits, (3, 4)))
    continuous = _value(
        losses.continuous_code_loss(values, means, log_stddevs if learned_variance else None)
    )
    for role, real_heads in ((DISCRIMINATOR, heads), (GENERATOR, None)):
        loss, logs = model.head_objective(role, real_heads, heads, batch)
        assert _value(loss) == pytest.approx(0.7 * categorical + 0.2 * continuous, rel=1e-5)
        bound = _value(logs["categorical_information"])
        assert bound == pytest.approx(np.log(12) - categorical, rel=1e-5)
        bound = _value(logs["continuous_information"])
        assert bound == pytest.approx(2 * np.log(2) - continuous, rel=1e-5, abs=1e-6)


@pytest.fixture(scope="module")
def generator():
    """The tiny InfoGAN's sampler (codes c1: 4 categories, c2 and c3 continuous)."""
    return get_model_entry("infogan").build_tiny().sampler()


def _network_outputs(generator, draw):
    return ops.convert_to_numpy(generator.network(generator.prior.network_inputs(draw)))


def test_generate_puts_the_codes_asked_for_into_the_network(generator):
    assert generator.code_names == ["c1", "c2", "c3"]
    got = generator.generate(5, seed=3, codes={"c1": 2, "c3": [0.5, -1, 0, 1, 1.5]})
    draw = generator.prior.sample_numpy(5, 3)
    draw["categorical"][0] = np.full(5, 2, "int32")
    draw["continuous"][:, 1] = [0.5, -1, 0, 1, 1.5]
    np.testing.assert_allclose(got, _network_outputs(generator, draw), atol=1e-6)
    # Unfixed codes and the noise come from the seed; the fixed code changes the images.
    assert not np.allclose(got, generator.generate(5, seed=3, codes={"c1": 1}))
    np.testing.assert_array_equal(generator.generate(5, seed=3), generator.generate(5, seed=3))


def test_traverse_sweeps_one_code_and_keeps_the_rest_of_each_row(generator):
    images = generator.traverse("c2", rows=3, seed=4, span=(-2, 2), steps=5)
    assert images.shape == (15, 16, 16, 1)
    draw = generator.prior.sample_numpy(3, 4)
    row = {
        "z": np.repeat(draw["z"], 5, axis=0),
        "categorical": [np.repeat(c, 5) for c in draw["categorical"]],
        "continuous": np.repeat(draw["continuous"], 5, axis=0),
    }
    row["continuous"][:, 0] = np.tile(np.linspace(-2, 2, 5), 3)
    np.testing.assert_allclose(images, _network_outputs(generator, row), atol=1e-6)
    categories = generator.traverse("c1", rows=2, seed=4)
    assert categories.shape == (2 * 4, 16, 16, 1)
    np.testing.assert_array_equal(generator.code_values("c1"), [0, 1, 2, 3])


@pytest.mark.parametrize(
    "codes, message",
    [
        ({"c9": 1}, "Unknown latent code 'c9'; this generator's codes: c1, c2, c3"),
        ({"c1": 4}, "Code c1 has 4 categories, 0 to 3"),
        ({"c1": 1.5}, "Code c1 is categorical"),
        ({"c2": [0.1, 0.2]}, "Code c2: give one number or 3"),
        ({"c3": float("nan")}, "Code c3 must be finite"),
        ([("c1", 1)], "codes must be a dict"),
    ],
)
def test_bad_codes_are_named(generator, codes, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        generator.generate(3, codes=codes)


def test_a_model_without_codes_refuses_them():
    sampler = get_model_entry("gan").build_tiny().sampler()
    assert sampler.code_names == []
    with pytest.raises(ValueError, match="this generator's codes: none"):
        sampler.generate(2, codes={"c1": 0})


def test_predict_codes_reads_q():
    model = get_model_entry("infogan").build_tiny()
    images = np.random.default_rng(0).uniform(-1, 1, (7, 16, 16, 1)).astype("float32")
    codes = model.predict_codes(images)
    source, logits, means = (ops.convert_to_numpy(o) for o in model.discriminator(images))
    np.testing.assert_array_equal(codes["c1"], logits.argmax(axis=1))
    np.testing.assert_allclose(np.stack([codes["c2"], codes["c3"]], 1), means, atol=1e-6)


def test_sample_grids_and_evaluation_draw_the_codes_as_generate_does(tmp_path, generator):
    model = get_model_entry("infogan").build_tiny()
    grid = keras_gan_zoo.callbacks.SampleGrid(tmp_path, num_images=8)
    grid.set_model(model)
    grid.on_train_begin()
    # One row per category of c1; the codes stay fixed from grid to grid.
    np.testing.assert_array_equal(grid.codes["c1"], [0, 0, 1, 1, 2, 2, 3, 3])
    first, second = grid.write("a.png", 1), grid.write("b.png", 2)
    assert Path(first).read_bytes() == Path(second).read_bytes()
    # Evaluation's batches are generate(n, seed)'s samples, codes included.
    batches = keras_gan_zoo.metrics.evaluation.image_batches(generator, n=5, batch_size=2, seed=3)
    np.testing.assert_allclose(
        np.concatenate(list(batches)), generator.generate(5, seed=3), atol=1e-6
    )
    np.testing.assert_allclose(
        keras_gan_zoo.generate(generator, 5, seed=3), generator.generate(5, seed=3), atol=1e-6
    )
