"""Initializers shared by the networks of several papers."""

import keras


def normal_initializer(stddev=0.02):
    """N(0, stddev) weights: DCGAN's initialization, also PacGAN's.

    Returns:
        A new `keras.initializers.RandomNormal`: call it once per layer.
    """
    return keras.initializers.RandomNormal(mean=0.0, stddev=stddev)
