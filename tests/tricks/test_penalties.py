"""Gradient penalties: gradient norms against finite differences, and each penalty's formula."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gan_zoo import tricks
from keras_gan_zoo.engine import DISCRIMINATOR
from keras_gan_zoo.engine import GENERATOR
from keras_gan_zoo.tricks.penalties import random_interpolates

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried


class _Model:
    """The two things a penalty uses: D (packing included) and the step's seed."""

    def __init__(self, discriminate):
        self._discriminate = discriminate
        self.seed_generator = keras.random.SeedGenerator(0)

    def discriminate(self, data, batch=None):
        return self._discriminate(data)


def _numpy(tensor):
    return ops.convert_to_numpy(tensor)


def _critic():
    return keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(16, activation="tanh"), keras.layers.Dense(1)]
    )


def test_gradient_norms_match_finite_differences():
    critic = _critic()
    x = np.random.default_rng(0).normal(size=(5, 3))
    norms = _numpy(tricks.input_gradient_norms(critic, x.astype("float32")))
    # Central differences in float64 on the same weights.
    weights = [w.astype(np.float64) for w in critic.get_weights()]

    def critic_numpy(points):
        return np.tanh(points @ weights[0] + weights[1]) @ weights[2] + weights[3]

    step = 1e-5
    expected = []
    for point in x:
        gradient = [
            (critic_numpy(point + step * e)[0] - critic_numpy(point - step * e)[0]) / (2 * step)
            for e in np.eye(3)
        ]
        expected.append(np.linalg.norm(gradient))
    np.testing.assert_allclose(norms, expected, rtol=1e-4)


def test_interpolates_use_one_weight_per_example():
    real = np.ones((64, 4, 4, 3), np.float32)
    fake = -real
    interpolates = _numpy(random_interpolates(real, fake, keras.random.SeedGenerator(1)))
    per_example = interpolates.reshape(64, -1)
    # Every pixel of an example sits at the same point of its real-fake segment...
    np.testing.assert_allclose(per_example, per_example[:, :1] * np.ones((1, 48)), atol=1e-6)
    # ...and the weights differ between examples, spread over [0, 1].
    eps = (per_example[:, 0] + 1) / 2
    assert eps.min() >= 0 and eps.max() <= 1 and eps.std() > 0.2


def test_gradient_penalty_of_a_linear_critic():
    # A linear critic has gradient w everywhere: the penalty is weight * (|w| - 1)^2.
    w = np.array([[2.0], [1.0], [-2.0]], np.float32)

    def critic(x):
        return ops.matmul(x, w)

    real = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)
    fake = np.random.default_rng(1).normal(size=(8, 3)).astype(np.float32)
    penalty = tricks.GradientPenalty(weight=10.0).penalty(_Model(critic), DISCRIMINATOR, real, fake)
    assert _numpy(penalty["gp"]) == pytest.approx(10.0 * (3.0 - 1.0) ** 2, rel=1e-5)
    one_sided = tricks.GradientPenalty(one_sided=True, weight=1.0)
    shrunk = ops.convert_to_tensor(w / 6.0)  # norm 0.5 < 1: no one-sided penalty
    value = one_sided.penalty(_Model(lambda x: ops.matmul(x, shrunk)), DISCRIMINATOR, real, fake)[
        "gp"
    ]
    assert _numpy(value) == pytest.approx(0.0, abs=1e-6)
    assert tricks.GradientPenalty().penalty(_Model(critic), GENERATOR, real, fake) == {}


def test_r1_and_r2_penalties():
    # D(x) = |x|^2 / 2 has gradient x: R1 = gamma / 2 * E|x_real|^2, R2 the same on fakes.
    def critic(x):
        return 0.5 * ops.sum(ops.square(x), axis=1, keepdims=True)

    real = np.random.default_rng(0).normal(size=(8, 3)).astype(np.float32)
    fake = 3 * np.random.default_rng(1).normal(size=(8, 3)).astype(np.float32)
    model = _Model(critic)
    r1 = tricks.R1Penalty(gamma=4.0).penalty(model, DISCRIMINATOR, real, fake)["r1"]
    r2 = tricks.R2Penalty(gamma=4.0).penalty(model, DISCRIMINATOR, real, fake)["r2"]
    assert _numpy(r1) == pytest.approx(2.0 * np.mean(np.sum(real**2, axis=1)), rel=1e-5)
    assert _numpy(r2) == pytest.approx(2.0 * np.mean(np.sum(fake**2, axis=1)), rel=1e-5)


def test_dragan_penalty_perturbs_the_real_data_only():
    # D(x) = |x|^2 / 2: the gradient norm is |x_hat|; with real data at the
    # origin and no perturbation it is 0, so the penalty is weight * 1.
    def critic(x):
        return 0.5 * ops.sum(ops.square(x), axis=1, keepdims=True)

    real = np.zeros((8, 2), np.float32)
    fake = np.full((8, 2), 100.0, np.float32)  # far away: must not matter
    penalty = tricks.DRAGANPenalty(weight=3.0).penalty(_Model(critic), DISCRIMINATOR, real, fake)
    assert _numpy(penalty["dragan"]) == pytest.approx(3.0, rel=1e-4)
    # Constant real data has std 0 (over the whole batch, as in the reference
    # code), hence no perturbation: the norm is |(3, 3)|.
    real = np.full((8, 2), 3.0, np.float32)
    penalty = tricks.DRAGANPenalty(weight=1.0).penalty(_Model(critic), DISCRIMINATOR, real, fake)
    assert _numpy(penalty["dragan"]) == pytest.approx((np.sqrt(18.0) - 1.0) ** 2, rel=1e-4)


def test_penalty_weights_are_in_the_config():
    for trick in (
        tricks.GradientPenalty(weight=5.0, one_sided=True),
        tricks.DRAGANPenalty(weight=2.0),
        tricks.R1Penalty(gamma=0.5),
    ):
        restored = type(trick).from_config(trick.get_config())
        assert restored.get_config() == trick.get_config()
