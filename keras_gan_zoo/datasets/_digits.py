"""scikit-learn's bundled handwritten digits: the offline quickstart dataset."""

import functools

import numpy as np
import tensorflow as tf

from keras_gan_zoo.datasets import _arrays
from keras_gan_zoo.datasets import _pipeline


@functools.lru_cache(maxsize=1)
def _sklearn_digits():
    from sklearn.datasets import load_digits as sklearn_load_digits

    digits = sklearn_load_digits()
    return digits.images.astype(np.float32), digits.target.astype(np.int64)


def digits_arrays(image_size=28):
    """scikit-learn's 1,797 handwritten digits as uint8 images, with labels.

    Why this dataset for the quickstart: they are real handwritten digits
    that ship inside scikit-learn, so nothing is downloaded and it works
    offline; and they are few and small enough that a DCGAN trains on them
    on two CPU cores in minutes. The 8x8 originals (values 0..16) are
    upscaled bilinearly with `tf.image.resize` and rescaled to 0..255.

    Args:
        image_size: side of the square output images (28 matches MNIST).

    Returns:
        (images, labels): uint8 (1797, image_size, image_size, 1) and
        int64 (1797,) with digits 0..9.

    Raises:
        ValueError: if `image_size` is not a positive integer.
    """
    image_size = _pipeline.check_int(image_size, "image_size", minimum=1)
    images, labels = _sklearn_digits()
    resized = tf.image.resize(images[..., None], (image_size, image_size), antialias=True)
    pixels = np.clip(np.rint(resized.numpy() * (255.0 / 16.0)), 0, 255).astype(np.uint8)
    return pixels, labels.copy()


def load_digits(image_size=28, batch_size=64, shuffle=True, seed=0, initial_epoch=0, labels=False):
    """Batches of scikit-learn's handwritten digits, in [-1, 1].

    The offline quickstart dataset: see `digits_arrays` for why and how the
    images are made.

    Args:
        image_size: side of the square images.
        batch_size: images per batch; the last partial batch is dropped
            (1797 // batch_size batches per epoch).
        shuffle: reshuffle every epoch, as a function of `(seed, epoch)`.
        seed: int, the shuffle seed.
        initial_epoch: the epoch number of the first iteration (resuming).
        labels: if True, yield (images, labels) with the digits' int32
            classes 0-9, for conditional models.

    Returns:
        A `tf.data.Dataset` of float32 batches
        (batch_size, image_size, image_size, 1), or of (images, labels).

    Raises:
        ValueError: for an invalid argument, or `batch_size` over 1797.
    """
    images, classes = digits_arrays(image_size)
    return _arrays.from_arrays(
        images,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        initial_epoch=initial_epoch,
        labels=classes if labels else None,
    )
