"""Sampling from a generator, trained in a GAN or loaded from a preset.

Latent vectors are drawn with NumPy, not the backend's RNG, so a seed gives
the same latents, and so the same images, on TensorFlow, JAX and PyTorch.
The forward passes run wherever the backend runs (the GPU when it sees one),
`batch_size` examples at a time, and the latents are drawn batch by batch
too, so that memory stays bounded by `batch_size` (plus the result) for
large `n`. To keep the result out of memory as well, pass `out=` an array
on disk (`numpy.lib.format.open_memmap`), as `keras-gan-zoo sample ... --out
FILE.npy` does.

Arguments are checked: a bad one raises ValueError naming the argument, what
was given and what was expected (type mistakes included, so that one `except
ValueError` catches every bad argument).
"""

import contextlib
import copy
import math
import numbers
import operator
import os

import numpy as np
from keras import ops

from keras_gan_zoo.utils import arguments

# A PNG grid holds at most this many images: a grid of a million images is
# not a picture anyone can look at (write the samples as .npy instead).
MAX_GRID_IMAGES = 10_000
# Latent rows drawn at a time when skipping past the latents of the stream.
_SKIP_CHUNK_VALUES = 1 << 20


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
        name = getattr(generator, "name", type(generator).__name__)
        raise ValueError(
            f"Cannot tell the latent size of {name!r} (input shape "
            f"{input_shape}); pass latent_dim=... explicitly."
        )
    return int(input_shape[-1])


def check_int(value, name, minimum=1):
    """Returns `value` as an int >= `minimum` (a count, by default); see `utils.arguments`."""
    return arguments.check_int(value, name, minimum)


def check_truncation(truncation):
    """Returns `truncation` as a float, or None; ValueError unless positive and finite."""
    if truncation is None:
        return None
    if isinstance(truncation, (bool, np.bool_)) or not isinstance(truncation, numbers.Real):
        raise ValueError(
            "truncation must be a positive finite number (the bound on each latent "
            f"component) or None; got {truncation!r} ({type(truncation).__name__})."
        )
    truncation = float(truncation)
    if not (math.isfinite(truncation) and truncation > 0):
        raise ValueError(
            "truncation must be a positive finite number (the bound on each latent "
            f"component) or None; got {truncation}."
        )
    return truncation


def random_generator(seed):
    """A `numpy.random.Generator` from `seed`: None, a non-negative int, or a Generator.

    A Generator is used as is (and advanced by the draws), as NumPy does.
    """
    if seed is None or isinstance(seed, (np.random.Generator, np.random.SeedSequence)):
        return np.random.default_rng(seed)
    if not isinstance(seed, (bool, np.bool_)):
        try:
            seed = operator.index(seed)
        except TypeError:
            pass
        else:
            if seed >= 0:
                return np.random.default_rng(seed)
    raise ValueError(
        "seed must be None, a non-negative integer or a numpy.random.Generator; "
        f"got {seed!r} ({type(seed).__name__})."
    )


def sample_latents(n, latent_dim, seed=None, truncation=None):
    """`n` standard-normal latent vectors, drawn with NumPy.

    Args:
        n: number of vectors, an int >= 1.
        latent_dim: size of each vector, an int >= 1.
        seed: int, a `numpy.random.Generator`, or None.
        truncation: positive float or None. The truncation trick (Brock et
            al., BigGAN, https://arxiv.org/abs/1809.11096): each component
            follows a normal truncated to [-truncation, truncation]. Smaller
            values give more typical, less varied samples. Drawn exactly by
            inverse CDF (one uniform per component, no redraws), so any
            bound, however small, costs the same.

    Returns:
        A float32 array of shape (n, latent_dim). Drawing them in pieces
        (`latent_batches`) gives the same vectors.

    Raises:
        ValueError: for a bad argument, or if the array would not fit in the
            memory available.
    """
    n = check_int(n, "n")
    latent_dim = check_int(latent_dim, "latent_dim")
    truncation = check_truncation(truncation)
    rng = random_generator(seed)
    check_fits_in_memory(
        n * latent_dim * 4,
        f"sample_latents(n={n}, latent_dim={latent_dim})",
        "; ask for fewer, or draw them batch by batch with latent_batches",
    )
    return _draw_latents(rng, n, latent_dim, truncation)


def _draw_latents(rng, count, latent_dim, truncation):
    # NumPy draws these sequentially from the bit generator, so `count` rows
    # in pieces equal the same rows in one draw (tested).
    if truncation is None:
        return rng.standard_normal((count, latent_dim), dtype=np.float32)
    return _truncated_normal(rng, (count, latent_dim), truncation)


def _truncated_normal(rng, shape, bound):
    """Standard normals conditioned on |z| <= bound, by inverse CDF, as float32.

    With u uniform on (-1, 1), z = sqrt(2) erfinv(u erf(bound / sqrt 2)) has
    P(|z| <= x) = erf(x / sqrt 2) / erf(bound / sqrt 2) for x <= bound: the
    truncated normal. The centred form keeps full precision for tiny bounds,
    where Phi^-1 of a probability near 0.5 would round to a few levels.
    """
    from scipy import special

    # rng.random() is k / 2**53; this maps it to the midpoints of 2**53 equal
    # cells of (-1, 1): symmetric about 0, and never +-1 (where erfinv is infinite).
    uniform = 2.0 * rng.random(shape) - 1.0 + 2.0**-53
    mass = special.erf(bound / math.sqrt(2.0))
    latents = (math.sqrt(2.0) * special.erfinv(uniform * mass)).astype(np.float32)
    # Rounding to float32 must not step past the bound.
    limit = np.float32(min(bound, float(np.finfo(np.float32).max)))
    if float(limit) > bound:
        limit = np.nextafter(limit, np.float32(0.0))
    return np.clip(latents, -limit, limit)


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
    n = check_int(n, "n")
    if num_classes is None:
        if labels is not None:
            raise ValueError(
                "This generator is unconditional; it takes no class labels "
                f"(got labels={labels!r})."
            )
        return None
    num_classes = check_int(num_classes, "num_classes")
    if labels is None:
        return random_generator(seed).integers(num_classes, size=n).astype("int32")
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


def latent_batches(
    n, latent_dim, batch_size=256, seed=None, truncation=None, num_classes=None, labels=None
):
    """Latent vectors (and labels) for `n` examples, `batch_size` at a time.

    The stream is the one `generate(n, seed=...)` uses, and the same as
    drawing everything at once: first all `n` latent vectors
    (`sample_latents(n, latent_dim, rng, truncation)`), then, for a
    conditional generator without `labels`, all `n` random classes
    (`class_labels(n, num_classes, None, rng)`). Memory stays bounded by
    `batch_size`: the random classes come from a copy of the generator
    advanced past the latents by drawing (and dropping) them in pieces.

    Args:
        n: number of examples, an int >= 1.
        latent_dim: size of each latent vector.
        batch_size: examples per batch (the last one may be smaller).
        seed: None, a non-negative int, or a `numpy.random.Generator` (which
            ends where drawing everything at once would leave it, once the
            batches are all consumed).
        truncation: see `sample_latents`.
        num_classes: the generator's class count; None if unconditional.
        labels: see `class_labels`.

    Returns:
        An iterator of (latents, labels) pairs: float32 (b, latent_dim) and
        int32 (b,) arrays, labels None for an unconditional generator. The
        arguments are checked when this is called, not when iterated.

    Raises:
        ValueError: for a bad argument.
    """
    n = check_int(n, "n")
    latent_dim = check_int(latent_dim, "latent_dim")
    batch_size = check_int(batch_size, "batch_size")
    truncation = check_truncation(truncation)
    rng = random_generator(seed)
    given_labels = None
    if labels is not None or num_classes is None:
        given_labels = class_labels(n, num_classes, labels)
    else:
        num_classes = check_int(num_classes, "num_classes")
    return _latent_batches(
        rng, n, latent_dim, batch_size, truncation, num_classes, labels is None, given_labels
    )


def _latent_batches(rng, n, latent_dim, batch_size, truncation, num_classes, draw_labels, labels):
    latent_rng = rng
    label_rng = None
    if num_classes is not None and draw_labels:
        # The labels follow all n latents in the stream: draw the latents from
        # a copy, and move the original past them to draw the labels.
        latent_rng, label_rng = copy.deepcopy(rng), rng
        rows = max(1, _SKIP_CHUNK_VALUES // latent_dim)
        for start in range(0, n, rows):
            _draw_latents(label_rng, min(rows, n - start), latent_dim, truncation)
    for start in range(0, n, batch_size):
        count = min(batch_size, n - start)
        latents = _draw_latents(latent_rng, count, latent_dim, truncation)
        if label_rng is not None:
            batch_labels = label_rng.integers(num_classes, size=count).astype("int32")
        else:
            batch_labels = None if labels is None else labels[start : start + count]
        yield latents, batch_labels


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
    out=None,
):
    """Generates `n` examples with a generator network, in batches, as NumPy.

    Memory stays bounded by `batch_size` besides the result: latents are
    drawn batch by batch (`latent_batches`) and each batch's outputs are
    written into one preallocated array (or into `out`).

    Args:
        generator: a `keras.Model` mapping latent vectors (and, when
            `num_classes` is set, class labels) to examples, or a
            `keras_gan_zoo.Generator` (its latent size and classes are used).
        n: int >= 1, number of examples (or None with `latents`).
        seed: None, a non-negative int or a `numpy.random.Generator`; seeds
            the latent vectors and the random labels (same result on every
            backend for the same weights, whatever the `batch_size`).
        batch_size: examples per forward pass, an int >= 1.
        latent_dim: latent size; read from the generator when omitted.
        latents: optional finite (n, latent_dim) array to use instead of
            random ones.
        labels: class labels for a conditional generator (see `class_labels`).
        num_classes: the generator's class count; None if unconditional.
        truncation: the truncation trick's bound (see `sample_latents`); only
            for drawn latents.
        out: optional array of shape (n, *example_shape) to write into, e.g.
            `numpy.lib.format.open_memmap(...)` to stream to a `.npy` file.

    Returns:
        A float32 NumPy array of `n` examples (or `out`), in the generator's
        output range ([-1, 1] for the zoo's image generators).

    Raises:
        ValueError: for a bad argument (naming it), or if the result would
            not fit in the memory available: ask for fewer examples, or pass
            `out=` an array on disk (the CLI: `--out FILE.npy`).
    """
    if not callable(generator):
        raise ValueError(
            f"generator must be a keras.Model (or a callable on latent vectors); "
            f"got {type(generator).__name__}."
        )
    if getattr(getattr(generator, "prior", None), "code_dim", 0):
        # A `keras_gan_zoo.Generator` with latent codes (InfoGAN's) draws them itself.
        return generator.generate(
            n,
            seed=seed,
            batch_size=batch_size,
            labels=labels,
            truncation=truncation,
            latents=latents,
            out=out,
        )
    if hasattr(generator, "network") and hasattr(generator, "latent_dim"):
        # A `keras_gan_zoo.Generator` (a model's sampler): it knows its network's
        # latent size and class count.
        latent_dim = latent_dim or generator.latent_dim
        num_classes = generator.num_classes if num_classes is None else num_classes
        generator = generator.network
    batch_size = check_int(batch_size, "batch_size")
    if num_classes is not None:
        num_classes = check_int(num_classes, "num_classes")
    if latent_dim is not None:
        latent_dim = check_int(latent_dim, "latent_dim")
    if latents is None:
        if n is None:
            raise ValueError("Pass the number of examples n (or latents=...).")
        n = check_int(n, "n")
        latent_dim = latent_dim or latent_dim_of(generator)
        batches = latent_batches(n, latent_dim, batch_size, seed, truncation, num_classes, labels)
    else:
        if truncation is not None:
            raise ValueError(
                "truncation bounds the latents that generate draws; it does not apply to "
                "latents=... given (truncate them yourself, or pass n= instead)."
            )
        latents = checked_latents(latents, latent_dim or _known_latent_dim(generator))
        if n is not None and check_int(n, "n") != len(latents):
            raise ValueError(f"n={n} differs from the {len(latents)} latent vectors given.")
        n = len(latents)
        all_labels = class_labels(n, num_classes, labels, random_generator(seed))
        batches = (
            (
                latents[start : start + batch_size],
                None if all_labels is None else all_labels[start : start + batch_size],
            )
            for start in range(0, n, batch_size)
        )
    if out is not None:
        _check_out(out, n)
    elif latents is None:
        # Refused before anything is drawn: for a conditional generator the
        # first batch comes only after a pass over all n latents.
        out = _result_array(n, example_shape(generator, latent_dim, num_classes))
    filled = 0
    for batch_latents, batch_labels in batches:
        inputs = batch_latents if batch_labels is None else [batch_latents, batch_labels]
        outputs = ops.convert_to_numpy(generator(inputs, training=False))
        if filled == 0:
            shape = tuple(outputs.shape[1:])
            if out is None:
                out = _result_array(n, shape)
            elif tuple(out.shape[1:]) != shape:
                raise ValueError(
                    f"out has shape {out.shape}; the generator makes examples of shape "
                    f"{shape}, so out must have shape {(n, *shape)}."
                )
        out[filled : filled + len(outputs)] = outputs
        filled += len(outputs)
    return out


def _result_array(n, shape):
    check_fits_in_memory(
        n * math.prod(shape) * 4,
        f"generate(n={n}) of examples of shape {shape}",
        "; ask for fewer examples, or pass out= an array on disk "
        "(numpy.lib.format.open_memmap; the CLI does so for "
        "`keras-gan-zoo sample ... --out FILE.npy`)",
    )
    return np.empty((n, *shape), dtype=np.float32)


def example_shape(generator, latent_dim=None, num_classes=None):
    """The shape of one example of `generator`: from its output shape when it
    declares one, else from one forward pass on zeros (and class 0)."""
    with contextlib.suppress(AttributeError, ValueError, TypeError):
        declared = generator.output_shape
        if (
            isinstance(declared, tuple)
            and len(declared) > 1
            and declared[0] is None
            and all(isinstance(size, int) for size in declared[1:])
        ):
            return tuple(declared[1:])
    latent_dim = check_int(latent_dim or latent_dim_of(generator), "latent_dim")
    latents = np.zeros((1, latent_dim), dtype=np.float32)
    inputs = latents if num_classes is None else [latents, np.zeros((1,), dtype="int32")]
    return tuple(ops.convert_to_numpy(generator(inputs, training=False)).shape[1:])


def _known_latent_dim(generator):
    try:
        return latent_dim_of(generator)
    except ValueError:
        return None  # the network will say if the latents do not fit


def checked_latents(latents, latent_dim):
    try:
        latents = np.asarray(latents, dtype="float32")
    except (TypeError, ValueError):
        raise ValueError(
            f"latents must be a numeric (n, latent_dim) array; got {type(latents).__name__}."
        ) from None
    expected = f"(n, {latent_dim})" if latent_dim else "(n, latent_dim)"
    if latents.ndim != 2 or len(latents) == 0:
        raise ValueError(
            f"latents must be a non-empty {expected} array, got shape {latents.shape}."
        )
    if latent_dim and latents.shape[1] != latent_dim:
        raise ValueError(
            f"latents must have shape {expected} for this generator, got shape {latents.shape}."
        )
    if not np.isfinite(latents).all():
        raise ValueError(
            f"latents must be finite; {int((~np.isfinite(latents)).sum())} values are NaN or "
            "infinite."
        )
    return latents


def _check_out(out, n):
    if not isinstance(out, np.ndarray):
        raise ValueError(f"out must be a NumPy array (or memmap); got {type(out).__name__}.")
    if out.ndim < 2 or len(out) != n:
        raise ValueError(f"out must hold the {n} examples, shape ({n}, ...); got {out.shape}.")
    if not out.flags.writeable:
        raise ValueError("out must be writeable.")


def available_memory():
    """Bytes of memory this process can still take, or None when it cannot be known.

    Linux's MemAvailable (free memory plus the page cache it can reclaim),
    else the free physical pages; lowered to the room left under a cgroup v2
    memory limit (a container's).
    """
    available = None
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    available = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        pass
    if available is None:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    try:
        with open("/sys/fs/cgroup/memory.max") as limit_file:
            limit = limit_file.read().strip()
        with open("/sys/fs/cgroup/memory.current") as current_file:
            current = int(current_file.read().strip())
        if limit != "max":
            room = max(0, int(limit) - current)
            available = room if available is None else min(available, room)
    except (OSError, ValueError):
        pass
    return available


def check_fits_in_memory(nbytes, what, advice):
    """Raises ValueError if `nbytes` exceed `available_memory()` (when it is known).

    The message reads "{what} needs ... GB of memory for its float32 result,
    more than the ... GB available{advice}."
    """
    available = available_memory()
    if available is not None and nbytes > available:
        raise ValueError(
            f"{what} needs {_gigabytes(nbytes)} of memory for its float32 result, more "
            f"than the {_gigabytes(available)} available{advice}."
        )


def _gigabytes(nbytes):
    return f"{nbytes / 1e9:.3g} GB"


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
    vectors, and an end at (or next to) the origin, where no angle is
    defined, fall back to `lerp`.
    """
    start, end, fractions = _interpolation_inputs(start, end, fractions)
    start_norm, end_norm = np.linalg.norm(start), np.linalg.norm(end)
    tiny = np.finfo(np.float64).tiny
    if not (tiny < start_norm < np.inf and tiny < end_norm < np.inf):
        return lerp(start, end, fractions[:, 0])
    # Unit vectors first: the product of two tiny norms would underflow.
    cosine = np.dot(start / start_norm, end / end_norm)
    angle = np.arccos(np.clip(cosine, -1.0, 1.0))
    if np.sin(angle) < 1e-6:
        return lerp(start, end, fractions[:, 0])
    return (np.sin((1.0 - fractions) * angle) * start + np.sin(fractions * angle) * end) / np.sin(
        angle
    )


def interpolate_latents(start, end, steps, method="slerp"):
    """`steps` latent vectors from `start` to `end` inclusive, as float32.

    Args:
        start, end: finite latent vectors of the same size.
        steps: an int >= 2 (both ends included).
        method: "slerp" (spherical) or "lerp" (straight line).

    Raises:
        ValueError: for a bad argument.
    """
    steps = check_int(steps, "steps", minimum=2)
    methods = {"slerp": slerp, "lerp": lerp}
    if not isinstance(method, str) or method not in methods:
        raise ValueError(f"method must be 'slerp' or 'lerp', got {method!r}.")
    return methods[method](start, end, np.linspace(0.0, 1.0, steps)).astype("float32")


def _interpolation_inputs(start, end, fractions):
    try:
        start = np.asarray(start, dtype="float64")
        end = np.asarray(end, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(
            f"start and end must be numeric latent vectors; got {type(start).__name__} and "
            f"{type(end).__name__}."
        ) from None
    if start.ndim != 1 or start.shape != end.shape or start.size == 0:
        raise ValueError(
            f"start and end must be two latent vectors of the same size, got shapes "
            f"{start.shape} and {end.shape}."
        )
    for name, vector in (("start", start), ("end", end)):
        if not np.isfinite(vector).all():
            raise ValueError(f"{name} must be finite; it holds NaN or infinite values.")
    fractions = np.asarray(fractions, dtype="float64").reshape(-1, 1)
    return start, end, fractions
