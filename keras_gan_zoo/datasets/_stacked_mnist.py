"""Stacked MNIST: three MNIST digits as the three channels of one image, 1000 modes."""

import numpy as np

from keras_gan_zoo.datasets._mixtures import check_seed


def stacked_mnist(images, labels, n, seed=0):
    """Draws `n` Stacked-MNIST images from MNIST digits (VEEGAN's and PacGAN's protocol).

    Each image stacks three digits drawn independently, with replacement, as
    its three channels; its mode is 100 * label0 + 10 * label1 + label2. The
    papers stack the 60,000 MNIST training images; where only the 10,000 test
    images exist (as here), stack those, or a held-out part of them when a
    classifier was trained on the rest.

    Args:
        images: (N, 28, 28) or (N, 28, 28, 1) uint8 MNIST digits (0..255),
            as `read_idx` returns them.
        labels: (N,) their digits, 0..9.
        n: how many stacked images to draw.
        seed: seeds the draws: a non-negative integer, or None.

    Returns:
        (stacked, modes): float32 images in [-1, 1] of shape (n, 28, 28, 3),
        and their int64 modes (n,), 0..999.

    Raises:
        ValueError: on images that are not uint8 28x28 digits, labels that are
            not integers 0..9 matching them, an `n` that is not a
            non-negative integer, or a `seed` that is not a non-negative
            integer or None.
    """
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) == 0:
        raise ValueError(
            f"stacked_mnist expects MNIST digits of shape (N, 28, 28); got {images.shape}."
        )
    if images.dtype != np.uint8:
        raise ValueError(
            f"stacked_mnist expects uint8 pixels (0..255) as read_idx returns them; got "
            f"{images.dtype}."
        )
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"stacked_mnist expects integer labels 0..9; got dtype {labels.dtype}.")
    if labels.shape != (len(images),) or labels.min() < 0 or labels.max() > 9:
        raise ValueError(
            f"stacked_mnist expects one label 0..9 per image ({len(images)}); got labels of "
            f"shape {labels.shape} spanning {labels.min() if labels.size else '-'}.."
            f"{labels.max() if labels.size else '-'}."
        )
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer; got {n!r}.")
    indices = np.random.default_rng(check_seed(seed)).integers(0, len(images), size=(int(n), 3))
    stacked = np.stack([images[indices[:, channel]] for channel in range(3)], axis=-1)
    modes = labels[indices].astype(np.int64) @ np.array([100, 10, 1])
    return stacked.astype(np.float32) / 127.5 - 1.0, modes
