"""Mode coverage and sample quality on a 2D mixture of Gaussians.

The protocol of VEEGAN (Srivastava et al. 2017), Unrolled GAN and GDPP, as in
`../shared/notes/benchmarks-reference.md`: draw 2,500 samples; a sample is
high quality if it lies within 3 standard deviations of its nearest mean; a
mode is captured if it is the nearest mean of at least one high-quality
sample. PacGAN (Lin et al. 2018) adds the reverse KL divergence between the
histogram of high-quality samples over the modes and the uniform one.
"""

import numpy as np

from keras_gan_zoo.datasets import mixture_parameters


def mixture_quality(samples, mixture):
    """Scores 2D samples against a named mixture ("ring8" or "grid25").

    Args:
        samples: (n, 2) array of generated points (the protocol uses 2,500).
        mixture: the mixture's name.

    Returns:
        {"modes": captured modes (int), "high_quality": fraction of samples
        within 3 std of their nearest mean, "reverse_kl": KL(q || uniform)
        of the high-quality samples' mode histogram q (inf if none)}.
    """
    samples = np.asarray(samples, dtype="float64")
    if samples.ndim != 2 or samples.shape[1] != 2 or len(samples) == 0:
        raise ValueError(f"samples must be a non-empty (n, 2) array, got shape {samples.shape}.")
    if not np.all(np.isfinite(samples)):
        raise ValueError("samples contain NaN or inf values.")
    means, std = mixture_parameters(mixture)
    distances = np.linalg.norm(samples[:, None, :] - means[None, :, :], axis=-1)
    nearest = distances.argmin(axis=1)
    high_quality = distances[np.arange(len(samples)), nearest] < 3 * std
    counts = np.bincount(nearest[high_quality], minlength=len(means))
    if counts.sum() == 0:
        reverse_kl = float("inf")
    else:
        q = counts / counts.sum()
        present = q > 0
        reverse_kl = float(np.sum(q[present] * np.log(q[present] * len(means))))
    return {
        "modes": int((counts > 0).sum()),
        "high_quality": float(high_quality.mean()),
        "reverse_kl": reverse_kl,
    }
