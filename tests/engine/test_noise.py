"""The latent distributions: the step's draws and the host's follow the same law."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gan_zoo.engine import noise

N = 20_000


def _step_draws(name, dim):
    return ops.convert_to_numpy(
        noise.get_noise(name).sample((N, dim), keras.random.SeedGenerator(0))
    )


def _host_draws(name, dim):
    return noise.get_noise(name).sample_numpy(np.random.default_rng(0), N, dim)


@pytest.mark.parametrize("name", sorted(noise.NOISES))
def test_step_and_host_draws_agree_in_distribution(name):
    dim = 2
    step, host = _step_draws(name, dim), _host_draws(name, dim)
    assert step.shape == host.shape == (N, dim) and host.dtype == np.float32
    # Quantiles of the radius agree (20,000 draws each); of each coordinate too,
    # where the law is unimodal (a mixture's median can fall in either gap).
    quantiles = np.linspace(0.05, 0.95, 7)
    pairs = [(np.linalg.norm(step, axis=1), np.linalg.norm(host, axis=1))]
    if name in ("normal", "uniform"):
        pairs += list(zip(step.T, host.T))
    for a, b in pairs:
        np.testing.assert_allclose(np.quantile(a, quantiles), np.quantile(b, quantiles), atol=0.08)
    if name == "gaussian_mixture":
        # Each of the ten components gets a tenth of the draws, in both.
        for draws in (step, host):
            angles = np.mod(np.arctan2(draws[:, 1], draws[:, 0]), 2 * np.pi)
            components = np.round(angles / (2 * np.pi / 10)).astype(int) % 10
            np.testing.assert_allclose(np.bincount(components) / N, np.full(10, 0.1), atol=0.01)


def test_each_distribution_has_its_shape():
    uniform = _host_draws("uniform", 3)
    assert uniform.min() >= -1 and uniform.max() <= 1 and abs(uniform.mean()) < 0.02
    mixture = _host_draws("gaussian_mixture", 2)
    angles = np.mod(np.arctan2(mixture[:, 1], mixture[:, 0]), 2 * np.pi)
    # Ten components at multiples of 36 degrees: the angles cluster there.
    offsets = np.mod(angles, 2 * np.pi / 10)
    offsets = np.minimum(offsets, 2 * np.pi / 10 - offsets)
    assert np.median(offsets) < 0.06
    assert np.median(np.linalg.norm(mixture, axis=1)) == pytest.approx(2.0, abs=0.05)
    roll = _host_draws("swiss_roll", 2)
    radius = np.linalg.norm(roll, axis=1)
    assert radius.max() < 3.3
    # On the spiral, the radius grows with the angle: radius / RADIUS * 3 pi = angle (mod 2 pi).
    spiral_angle = np.mod(radius / 3.0 * 3 * np.pi, 2 * np.pi)
    angle = np.mod(np.arctan2(roll[:, 1], roll[:, 0]), 2 * np.pi)
    gap = np.abs(np.angle(np.exp(1j * (spiral_angle - angle))))
    # Radial noise of 0.05 moves the predicted angle by pi * 0.05 at most typically.
    assert np.median(gap[radius > 1.0]) < 0.25


def test_bad_names_and_sizes_are_named():
    with pytest.raises(ValueError, match="Unknown latent distribution 'cauchy'"):
        noise.get_noise("cauchy")
    with pytest.raises(
        ValueError, match="'swiss_roll' latent distribution is defined for codes of size 2"
    ):
        noise.get_noise("swiss_roll").check_dim(3)
