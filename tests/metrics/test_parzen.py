"""parzen_log_likelihood: the Gaussian Parzen-window estimate of Goodfellow et al. 2014.

A direct per-point formula (differences, not the norm expansion; a plain
max-shifted log-sum-exp) checks the numbers to 1e-9, a single sample checks
the kernel against the Gaussian log-density written per dimension, and data
built so that validation and test prefer different sigmas shows which set
chooses it.
"""

import math

import numpy as np
import pytest

from keras_gan_zoo.metrics import parzen
from keras_gan_zoo.metrics import parzen_log_likelihood


def direct_log_likelihood(point, samples, sigma):
    """log p(point) from the definition, in [0, 1] units, one sample at a time."""
    exponents = [-float(np.sum((point - sample) ** 2)) / (2 * sigma**2) for sample in samples]
    largest = max(exponents)
    total = math.fsum(math.exp(value - largest) for value in exponents)
    dimensions = len(point)
    return (
        largest
        + math.log(total)
        - math.log(len(samples))
        - dimensions / 2 * math.log(2 * math.pi * sigma**2)
    )


@pytest.mark.neutral
def test_matches_the_direct_formula():
    rng = np.random.default_rng(1)
    samples = rng.uniform(-1, 1, (7, 3, 2))
    test = rng.uniform(-1, 1, (5, 3, 2))
    validation = rng.uniform(-1, 1, (4, 3, 2))
    # 0.01 makes every kernel term underflow a naive exp; 2.0 favours no sample.
    bandwidths = [0.01, 0.1, 0.3, 2.0]
    score = parzen_log_likelihood(samples, test, validation, bandwidths, batch_size=2)

    def unit(array):  # the [-1, 1] default data range, flattened and rescaled to [0, 1]
        return (array.reshape(len(array), -1) + 1) / 2

    expected_validation = [
        np.mean([direct_log_likelihood(x, unit(samples), sigma) for x in unit(validation)])
        for sigma in bandwidths
    ]
    np.testing.assert_allclose(score["validation_log_likelihood"], expected_validation, atol=1e-9)
    sigma = bandwidths[int(np.argmax(expected_validation))]
    assert score["sigma"] == sigma
    values = np.array([direct_log_likelihood(x, unit(samples), sigma) for x in unit(test)])
    assert score["log_likelihood"] == pytest.approx(values.mean(), abs=1e-9)
    assert score["standard_error"] == pytest.approx(values.std() / np.sqrt(5), abs=1e-9)
    assert np.all(np.isfinite(score["validation_log_likelihood"]))
    assert (score["n_samples"], score["n_test"], score["n_validation"]) == (7, 5, 4)
    assert score["dimensions"] == 6 and score["bandwidths"] == bandwidths


@pytest.mark.neutral
def test_one_sample_is_a_gaussian_density():
    rng = np.random.default_rng(2)
    sample = rng.uniform(0, 1, (1, 5))
    test = rng.uniform(0, 1, (6, 5))
    sigma = 0.3
    score = parzen_log_likelihood(sample, test, test, [sigma], data_range=(0, 1))
    # The log-density of N(sample, sigma^2 I), as a sum of 1-D normal log-densities.
    per_dimension = -((test - sample) ** 2) / (2 * sigma**2) - 0.5 * np.log(2 * np.pi * sigma**2)
    expected = per_dimension.sum(axis=1)
    assert score["log_likelihood"] == pytest.approx(expected.mean(), abs=1e-12)
    assert score["standard_error"] == pytest.approx(expected.std() / np.sqrt(6), abs=1e-12)
    # At the sample itself only the normalizer is left.
    at_center = parzen_log_likelihood(sample, np.repeat(sample, 2, 0), sample, [sigma], 1, (0, 1))
    assert at_center["log_likelihood"] == pytest.approx(-2.5 * np.log(2 * np.pi * sigma**2))
    assert at_center["standard_error"] == 0


@pytest.mark.neutral
def test_validation_chooses_the_bandwidth():
    rng = np.random.default_rng(3)
    samples = rng.uniform(0, 1, (20, 4))
    # Test points are samples (memorized: the smallest sigma fits them best);
    # validation points lie far from every sample (only a wide kernel reaches them).
    test = samples[:5]
    validation = np.clip(samples[:5] + 0.45 * np.sign(0.5 - samples[:5]), 0, 1)
    bandwidths = [0.02, 0.1, 0.5]
    score = parzen_log_likelihood(samples, test, validation, bandwidths, data_range=(0, 1))
    best = int(np.argmax(score["validation_log_likelihood"]))
    assert score["sigma"] == bandwidths[best] == 0.5
    # Each sigma alone gives the validation score listed for it.
    for sigma, listed in zip(bandwidths, score["validation_log_likelihood"]):
        alone = parzen_log_likelihood(samples, test, validation, [sigma], data_range=(0, 1))
        assert alone["validation_log_likelihood"] == [pytest.approx(listed, abs=1e-12)]
        if sigma == 0.5:
            assert score["log_likelihood"] == pytest.approx(alone["log_likelihood"], abs=1e-12)
        else:
            # The test set alone would have chosen a smaller sigma.
            assert alone["log_likelihood"] > score["log_likelihood"]


@pytest.mark.neutral
def test_pixels_are_rescaled_and_the_protocol_is_stated():
    rng = np.random.default_rng(4)
    pixels = rng.integers(0, 256, (30, 2, 2, 1)).astype("uint8")
    from_uint8 = parzen_log_likelihood(pixels[:10], pixels[10:20], pixels[20:], data_range=(0, 255))
    from_unit = parzen_log_likelihood(
        pixels[:10] / 255.0, pixels[10:20] / 255.0, pixels[20:] / 255.0, data_range=(0, 1)
    )
    assert from_uint8["log_likelihood"] == pytest.approx(from_unit["log_likelihood"], abs=1e-9)
    assert from_uint8["bandwidths"] == pytest.approx(list(np.logspace(-1, 0, 10)))
    protocol = from_uint8["protocol"]
    assert "10 generated samples" in protocol and "np.logspace(-1, 0, 10)" in protocol
    assert "rescaled from [0, 255] to [0, 1]" in protocol and "10 test images" in protocol
    assert f"sigma = {from_uint8['sigma']:.6g}" in protocol
    # The published numbers and the warning travel with the code.
    for quoted in ("225 +- 2", "132 +- 1.8", "Theis et al. 2016", "memorization"):
        assert quoted in parzen.__doc__


@pytest.mark.neutral
def test_bad_input_is_named():
    rng = np.random.default_rng(5)
    samples, test = rng.uniform(-1, 1, (4, 6)), rng.uniform(-1, 1, (3, 6))
    with pytest.raises(ValueError, match="test examples have 5 values"):
        parzen_log_likelihood(samples, test[:, :5], test)
    with pytest.raises(ValueError, match="validation examples have 12 values"):
        parzen_log_likelihood(samples, test, np.zeros((2, 2, 6)))
    for empty, name in ((np.zeros((0, 6)), "samples"), (np.zeros((3, 0)), "samples")):
        with pytest.raises(ValueError, match=f"{name} must be a non-empty"):
            parzen_log_likelihood(empty, test, test)
    with pytest.raises(ValueError, match="validation must be a non-empty"):
        parzen_log_likelihood(samples, test, [])
    with pytest.raises(ValueError, match="at least 2 test examples"):
        parzen_log_likelihood(samples, test[:1], test)
    for bad in (np.nan, np.inf):
        broken = test.copy()
        broken[1, 2] = bad
        with pytest.raises(ValueError, match="test contains NaN or infinite"):
            parzen_log_likelihood(samples, broken, test)
    with pytest.raises(ValueError, match="array of numbers"):
        parzen_log_likelihood(np.array([["a", "b"]]), test, test)
    # uint8 pixels with the default [-1, 1] range.
    with pytest.raises(ValueError, match=r"samples spans \[0, 255\], outside data_range"):
        parzen_log_likelihood(np.array([[0, 255]], "uint8"), test[:, :2], test[:, :2])
    for bandwidths, message in (
        ([], "bandwidths is empty"),
        ([0.1, 0.0], "positive and finite"),
        ([-0.1], "positive and finite"),
        ([np.nan], "positive and finite"),
        ([np.inf], "positive and finite"),
        (["wide"], "bandwidths must be numbers"),
    ):
        with pytest.raises(ValueError, match=message):
            parzen_log_likelihood(samples, test, test, bandwidths)
    for data_range in ((1, 1), (0, np.inf), (0,), "ab"):
        with pytest.raises(ValueError, match="data_range"):
            parzen_log_likelihood(samples, test, test, data_range=data_range)
    with pytest.raises(ValueError, match="batch_size"):
        parzen_log_likelihood(samples, test, test, batch_size=0)
