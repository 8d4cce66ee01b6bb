"""Image grids and PNG files with NumPy and the standard library only."""

import os
import struct
import tempfile
import zlib

import numpy as np

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOR_TYPES = {1: 0, 3: 2, 4: 6}  # channels -> PNG color type (gray, RGB, RGBA)


def to_uint8(images, value_range=(-1.0, 1.0)):
    """Maps float images in `value_range` to uint8 pixels, rounding and clipping."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    low, high = value_range
    scaled = (images.astype("float64") - low) * (255.0 / (high - low))
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def make_grid(images, columns=None, padding=2, pad_value=0):
    """Tiles (N, H, W, C) images into one (rows*H', columns*W', C) uint8 image.

    Float images are taken to be in [-1, 1]; uint8 images are used as they are.
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(
            f"make_grid expects images of shape (N, H, W, 1 or 3); got shape {images.shape}."
        )
    images = to_uint8(images)
    count, height, width, channels = images.shape
    columns = columns or int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    grid = np.full(
        (rows * (height + padding) + padding, columns * (width + padding) + padding, channels),
        pad_value,
        dtype=np.uint8,
    )
    for index, image in enumerate(images):
        top = padding + (index // columns) * (height + padding)
        left = padding + (index % columns) * (width + padding)
        grid[top : top + height, left : left + width] = image
    return grid


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png(path, image):
    """Writes a uint8 (H, W), (H, W, 1), (H, W, 3) or (H, W, 4) image as PNG, atomically."""
    image = np.asarray(image)
    if image.ndim == 2:
        image = image[..., None]
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[-1] not in _COLOR_TYPES:
        raise ValueError(
            f"write_png expects a uint8 image of shape (H, W) or (H, W, 1|3|4); "
            f"got dtype {image.dtype} and shape {image.shape}."
        )
    height, width, channels = image.shape
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOR_TYPES[channels], 0, 0, 0)
    # Filter type 0 (none) on every scanline.
    raw = np.concatenate([np.zeros((height, 1), np.uint8), image.reshape(height, -1)], axis=1)
    data = (
        _PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw.tobytes(), 6))
        + _chunk(b"IEND", b"")
    )
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".png.tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path


def _unfilter(filter_type, line, previous, bpp):
    out = line.astype(np.int32)
    prev = previous.astype(np.int32)
    if filter_type == 0:
        return line
    if filter_type == 2:
        return ((out + prev) & 0xFF).astype(np.uint8)
    result = np.zeros_like(out)
    for i in range(len(out)):
        left = result[i - bpp] if i >= bpp else 0
        up = prev[i]
        up_left = prev[i - bpp] if i >= bpp else 0
        if filter_type == 1:
            predictor = left
        elif filter_type == 3:
            predictor = (left + up) // 2
        elif filter_type == 4:
            p = left + up - up_left
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
            predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)
        else:
            raise ValueError(f"Unknown PNG filter type {filter_type}.")
        result[i] = (out[i] + predictor) & 0xFF
    return result.astype(np.uint8)


def read_png(path):
    """Reads an 8-bit, non-interlaced gray, RGB or RGBA PNG into (H, W, C) uint8."""
    with open(path, "rb") as file:
        data = file.read()
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError(f"{path} is not a PNG file.")
    position, idat = len(_PNG_SIGNATURE), b""
    width = height = channels = None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            channels = {v: k for k, v in _COLOR_TYPES.items()}.get(color)
            if depth != 8 or channels is None or interlace:
                raise ValueError(f"{path}: only 8-bit non-interlaced gray/RGB/RGBA is supported.")
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(height, stride + 1)
    rows, previous = [], np.zeros(stride, np.uint8)
    for line in raw:
        previous = _unfilter(int(line[0]), line[1:], previous, channels)
        rows.append(previous)
    return np.stack(rows).reshape(height, width, channels)


def save_image_grid(images, path, columns=None):
    """Writes `images` as one PNG grid; returns the path."""
    return write_png(path, make_grid(images, columns=columns))
