"""Batches from in-memory arrays."""

import warnings

import numpy as np
import tensorflow as tf

from keras_gan_zoo.datasets import _pipeline
from keras_gan_zoo.utils.images import check_value_range


def _default_value_range(images):
    if np.issubdtype(images.dtype, np.integer):
        return (0.0, 255.0)
    found_low, found_high = float(images.min()), float(images.max())
    if found_low < -1.0 or found_high > 1.0:
        raise ValueError(
            f"Float images must declare their range: these span [{found_low:g}, "
            f"{found_high:g}], outside [-1, 1]. Pass value_range=(low, high), e.g. "
            "(0, 255) or (0, 1)."
        )
    if found_low >= 0.0:
        # Most likely [0, 1] pixels, which would be used as they are and
        # fill only half of the generator's range.
        warnings.warn(
            f"Float images in [{found_low:g}, {found_high:g}] are taken to be in [-1, 1] "
            "already; pass value_range=(0, 1) if they are [0, 1] pixels.",
            stacklevel=3,
        )
    return (-1.0, 1.0)


def from_arrays(images, batch_size=64, shuffle=True, seed=0, initial_epoch=0, value_range=None):
    """Batches of an in-memory array of images, in [-1, 1].

    The array is copied once into a TensorFlow variable (in its own dtype,
    so uint8 data stays small) and each batch is gathered from it.

    Args:
        images: array (N, H, W) or (N, H, W, C); (N, H, W) gets a channel
            axis. Integers (usually uint8) or floats.
        batch_size: images per batch; the last partial batch of each epoch
            is dropped, so every batch has the same shape.
        shuffle: if True the order is a fresh permutation every epoch, a
            pure function of `(seed, epoch)`; if False, array order.
        seed: int, the shuffle seed.
        initial_epoch: the epoch number of the dataset's first iteration
            (pass fit()'s `initial_epoch` when resuming); each further
            iteration is the next epoch.
        value_range: (low, high), the range the input values lie in; it is
            mapped linearly onto [-1, 1]. Default: (0, 255) for integer
            arrays; for float arrays [-1, 1] (the data are used as they are),
            and float data outside [-1, 1] must say their range. Float data
            within [0, 1] get a warning, as they are probably [0, 1] pixels.

    Returns:
        A `tf.data.Dataset` of float32 batches (batch_size, H, W, C), with
        an `epoch_counter` attribute (the epoch of the latest iteration).

    Raises:
        ValueError: for an empty array, fewer images than `batch_size`, a
            rank other than 3 or 4, a non-numeric dtype (or images of
            different shapes), NaN or infinite values, values outside
            `value_range`, or an invalid argument.
    """
    if images is None:
        raise ValueError("Expected an array of images (N, H, W) or (N, H, W, C); got None.")
    try:
        images = np.asarray(images)
    except ValueError:  # NumPy's "inhomogeneous shape"
        raise ValueError(
            "Expected an array of images of one shape; got a sequence of differently shaped images."
        ) from None
    is_integer = np.issubdtype(images.dtype, np.integer)
    if not (is_integer or np.issubdtype(images.dtype, np.floating)):
        raise ValueError(f"Expected integer or float images; got dtype {images.dtype}.")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(
            f"Expected images of shape (N, H, W) or (N, H, W, C); got shape {images.shape}."
        )
    batch_size = _pipeline.check_batch_size(batch_size)
    shuffle = _pipeline.check_bool(shuffle, "shuffle")
    seed = _pipeline.check_int(seed, "seed")
    _pipeline.check_count(len(images), batch_size, f"The image array (shape {images.shape})")
    if 0 in images.shape:
        raise ValueError(f"The images are empty: shape {images.shape}.")
    if not is_integer and not np.all(np.isfinite(images)):
        raise ValueError("The images contain NaN or infinite values.")
    if value_range is None:
        value_range = _default_value_range(images)
    low, high = check_value_range(value_range)
    found_low, found_high = images.min(), images.max()
    if found_low < low or found_high > high:
        raise ValueError(
            f"The images span [{found_low:g}, {found_high:g}], outside the declared value_range "
            f"({low:g}, {high:g}). Pass value_range=(low, high) for the range they are in."
        )
    if images.dtype == np.float64:
        images = images.astype(np.float32)  # Half the memory; batches are float32 anyway.

    count = len(images)
    batches = count // batch_size
    counter = _pipeline.epoch_counter(initial_epoch)
    # A variable, not a constant: tf.data never serializes it into a graph,
    # so arrays over 2 GB work.
    with tf.device("/cpu:0"):
        table = tf.Variable(images, trainable=False, name="images")

    def batch_indices(epoch):
        order = _pipeline.epoch_permutation(count, shuffle, seed, epoch)
        order = tf.reshape(order[: batches * batch_size], (batches, batch_size))
        return tf.data.Dataset.from_tensor_slices(order)

    def gather(indices):
        return _pipeline.scale(tf.gather(table, indices), (low, high))

    dataset = _pipeline.epochs(counter).flat_map(batch_indices)
    dataset = dataset.map(gather, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    dataset = _pipeline.finish(dataset, counter, batches)
    dataset.images_variable = table  # Keeps the data alive as long as the dataset.
    return dataset
