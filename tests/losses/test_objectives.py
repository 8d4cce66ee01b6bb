"""Every registered objective against its formula, computed independently in NumPy."""

import numpy as np
import pytest
from keras import ops

from keras_gan_zoo import losses

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried

RNG = np.random.default_rng(0)
REAL = RNG.normal(0.5, 1.2, size=(16, 1)).astype(np.float32)
FAKE = RNG.normal(-0.3, 0.9, size=(16, 1)).astype(np.float32)


def _value(tensor):
    return float(ops.convert_to_numpy(tensor))


def _softplus(x):
    return np.logaddexp(0.0, x.astype(np.float64))


def _relu(x):
    return np.maximum(x.astype(np.float64), 0.0)


def _check(name, d_expected, g_expected, real=REAL, fake=FAKE):
    loss = losses.get_adversarial_loss(name)
    assert _value(loss.discriminator_loss(real, fake)) == pytest.approx(d_expected, rel=1e-5)
    assert _value(loss.generator_loss(fake, real)) == pytest.approx(g_expected, rel=1e-5)


def test_wasserstein():
    # Critic maximizes E C(x) - E C(G(z)); G maximizes E C(G(z)).
    _check("wasserstein", FAKE.mean() - REAL.mean(), -FAKE.mean())


def test_least_squares_default_and_pearson_coding():
    r, f = REAL.astype(np.float64), FAKE.astype(np.float64)
    _check(
        "least_squares",
        0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(f**2),
        0.5 * np.mean((f - 1) ** 2),
    )
    pearson = losses.LeastSquaresLoss(a=-1, b=1, c=0)
    expected = 0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean((f + 1) ** 2)
    assert _value(pearson.discriminator_loss(REAL, FAKE)) == pytest.approx(expected, rel=1e-5)
    assert _value(pearson.generator_loss(FAKE)) == pytest.approx(0.5 * np.mean(f**2), rel=1e-5)
    assert pearson.decision_threshold == 0.0


def test_hinge():
    _check("hinge", np.mean(_relu(1 - REAL)) + np.mean(_relu(1 + FAKE)), -FAKE.mean())


def test_relativistic_average_losses():
    r, f = REAL.astype(np.float64), FAKE.astype(np.float64)
    real_scores, fake_scores = r - f.mean(), f - r.mean()
    # RaSGAN: -E log sigmoid(C(x) - E C(G(z))) - E log(1 - sigmoid(C(G(z)) - E C(x))).
    _check(
        "relativistic_average",
        np.mean(_softplus(-real_scores)) + np.mean(_softplus(fake_scores)),
        np.mean(_softplus(-fake_scores)) + np.mean(_softplus(real_scores)),
    )
    _check(
        "relativistic_average_least_squares",
        np.mean((real_scores - 1) ** 2) + np.mean((fake_scores + 1) ** 2),
        np.mean((fake_scores - 1) ** 2) + np.mean((real_scores + 1) ** 2),
    )
    _check(
        "relativistic_average_hinge",
        np.mean(_relu(1 - real_scores)) + np.mean(_relu(1 + fake_scores)),
        np.mean(_relu(1 - fake_scores)) + np.mean(_relu(1 + real_scores)),
    )
    with pytest.raises(ValueError, match="real data"):
        losses.get_adversarial_loss("relativistic_average").generator_loss(FAKE)


# Nowozin et al., Table 2: output activation g_f and conjugate f*, as printed there.
F_GAN_TABLE = {
    "kl": (lambda v: v, lambda t: np.exp(t - 1)),
    "reverse_kl": (lambda v: -np.exp(-v), lambda t: -1 - np.log(-t)),
    "pearson": (lambda v: v, lambda t: t**2 / 4 + t),
    "squared_hellinger": (lambda v: 1 - np.exp(-v), lambda t: t / (1 - t)),
    "jensen_shannon": (
        lambda v: np.log(2) - np.log(1 + np.exp(-v)),
        lambda t: -np.log(2 - np.exp(t)),
    ),
    "gan": (lambda v: -np.log(1 + np.exp(-v)), lambda t: -np.log(1 - np.exp(t))),
}


@pytest.mark.parametrize("divergence", sorted(F_GAN_TABLE))
def test_f_gan_objectives_follow_the_paper_table(divergence):
    activation, conjugate = F_GAN_TABLE[divergence]
    r, f = REAL.astype(np.float64), FAKE.astype(np.float64)
    bound = np.mean(activation(r)) - np.mean(conjugate(activation(f)))
    _check(f"f_{divergence}", -bound, -np.mean(activation(f)))


@pytest.mark.parametrize("divergence", sorted(F_GAN_TABLE))
def test_f_gan_decision_threshold_is_where_t_equals_f_prime_of_one(divergence):
    # Table 6 of the paper: f'(1), the value of T where D cannot tell P from Q.
    f_prime_at_one = {
        "kl": 1.0,
        "reverse_kl": -1.0,
        "pearson": 0.0,
        "squared_hellinger": 0.0,
        "jensen_shannon": 0.0,
        "gan": -np.log(2),
    }[divergence]
    loss = losses.get_adversarial_loss(f"f_{divergence}")
    activation, _ = F_GAN_TABLE[divergence]
    assert activation(np.float64(loss.decision_threshold)) == pytest.approx(
        f_prime_at_one, abs=1e-12
    )


def test_f_gan_bound_is_finite_for_large_outputs():
    extreme = np.array([[-40.0], [40.0]], np.float32)
    for name in ("f_gan", "f_jensen_shannon", "f_reverse_kl"):
        loss = losses.get_adversarial_loss(name)
        assert np.isfinite(_value(loss.discriminator_loss(extreme, extreme)))
        assert np.isfinite(_value(loss.generator_loss(extreme)))


def test_jensen_shannon_bound_at_the_optimum_is_the_divergence():
    # For two discrete distributions the optimal T is f'(p/q); the bound then
    # equals D_f(P || Q) = 2 JS(P || Q) in the paper's scaling (Table 1).
    p = np.array([0.5, 0.3, 0.2])
    q = np.array([0.2, 0.2, 0.6])
    ratio = p / q
    # f'(u) = log(2u / (1 + u)); v from T = log 2 - log(1 + exp(-v)).
    t_optimal = np.log(2 * ratio / (1 + ratio))
    v = -np.log(2 / np.exp(t_optimal) - 1)
    loss = losses.get_adversarial_loss("f_jensen_shannon")
    # Expectations as weighted sums: repeat each atom in proportion to its mass.
    real = np.repeat(v, (p * 1000).astype(int))[:, None].astype(np.float32)
    fake = np.repeat(v, (q * 1000).astype(int))[:, None].astype(np.float32)
    m = (p + q) / 2
    js = 0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m))
    assert -_value(loss.discriminator_loss(real, fake)) == pytest.approx(2 * js, rel=1e-4)


def test_names_are_all_listed():
    names = losses.adversarial_loss_names()
    for name in ("wasserstein", "least_squares", "hinge", "relativistic_average", "f_kl"):
        assert name in names
    assert losses.get_adversarial_loss("wasserstein").decision_threshold is None
