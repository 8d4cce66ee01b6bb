"""MNIST-format IDX files (http://yann.lecun.com/exdb/mnist/ describes the format)."""

import gzip
import os
import pathlib
import re
import zlib

import numpy as np

from keras_gan_zoo.datasets import _arrays

# IDX type code -> element type (big-endian for the multi-byte ones).
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"


def read_idx(path):
    """Reads an IDX file (the MNIST format), plain or gzipped, into a NumPy array.

    Gzip is recognized by its magic bytes, whatever the file name.

    Args:
        path: the file, e.g. `t10k-images-idx3-ubyte.gz`.

    Returns:
        A writable NumPy array in native byte order with the declared
        shape, e.g. uint8 (N, 28, 28) for images and (N,) for labels.

    Raises:
        ValueError: if the file does not exist, is not an IDX file (bad
            magic number or type code), or its size does not match the
            declared dimensions (truncated or corrupt).
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ValueError(f"IDX file {path} does not exist.")
    with open(path, "rb") as file:
        data = file.read()
    if data[:2] == _GZIP_MAGIC:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise ValueError(
                f"{path} is a truncated or corrupt gzip file ({error or type(error).__name__})."
            ) from None
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise ValueError(
            f"{path} is not an IDX file: bad magic number {data[:4].hex()} "
            "(expected 0000 then a type code such as 08, then the rank)."
        )
    rank = data[3]
    header_size = 4 + 4 * rank
    if rank == 0 or len(data) < header_size:
        raise ValueError(f"{path}: IDX header for rank {rank} is incomplete (truncated file).")
    dims = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank))
    dtype = _IDX_DTYPES[data[2]]
    expected = header_size + int(np.prod(dims, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        problem = "truncated" if len(data) < expected else "longer than declared"
        raise ValueError(
            f"{path} declares shape {dims} of {dtype.name} ({expected} bytes with the header) "
            f"but has {len(data)} bytes: the file is {problem} or corrupt."
        )
    array = np.frombuffer(data, dtype=dtype, offset=header_size).reshape(dims)
    return array.astype(dtype.newbyteorder("="))  # A writable, native-order copy.


def _matching(directory, pattern):
    regex = re.compile(pattern)
    return sorted(p for p in directory.iterdir() if p.is_file() and regex.search(p.name))


def _images_file(directory, kind):
    directory = pathlib.Path(directory)
    if not directory.is_dir():
        raise ValueError(f"IDX folder {directory} does not exist.")
    # MNIST mirrors spell the name "train-images-idx3-ubyte" or "train-images.idx3-ubyte".
    matches = _matching(directory, re.escape(kind) + r"[-.]idx3-ubyte(\.gz)?$")
    if len(matches) != 1:
        found = [p.name for p in matches] or "none"
        hint = " Pass kind='train-images' or kind='t10k-images' to pick one." if matches else ""
        raise ValueError(
            f"Expected exactly one '*{kind}-idx3-ubyte[.gz]' file in {directory}; "
            f"found {found}.{hint}"
        )
    return matches[0]


def idx_arrays(directory, kind="images"):
    """Images and labels from a folder of MNIST-format IDX files.

    Args:
        directory: a folder holding `*images-idx3-ubyte[.gz]` and the
            matching `*labels-idx1-ubyte[.gz]` file.
        kind: the name part before `-idx3-ubyte` that picks the images
            file: "images" when the folder has one set, "train-images" or
            "t10k-images" when it has both MNIST sets.

    Returns:
        (images, labels): uint8 (N, H, W) and (N,) arrays.

    Raises:
        ValueError: if no or several images files match, the labels file
            is missing, the files are corrupt, or the counts differ.
    """
    images_file = _images_file(directory, kind)
    labels_name = re.sub(r"images([-.])idx3", r"labels\1idx1", images_file.name)
    labels_name = labels_name.removesuffix(".gz")
    candidates = [images_file.parent / labels_name, images_file.parent / f"{labels_name}.gz"]
    labels_file = next((p for p in candidates if p.is_file()), None)
    if labels_file is None:
        raise ValueError(f"No labels file {labels_name}[.gz] beside {images_file}.")
    images, labels = read_idx(images_file), read_idx(labels_file)
    if labels.ndim != 1 or len(labels) != len(images):
        raise ValueError(
            f"{labels_file.name} holds labels of shape {labels.shape}, but "
            f"{images_file.name} holds {len(images)} images."
        )
    return images, labels


def from_idx(directory, batch_size=64, shuffle=True, seed=0, initial_epoch=0, kind="images"):
    """Batches of the images in a folder of MNIST-format IDX files, in [-1, 1].

    Args:
        directory: a folder with one `*images-idx3-ubyte[.gz]` file (or
            several, told apart by `kind`); labels are not needed.
        batch_size: images per batch; the last partial batch is dropped.
        shuffle: reshuffle every epoch, as a function of `(seed, epoch)`.
        seed: int, the shuffle seed.
        initial_epoch: the epoch number of the first iteration (resuming).
        kind: the name part before `-idx3-ubyte`, e.g. "train-images".

    Returns:
        A `tf.data.Dataset` of float32 batches (batch_size, H, W, 1).

    Raises:
        ValueError: if the folder does not exist, no or several files match,
            the file is corrupt or not uint8 images, or it has fewer images
            than `batch_size`.
    """
    images_file = _images_file(directory, kind)
    images = read_idx(images_file)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError(
            f"{images_file} holds {images.dtype} data of shape {images.shape}, not uint8 "
            "images (N, H, W)."
        )
    return _arrays.from_arrays(
        images, batch_size=batch_size, shuffle=shuffle, seed=seed, initial_epoch=initial_epoch
    )


def has_idx_images(directory):
    """Whether a folder holds an `*images-idx3-ubyte[.gz]` file (used by `load`)."""
    return bool(_matching(pathlib.Path(directory), r"images[-.]idx3-ubyte(\.gz)?$"))
