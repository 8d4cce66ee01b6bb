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


def check_labels(labels, count, num_classes=None, source="labels"):
    """`labels` as an int32 array of class indices, one per example.

    Args:
        labels: array-like of shape (count,), integers in [0, num_classes).
        count: the number of examples the labels belong to.
        num_classes: if given, the labels must be below it.
        source: what to call the labels in messages (a file name, say).

    Raises:
        ValueError: naming the problem: not integers, a shape other than
            (count,), negative values, or values of num_classes or more.
    """
    try:
        labels = np.asarray(labels)
    except ValueError:
        raise ValueError(f"The {source} must be one integer per example.") from None
    if labels.dtype == bool or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"The {source} must be integer class indices; got dtype {labels.dtype}.")
    if labels.shape != (count,):
        raise ValueError(
            f"The {source} must have shape ({count},), one per example; got shape {labels.shape}."
        )
    if count and labels.min() < 0:
        raise ValueError(f"The {source} must be class indices >= 0; found {labels.min()}.")
    if num_classes is not None and count and labels.max() >= num_classes:
        raise ValueError(
            f"The {source} must be below num_classes={num_classes}; found {labels.max()}."
        )
    return labels.astype(np.int32)


def from_arrays(
    images,
    batch_size=64,
    shuffle=True,
    seed=0,
    initial_epoch=0,
    value_range=None,
    labels=None,
):
    """Batches of an in-memory array of images, in [-1, 1], with their labels if given.

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
        labels: optional integer class indices, one per image. With them,
            each batch is a pair (images, labels), the labels int32 and
            shuffled with their images: what a conditional model fits on.

    Returns:
        A `tf.data.Dataset` of float32 batches (batch_size, H, W, C), or of
        (images, labels) pairs, with an `epoch_counter` attribute (the epoch
        of the latest iteration).

    Raises:
        ValueError: for an empty array, fewer images than `batch_size`, a
            rank other than 3 or 4, a non-numeric dtype (or images of
            different shapes), NaN or infinite values, values outside
            `value_range`, labels that are not one integer >= 0 per image, or
            an invalid argument.
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
    if labels is not None:
        labels = check_labels(labels, len(images))

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

    if labels is not None:
        label_table = tf.constant(labels)
        scale = gather

        def gather(indices):
            return scale(indices), tf.gather(label_table, indices)

    dataset = _pipeline.epochs(counter).flat_map(batch_indices)
    dataset = dataset.map(gather, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    dataset = _pipeline.finish(dataset, counter, batches)
    dataset.images_variable = table  # Keeps the data alive as long as the dataset.
    return dataset
