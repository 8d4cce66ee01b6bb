"""2D mixtures of Gaussians: the mode-collapse benchmarks of the GAN literature.

Defined as in `../shared/notes/benchmarks-reference.md` (VEEGAN, Unrolled GAN,
GDPP, PacGAN):
- "ring8": 8 means on the unit circle at angles 2*pi*k/8 (eight distinct
  modes), standard deviation 0.01;
- "grid25": means (i, j) for i, j in {-4, -2, 0, 2, 4}, standard deviation 0.05.
Every mode has the same weight.
"""

import numpy as np

_ANGLES = 2 * np.pi * np.arange(8) / 8
MIXTURES = {
    "ring8": (np.stack([np.cos(_ANGLES), np.sin(_ANGLES)], axis=1), 0.01),
    "grid25": (np.array([(i, j) for i in range(-4, 5, 2) for j in range(-4, 5, 2)], float), 0.05),
}


def check_seed(seed):
    """Returns `seed` (None or a non-negative int, as NumPy's generators take it)."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer or None; got {seed!r}.")
    return int(seed)


def mixture_of_gaussians(name, n, seed=None):
    """`n` float32 points from a named 2D mixture, with their mode indices.

    Args:
        name: "ring8" or "grid25".
        n: number of points, a positive integer.
        seed: seeds the draw: a non-negative integer, or None for a fresh one.

    Returns:
        (points of shape (n, 2), modes of shape (n,)).

    Raises:
        ValueError: for an unknown name, or an `n` or `seed` that is not
            as above.
    """
    means, std = mixture_parameters(name)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer number of points; got {n!r}.")
    rng = np.random.default_rng(check_seed(seed))
    modes = rng.integers(len(means), size=n)
    points = means[modes] + std * rng.standard_normal((n, 2))
    return points.astype("float32"), modes


def mixture_parameters(name):
    """(means of shape (modes, 2), standard deviation) of a named mixture."""
    if not isinstance(name, str) or name not in MIXTURES:
        raise ValueError(f"Unknown mixture {name!r}; choose from {sorted(MIXTURES)}.")
    means, std = MIXTURES[name]
    return means.copy(), std
