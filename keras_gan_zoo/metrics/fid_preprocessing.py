"""Image preprocessing for the FID Inception network, named by convention.

Every reported number names its mode, since the mode moves FID:
- "tf_legacy" (the default, TTUR's published convention): generated images
  are quantized to uint8 as a PNG would store them, resized to 299x299 with
  TensorFlow 1's legacy bilinear resize (source coordinate = destination *
  in / out, no half-pixel centres, no antialiasing), then scaled by
  (x - 128) / 128.
- "pytorch_fid": half-pixel bilinear resize of x / 255, then 2x - 1.
- "clean" (clean-fid, Parmar et al. 2022): PIL's antialiased bicubic resize
  of the 0..255 values (each channel as a float image), clipped to 0..255,
  then (x - 128) / 128.

Grayscale images are repeated to 3 channels. Written with `keras.ops`, so it
runs on the active backend, on its GPU when there is one.
"""

import keras
import numpy as np
from keras import ops

MODES = ("tf_legacy", "pytorch_fid", "clean")


def quantize_to_uint8(images, value_range=(-1.0, 1.0)):
    """Float images in `value_range` -> pixel values 0..255 (float32), rounded as in a PNG."""
    low, high = value_range
    pixels = (ops.cast(images, "float32") - low) * (255.0 / (high - low))
    return ops.clip(ops.round(pixels), 0.0, 255.0)


def resize_bilinear_tf1(images, size):
    """TensorFlow 1's legacy bilinear resize (`align_corners=False`), channels last.

    Output pixel i samples the input at i * in / out: the top-left corners
    line up, and nothing is antialiased when shrinking.
    """
    out_height, out_width = size
    in_height, in_width = int(images.shape[1]), int(images.shape[2])
    images = ops.cast(images, "float32")
    # Along the width first, then the height: TensorFlow's order of operations.
    lower, upper, fraction = _sample_points(in_width, out_width)
    images = _blend(images, lower, upper, fraction.reshape(1, 1, -1, 1), axis=2)
    lower, upper, fraction = _sample_points(in_height, out_height)
    return _blend(images, lower, upper, fraction.reshape(1, -1, 1, 1), axis=1)


def _sample_points(in_size, out_size):
    # In float32, as TensorFlow's kernel computes them: this makes the result
    # match tf.compat.v1.image.resize_bilinear to float32 rounding.
    scale = np.float32(in_size) / np.float32(out_size)
    source = np.arange(out_size, dtype=np.float32) * scale
    lower = np.floor(source).astype("int32")
    upper = np.minimum(lower + 1, in_size - 1).astype("int32")
    return lower, upper, (source - lower.astype(np.float32)).astype("float32")


def _blend(images, lower, upper, fraction, axis):
    below = ops.take(images, lower, axis=axis)
    above = ops.take(images, upper, axis=axis)
    return below + (above - below) * fraction


def resize_bicubic_pil(images, size):
    """PIL's bicubic resize of float images (`Image.resize(..., BICUBIC)` in mode "F").

    Pillow's kernel (a = -0.5), widened by the scale factor when shrinking
    (its antialiasing), with weights normalized per output pixel; width
    first, then height, as Pillow does. Written as two matrix products.
    """
    out_height, out_width = size
    in_height, in_width = int(images.shape[1]), int(images.shape[2])
    images = ops.cast(images, "float32")
    images = ops.einsum("pw,nhwc->nhpc", _pil_bicubic_weights(in_width, out_width), images)
    return ops.einsum("ph,nhwc->npwc", _pil_bicubic_weights(in_height, out_height), images)


def _pil_bicubic_weights(in_size, out_size):
    """(out_size, in_size) float32 matrix of Pillow's bicubic weights."""

    def cubic(x, a=-0.5):
        x = np.abs(x)
        near = ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
        far = (((x - 5.0) * x + 8.0) * x - 4.0) * a
        return np.where(x < 1.0, near, np.where(x < 2.0, far, 0.0))

    scale = in_size / out_size
    widening = max(scale, 1.0)
    support = 2.0 * widening
    weights = np.zeros((out_size, in_size))
    for index in range(out_size):
        center = (index + 0.5) * scale
        low = max(int(center - support + 0.5), 0)
        high = min(int(center + support + 0.5), in_size)
        taps = cubic((np.arange(low, high) - center + 0.5) / widening)
        weights[index, low:high] = taps / taps.sum()
    return weights.astype("float32")


def preprocess(images, mode="tf_legacy", value_range=(-1.0, 1.0), size=299):
    """Images (n, h, w, 1 or 3) -> the FID network's (n, size, size, 3) input.

    Args:
        images: uint8 pixels, or floats in `value_range` (generated images).
        mode: "tf_legacy", "pytorch_fid" or "clean" (see the module docstring).
        value_range: range of float images; ignored for uint8.
        size: output side.
    """
    if mode not in MODES:
        raise ValueError(f"Unknown FID preprocessing mode {mode!r}; choose from {MODES}.")
    if len(images.shape) != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(f"Expected images of shape (n, h, w, 1 or 3), got {tuple(images.shape)}.")
    if keras.backend.standardize_dtype(images.dtype) == "uint8":
        pixels = ops.cast(images, "float32")
    else:
        pixels = quantize_to_uint8(images, value_range)
    if images.shape[-1] == 1:
        pixels = ops.repeat(pixels, 3, axis=-1)
    if mode == "tf_legacy":
        return (resize_bilinear_tf1(pixels, (size, size)) - 128.0) / 128.0
    if mode == "clean":
        resized = ops.clip(resize_bicubic_pil(pixels, (size, size)), 0.0, 255.0)
        return (resized - 128.0) / 128.0
    resized = ops.image.resize(
        pixels / 255.0, (size, size), interpolation="bilinear", antialias=False
    )
    return resized * 2.0 - 1.0
