"""InfoGAN's mutual-information term: how well Q recovers the codes behind a fake.

For a code c and its posterior estimate Q(c | x) on a fake x = G(z, c),
E[log Q(c | x)] + H(c) is a lower bound on the mutual information I(c; x)
(Chen et al. 2016, Eq. 4). H(c) is fixed by the prior, so G and Q minimize
the negative log-likelihoods below, and the logs report the bound itself:
it rises towards H(c) (log 10 = 2.30 nats for a 10-way code) as the code
becomes readable from the image.
"""

import math

from keras import ops

from keras_gan_zoo.losses.classification import class_cross_entropy


def categorical_code_loss(codes, logits, sizes):
    """Sum over the categorical codes of -E[log Q(c | x)].

    Args:
        codes: one (n,) int array per code.
        logits: (n, sum(sizes)) Q's logits, the codes' side by side; one
            log-softmax per code.
        sizes: the codes' sizes.
    """
    total, start = 0.0, 0
    for code, size in zip(codes, sizes):
        total = total + class_cross_entropy(code, logits[:, start : start + size])
        start += size
    return total


def continuous_code_loss(values, means, log_stddevs=None):
    """-E[log Q(c | x)] for Gaussian Q: summed over the codes, averaged over the batch.

    Args:
        values: (n, k) the codes drawn.
        means: (n, k) Q's means.
        log_stddevs: (n, k) Q's log standard deviations, or None for 1.
    """
    error = ops.cast(values, means.dtype) - means
    if log_stddevs is None:
        log_density = -0.5 * ops.square(error)
    else:
        log_density = -0.5 * ops.square(error * ops.exp(-log_stddevs)) - log_stddevs
    log_density = log_density - 0.5 * math.log(2.0 * math.pi)
    return -ops.mean(ops.sum(log_density, axis=-1))


def categorical_entropy(sizes):
    """H(c) of independent uniform categorical codes, in nats."""
    return sum(math.log(size) for size in sizes)


def continuous_entropy(count, low=-1.0, high=1.0):
    """Differential entropy of `count` codes uniform on [low, high], in nats."""
    return count * math.log(high - low)
