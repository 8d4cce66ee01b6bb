"""Image grids and PNG files, with NumPy and the standard library only.

Nothing here imports TensorFlow, PIL or a Keras backend, so sample grids can
be written from any backend (and from processes that never load TF).
"""

import math
import os
import struct
import uuid
import zlib

import numpy as np

__all__ = ["make_grid", "read_png", "save_image_grid", "to_uint8", "write_png"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Channels -> PNG color type: gray, gray + alpha, RGB, RGBA.
_COLOR_TYPE_OF_CHANNELS = {1: 0, 2: 4, 3: 2, 4: 6}
_CHANNELS_OF_COLOR_TYPE = {v: k for k, v in _COLOR_TYPE_OF_CHANNELS.items()}


def check_value_range(value_range):
    """Returns `value_range` as a finite float pair (low, high), low < high."""
    try:
        low, high = (float(v) for v in value_range)
    except (TypeError, ValueError):
        raise ValueError(f"value_range must be a pair (low, high); got {value_range!r}.") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"value_range must be finite with low < high; got {value_range!r}.")
    return low, high


def to_uint8(images, value_range=(-1, 1)):
    """Maps images in `value_range` to uint8 pixels, rounding and clipping.

    `low` maps to 0 and `high` to 255; values in between are rounded to the
    nearest integer (halves to even), values outside are clipped, and NaN
    becomes 0 (a diverged generator should not crash a sample grid).

    Args:
        images: array of any shape, e.g. (N, H, W, C) or (H, W, C). A uint8
            array is returned unchanged (it is already in pixel units).
        value_range: (low, high), the range the input values lie in.

    Returns:
        A uint8 NumPy array of the same shape.

    Raises:
        ValueError: if `images` is not numeric or `value_range` is not a
            finite pair with low < high.
    """
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    if not (np.issubdtype(images.dtype, np.integer) or np.issubdtype(images.dtype, np.floating)):
        raise ValueError(f"to_uint8 expects numeric images; got dtype {images.dtype}.")
    low, high = check_value_range(value_range)
    scaled = (images.astype(np.float64) - low) * (255.0 / (high - low))
    scaled = np.nan_to_num(scaled, nan=0.0, posinf=255.0, neginf=0.0)
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def make_grid(images, columns=None, padding=2, pad_value=0):
    """Tiles a batch of images into one uint8 image.

    The result has `padding` pixels of `pad_value` around and between the
    tiles: shape (rows * (H + padding) + padding,
    columns * (W + padding) + padding, C), with rows = ceil(N / columns).
    Cells after the last image are left as padding.

    Args:
        images: (N, H, W, C) array with C = 1 or 3; uint8 pixels, or floats
            in [-1, 1] (values outside are clipped).
        columns: tiles per row; default ceil(sqrt(N)).
        padding: pixels between and around the tiles (>= 0).
        pad_value: the padding's pixel value, 0..255 (in output units).

    Returns:
        A uint8 array (H', W', C).

    Raises:
        ValueError: for a shape other than (N, H, W, 1 or 3) with N > 0, or
            bad `columns`, `padding` or `pad_value`.
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or 0 in images.shape:
        raise ValueError(
            "make_grid expects a non-empty batch of shape (N, H, W, C) with C = 1 or 3; "
            f"got shape {images.shape}."
        )
    count, height, width, channels = images.shape
    if columns is None:
        columns = math.ceil(math.sqrt(count))
    if int(columns) != columns or columns < 1:
        raise ValueError(f"columns must be a positive integer; got {columns!r}.")
    if int(padding) != padding or padding < 0:
        raise ValueError(f"padding must be a non-negative integer; got {padding!r}.")
    if not 0 <= pad_value <= 255:
        raise ValueError(f"pad_value is a pixel value in 0..255; got {pad_value!r}.")
    columns, padding = int(columns), int(padding)
    pixels = to_uint8(images)
    rows = math.ceil(count / columns)
    grid = np.full(
        (rows * (height + padding) + padding, columns * (width + padding) + padding, channels),
        pad_value,
        dtype=np.uint8,
    )
    for index, image in enumerate(pixels):
        top = padding + (index // columns) * (height + padding)
        left = padding + (index % columns) * (width + padding)
        grid[top : top + height, left : left + width] = image
    return grid


def _chunk(kind, data):
    # Length, type, data, then a CRC-32 over type + data (PNG spec, section 5.3).
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _encode_png(image):
    height, width, channels = image.shape
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOR_TYPE_OF_CHANNELS[channels], 0, 0, 0)
    # Every scanline gets filter type 0 (none): simple, and zlib still
    # compresses flat regions (padding, backgrounds) well.
    scanlines = np.zeros((height, 1 + width * channels), np.uint8)
    scanlines[:, 1:] = image.reshape(height, width * channels)
    return b"".join(
        [
            _PNG_SIGNATURE,
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", zlib.compress(scanlines.tobytes(), 6)),
            _chunk(b"IEND", b""),
        ]
    )


def write_png(path, image):
    """Writes a uint8 image as an 8-bit PNG file, atomically.

    The file is written under a temporary name in the same folder, then
    renamed over `path`, so a reader (or a crash) never sees half a file.
    Missing parent folders are created.

    Args:
        path: destination file (str or path-like).
        image: uint8 array (H, W), (H, W, 1) (grayscale), (H, W, 3) (RGB);
            (H, W, 2) and (H, W, 4) are written with alpha.

    Returns:
        `path`, as a str.

    Raises:
        ValueError: if the image is not uint8, has another shape, or is empty.
    """
    image = np.asarray(image)
    if image.ndim == 2:
        image = image[..., None]
    if (
        image.dtype != np.uint8
        or image.ndim != 3
        or image.shape[-1] not in _COLOR_TYPE_OF_CHANNELS
        or 0 in image.shape
    ):
        raise ValueError(
            "write_png expects a non-empty uint8 image of shape (H, W), (H, W, 1) or "
            f"(H, W, 3); got dtype {image.dtype} and shape {image.shape}. "
            "Convert float images with to_uint8 first."
        )
    data = _encode_png(np.ascontiguousarray(image))
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    # A unique name beside the target (same file system, so os.replace is
    # atomic); opened with "xb" so the file gets the usual umask permissions.
    temporary = os.path.join(directory, f".{os.path.basename(path)}.{uuid.uuid4().hex}.tmp")
    try:
        with open(temporary, "xb") as file:
            file.write(data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path


def _paeth(left, up, up_left):
    estimate = left + up - up_left
    distance_left = abs(estimate - left)
    distance_up = abs(estimate - up)
    distance_up_left = abs(estimate - up_left)
    if distance_left <= distance_up and distance_left <= distance_up_left:
        return left
    return up if distance_up <= distance_up_left else up_left


def _unfilter(filter_type, line, previous, bpp, path):
    """Undoes one scanline's filter (PNG spec, section 9); returns uint8 bytes."""
    if filter_type == 0:
        return line
    if filter_type == 1:  # Sub: a running sum along each channel.
        return (
            (line.reshape(-1, bpp).cumsum(axis=0, dtype=np.int64) & 0xFF).astype(np.uint8).ravel()
        )
    if filter_type == 2:  # Up.
        return line + previous  # uint8 arithmetic wraps modulo 256, as the spec wants.
    if filter_type not in (3, 4):
        raise ValueError(f"{path}: unknown PNG filter type {filter_type} (corrupt file).")
    # Average and Paeth depend on the byte just decoded: a sequential loop,
    # over plain Python ints (much faster than NumPy scalars).
    raw, up = line.tolist(), previous.tolist()
    out = [0] * len(raw)
    for i, value in enumerate(raw):
        left = out[i - bpp] if i >= bpp else 0
        if filter_type == 3:
            predictor = (left + up[i]) >> 1
        else:
            predictor = _paeth(left, up[i], up[i - bpp] if i >= bpp else 0)
        out[i] = (value + predictor) & 0xFF
    return np.array(out, dtype=np.uint8)


def _read_chunks(data, path):
    position = len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 8 + length
        if end + 4 > len(data):
            raise ValueError(f"{path}: PNG chunk {kind!r} runs past the end (truncated file).")
        body = data[position + 8 : end]
        (crc,) = struct.unpack(">I", data[end : end + 4])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"{path}: PNG chunk {kind!r} fails its CRC check (corrupt file).")
        yield kind, body
        if kind == b"IEND":
            return
        position = end + 4
    raise ValueError(f"{path}: PNG file ends without an IEND chunk (truncated file).")


def read_png(path):
    """Reads an 8-bit, non-interlaced grayscale, RGB or RGBA PNG file.

    Reads everything `write_png` writes, and other encoders' files of those
    kinds with any of the five scanline filters. Ancillary chunks (gamma,
    text, ...) are ignored.

    Args:
        path: the PNG file.

    Returns:
        A uint8 array (H, W, C): C = 1 (gray), 2 (gray + alpha), 3 (RGB) or
        4 (RGBA).

    Raises:
        ValueError: if the file is not a PNG, is truncated or corrupt, or
            uses a bit depth, palette or interlacing this reader lacks.
        FileNotFoundError: if `path` does not exist.
    """
    path = os.fspath(path)
    with open(path, "rb") as file:
        data = file.read()
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError(f"{path} is not a PNG file (bad signature).")
    header, compressed = None, []
    for kind, body in _read_chunks(data, path):
        if kind == b"IHDR":
            if len(body) != 13:
                raise ValueError(f"{path}: IHDR chunk has {len(body)} bytes, not 13.")
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed.append(body)
    if header is None or not compressed:
        raise ValueError(f"{path}: PNG file lacks an IHDR or IDAT chunk.")
    width, height, depth, color_type, compression, filter_method, interlace = header
    channels = _CHANNELS_OF_COLOR_TYPE.get(color_type)
    if depth != 8 or channels is None or interlace != 0 or compression or filter_method:
        raise ValueError(
            f"{path}: only 8-bit, non-interlaced gray/RGB/RGBA PNGs are supported; this one "
            f"has bit depth {depth}, color type {color_type}, interlace method {interlace}."
        )
    try:
        raw = zlib.decompress(b"".join(compressed))
    except zlib.error as error:
        raise ValueError(f"{path}: PNG image data is corrupt ({error}).") from None
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise ValueError(
            f"{path}: PNG image data has {len(raw)} bytes, but a {width}x{height} image with "
            f"{channels} channel(s) needs {height * (stride + 1)} (truncated or corrupt)."
        )
    scanlines = np.frombuffer(raw, np.uint8).reshape(height, stride + 1)
    image = np.empty((height, stride), np.uint8)
    previous = np.zeros(stride, np.uint8)
    for row, scanline in enumerate(scanlines):
        previous = image[row] = _unfilter(int(scanline[0]), scanline[1:], previous, channels, path)
    return image.reshape(height, width, channels)


def save_image_grid(images, path, columns=None):
    """Writes a batch of images as one PNG grid (`make_grid`, then `write_png`).

    Args:
        images: (N, H, W, 1 or 3) uint8 pixels, or floats in [-1, 1].
        path: destination PNG file; parent folders are created.
        columns: tiles per row; default ceil(sqrt(N)).

    Returns:
        `path`, as a str.

    Raises:
        ValueError: for a bad shape (see `make_grid`).
    """
    return write_png(path, make_grid(images, columns=columns))
