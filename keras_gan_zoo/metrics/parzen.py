"""Gaussian Parzen-window log-likelihood: the MNIST likelihood numbers of the first GAN papers.

A kernel density with an isotropic Gaussian kernel of width sigma is centred
on each of N generated samples (flattened to d dimensions, pixels in
[0, 1]), so a real image x gets

    log p(x) = logsumexp_i(-||x - s_i||^2 / (2 sigma^2)) - log N - d/2 log(2 pi sigma^2).

sigma is chosen from a grid by the mean log-likelihood of a validation split
of real data, and the score is the mean log-likelihood of the test set under
that sigma, in nats, with its standard error std / sqrt(n). This is the
protocol of Goodfellow et al. 2014 (https://arxiv.org/abs/1406.2661, Table 1)
and Mirza & Osindero 2014 (https://arxiv.org/abs/1411.1784, Table 1), whose
code (goodfeli/adversarial, parzen_ll.py) fits 10,000 samples, tries
np.logspace(-1, 0, 10) on the first 1,000 of MNIST training images
50,000-59,999 and scores the 10,000 test images. Their published MNIST
numbers, in nats with pixels in [0, 1]:

    GAN   225 +- 2    (Goodfellow et al. 2014)
    CGAN  132 +- 1.8  (Mirza & Osindero 2014)

A weak metric, reported here only to compare with those tables. In 784
dimensions the estimate has high variance and is far from the true
log-likelihood even with millions of samples; it rewards memorization (a
model that returns its training images scores well) and can rank models
opposite to sample quality (Theis et al. 2016, "A note on the evaluation of
generative models", https://arxiv.org/abs/1511.01844). Goodfellow et al.
said as much: it "has somewhat high variance and does not perform well in
high dimensional spaces". Prefer FID or a classifier-based score for
anything but reproducing those tables.

Everything runs on the host in float64. Squared distances come from
||x||^2 + ||s||^2 - 2 x.s, one block of test rows against all samples at a
time, and serve every sigma of the grid at once; the log-sum-exp subtracts
each row's maximum, so no exponential overflows or underflows to a wrong
value.
"""

import numpy as np

from keras_gan_zoo.metrics import _data_range
from keras_gan_zoo.utils import arguments

PROTOCOL = (
    "Gaussian Parzen-window log-likelihood (Goodfellow et al. 2014): an isotropic Gaussian "
    "kernel on each of {samples:,} generated samples, flattened to {dimensions:,} dimensions "
    "and rescaled from [{low:g}, {high:g}] to [0, 1]; sigma chosen from {grid} by the mean "
    "log-likelihood of {validation:,} validation images (sigma = {sigma:.6g}); the mean "
    "log-likelihood of {test:,} test images in nats, +- its standard error (std / sqrt(n)); "
    "float64"
)

# The grid of Goodfellow et al.'s parzen_ll.py.
DEFAULT_BANDWIDTHS = tuple(np.logspace(-1, 0, 10))


def parzen_log_likelihood(
    samples, test, validation, bandwidths=None, batch_size=500, data_range=(-1, 1)
):
    """The Parzen-window log-likelihood of a test set under generated samples.

    See the module docstring for the estimate, its protocol and why it is a
    weak metric.

    Args:
        samples: generated examples, (N, ...) numbers in `data_range`; each
            is flattened to d values.
        test: real test examples (n, ...) with the same d; n >= 2.
        validation: real examples (v, ...) that choose sigma; keep them
            apart from `test` (the papers used MNIST training images
            50,000-59,999).
        bandwidths: the sigmas to try, positive and finite, in [0, 1] pixel
            units; default `DEFAULT_BANDWIDTHS`, np.logspace(-1, 0, 10).
        batch_size: test or validation rows per block. A block holds a
            (batch_size, N) float64 distance matrix: 40 MB for the default
            500 rows against 10,000 samples.
        data_range: (low, high), the range of the pixels in all three arrays;
            they are rescaled to [0, 1], the papers' range. The zoo's images
            are in [-1, 1], the default; pass (0, 255) for uint8 pixels.

    Returns:
        A dict: "log_likelihood" (the test set's mean, nats), "standard_error"
        (std / sqrt(n), NumPy's std as in parzen_ll.py), "sigma" (the chosen
        bandwidth), "bandwidths" and "validation_log_likelihood" (lists: the
        grid and each sigma's validation mean), "n_samples", "n_test",
        "n_validation", "dimensions" and "protocol".

    Raises:
        ValueError: an array is empty, not numeric, non-finite or outside
            `data_range`; the arrays differ in d; fewer than 2 test
            examples; a bandwidth not positive and finite; a bad batch size
            or data range.
    """
    batch_size = arguments.check_int(batch_size, "batch_size", minimum=1)
    low, high = _data_range.check_data_range(data_range)
    samples = _flattened(samples, "samples", low, high)
    test = _flattened(test, "test", low, high)
    validation = _flattened(validation, "validation", low, high)
    dimensions = samples.shape[1]
    for name, array in (("test", test), ("validation", validation)):
        if array.shape[1] != dimensions:
            raise ValueError(
                f"{name} examples have {array.shape[1]:,} values each and the samples "
                f"{dimensions:,}; they must be the same kind of example."
            )
    if len(test) < 2:
        raise ValueError(f"A standard error needs at least 2 test examples; got {len(test)}.")
    bandwidths = _checked_bandwidths(bandwidths)

    validation_means = _log_likelihoods(validation, samples, bandwidths, batch_size).mean(axis=0)
    # argmax takes the first of equal scores: the smallest such sigma, as parzen_ll.py does.
    best = int(np.argmax(validation_means))
    sigma = float(bandwidths[best])
    test_values = _log_likelihoods(test, samples, bandwidths[best : best + 1], batch_size)[:, 0]
    return {
        "log_likelihood": float(test_values.mean()),
        "standard_error": float(test_values.std() / np.sqrt(len(test_values))),
        "sigma": sigma,
        "bandwidths": [float(value) for value in bandwidths],
        "validation_log_likelihood": [float(value) for value in validation_means],
        "n_samples": len(samples),
        "n_test": len(test),
        "n_validation": len(validation),
        "dimensions": dimensions,
        "protocol": PROTOCOL.format(
            samples=len(samples),
            dimensions=dimensions,
            low=low,
            high=high,
            grid=_describe_grid(bandwidths),
            validation=len(validation),
            sigma=sigma,
            test=len(test),
        ),
    }


def _log_likelihoods(points, samples, bandwidths, batch_size):
    """(n, len(bandwidths)) log-densities of `points` under the Parzen window of `samples`."""
    count, dimensions = samples.shape
    sample_norms = np.einsum("ij,ij->i", samples, samples)
    # -log N - d/2 log(2 pi sigma^2), one per bandwidth.
    offsets = -np.log(count) - 0.5 * dimensions * np.log(2 * np.pi * bandwidths**2)
    result = np.empty((len(points), len(bandwidths)))
    for start in range(0, len(points), batch_size):
        block = points[start : start + batch_size]
        block_norms = np.einsum("ij,ij->i", block, block)
        squared = block_norms[:, None] + sample_norms - 2.0 * (block @ samples.T)
        # Rounding can leave a distance of 0 (a sample equal to the point) slightly negative.
        np.maximum(squared, 0.0, out=squared)
        # The largest kernel term of a row is its nearest sample's, for every sigma.
        nearest = squared.min(axis=1, keepdims=True)
        excess = squared - nearest
        for index, sigma in enumerate(bandwidths):
            scale = 1.0 / (2.0 * sigma**2)
            total = np.exp(-scale * excess).sum(axis=1)
            result[start : start + len(block), index] = (
                -scale * nearest[:, 0] + np.log(total) + offsets[index]
            )
    return result


def _flattened(array, name, low, high):
    array = np.asarray(array)
    if array.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be an array of numbers; got dtype {array.dtype}.")
    if array.ndim < 2 or array.shape[0] == 0 or array.size == 0:
        raise ValueError(
            f"{name} must be a non-empty (n, ...) array of examples; got shape {array.shape}."
        )
    array = array.reshape(len(array), -1).astype(np.float64)
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    _data_range.check_within(array, name, low, high)
    return (array - low) / (high - low)


def _checked_bandwidths(bandwidths):
    if bandwidths is None:
        bandwidths = DEFAULT_BANDWIDTHS
    try:
        values = np.asarray(bandwidths, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"bandwidths must be numbers; got {bandwidths!r}.") from None
    if len(values) == 0:
        raise ValueError("bandwidths is empty; give at least one sigma.")
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"bandwidths must be positive and finite; got {values.tolist()}.")
    return values


def _describe_grid(bandwidths):
    if len(bandwidths) == 1:
        return f"the single value {bandwidths[0]:.6g}"
    if np.array_equal(bandwidths, DEFAULT_BANDWIDTHS):
        return "np.logspace(-1, 0, 10)"
    return f"{len(bandwidths)} values from {bandwidths.min():.6g} to {bandwidths.max():.6g}"
