"""MNIST-format IDX files (http://yann.lecun.com/exdb/mnist/ describes the format)."""

import gzip
import math
import os
import pathlib
import re
import zlib

import numpy as np

from keras_gan_zoo.datasets import _arrays
from keras_gan_zoo.datasets import _pipeline

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
# The most data `read_idx` reads by default (8 GiB): far above MNIST's 47 MB,
# and CelebA at 64x64 as IDX (2.4 GB) fits. Memory is bounded by this, not
# by what a (maybe hostile) gzip stream would expand to.
MAX_IDX_BYTES = 8 * 2**30
# Deflate expands at most about 1032-fold (a 258-byte match per two bits), so
# a gzip file of n bytes cannot hold more than this many times n bytes.
_MAX_GZIP_RATIO = 1032
# The most dimensions NumPy arrays have on every supported NumPy version.
_MAX_RANK = 32
# Decompressed data is read in pieces of this size, into the array itself
# (zlib's output buffers for one piece are transient: a small piece keeps
# them small).
_CHUNK_BYTES = 2**16


def _read_exactly(stream, size, path, what):
    data = stream.read(size)
    if len(data) < size:
        raise ValueError(f"{path}: the IDX {what} is truncated ({len(data)} of {size} bytes).")
    return data


def _read_header(stream, path):
    """Reads the magic number and dimensions; returns (dtype, dims, header size)."""
    magic = stream.read(4)
    if len(magic) < 4 or magic[0] != 0 or magic[1] != 0:
        raise ValueError(
            f"{path} is not an IDX file: bad magic number {magic.hex() or '(empty)'} "
            "(expected 0000 then a type code such as 08, then the rank)."
        )
    type_code, rank = magic[2], magic[3]
    if type_code not in _IDX_DTYPES:
        known = ", ".join(f"{code:02x}" for code in _IDX_DTYPES)
        raise ValueError(
            f"{path} is not an IDX file: unknown type code {type_code:02x} (expected one of "
            f"{known})."
        )
    if not 1 <= rank <= _MAX_RANK:
        raise ValueError(
            f"{path} declares rank {rank}; an IDX array has 1 to {_MAX_RANK} dimensions."
        )
    dims_bytes = _read_exactly(stream, 4 * rank, path, f"header (rank {rank})")
    dims = tuple(int.from_bytes(dims_bytes[4 * i : 4 * i + 4], "big") for i in range(rank))
    return _IDX_DTYPES[type_code], dims, 4 + 4 * rank


def _read_payload(stream, size):
    """Reads up to `size` bytes into a new array; returns (array, bytes read, more follows)."""
    payload = np.empty(size, np.uint8)
    view = memoryview(payload)
    filled = 0
    while filled < size:
        count = stream.readinto(view[filled : filled + min(_CHUNK_BYTES, size - filled)])
        if not count:
            break
        filled += count
    # One byte more than declared tells "longer than declared" apart, and
    # makes gzip check its CRC and length trailer.
    extra = stream.read(1)
    return payload, filled, bool(extra)


def read_idx(path, max_bytes=MAX_IDX_BYTES):
    """Reads an IDX file (the MNIST format), plain or gzipped, into a NumPy array.

    Gzip is recognized by its magic bytes, whatever the file name. The
    header is read first and the data size it declares checked before
    anything is allocated: against `max_bytes`, against the file's size
    (plain files), and against the most a gzip file of that size can
    expand to. The data are then decompressed piece by piece into the
    array, reading at most one byte past the declared size, so memory stays
    within the declared array size whatever the file holds (a gzip bomb
    costs nothing).

    Args:
        path: the file, e.g. `t10k-images-idx3-ubyte.gz`.
        max_bytes: the largest data size (after decompression, without the
            header) to accept; default `MAX_IDX_BYTES`, 8 GiB.

    Returns:
        A writable NumPy array in native byte order with the declared
        shape, e.g. uint8 (N, 28, 28) for images and (N,) for labels.

    Raises:
        ValueError: if the file does not exist or is a folder, is not an
            IDX file (bad magic number, type code or rank), declares more
            than `max_bytes` of data, its size does not match the declared
            dimensions (truncated, corrupt, or longer than declared), or it
            is a truncated or corrupt gzip file.
    """
    try:
        path = os.fspath(path)
    except TypeError:
        raise ValueError(f"read_idx expects a file path; got {path!r}.") from None
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, (int, np.integer)) or max_bytes < 0:
        raise ValueError(f"max_bytes must be a non-negative integer; got {max_bytes!r}.")
    if os.path.isdir(path):
        raise ValueError(f"{path} is a folder; read_idx expects an IDX file.")
    if not os.path.isfile(path):
        raise ValueError(f"IDX file {path} does not exist.")
    file_size = os.path.getsize(path)
    with open(path, "rb") as file:
        compressed = file.read(2) == _GZIP_MAGIC
        file.seek(0)
        stream = gzip.GzipFile(fileobj=file, mode="rb") if compressed else file
        try:
            with stream:
                array = _read_array(stream, path, file_size, compressed, max_bytes)
        except (OSError, EOFError, zlib.error) as error:
            if not compressed:
                raise
            raise ValueError(
                f"{path} is a truncated or corrupt gzip file ({error or type(error).__name__})."
            ) from None
    return array


def _read_array(stream, path, file_size, compressed, max_bytes):
    """Reads header and data from `stream` (the file, or its decompressed stream)."""
    dtype, dims, header_size = _read_header(stream, path)
    data_size = math.prod(dims) * dtype.itemsize
    declared = f"declares {data_size} bytes of data (shape {dims} of {dtype.name})"
    if data_size > max_bytes:
        raise ValueError(
            f"{path} {declared}, more than max_bytes={max_bytes}. If the file is genuine, "
            "pass a larger max_bytes to read_idx."
        )
    # An empty shape, but NumPy refuses it when the other dimensions multiply past 2**63.
    if math.prod(d for d in dims if d) * dtype.itemsize >= 2**63:
        raise ValueError(f"{path} declares shape {dims}, too large for any array.")
    if compressed and data_size > _MAX_GZIP_RATIO * file_size:
        raise ValueError(
            f"{path} {declared}, more than a gzip file of {file_size} bytes can hold: "
            "the file is truncated or corrupt."
        )
    if not compressed and header_size + data_size != file_size:
        problem = "truncated" if header_size + data_size > file_size else "longer than declared"
        raise ValueError(
            f"{path} {declared} ({header_size + data_size} bytes with the header) but has "
            f"{file_size} bytes: the file is {problem} or corrupt."
        )
    payload, filled, longer = _read_payload(stream, data_size)
    if filled < data_size or longer:
        problem = (
            f"has only {header_size + filled} bytes with the header: the file is truncated"
            if filled < data_size
            else "holds more: the file is longer than declared"
        )
        raise ValueError(f"{path} {declared} but {problem} or corrupt.")
    native = dtype.newbyteorder("=")
    if native != dtype:  # Swapped in place, so that no copy doubles the memory.
        payload.view(dtype).byteswap(inplace=True)
    return payload.view(native).reshape(dims)


def _matching(directory, pattern):
    regex = re.compile(pattern)
    return sorted(p for p in directory.iterdir() if p.is_file() and regex.search(p.name))


# MNIST's and Fashion-MNIST's file names start with the split:
# "train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz".
SPLIT_PREFIXES = {"train": "train", "test": "t10k"}
_IMAGES_FILE = r"images[-.]idx3-ubyte(\.gz)?$"


def _images_file(directory, kind=None, split=None):
    """The images file of `directory` that `kind` or `split` picks.

    With neither, a folder with one images file gives it, and a folder with
    both MNIST splits gives the training split's.
    """
    directory = _pipeline.check_folder(directory, "IDX folder")
    if kind is not None and split is not None:
        raise ValueError("Pass kind= or split=, not both: split='train' is kind='train-images'.")
    if split is not None:
        if split not in SPLIT_PREFIXES:
            raise ValueError(f"split must be 'train' or 'test'; got {split!r}.")
        kind = f"{SPLIT_PREFIXES[split]}-images"
    if kind is not None and not isinstance(kind, str):
        raise ValueError(
            f"kind must be a string such as 'train-images' or 't10k-images'; got {kind!r}."
        )
    # MNIST mirrors spell the name "train-images-idx3-ubyte" or "train-images.idx3-ubyte".
    suffix = _IMAGES_FILE.removeprefix("images")
    matches = _matching(directory, _IMAGES_FILE if kind is None else re.escape(kind) + suffix)
    if kind is None and len(matches) > 1:
        training = [p for p in matches if p.name.startswith(SPLIT_PREFIXES["train"] + "-")]
        if len(training) == 1 and all(
            p.name.startswith(tuple(f"{prefix}-" for prefix in SPLIT_PREFIXES.values()))
            for p in matches
        ):
            return training[0]
    if len(matches) != 1:
        found = [p.name for p in matches] or "none"
        wanted = f"'*{kind or 'images'}-idx3-ubyte[.gz]'"
        hint = " Pass split='train' or split='test' to pick one." if len(matches) > 1 else ""
        raise ValueError(f"Expected exactly one {wanted} file in {directory}; found {found}.{hint}")
    return matches[0]


def _labels_file(images_file):
    labels_name = re.sub(r"images([-.])idx3", r"labels\1idx1", images_file.name)
    labels_name = labels_name.removesuffix(".gz")
    candidates = [images_file.parent / labels_name, images_file.parent / f"{labels_name}.gz"]
    labels_file = next((p for p in candidates if p.is_file()), None)
    if labels_file is None:
        raise ValueError(f"No labels file {labels_name}[.gz] beside {images_file}.")
    return labels_file


def _read_images(images_file):
    images = read_idx(images_file)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError(
            f"{images_file} holds {images.dtype} data of shape {images.shape}, not uint8 "
            "images (N, H, W)."
        )
    return images


def _read_labels(labels_file, count):
    labels = read_idx(labels_file)
    if labels.ndim != 1 or len(labels) != count:
        raise ValueError(
            f"{labels_file.name} holds labels of shape {labels.shape}, but the images "
            f"file beside it holds {count} images."
        )
    return labels


def idx_arrays(directory, kind=None, split=None):
    """Images and labels from a folder of MNIST-format IDX files.

    Args:
        directory: a folder holding `*images-idx3-ubyte[.gz]` and the
            matching `*labels-idx1-ubyte[.gz]` file (MNIST's and
            Fashion-MNIST's four files side by side, or one split's two).
        kind: the name part before `-idx3-ubyte` that picks the images
            file, e.g. "train-images"; or None.
        split: "train" or "test", MNIST's file names for the two splits;
            None picks the folder's only split, or "train" when it holds
            both.

    Returns:
        (images, labels): uint8 (N, H, W) and (N,) arrays.

    Raises:
        ValueError: if no or several images files match, the labels file
            is missing, the files are corrupt, or the counts differ.
    """
    images_file = _images_file(directory, kind, split)
    images = read_idx(images_file)
    return images, _read_labels(_labels_file(images_file), len(images))


def idx_images(directory, split=None, value_range=(-1.0, 1.0)):
    """`idx_arrays` ready for a model: float32 images (N, H, W, 1) in `value_range`, int32 labels.

    Args:
        directory, split: as for `idx_arrays`.
        value_range: (low, high) the pixels 0..255 are scaled to.
    """
    images, labels = idx_arrays(directory, split=split)
    low, high = value_range
    images = images[..., None].astype("float32") * ((high - low) / 255.0) + low
    return images, labels.astype("int32")


def from_idx(
    directory,
    batch_size=64,
    shuffle=True,
    seed=0,
    initial_epoch=0,
    kind=None,
    split=None,
    labels=False,
):
    """Batches of the images in a folder of MNIST-format IDX files, in [-1, 1].

    Args:
        directory: a folder with MNIST-format files: one split's
            `*images-idx3-ubyte[.gz]` (labels are needed only with
            `labels=True`), or both splits side by side, as MNIST and
            Fashion-MNIST are distributed.
        batch_size: images per batch; the last partial batch is dropped.
        shuffle: reshuffle every epoch, as a function of `(seed, epoch)`.
        seed: int, the shuffle seed.
        initial_epoch: the epoch number of the first iteration (resuming).
        kind: the name part before `-idx3-ubyte`, e.g. "train-images", for
            files named otherwise than MNIST's.
        split: "train" or "test"; None takes the folder's only split, or the
            training split of a folder with both (train on the training set,
            measure on the test set).
        labels: if True, batches are (images, labels) pairs, read from the
            `*labels-idx1-ubyte[.gz]` file beside the images.

    Returns:
        A `tf.data.Dataset` of float32 batches (batch_size, H, W, 1), or of
        (images, int32 labels) pairs.

    Raises:
        ValueError: if the folder does not exist, no or several files match,
            the split is missing, a file is corrupt or not uint8 images, the
            labels are missing or their count differs, or the folder has
            fewer images than `batch_size`.
    """
    images_file = _images_file(directory, kind, split)
    images = _read_images(images_file)
    label_array = None
    if _pipeline.check_bool(labels, "labels"):
        label_array = _read_labels(_labels_file(images_file), len(images))
    return _arrays.from_arrays(
        images,
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
        initial_epoch=initial_epoch,
        labels=label_array,
    )


def has_idx_images(directory):
    """Whether a folder holds an `*images-idx3-ubyte[.gz]` file (used by `load`).

    False for anything that is not an existing folder.
    """
    try:
        directory = pathlib.Path(directory)
    except TypeError:
        return False
    if not directory.is_dir():
        return False
    return bool(_matching(directory, _IMAGES_FILE))
