"""Property-based tests of `read_idx`: whatever a file holds, the reader answers
with an array that matches the header it declares, or with a ValueError that
names the file; never another exception, never memory beyond the declared size.
"""

import gzip
import math
import struct
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_gan_zoo import datasets

pytestmark = pytest.mark.neutral

# The IDX type codes, as the format's description lists them.
TYPES = {0x08: "u1", 0x09: "i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MIB = 2**20
# What the reader may allocate beyond the declared data: gzip's buffers and
# the like (measured: 254 KiB).
SLACK = MIB

PROPERTY = settings(
    max_examples=100,
    deadline=5000,  # ms; one example takes a few at most
    database=None,  # nothing written into the work tree
    derandomize=True,  # the same examples on every run: CI never meets a new one by chance
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return tmp_path_factory.mktemp("idx") / "example-images-idx3-ubyte"


def _declared_size(data):
    """The data size the header of (decompressed) `data` declares, or 0 if it has none."""
    if len(data) < 4 or data[0] or data[1] or data[2] not in TYPES:
        return 0
    rank = data[3]
    if len(data) < 4 + 4 * rank:
        return 0
    dims = struct.unpack(f">{rank}I", data[4 : 4 + 4 * rank])
    return math.prod(dims) * np.dtype(TYPES[data[2]]).itemsize


def _check_read(path, file_bytes, decompressed, damaged=False):
    """Reads `path`; asserts the property; returns the array or None for a ValueError.

    `decompressed` is what `file_bytes` hold, unless `damaged` (then unknown).
    """
    path.write_bytes(file_bytes)
    # Memory may follow the declared size, within what the file can hold.
    expansion = 1032 if file_bytes[:2] == b"\x1f\x8b" else 1
    declared = expansion * len(file_bytes)
    if not damaged:
        declared = min(_declared_size(decompressed), declared)
    tracemalloc.start()
    try:
        array = datasets.read_idx(path)
    except ValueError as error:
        assert str(path) in str(error), f"the message does not name the file: {error}"
        array = None
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak <= SLACK + declared, f"peak {peak} bytes, {declared} declared"
    if array is not None:
        type_code, rank = decompressed[2], decompressed[3]
        dims = struct.unpack(f">{rank}I", decompressed[4 : 4 + 4 * rank])
        assert array.shape == dims
        assert array.dtype == np.dtype(TYPES[type_code]).newbyteorder("=")
        assert array.flags.writeable
        expected = np.frombuffer(decompressed, TYPES[type_code], offset=4 + 4 * rank)
        np.testing.assert_array_equal(array.ravel(), expected)
    return array


class IdxContents(bytes):
    """File contents whose repr stays short when hypothesis reports a failing example."""

    def __repr__(self):
        head = bytes(self[:24])
        return f"IdxContents({head!r} + {len(self) - len(head)} more bytes)"


@st.composite
def idx_contents(draw):
    """IDX bytes: mostly well-formed headers, with data of the declared size or not."""
    type_code = draw(st.sampled_from([*TYPES, *TYPES, 0x00, 0x07, 0xFF]))
    rank = draw(st.one_of(st.integers(1, 4), st.integers(0, 255)))
    small = st.integers(0, 6)
    dims = draw(
        st.lists(st.one_of(small, small, st.integers(0, 2**32 - 1)), min_size=rank, max_size=rank)
    )
    itemsize = np.dtype(TYPES.get(type_code, "u1")).itemsize
    declared = math.prod(dims) * itemsize
    header = struct.pack(">BBBB", 0, 0, type_code, rank) + struct.pack(f">{rank}I", *dims)
    size = draw(
        st.one_of(
            st.just(declared),  # right
            st.integers(0, 64),  # anything small
            st.just(declared + 1),
            st.just(max(declared - 1, 0)),
            st.just(declared + 4 * MIB),  # far longer than declared: zeros, a gzip bomb
        )
    )
    if size > 8 * MIB:
        size = draw(st.integers(0, 64))
    payload = bytes(size) if size > 4096 else draw(st.binary(min_size=size, max_size=size))
    header = header[: draw(st.sampled_from([len(header)] * 4 + [len(header) // 2]))]
    return IdxContents(header + payload)


@PROPERTY
@given(data=st.binary(max_size=512))
def test_any_bytes_give_an_array_or_a_value_error(path, data):
    _check_read(path, data, data)


@PROPERTY
@given(data=idx_contents())
def test_idx_like_files_give_their_declared_array_or_a_value_error(path, data):
    _check_read(path, data, data)


@PROPERTY
@given(
    data=idx_contents(),
    level=st.sampled_from([1, 9]),
    damage=st.one_of(
        st.none(),
        st.tuples(st.just("truncate"), st.integers(0, 2**16)),
        st.tuples(st.just("flip"), st.integers(0, 2**16)),
        st.tuples(st.just("append"), st.binary(min_size=1, max_size=16)),
    ),
)
def test_gzipped_files_give_their_declared_array_or_a_value_error(path, data, level, damage):
    compressed = gzip.compress(data, compresslevel=level, mtime=0)
    if damage is not None:
        kind, argument = damage
        if kind == "truncate":
            compressed = compressed[: argument % len(compressed)]
        elif kind == "flip":
            index = argument % len(compressed)
            compressed = (
                compressed[:index] + bytes([compressed[index] ^ 0xFF]) + compressed[index + 1 :]
            )
        else:
            compressed += argument
    array = _check_read(path, compressed, data, damaged=damage is not None)
    if damage is not None and damage[0] == "truncate" and array is not None:
        pytest.fail("a truncated gzip file was read")
