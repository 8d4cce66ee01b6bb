"""Sampling from a generator, trained in a GAN or loaded from a preset.

Latent vectors are drawn with NumPy, not the backend's RNG, so a seed gives
the same latents, and so the same images, on TensorFlow, JAX and PyTorch.
The forward passes run wherever the backend runs (the GPU when it sees one),
`batch_size` examples at a time so that memory stays bounded for large `n`.
"""

import numpy as np
from keras import ops


def latent_dim_of(generator):
    """The size of a generator's latent input, read from its input shape."""
    try:
        input_shape = generator.input_shape
    except (AttributeError, ValueError):
        input_shape = None
    # A conditional generator takes [latents, labels].
    if isinstance(input_shape, list) and input_shape:
        input_shape = input_shape[0]
    if not input_shape or len(input_shape) != 2 or input_shape[-1] is None:
        raise ValueError(
            f"Cannot tell the latent size of {generator.name!r} (input shape "
            f"{input_shape}); pass latent_dim=... explicitly."
        )
    return int(input_shape[-1])


def sample_latents(n, latent_dim, seed=None, truncation=None):
    """`n` standard-normal latent vectors, drawn with NumPy.

    Args:
        n: number of vectors.
        latent_dim: size of each vector.
        seed: int, a `numpy.random.Generator`, or None.
        truncation: float or None. The truncation trick (Brock et al., BigGAN,
            https://arxiv.org/abs/1809.11096): components whose magnitude
            exceeds `truncation` are redrawn until none does, i.e. z follows a
            normal truncated to [-truncation, truncation]. Smaller values give
            more typical, less varied samples.

    Returns:
        A float32 array of shape (n, latent_dim).
    """
    if n < 1:
        raise ValueError(f"n must be a positive number of examples, got {n}.")
    rng = np.random.default_rng(seed)
    latents = rng.standard_normal((n, latent_dim), dtype=np.float32)
    if truncation is not None:
        if not truncation > 0:
            raise ValueError(f"truncation must be a positive number, got {truncation}.")
        outside = np.abs(latents) > truncation
        while outside.any():
            latents[outside] = rng.standard_normal(int(outside.sum()), dtype=np.float32)
            outside = np.abs(latents) > truncation
    return latents


def class_labels(n, num_classes, labels=None, seed=None):
    """The labels for `n` examples of a conditional generator, checked.

    Args:
        n: number of examples.
        num_classes: the generator's class count, or None if unconditional.
        labels: an int (one class for all), a sequence of `n` ints, or None
            for uniformly random classes drawn with `seed`.
        seed: seeds the random classes.

    Returns:
        An int32 array of shape (n,), or None for an unconditional generator.
    """
    if num_classes is None:
        if labels is not None:
            raise ValueError("This generator is unconditional; it takes no class labels.")
        return None
    if labels is None:
        return np.random.default_rng(seed).integers(num_classes, size=n).astype("int32")
    labels = np.asarray(labels)
    if labels.ndim == 0:
        labels = np.full(n, labels)
    if labels.shape != (n,):
        raise ValueError(f"Expected {n} class labels (one per example), got shape {labels.shape}.")
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"Class labels must be integers, got dtype {labels.dtype}.")
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(
            f"Class labels must lie in [0, {num_classes}); got values from "
            f"{labels.min()} to {labels.max()}."
        )
    return labels.astype("int32")


def generate(
    generator,
    n=None,
    seed=None,
    batch_size=256,
    latent_dim=None,
    latents=None,
    labels=None,
    num_classes=None,
    truncation=None,
):
    """Generates `n` examples with a generator network, in batches, as NumPy.

    Args:
        generator: a `keras.Model` mapping latent vectors (and, when
            `num_classes` is set, class labels) to examples.
        n: int, number of examples (or the length of `latents`).
        seed: int or None; seeds the latent vectors and the random labels
            (same result on every backend for the same weights).
        batch_size: examples per forward pass; bounds memory for large `n`.
        latent_dim: latent size; read from the generator when omitted.
        latents: optional (n, latent_dim) array to use instead of random ones.
        labels: class labels for a conditional generator (see `class_labels`).
        num_classes: the generator's class count; None if unconditional.
        truncation: the truncation trick's threshold (see `sample_latents`).

    Returns:
        A float32 NumPy array of `n` examples, in the generator's output
        range ([-1, 1] for the zoo's image generators).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}.")
    rng = np.random.default_rng(seed)
    if latents is None:
        if n is None:
            raise ValueError("Pass the number of examples n (or latents=...).")
        latent_dim = latent_dim or latent_dim_of(generator)
        latents = sample_latents(n, latent_dim, rng, truncation)
    latents = np.asarray(latents, dtype="float32")
    if latents.ndim != 2 or len(latents) == 0:
        raise ValueError(f"latents must be a non-empty (n, latent_dim) array, got {latents.shape}.")
    labels = class_labels(len(latents), num_classes, labels, rng)
    outputs = []
    for start in range(0, len(latents), batch_size):
        batch = latents[start : start + batch_size]
        inputs = batch if labels is None else [batch, labels[start : start + batch_size]]
        outputs.append(ops.convert_to_numpy(generator(inputs, training=False)))
    return np.concatenate(outputs, axis=0)


def lerp(start, end, fractions):
    """Points on the straight line from `start` to `end` at `fractions` (0 to 1)."""
    start, end, fractions = _interpolation_inputs(start, end, fractions)
    return (1.0 - fractions) * start + fractions * end


def slerp(start, end, fractions):
    """Spherical interpolation: along the great circle from `start` to `end`.

    For Gaussian latents, whose mass sits near a sphere of radius
    sqrt(latent_dim), this keeps intermediate points at a typical norm where a
    straight line would cut through the low-norm interior (White, "Sampling
    Generative Networks", https://arxiv.org/abs/1609.04468). Nearly parallel
    vectors fall back to `lerp`.
    """
    start, end, fractions = _interpolation_inputs(start, end, fractions)
    cosine = np.dot(start, end) / (np.linalg.norm(start) * np.linalg.norm(end))
    angle = np.arccos(np.clip(cosine, -1.0, 1.0))
    if np.sin(angle) < 1e-6:
        return lerp(start, end, fractions[:, 0])
    return (np.sin((1.0 - fractions) * angle) * start + np.sin(fractions * angle) * end) / np.sin(
        angle
    )


def interpolate_latents(start, end, steps, method="slerp"):
    """`steps` latent vectors from `start` to `end` inclusive, as float32."""
    if steps < 2:
        raise ValueError(f"An interpolation needs at least 2 steps, got {steps}.")
    methods = {"slerp": slerp, "lerp": lerp}
    if method not in methods:
        raise ValueError(f"method must be 'slerp' or 'lerp', got {method!r}.")
    return methods[method](start, end, np.linspace(0.0, 1.0, steps)).astype("float32")


def _interpolation_inputs(start, end, fractions):
    start = np.asarray(start, dtype="float64")
    end = np.asarray(end, dtype="float64")
    if start.ndim != 1 or start.shape != end.shape:
        raise ValueError(
            f"start and end must be two latent vectors of the same size, got shapes "
            f"{start.shape} and {end.shape}."
        )
    fractions = np.asarray(fractions, dtype="float64").reshape(-1, 1)
    return start, end, fractions
