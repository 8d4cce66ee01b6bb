"""The quality measures the presets are scored with: mixture quality and DigitJudge."""

import numpy as np
import pytest

from keras_gan_zoo import datasets
from keras_gan_zoo.metrics import mixture_quality

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried


def test_ring8_has_eight_distinct_modes_on_the_unit_circle():
    means, std = datasets.mixture_parameters("ring8")
    assert means.shape == (8, 2) and std == 0.01
    np.testing.assert_allclose(np.linalg.norm(means, axis=1), 1.0)
    gaps = np.linalg.norm(means[:, None] - means[None], axis=-1) + np.eye(8)
    assert gaps.min() > 0.7  # no duplicated endpoint (linspace with endpoint=True would)
    points, modes = datasets.mixture_of_gaussians("ring8", 8000, seed=0)
    assert points.dtype == np.float32 and np.bincount(modes).min() > 900
    np.testing.assert_allclose((points - means[modes]).std(), 0.01, rtol=0.05)


def test_real_data_scores_as_the_protocol_predicts():
    for name, modes in (("ring8", 8), ("grid25", 25)):
        points, _ = datasets.mixture_of_gaussians(name, 2500, seed=1)
        quality = mixture_quality(points, name)
        assert quality["modes"] == modes
        # Within 3 std in 2D: P(chi2 with 2 dof < 9) = 1 - exp(-4.5) = 0.989.
        assert quality["high_quality"] == pytest.approx(0.989, abs=0.01)
        assert quality["reverse_kl"] < 0.02


def test_collapse_and_garbage_score_as_such():
    means, _ = datasets.mixture_parameters("ring8")
    collapsed = mixture_quality(np.repeat(means[:1], 100, axis=0), "ring8")
    assert collapsed["modes"] == 1 and collapsed["high_quality"] == 1.0
    assert collapsed["reverse_kl"] == pytest.approx(np.log(8))
    # Halfway between two means: near nothing.
    between = mixture_quality(np.zeros((100, 2)), "ring8")
    assert between == {"modes": 0, "high_quality": 0.0, "reverse_kl": float("inf")}
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        mixture_quality(np.zeros((10, 3)), "ring8")
    with pytest.raises(ValueError, match="NaN"):
        mixture_quality(np.full((10, 2), np.nan), "ring8")
    with pytest.raises(ValueError, match="Unknown mixture"):
        mixture_quality(np.zeros((10, 2)), "ring9")


def test_digit_judge_tells_digits_from_junk(mnist, digit_judge):
    images, _ = mnist
    real = images[:2000, ..., None].astype("float32") / 127.5 - 1.0
    score = digit_judge.score(real)
    # The session's judge is fitted on the test images themselves (cheaper);
    # the reported protocol's judge, fitted on the 60,000 training images,
    # recognizes 0.780 of the test images (REAL_TEST_RECOGNIZED): 0.75 holds for both.
    assert score["recognized"] > 0.75 and score["digits_present"] == 10
    noise = np.random.default_rng(0).uniform(-1, 1, (500, 28, 28, 1))
    assert digit_judge.score(noise)["recognized"] == 0.0
    assert digit_judge.score(np.full((50, 28, 28, 1), -1.0))["recognized"] == 0.0
