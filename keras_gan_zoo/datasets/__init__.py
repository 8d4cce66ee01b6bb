"""Input pipelines for GAN training: `tf.data` batches of images in [-1, 1].

Every loader returns a `tf.data.Dataset` of float32 batches (batch, H, W, C),
scaled to [-1, 1], batched with `drop_remainder=True` (fixed shapes: JAX would
recompile for a partial last batch) and prefetched. tf.data is used on every
Keras backend; Keras feeds it to JAX and PyTorch as NumPy arrays.

Resumable order: `fit()` iterates a dataset once per epoch. The shuffle order
of the k-th iteration is a pure function of `(seed, initial_epoch + k)`, so a
run resumed at epoch e with `initial_epoch=e` sees exactly the batches the
uninterrupted run saw from epoch e on.
"""

import gzip
import os
import pathlib

import numpy as np
import tensorflow as tf

__all__ = [
    "digits_arrays",
    "from_arrays",
    "from_idx",
    "from_image_folder",
    "from_tfds",
    "load",
    "load_digits",
    "read_idx",
]

_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _check_batch_size(count, batch_size, what):
    if count == 0:
        raise ValueError(f"{what} is empty: there are no images to train on.")
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}.")
    if count < batch_size:
        raise ValueError(
            f"{what} has {count} images, fewer than one batch of {batch_size}; with "
            "drop_remainder=True there would be no batch at all. Lower batch_size."
        )


def _epoch_counter(initial_epoch):
    # Incremented once per iteration of the dataset, i.e. once per epoch of fit().
    return tf.Variable(initial_epoch - 1, dtype=tf.int64, trainable=False, name="epoch")


def _epoch_order(count, shuffle, seed, initial_epoch):
    """A dataset of indices 0..count-1, reshuffled per epoch from (seed, epoch)."""
    counter = _epoch_counter(initial_epoch)

    def order(_):
        epoch = counter.assign_add(1)
        indices = tf.range(count, dtype=tf.int64)
        if not shuffle:
            return indices
        return tf.random.experimental.stateless_shuffle(
            indices, seed=tf.stack([tf.constant(seed, tf.int64), epoch])
        )

    return tf.data.Dataset.range(1).map(order).unbatch(), counter


def _scale(images, value_range):
    low, high = value_range
    images = tf.cast(images, tf.float32)
    return (images - low) * (2.0 / (high - low)) - 1.0


def _finish(dataset, batch_size, counter=None):
    dataset = dataset.batch(batch_size, drop_remainder=True).prefetch(tf.data.AUTOTUNE)
    # Kept on the dataset: it holds the variable alive, and lets a caller that
    # peeks at a batch (AdversarialModel.fit's input check) give the epoch back.
    dataset.epoch_counter = counter
    return dataset


def from_arrays(images, batch_size=64, shuffle=True, seed=0, initial_epoch=0, value_range=None):
    """Batches of an in-memory array of images.

    Args:
        images: array (N, H, W) or (N, H, W, C).
        batch_size: images per batch; the last partial batch is dropped.
        shuffle: reshuffle every epoch, from `seed` and the epoch number.
        seed: int, the shuffle seed.
        initial_epoch: the epoch the first iteration is (for resuming).
        value_range: (low, high) the input pixels lie in. Default: (0, 255)
            for integer arrays, (-1, 1) for float arrays.

    Raises:
        ValueError: for an empty array, fewer images than `batch_size`, a
            wrong rank, or values outside `value_range`.
    """
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(
            f"Expected images of shape (N, H, W) or (N, H, W, C); got shape {images.shape}."
        )
    _check_batch_size(len(images), batch_size, "The image array")
    if value_range is None:
        value_range = (0, 255) if np.issubdtype(images.dtype, np.integer) else (-1.0, 1.0)
    low, high = value_range
    found_low, found_high = images.min(), images.max()
    if found_low < low or found_high > high:
        raise ValueError(
            f"The images span [{found_low}, {found_high}], outside the declared value_range "
            f"{tuple(value_range)}. Pass value_range=(low, high) for the range they are in."
        )
    table = tf.constant(images)
    dataset, counter = _epoch_order(len(images), shuffle, seed, initial_epoch)
    dataset = dataset.map(lambda i: _scale(tf.gather(table, i), value_range))
    return _finish(dataset, batch_size, counter)


def read_idx(path):
    """Reads an IDX file (MNIST format), optionally gzipped, into a NumPy array.

    Raises:
        ValueError: if the magic number, type code or size does not match
            the declared dimensions (a corrupt or truncated file).
    """
    path = os.fspath(path)
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as file:
            data = file.read()
    except (OSError, EOFError) as error:
        raise ValueError(f"Cannot read IDX file {path}: {error}") from error
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise ValueError(f"{path} is not an IDX file (bad magic number {data[:4]!r}).")
    rank = data[3]
    header = 4 + 4 * rank
    dims = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank))
    dtype = np.dtype(_IDX_DTYPES[data[2]])
    expected = header + int(np.prod(dims)) * dtype.itemsize
    if len(data) != expected:
        raise ValueError(
            f"{path} declares shape {dims} ({expected} bytes) but has {len(data)} bytes: "
            "the file is truncated or corrupt."
        )
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(dims)


def _idx_images_file(directory):
    matches = sorted(
        path for path in pathlib.Path(directory).iterdir() if "images-idx3-ubyte" in path.name
    )
    if len(matches) != 1:
        raise ValueError(
            f"Expected exactly one '*images-idx3-ubyte[.gz]' file in {directory}, "
            f"found {[p.name for p in matches]}."
        )
    return matches[0]


def from_idx(directory, batch_size=64, shuffle=True, seed=0, initial_epoch=0):
    """Batches of the images in an MNIST-format IDX directory (`*images-idx3-ubyte[.gz]`)."""
    images = read_idx(_idx_images_file(directory))
    return from_arrays(images, batch_size, shuffle, seed, initial_epoch)


def from_image_folder(
    directory, image_size, channels=3, batch_size=64, shuffle=True, seed=0, initial_epoch=0
):
    """Batches of the image files (png, jpg, bmp, gif) under a folder, recursively.

    Args:
        directory: the folder.
        image_size: (height, width) every image is resized to (bilinear).
        channels: 1 or 3.
    """
    directory = pathlib.Path(directory)
    if not directory.is_dir():
        raise ValueError(f"Image folder {directory} does not exist.")
    paths = sorted(
        str(path) for path in directory.rglob("*") if path.suffix.lower() in _IMAGE_SUFFIXES
    )
    _check_batch_size(len(paths), batch_size, f"Image folder {directory}")
    table = tf.constant(paths)

    def decode(index):
        image = tf.io.decode_image(
            tf.io.read_file(tf.gather(table, index)), channels=channels, expand_animations=False
        )
        image = tf.image.resize(tf.cast(image, tf.float32), image_size)
        return _scale(tf.clip_by_value(image, 0.0, 255.0), (0, 255))

    dataset, counter = _epoch_order(len(paths), shuffle, seed, initial_epoch)
    dataset = dataset.map(decode, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return _finish(dataset, batch_size, counter)


def from_tfds(
    name,
    split="train",
    batch_size=64,
    shuffle=True,
    seed=0,
    initial_epoch=0,
    data_dir=None,
    image_size=None,
    shuffle_buffer=10_000,
):
    """Batches of a tensorflow-datasets dataset's `image` feature.

    Args:
        name: a tfds name such as "mnist", "fashion_mnist", "cifar10", "celeb_a".
        split: the tfds split.
        image_size: optional (height, width); non-square images are center
            cropped to a square first, then resized (bilinear).
        shuffle_buffer: size of the streaming shuffle buffer; its seed is
            derived from (seed, epoch).
    """
    import tensorflow_datasets as tfds

    try:
        source = tfds.load(name, split=split, data_dir=data_dir, shuffle_files=False)
    except Exception as error:
        raise ValueError(f"Cannot load tensorflow-datasets dataset {name!r}: {error}") from error
    count = int(source.cardinality())
    if count >= 0:
        _check_batch_size(count, batch_size, f"tfds dataset {name!r} split {split!r}")

    def prepare(example):
        image = tf.cast(example["image"], tf.float32)
        if image_size is not None:
            side = tf.minimum(tf.shape(image)[0], tf.shape(image)[1])
            image = tf.image.resize_with_crop_or_pad(image, side, side)
            image = tf.image.resize(image, image_size)
        return _scale(image, (0, 255))

    source = source.map(prepare, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    if not shuffle:
        return _finish(source, batch_size)
    # Deviation from the other loaders: a streaming shuffle reseeded per
    # iteration by tf.data, so the epoch order is reproducible from the start
    # of a run but not resumable mid-run (initial_epoch shifts the seed only).
    dataset = source.shuffle(
        shuffle_buffer, seed=seed + initial_epoch, reshuffle_each_iteration=True
    )
    return _finish(dataset, batch_size)


def digits_arrays(image_size=28):
    """scikit-learn's bundled handwritten digits, upscaled: (uint8 images, labels).

    Why this dataset for the offline quickstart: 1,797 real handwritten digits
    ship inside scikit-learn (no download), and they are small enough to train
    a DCGAN on two CPU cores in minutes. The 8x8 images (values 0..16) are
    upscaled bilinearly to `image_size` and rescaled to 0..255.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    images = digits.images.astype("float32")[..., None] * (255.0 / 16.0)
    resized = tf.image.resize(images, (image_size, image_size), method="bilinear").numpy()
    return np.clip(np.rint(resized), 0, 255).astype(np.uint8), digits.target.astype(np.int64)


def load_digits(image_size=28, batch_size=64, shuffle=True, seed=0, initial_epoch=0):
    """Batches of scikit-learn's digits at `image_size`; see `digits_arrays`."""
    images, _ = digits_arrays(image_size)
    return from_arrays(images, batch_size, shuffle, seed, initial_epoch)


def load(source, **kwargs):
    """One entry point: "digits", a tfds name, an IDX or image folder, or an array."""
    if isinstance(source, np.ndarray):
        return from_arrays(source, **kwargs)
    if source == "digits":
        return load_digits(**kwargs)
    path = pathlib.Path(source)
    if path.is_dir():
        if any("images-idx3-ubyte" in p.name for p in path.iterdir()):
            return from_idx(path, **kwargs)
        return from_image_folder(path, **kwargs)
    if os.sep in str(source) or path.suffix:
        raise ValueError(f"Dataset path {source} does not exist.")
    return from_tfds(source, **kwargs)
