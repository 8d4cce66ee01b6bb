"""Pieces shared by the loaders: argument checks, the epoch counter, scaling."""

import operator
import pathlib

import numpy as np
import tensorflow as tf

from keras_gan_zoo.utils.arguments import check_int  # noqa: F401  (the datasets' checks use it from here)


def check_batch_size(batch_size):
    """Returns `batch_size` as an int; raises ValueError unless it is a positive integer."""
    if isinstance(batch_size, bool):
        raise ValueError(f"batch_size must be a positive integer; got {batch_size!r}.")
    try:
        batch_size = operator.index(batch_size)
    except TypeError:
        raise ValueError(f"batch_size must be a positive integer; got {batch_size!r}.") from None
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer; got {batch_size}.")
    return batch_size


def check_count(count, batch_size, what):
    """Raises ValueError if `count` images cannot fill one batch of `batch_size`."""
    if count == 0:
        raise ValueError(f"{what} is empty: there are no images to train on.")
    if count < batch_size:
        raise ValueError(
            f"{what} has {count} images, fewer than one batch of {batch_size}; batches "
            "drop the last partial batch, so there would be no batch at all. Lower batch_size."
        )


def check_bool(value, name):
    """Returns `value` as a bool; raises ValueError unless it is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        # A string such as "False" would otherwise count as true.
        raise ValueError(f"{name} must be True or False; got {value!r}.")
    return bool(value)


def check_folder(directory, what):
    """Returns `directory` as a Path; raises ValueError unless it is an existing folder.

    `what` names the folder in the message, e.g. "Image folder".
    """
    try:
        directory = pathlib.Path(directory)
    except TypeError:
        raise ValueError(f"{what} must be a folder path; got {directory!r}.") from None
    if directory.is_file():
        raise ValueError(f"{what} {directory} is a file; pass the folder that holds it.")
    if not directory.is_dir():
        raise ValueError(f"{what} {directory} does not exist.")
    return directory


def check_image_size(image_size):
    """Returns (height, width) from an int or a pair of positive ints."""
    if isinstance(image_size, int) and not isinstance(image_size, bool):
        image_size = (image_size, image_size)
    try:
        height, width = (operator.index(v) for v in image_size)
    except (TypeError, ValueError):
        raise ValueError(
            f"image_size must be (height, width) or an int; got {image_size!r}."
        ) from None
    if height < 1 or width < 1:
        raise ValueError(f"image_size must be positive; got {image_size!r}.")
    return height, width


def epoch_counter(initial_epoch):
    """A variable holding the epoch of the dataset's latest iteration.

    It starts one below `initial_epoch`; each new iteration of the dataset
    adds one before producing anything, so the first iteration is epoch
    `initial_epoch`. Kept on the CPU, where tf.data runs its functions.
    """
    initial_epoch = check_int(initial_epoch, "initial_epoch", minimum=0)
    with tf.device("/cpu:0"):
        return tf.Variable(initial_epoch - 1, dtype=tf.int64, trainable=False, name="epoch")


def epochs(counter):
    """A one-element dataset: the epoch number of the current iteration.

    Iterating a `tf.data.Dataset` afresh re-runs this map, so each pass
    (each `fit()` epoch) bumps the counter exactly once.
    """
    return tf.data.Dataset.range(1).map(lambda _: counter.assign_add(1))


def shuffle_seed(seed, epoch, block=None):
    """The stateless RNG seed of one epoch (and optionally one block of it)."""
    pair = tf.stack([tf.constant(seed, tf.int64), tf.cast(epoch, tf.int64)])
    if block is None:
        return pair
    return tf.random.experimental.stateless_fold_in(pair, tf.cast(block, tf.int64))


def epoch_permutation(count, shuffle, seed, epoch):
    """Indices 0..count-1 in the order of `epoch`: a function of (seed, epoch) only."""
    indices = tf.range(count, dtype=tf.int64)
    if not shuffle:
        return indices
    return tf.random.experimental.stateless_shuffle(indices, seed=shuffle_seed(seed, epoch))


def scale(images, value_range):
    """Maps pixels in `value_range` linearly to float32 [-1, 1] (clipped against rounding)."""
    low, high = value_range
    half = (high - low) / 2.0
    images = (tf.cast(images, tf.float32) - low) / half - 1.0
    return tf.clip_by_value(images, -1.0, 1.0)


def crop_and_resize(image, image_size):
    """Center-crops to the aspect ratio of `image_size`, then resizes (bilinear).

    Cropping first keeps faces and objects undistorted (e.g. CelebA's
    178x218 photos become their central 178x178 square for a square size).
    Antialiasing keeps large downscales from aliasing. Returns float32 in
    the input's pixel units.
    """
    target_height, target_width = image_size
    shape = tf.shape(image)
    height, width = tf.cast(shape[0], tf.int64), tf.cast(shape[1], tf.int64)
    crop_height = tf.maximum(tf.minimum(height, width * target_height // target_width), 1)
    crop_width = tf.maximum(tf.minimum(width, height * target_width // target_height), 1)
    image = tf.image.crop_to_bounding_box(
        image,
        tf.cast((height - crop_height) // 2, tf.int32),
        tf.cast((width - crop_width) // 2, tf.int32),
        tf.cast(crop_height, tf.int32),
        tf.cast(crop_width, tf.int32),
    )
    return tf.image.resize(tf.cast(image, tf.float32), image_size, antialias=True)


def finish(dataset, counter, batches):
    """Declares the batch count (when known), prefetches, and attaches the counter.

    `assert_cardinality` restores the length that `flat_map` hides, so Keras
    shows steps per epoch; it also fails loudly if the count were wrong.
    """
    if batches is not None:
        dataset = dataset.apply(tf.data.experimental.assert_cardinality(batches))
    dataset = dataset.prefetch(tf.data.AUTOTUNE)
    # The engine's input check peeks at one batch (a pass that is not an
    # epoch) and gives the epoch back through this attribute.
    dataset.epoch_counter = counter
    return dataset
