"""Batches from a folder of image files."""

import pathlib

import tensorflow as tf

from keras_gan_zoo.datasets import _pipeline

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
# Leading bytes of each format tf.io.decode_image reads.
_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"BM", b"GIF8")


def _is_known_image(contents):
    head = tf.strings.substr(contents, 0, 4)
    return tf.reduce_any([tf.equal(tf.strings.substr(head, 0, len(s)), s) for s in _SIGNATURES])


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
        ValueError: if the folder does not exist, holds no image files or
            fewer than `batch_size`, or an argument is invalid. A file that
            is not a PNG/JPEG/BMP/GIF fails while iterating, naming the file.
    """
    directory = pathlib.Path(directory)
    if not directory.is_dir():
        raise ValueError(f"Image folder {directory} does not exist.")
    image_size = _pipeline.check_image_size(image_size)
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3; got {channels!r}.")
    batch_size = _pipeline.check_batch_size(batch_size)
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

    def epoch_files(epoch):
        order = _pipeline.epoch_permutation(count, shuffle, seed, epoch)
        return tf.data.Dataset.from_tensor_slices(tf.gather(table, order[: batches * batch_size]))

    def decode(path):
        contents = tf.io.read_file(path)
        check = tf.debugging.Assert(
            _is_known_image(contents), ["Not a PNG, JPEG, BMP or GIF image:", path]
        )
        with tf.control_dependencies([check]):
            image = tf.io.decode_image(contents, channels=channels, expand_animations=False)
        image = _pipeline.crop_and_resize(image, image_size)
        image = tf.ensure_shape(image, (*image_size, channels))
        return _pipeline.scale(image, (0.0, 255.0))

    dataset = _pipeline.epochs(counter).flat_map(epoch_files)
    dataset = dataset.map(decode, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    dataset = dataset.batch(batch_size, drop_remainder=True)
    return _pipeline.finish(dataset, counter, batches)
