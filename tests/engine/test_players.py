"""Players over several networks, update intervals, moving averages, and the latent prior."""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gan_zoo
from keras_gan_zoo import sampling
from keras_gan_zoo.engine import DISCRIMINATOR
from keras_gan_zoo.engine import GENERATOR
from keras_gan_zoo.engine import AdversarialModel
from keras_gan_zoo.engine import LatentPrior
from keras_gan_zoo.engine import Player


def _scalar_network(name):
    return keras.Sequential(
        [keras.Input((1,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")],
        name=name,
    )


class _Counters(AdversarialModel):
    """Three networks: `every` steps each train step; `lazy` and `pair` (two
    networks, one optimizer) every third step. Each loss is the sum of the
    kernels, so one SGD(1) update lowers each kernel by exactly 1."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.every = _scalar_network("every")
        self.lazy = _scalar_network("lazy")
        self.first = _scalar_network("first")
        self.second = _scalar_network("second")
        self.built = True

    @property
    def data_shape(self):
        return (1,)

    def default_optimizer(self, prefix):
        return keras.optimizers.SGD(1.0)

    def players(self):
        def loss(*networks):
            return lambda batch: (sum(ops.sum(n.trainable_variables[0]) for n in networks), {})

        return [
            Player("e", self.every, loss(self.every), role=DISCRIMINATOR),
            Player("l", self.lazy, loss(self.lazy), role=DISCRIMINATOR, interval=3),
            Player(
                "p",
                (self.first, self.second),
                loss(self.first, self.second),
                role=GENERATOR,
                interval=3,
            ),
        ]


def _kernel(network):
    return float(ops.convert_to_numpy(network.trainable_variables[0]).ravel()[0])


def test_a_player_with_an_interval_updates_on_the_steps_it_selects_only():
    model = _Counters()
    model.compile()
    history = model.fit(np.zeros((7, 1), "float32"), batch_size=1, epochs=1, verbose=0)
    # Seven steps: the lazy players update on steps 0, 3 and 6.
    assert _kernel(model.every) == -7.0
    assert _kernel(model.lazy) == -3.0
    assert _kernel(model.first) == -3.0 and _kernel(model.second) == -3.0
    assert int(ops.convert_to_numpy(model.l_optimizer.iterations)) == 3
    # Its logged loss is the mean over its own updates (0, -1, -2 before each), not all steps.
    assert history.history["l_loss"][-1] == pytest.approx(-1.0)
    assert history.history["p_loss"][-1] == pytest.approx(-2.0)


def test_player_arguments_are_checked():
    network = _scalar_network("n")
    with pytest.raises(ValueError, match="role must be one of"):
        Player("d", network, lambda batch: 0.0, role="critic")
    with pytest.raises(ValueError, match="interval"):
        Player("d", network, lambda batch: 0.0, interval=0)
    with pytest.raises(AttributeError, match="updates 2 networks"):
        _ = Player("g", (network, _scalar_network("m")), lambda batch: 0.0).network


def test_the_generator_average_follows_g_and_is_what_sampling_uses(tmp_path):
    points = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    gan = keras_gan_zoo.GAN(
        data_shape=(2,), data_range=None, latent_dim=2, generator_ema=0.5, seed=0
    )
    gan.compile()
    averaged = [np.array(w) for w in gan.generator.get_weights()]
    # One step per fit() call: the JAX trainer holds the weights outside the
    # variables during fit, so they are read between calls.
    for start in range(0, 64, 16):
        gan.fit(points[start : start + 16], batch_size=16, epochs=1, verbose=0)
        for index, weight in enumerate(gan.generator.get_weights()):
            averaged[index] = 0.5 * averaged[index] + 0.5 * weight
    average = gan.generator_average.average
    for expected, actual in zip(averaged, average.get_weights()):
        np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)
    # Sampling uses the average, not the raw generator.
    assert gan.sampler().network is average
    latents = sampling.sample_latents(8, 2, seed=1)
    np.testing.assert_allclose(
        gan.generate(8, seed=1), ops.convert_to_numpy(average(latents)), atol=1e-6
    )
    assert not np.allclose(gan.generate(8, seed=1), ops.convert_to_numpy(gan.generator(latents)))
    # Saved and loaded with the model.
    path = str(tmp_path / "gan.keras")
    gan.save(path)
    loaded = keras.saving.load_model(path)
    for expected, actual in zip(
        average.get_weights(), loaded.generator_average.average.get_weights()
    ):
        np.testing.assert_array_equal(actual, expected)
    assert loaded.generator_ema == 0.5


@pytest.mark.neutral
def test_the_prior_draws_on_the_host_what_sampling_draws():
    prior = LatentPrior(6, num_classes=4, categorical_codes=(3,), continuous_codes=2)
    draw = prior.sample_numpy(10, seed=5)
    rng = np.random.default_rng(5)
    np.testing.assert_array_equal(draw["z"], sampling.sample_latents(10, 6, rng))
    np.testing.assert_array_equal(draw["labels"], sampling.class_labels(10, 4, None, rng))
    assert draw["categorical"][0].shape == (10,) and draw["categorical"][0].max() < 3
    assert draw["continuous"].shape == (10, 2) and np.abs(draw["continuous"]).max() <= 1
    latent, labels = prior.network_inputs(draw)
    assert tuple(latent.shape) == (10, 6 + 3 + 2) and prior.input_dim == 11
    np.testing.assert_array_equal(ops.convert_to_numpy(labels), draw["labels"])
    # Asked-for labels are used as given.
    np.testing.assert_array_equal(prior.sample_numpy(3, seed=0, labels=2)["labels"], [2, 2, 2])


def test_the_prior_draws_in_the_step_with_the_seed_generator():
    prior = LatentPrior(5, num_classes=3)
    seed = keras.random.SeedGenerator(0)
    draw = prior.sample(16, seed)
    assert tuple(draw["z"].shape) == (16, 5)
    labels = ops.convert_to_numpy(draw["labels"])
    assert labels.dtype == np.int32 and labels.min() >= 0 and labels.max() < 3
    given = ops.convert_to_tensor(np.arange(16, dtype="int32") % 3)
    assert prior.sample(16, seed, labels=given)["labels"] is given
    # Without labels or codes the noise is exactly keras.random.normal's first draw.
    unconditional = LatentPrior(5).sample(4, keras.random.SeedGenerator(7))
    np.testing.assert_array_equal(
        ops.convert_to_numpy(unconditional["z"]),
        ops.convert_to_numpy(keras.random.normal((4, 5), seed=keras.random.SeedGenerator(7))),
    )
