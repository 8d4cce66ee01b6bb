"""`save_scatter`: a 2-d scatter plot of labelled points as a PNG, with NumPy alone.

The zoo writes its own PNGs (`utils.images.write_png`) rather than depend on
matplotlib for one kind of figure: the 2-d codes of an adversarial
autoencoder, one colour per class.
"""

import numpy as np

from keras_gan_zoo.utils.images import write_png

# Ten distinct colours (RGB), one per class; more classes cycle through them.
PALETTE = np.array(
    [
        (31, 119, 180),
        (255, 127, 14),
        (44, 160, 44),
        (214, 39, 40),
        (148, 103, 189),
        (140, 86, 75),
        (227, 119, 194),
        (127, 127, 127),
        (188, 189, 34),
        (23, 190, 207),
    ],
    dtype="uint8",
)


def scatter_image(points, labels, size=512, margin=16, dot=2):
    """An RGB uint8 image (size, size, 3): each point a dot of its label's colour on white.

    Axes are scaled together (equal aspect) so that the picture keeps the
    shape of the cloud; the points are drawn in a random order so no class is
    hidden under another.
    """
    points = np.asarray(points, dtype="float64")
    labels = np.asarray(labels).astype("int64")
    if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
        raise ValueError(f"scatter_image takes (n, 2) points; got shape {points.shape}.")
    if labels.shape != (len(points),):
        raise ValueError(f"Give one label per point: {len(points)}; got shape {labels.shape}.")
    if not np.all(np.isfinite(points)):
        raise ValueError("The points hold NaN or infinite values.")
    low, high = points.min(axis=0), points.max(axis=0)
    span = max(float((high - low).max()), 1e-12)
    centre = (low + high) / 2
    scale = (size - 2 * margin - 1) / span
    pixels = np.round((points - centre) * scale + (size - 1) / 2).astype("int64")
    image = np.full((size, size, 3), 255, dtype="uint8")
    order = np.random.default_rng(0).permutation(len(points))
    for dy in range(-dot + 1, dot):
        for dx in range(-dot + 1, dot):
            rows = np.clip(size - 1 - (pixels[order, 1] + dy), 0, size - 1)
            columns = np.clip(pixels[order, 0] + dx, 0, size - 1)
            image[rows, columns] = PALETTE[labels[order] % len(PALETTE)]
    return image


def save_scatter(path, points, labels, **kwargs):
    """Writes `scatter_image(points, labels, **kwargs)` to `path` as a PNG; returns the path."""
    write_png(path, scatter_image(points, labels, **kwargs))
    return path
