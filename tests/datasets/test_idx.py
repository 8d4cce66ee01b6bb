"""IDX files that lie about their size: gzip bombs, absurd dimensions, bad headers."""

import gzip
import struct
import tracemalloc
import zlib

import numpy as np
import pytest

from keras_gan_zoo import datasets

pytestmark = pytest.mark.neutral

MIB = 2**20


def _header(dims, type_code=0x08):
    return struct.pack(">BBBB", 0, 0, type_code, len(dims)) + b"".join(
        struct.pack(">I", d) for d in dims
    )


def _write_gzip_stream(path, header, payload_bytes, chunk=MIB):
    """Gzips `header` then `payload_bytes` zero bytes, without holding them in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: a gzip container
    zeros = bytes(chunk)
    with open(path, "wb") as file:
        file.write(compressor.compress(header))
        for start in range(0, payload_bytes, chunk):
            file.write(compressor.compress(zeros[: min(chunk, payload_bytes - start)]))
        file.write(compressor.flush())


def _peak_memory_of(function, *args, **kwargs):
    """Runs `function`; returns (its exception or None, peak bytes Python and NumPy allocated)."""
    tracemalloc.start()
    try:
        function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 (returned to the caller to match)
        raised = error
    else:
        raised = None
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return raised, peak


def test_gzip_bomb_is_refused_without_decompressing_it(tmp_path):
    # 10 MNIST-sized images declared, 64 MiB of zeros inside (a 64 KB file).
    bomb = tmp_path / "bomb-images-idx3-ubyte.gz"
    _write_gzip_stream(bomb, _header((10, 28, 28)), 64 * MIB)
    assert bomb.stat().st_size < MIB
    error, peak = _peak_memory_of(datasets.read_idx, bomb)
    assert isinstance(error, ValueError), error
    assert "longer than" in str(error) and "(10, 28, 28)" in str(error)
    assert peak < 8 * MIB, f"peak memory {peak / MIB:.0f} MiB while refusing a gzip bomb"


def test_absurd_declared_dimensions_are_refused_before_allocating(tmp_path):
    huge = tmp_path / "huge-images-idx3-ubyte.gz"
    huge.write_bytes(gzip.compress(_header((2**32 - 1, 2**32 - 1, 2**32 - 1), 0x0E) + bytes(64)))
    error, peak = _peak_memory_of(datasets.read_idx, huge)
    assert isinstance(error, ValueError), error
    assert "max_bytes" in str(error)
    assert peak < MIB

    # Under the cap, but more than any gzip file of this size can decompress to.
    small = tmp_path / "small-images-idx3-ubyte.gz"
    small.write_bytes(gzip.compress(_header((1000, 1000, 1000)) + bytes(64)))
    error, peak = _peak_memory_of(datasets.read_idx, small)
    assert isinstance(error, ValueError), error
    assert "truncated" in str(error)
    assert peak < MIB

    # A plain file's size is known before reading: 1 GB declared, 80 bytes there.
    plain = tmp_path / "plain-images-idx3-ubyte"
    plain.write_bytes(_header((1000, 1000, 1000)) + bytes(64))
    error, peak = _peak_memory_of(datasets.read_idx, plain)
    assert isinstance(error, ValueError), error
    assert "truncated" in str(error)
    assert peak < MIB


def test_the_size_cap_can_be_raised_or_lowered(tmp_path):
    path = tmp_path / "images-idx3-ubyte.gz"
    array = np.arange(6 * 7 * 5, dtype=np.uint8).reshape(6, 7, 5)
    path.write_bytes(gzip.compress(_header(array.shape) + array.tobytes()))
    with pytest.raises(
        ValueError, match=r"declares 210 bytes of data \(shape \(6, 7, 5\).*max_bytes"
    ):
        datasets.read_idx(path, max_bytes=200)
    np.testing.assert_array_equal(datasets.read_idx(path, max_bytes=210), array)
    with pytest.raises(ValueError, match="max_bytes must be"):
        datasets.read_idx(path, max_bytes=-1)


@pytest.mark.parametrize("compress", [False, True])
def test_multi_byte_types_and_trailing_data(tmp_path, compress):
    array = np.linspace(-3, 3, 24).reshape(2, 3, 4).astype(">f4")
    data = _header(array.shape, 0x0D) + array.tobytes()
    path = tmp_path / "floats-idx3-ubyte"
    path.write_bytes(gzip.compress(data) if compress else data)
    result = datasets.read_idx(path)
    assert result.dtype == np.float32 and result.dtype.isnative and result.flags.writeable
    np.testing.assert_array_equal(result, array)
    path.write_bytes(gzip.compress(data + b"\0") if compress else data + b"\0")
    with pytest.raises(ValueError, match="longer than declared"):
        datasets.read_idx(path)


def test_bad_headers_name_the_problem(tmp_path):
    path = tmp_path / "bad-idx3-ubyte"
    cases = [
        (b"", "not an IDX file"),
        (b"\0\0\x08", "not an IDX file"),
        (b"\1\0\x08\x01" + bytes(8), "not an IDX file"),
        (b"\0\0\x07\x01" + bytes(8), "type code 07"),
        (b"\0\0\x08\x00", "rank 0"),
        (b"\0\0\x08\x03" + bytes(5), "header.*truncated"),
        (struct.pack(">BBBB", 0, 0, 8, 200) + bytes(800), "rank 200"),
        (_header((0, 2**32 - 1, 2**32 - 1)), "too large for any array"),
        (gzip.compress(b"\0\0\x08\x01\0\0\0\x02ab")[:-3], "truncated or corrupt gzip"),
        (b"\x1f\x8b" + bytes(30), "truncated or corrupt gzip"),
    ]
    for data, message in cases:
        path.write_bytes(data)
        with pytest.raises(ValueError, match=message):
            datasets.read_idx(path)
    with pytest.raises(ValueError, match="is a folder"):
        datasets.read_idx(tmp_path)
    with pytest.raises(ValueError, match="does not exist"):
        datasets.read_idx(tmp_path / "missing")
    with pytest.raises(ValueError, match="path.*got 3"):
        datasets.read_idx(3)


def test_zero_sized_dimensions_give_an_empty_array(tmp_path):
    path = tmp_path / "empty-idx3-ubyte"
    path.write_bytes(_header((0, 28, 28)))
    assert datasets.read_idx(path).shape == (0, 28, 28)
