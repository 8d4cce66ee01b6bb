"""The ring the learning tests train on: 8 Gaussians of std 0.05 on a circle of radius 2."""

import keras
import numpy as np

STD = 0.05
_ANGLES = 2 * np.pi * np.arange(8) / 8
MEANS = 2.0 * np.stack([np.cos(_ANGLES), np.sin(_ANGLES)], axis=1)


def ring_points(rng, n):
    """(modes (n,) int, points (n, 2) float32): each point drawn around its mode's mean."""
    modes = rng.integers(8, size=n)
    return modes, (MEANS[modes] + STD * rng.standard_normal((n, 2))).astype("float32")


def compile_with_adam(gan, learning_rate):
    """Both players on Adam(learning_rate, beta_1 0.5), 50 steps per call."""
    gan.compile(
        d_optimizer=keras.optimizers.Adam(learning_rate, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(learning_rate, beta_1=0.5),
        steps_per_execution=50,
    )
