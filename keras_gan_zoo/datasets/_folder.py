"""Batches from a folder of image files."""

import numpy as np
import tensorflow as tf

from keras_gan_zoo.datasets import _pipeline

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def from_image_folder(
    directory, image_size, channels=3, batch_size=64, shuffle=True, seed=0, initial_epoch=0
):
    """Batches of the image files under a folder (recursively), in [-1, 1].

    Takes every .png, .jpg, .jpeg, .bmp and .gif file (any letter case) in
    the folder and its subfolders, in sorted path order. Each image is
    decoded with `tf.io` (the first frame of an animated GIF), center-cropped
    to the aspect ratio of `image_size`, then resized to it (bilinear,
    antialiased), so nothing is stretched.

    Args:
        directory: the folder.
        image_size: (height, width), or an int for a square.
        channels: 1 (grayscale) or 3 (RGB); images are converted.
        batch_size: images per batch; the last partial batch is dropped.
        shuffle: if True the file order is a fresh permutation every epoch,
            a pure function of `(seed, epoch)`; if False, sorted path order.
        seed: int, the shuffle seed.
        initial_epoch: the epoch number of the first iteration (resuming).

    Returns:
        A `tf.data.Dataset` of float32 batches (batch_size, height, width,
        channels).

    Raises:
        ValueError: if the folder does not exist (or is a file), holds no
            image files or fewer than `batch_size`, or an argument is
            invalid. A file that cannot be read or decoded (not a
            PNG/JPEG/BMP/GIF image, truncated or corrupt) fails while
            iterating, with a `tf.errors.InvalidArgumentError` naming it.
    """
    directory = _pipeline.check_folder(directory, "Image folder")
    image_size = _pipeline.check_image_size(image_size)
    is_int = isinstance(channels, (int, np.integer)) and not isinstance(channels, bool)
    if not is_int or channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3; got {channels!r}.")
    channels = int(channels)
    batch_size = _pipeline.check_batch_size(batch_size)
    shuffle = _pipeline.check_bool(shuffle, "shuffle")
    seed = _pipeline.check_int(seed, "seed")
    # Sorting on the relative POSIX path gives the same order on every OS.
    paths = sorted(
        (p for p in directory.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()),
        key=lambda p: p.relative_to(directory).as_posix(),
    )
    what = f"Image folder {directory} (.png/.jpg/.jpeg/.bmp/.gif files)"
    _pipeline.check_count(len(paths), batch_size, what)

    count = len(paths)
    batches = count // batch_size
    counter = _pipeline.epoch_counter(initial_epoch)
    table = tf.constant([str(p) for p in paths])
    used = batches * batch_size  # The files of one epoch; the rest are dropped.

    def decode(index, path):
        contents = tf.io.read_file(path)
        image = tf.io.decode_image(contents, channels=channels, expand_animations=False)
        image = _pipeline.crop_and_resize(image, image_size)
        image = tf.ensure_shape(image, (*image_size, channels))
        return index, _pipeline.scale(image, (0.0, 255.0))

    # Comes after each epoch's files, so that a failed last file is noticed.
    end_marker = (tf.constant(used, tf.int64), tf.zeros((*image_size, channels)))

    def epoch_images(epoch):
        order = _pipeline.epoch_permutation(count, shuffle, seed, epoch)
        files = tf.gather(table, order[:used])

        def check_in_order(expected, element):
            # ignore_errors skipped a file that failed to read or decode, so
            # the next index is not the expected one: name the skipped file.
            index, image = element
            check = tf.debugging.Assert(
                tf.equal(index, expected),
                [
                    "Cannot decode the image file",
                    files[tf.minimum(expected, used - 1)],
                    "(not a PNG, JPEG, BMP or GIF image, or truncated, corrupt or unreadable). "
                    "Remove or replace it.",
                ],
            )
            with tf.control_dependencies([check]):
                return index + 1, (index, tf.identity(image))

        images = tf.data.Dataset.from_tensor_slices(files).enumerate()
        images = images.map(decode, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
        # Errors are dropped only so that check_in_order can name the file;
        # tf.data's own error would not.
        images = images.ignore_errors().concatenate(tf.data.Dataset.from_tensors(end_marker))
        images = images.scan(tf.constant(0, tf.int64), check_in_order)
        return images.take(used).map(lambda index, image: image)

    dataset = _pipeline.epochs(counter).flat_map(epoch_images)
    dataset = dataset.batch(batch_size, drop_remainder=True)
    return _pipeline.finish(dataset, counter, batches)
