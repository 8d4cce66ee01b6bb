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


def _images_file(directory, kind):
    directory = _pipeline.check_folder(directory, "IDX folder")
    if not isinstance(kind, str):
        raise ValueError(
            f"kind must be a string such as 'train-images' or 't10k-images'; got {kind!r}."
        )
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
    """Whether a folder holds an `*images-idx3-ubyte[.gz]` file (used by `load`).

    False for anything that is not an existing folder.
    """
    try:
        directory = pathlib.Path(directory)
    except TypeError:
        return False
    if not directory.is_dir():
        return False
    return bool(_matching(directory, r"images[-.]idx3-ubyte(\.gz)?$"))
