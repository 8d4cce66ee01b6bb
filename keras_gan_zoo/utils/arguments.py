"""Checks of public functions' arguments, with messages that say what was expected."""

import operator

import numpy as np


def check_int(value, name, minimum=None):
    """Returns `value` as an int (>= `minimum` when given); ValueError naming `name` otherwise.

    Booleans and floats (even 3.0) are refused: `n=True` or `n=2.5` is a
    mistake, not a count.
    """
    expected = {None: "an integer", 0: "a non-negative integer", 1: "a positive integer"}.get(
        minimum, f"an integer >= {minimum}"
    )
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be {expected}; got {value!r}.")
    try:
        value = operator.index(value)
    except TypeError:
        raise ValueError(
            f"{name} must be {expected}; got {value!r} ({type(value).__name__})."
        ) from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be {expected}; got {value}.")
    if not -(2**63) <= value < 2**63:
        raise ValueError(f"{name} must fit in 64 bits; got {value}.")
    return value
