"""Input pipelines for GAN training: `tf.data` batches of images in [-1, 1].

Every loader returns a `tf.data.Dataset` of float32 batches (batch, H, W, C)
scaled to [-1, 1], batched with `drop_remainder=True` (fixed shapes: JAX
would recompile for a smaller last batch) and prefetched. tf.data is used on
every Keras backend; Keras hands the batches to JAX and PyTorch as NumPy
arrays. This package is the one place outside the backend modules that
imports TensorFlow.

Resumable order: `fit()` iterates a dataset once per epoch, with a new
iterator each time. Each new iteration bumps an epoch counter (a variable,
exposed as `dataset.epoch_counter`) that starts at `initial_epoch`, and the
shuffle order of an iteration is a pure function of `(seed, epoch)`. A run
resumed at epoch k with `initial_epoch=k` therefore sees exactly the batches
the uninterrupted run saw from epoch k on. Anything that starts an extra
iteration (e.g. `next(iter(dataset))`) counts as an epoch, unless it gives
it back with `dataset.epoch_counter.assign_sub(1)`.
"""

import inspect
import os
import pathlib
import re

import numpy as np

from keras_gan_zoo.datasets._arrays import from_arrays
from keras_gan_zoo.datasets._catalog import LABELLED_IMAGES
from keras_gan_zoo.datasets._catalog import LabelledImages
from keras_gan_zoo.datasets._digits import digits_arrays
from keras_gan_zoo.datasets._digits import load_digits
from keras_gan_zoo.datasets._folder import from_image_folder
from keras_gan_zoo.datasets._idx import from_idx
from keras_gan_zoo.datasets._idx import has_idx_images
from keras_gan_zoo.datasets._idx import idx_arrays
from keras_gan_zoo.datasets._idx import idx_images
from keras_gan_zoo.datasets._idx import read_idx
from keras_gan_zoo.datasets._labels import keep_labels
from keras_gan_zoo.datasets._labels import semi_supervised_epoch
from keras_gan_zoo.datasets._mixtures import mixture_of_gaussians
from keras_gan_zoo.datasets._mixtures import mixture_parameters
from keras_gan_zoo.datasets._stacked_mnist import stacked_mnist
from keras_gan_zoo.datasets._tfds import from_tfds

__all__ = [
    "LABELLED_IMAGES",
    "LabelledImages",
    "digits_arrays",
    "from_arrays",
    "from_idx",
    "from_image_folder",
    "from_tfds",
    "has_idx_images",
    "idx_arrays",
    "idx_images",
    "keep_labels",
    "load",
    "load_digits",
    "mixture_of_gaussians",
    "mixture_parameters",
    "read_idx",
    "semi_supervised_epoch",
    "stacked_mnist",
]

# A tfds name, optionally with a config and a version: "mnist",
# "imagenet_resized/32x32", "cifar10:3.*.*".
_TFDS_NAME = re.compile(r"[a-z][a-z0-9_]*(/[\w.-]+)?(:[\w.*]+)?")


def load(source, **kwargs):
    """Loads images from any supported source, picking the loader.

    In order: a NumPy array goes to `from_arrays`; the string "digits" to
    `load_digits`; an existing folder to `from_idx` if it holds an
    `*images-idx3-ubyte[.gz]` file, else to `from_image_folder` (which
    needs `image_size=`); any other string that looks like a tfds name
    ("mnist", "celeb_a", "imagenet_resized/32x32") to `from_tfds`. A folder
    in the working directory wins over a tfds name of the same name.

    Args:
        source: an array, "digits", a folder path, or a tfds name.
        **kwargs: passed on to the chosen loader (batch_size, seed, ...).

    Returns:
        The chosen loader's `tf.data.Dataset`.

    Raises:
        ValueError: if `source` is a path that does not exist (or a file),
            a keyword argument is one the chosen loader does not take, or
            the chosen loader rejects its input.
    """
    if isinstance(source, np.ndarray):
        return _call(from_arrays, source, **kwargs)
    if not isinstance(source, (str, os.PathLike)):
        raise ValueError(
            f"Cannot load images from a {type(source).__name__}: pass a NumPy array, "
            "'digits', a folder path or a tensorflow-datasets name."
        )
    if source == "digits":
        return _call(load_digits, **kwargs)
    path = pathlib.Path(source)
    if path.is_dir():
        if has_idx_images(path):
            return _call(from_idx, path, **kwargs)
        if "image_size" not in kwargs:
            raise ValueError(
                f"{path} is a folder of image files; pass image_size=(height, width) to resize "
                "them to."
            )
        return _call(from_image_folder, path, **kwargs)
    if path.exists():
        raise ValueError(f"{path} is a file; pass the folder that holds the images.")
    if isinstance(source, os.PathLike) or not _TFDS_NAME.fullmatch(source):
        raise ValueError(f"Dataset path {source} does not exist.")
    return _call(from_tfds, source, **kwargs)


def _call(loader, *args, **kwargs):
    """Calls `loader`, first refusing keyword arguments it does not take, by name."""
    parameters = inspect.signature(loader).parameters
    unknown = sorted(set(kwargs) - set(parameters))
    if unknown:
        accepted = ", ".join(list(parameters)[len(args) :])
        raise ValueError(
            f"{loader.__name__} (the loader for this source) takes no argument "
            f"{', '.join(unknown)}; it takes {accepted}."
        )
    return loader(*args, **kwargs)
