"""Checks of the `data_range` argument of metrics that rescale pixels, and of arrays against it."""

import numpy as np

# How far outside `data_range` values may stray, as a fraction of its width (float rounding).
RANGE_TOLERANCE = 1e-3


def check_data_range(data_range):
    """(low, high) as floats; ValueError unless two finite numbers with low < high."""
    try:
        low, high = (float(value) for value in data_range)
    except (TypeError, ValueError):
        raise ValueError(
            f"data_range must be two numbers (low, high); got {data_range!r}."
        ) from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"data_range must be finite with low < high; got ({low:g}, {high:g}).")
    return low, high


def check_within(array, name, low, high):
    """ValueError naming `name` unless the finite `array` lies in [low, high] (within tolerance)."""
    smallest, largest = float(array.min()), float(array.max())
    slack = RANGE_TOLERANCE * (high - low)
    if smallest < low - slack or largest > high + slack:
        raise ValueError(
            f"{name} spans [{smallest:g}, {largest:g}], outside data_range=({low:g}, {high:g}); "
            "pass the range all the images are in (e.g. data_range=(0, 255) for uint8 pixels)."
        )
