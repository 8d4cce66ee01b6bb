"""Sampling from a generator, trained in a GAN or loaded on its own."""

import numpy as np
from keras import ops


def latent_dim_of(generator):
    """The size of a generator's latent input, read from its input shape."""
    try:
        input_shape = generator.input_shape
    except (AttributeError, ValueError):
        input_shape = None
    if not input_shape or len(input_shape) != 2 or input_shape[-1] is None:
        raise ValueError(
            f"Cannot tell the latent size of {generator.name!r} (input shape "
            f"{input_shape}); pass latent_dim=... explicitly."
        )
    return int(input_shape[-1])


def sample_latents(n, latent_dim, seed=None):
    """`n` standard-normal latent vectors, drawn with NumPy.

    NumPy (not the backend's RNG) so that a seed gives the same latents, and
    so the same images, on TensorFlow, JAX and PyTorch.
    """
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, latent_dim), dtype=np.float32)


def generate(generator, n, seed=None, batch_size=256, latent_dim=None, latents=None):
    """Generates `n` examples with a generator, in batches, as a NumPy array.

    Args:
        generator: a `keras.Model` mapping latent vectors to examples.
        n: int, number of examples.
        seed: int or None, seeds the latent vectors (same result on every
            backend for the same weights).
        batch_size: examples per forward pass; bounds memory for large `n`.
        latent_dim: latent size; read from the generator when omitted.
        latents: optional (n, latent_dim) array to use instead of random ones.

    Returns:
        A float32 NumPy array of `n` examples, in the generator's output
        range ([-1, 1] for the zoo's image generators).
    """
    if latents is None:
        if n < 1:
            raise ValueError(f"n must be a positive number of examples, got {n}.")
        latent_dim = latent_dim or latent_dim_of(generator)
        latents = sample_latents(n, latent_dim, seed)
    latents = np.asarray(latents, dtype="float32")
    outputs = []
    for start in range(0, len(latents), batch_size):
        batch = generator(latents[start : start + batch_size], training=False)
        outputs.append(ops.convert_to_numpy(batch))
    return np.concatenate(outputs, axis=0)
