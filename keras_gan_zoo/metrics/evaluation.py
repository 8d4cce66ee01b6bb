"""From generators and datasets to metric values: features batch by batch, then the math.

A `FeatureExtractor` pairs a network with the preprocessing its numbers are
defined with (the FID Inception network and a named resize mode, or any
Keras model such as the MNIST classifier). `evaluate` streams generated and
reference images through it in fixed-size batches and computes the requested
metrics:

    "fid"  Fréchet distance of the features (host, float64)
    "kid"  kernel distance, 100 subsets of up to 1000, mean and std
    "is"   Inception Score from the extractor's logits, 10 splits, mean and std
    "pr"   precision and recall, k = 3
    "dc"   density and coverage, k = 5

FID alone keeps only running moments, so memory stays flat however many
samples; the other metrics keep the (n, d) features (50,000 x 2048 float32
is 400 MB). Reference statistics are cached on disk (pytorch-fid's `.npz`
layout), keyed by the extractor, the reference's content and its size: an
array by a hash of its bytes, a file or folder by `path_fingerprint` (so new
content at the same path is never answered with the old statistics). Every
result carries a `protocol` string naming N, the features and the seed, to be
reported with the number.

Reference images are checked as training data is (`check_reference_images`):
a numeric (N, H, W[, C]) array, not empty, finite, uint8 or integer 0..255
pixels or floats in [-1, 1]. Floats in [0, 1] are refused: they are most
likely [0, 1] pixels, which would silently give a wrong FID.
"""

import hashlib
import os
import pathlib
import re
import warnings

import numpy as np
from keras import ops

from keras_gan_zoo import sampling
from keras_gan_zoo.metrics.frechet_distance import FeatureStatistics
from keras_gan_zoo.metrics.frechet_distance import frechet_distance
from keras_gan_zoo.metrics.frechet_distance import load_statistics
from keras_gan_zoo.metrics.frechet_distance import save_statistics
from keras_gan_zoo.metrics.inception_score import inception_score
from keras_gan_zoo.metrics.kernel_distance import kernel_distance
from keras_gan_zoo.metrics.manifold import density_coverage
from keras_gan_zoo.metrics.manifold import precision_recall
from keras_gan_zoo.utils import downloads
from keras_gan_zoo.utils.arguments import check_int

METRICS = ("fid", "kid", "is", "pr", "dc")
# Fewest samples (and reference images) each metric can be computed from: a
# covariance needs 2, IS 10 splits, precision/recall k + 1 = 4 and density/
# coverage k + 1 = 6 (a sample is not its own neighbour).
_MINIMUM_SAMPLES = {"fid": 2, "kid": 2, "is": 10, "pr": 4, "dc": 6}
_METRIC_NAMES = {
    "fid": "FID",
    "kid": "KID",
    "is": "The Inception Score",
    "pr": "Precision/recall",
    "dc": "Density/coverage",
}
# How far outside [-1, 1] float images may stray (rounding of scaled pixels).
_RANGE_TOLERANCE = 1e-3
# Files up to this many bytes in all are keyed by their bytes; larger ones by
# their names, sizes and modification times (see `path_fingerprint`).
CONTENT_HASH_LIMIT = 256 * 2**20


class FeatureExtractor:
    """A network that turns image batches into features (and class logits).

    Args:
        network: a Keras model whose output is an array or a dict of arrays.
        name: short name, used in log names, protocols and cache keys.
        features: key of the feature output (None when the output is an array).
        logits: key of the class logits output, for the Inception Score; None
            if the network has none.
        preprocess: maps a raw batch (uint8 pixels or floats in [-1, 1]) to
            the network's input. Default: uint8 is scaled to [-1, 1].
        images: whether inputs are images (n, h, w, c) whose float values must
            lie in [-1, 1]; False for other data (e.g. 2D points).
    """

    def __init__(self, network, name, features=None, logits=None, preprocess=None, images=True):
        self.network = network
        self.name = name
        self.features = features
        self.logits = logits
        self.preprocess = preprocess or _to_unit_range
        self.images = images

    def check_example_shape(self, shape, what="the images"):
        """Raises ValueError unless images of `shape` fit the network after `preprocess`.

        An extractor whose preprocessing resizes (the Inception one) takes
        any (h, w, 1 or 3); the MNIST classifier takes (28, 28, 1) only.
        `what` names the images in the message, e.g. "the reference images".
        """
        if not self.images:
            return
        expected = getattr(self.network, "input_shape", None)
        if not isinstance(expected, tuple) or any(isinstance(d, (tuple, list)) for d in expected):
            return  # several inputs, or an unbuilt network: nothing to compare with
        shape = tuple(int(d) for d in shape)
        try:
            prepared = tuple(self.preprocess(np.zeros((1, *shape), np.uint8)).shape[1:])
        except ValueError as error:
            raise ValueError(
                f"The {self.name} features cannot take {what}, of shape {shape}: {error}"
            ) from None
        expected = tuple(expected[1:])
        if len(prepared) != len(expected) or any(
            want is not None and got != want for got, want in zip(prepared, expected)
        ):
            raise ValueError(
                f"The {self.name} features take images of shape {expected}, but {what} have "
                f"shape {shape}."
            )

    def feature_size(self):
        """The features' dimension, read from the network's output shape (None if unknown)."""
        try:
            output = self.network.output
            if self.features is not None:
                output = output[self.features]
            size = output.shape[-1]
        except (AttributeError, KeyError, IndexError, TypeError, ValueError):
            return None
        return None if size is None else int(size)

    def __call__(self, batch):
        """(features, logits or None) of a batch, as float32 NumPy arrays."""
        images = _checked_images(batch) if self.images else np.asarray(batch)
        outputs = self.network.predict_on_batch(self.preprocess(images))
        features = outputs if self.features is None else outputs[self.features]
        logits = None if self.logits is None else outputs[self.logits]
        return (
            np.asarray(ops.convert_to_numpy(features), dtype=np.float32),
            None if logits is None else np.asarray(ops.convert_to_numpy(logits), np.float32),
        )


def inception_extractor(mode="tf_legacy", weights="fid"):
    """The FID Inception network's pool3 features and unbiased logits, `mode` preprocessing.

    Raises `FIDWeightsNotFound` with instructions when the weights are
    missing (see `fid_weights`).
    """
    from keras_gan_zoo.metrics import fid_network
    from keras_gan_zoo.metrics import fid_preprocessing

    if mode not in fid_preprocessing.MODES:
        raise ValueError(
            f"Unknown FID preprocessing mode {mode!r}; choose from {fid_preprocessing.MODES}."
        )
    network = fid_network.fid_inception(weights=weights)
    return FeatureExtractor(
        network,
        name=f"inception_{mode}",
        features="pool3",
        logits="logits_unbiased",
        preprocess=lambda images: fid_preprocessing.preprocess(images, mode),
    )


def feature_extractor(name, mode="tf_legacy"):
    """A named extractor: "inception" (FID Inception, `mode` preprocessing) or "mnist"
    (the bundled MNIST classifier's 128-d features and its 10 logits)."""
    if name == "inception":
        return inception_extractor(mode)
    if name == "mnist":
        from keras_gan_zoo.metrics import mnist_cnn

        network = mnist_cnn.mnist_classifier()
        return FeatureExtractor(network, "mnist_classifier", features="features", logits="logits")
    raise ValueError(f"Unknown feature extractor {name!r}; choose 'inception' or 'mnist'.")


def check_reference_images(images, name="The reference images"):
    """Checks reference images as training data is checked; returns them ready for `evaluate`.

    The rules are those of `keras_gan_zoo.datasets.from_arrays`, with one
    difference: float images within [0, 1], which `from_arrays` takes as
    [-1, 1] with a warning, are refused here, since as a reference they
    silently give a wrong FID (MNIST as [0, 1] floats: 752 instead of 69).

    Args:
        images: array (N, H, W) or (N, H, W, C): integer pixels 0..255
            (usually uint8), or floats in [-1, 1] (the generators' range).
        name: how the messages name the images, e.g. a file name.

    Returns:
        (N, H, W, C) uint8 pixels (integer input) or float32 values in [-1, 1].

    Raises:
        ValueError: for a non-numeric dtype, a rank other than 3 or 4, no
            images, NaN or infinite values, integers outside 0..255, floats
            outside [-1, 1], or floats within [0, 1].
    """
    images = np.asarray(images)
    is_integer = np.issubdtype(images.dtype, np.integer)
    if not (is_integer or np.issubdtype(images.dtype, np.floating)):
        raise ValueError(
            f"{name} must be integer (uint8 0..255) or float images; got dtype {images.dtype}."
        )
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(
            f"{name} must be an array of shape (N, H, W) or (N, H, W, C); got shape {images.shape}."
        )
    if images.size == 0:
        raise ValueError(f"{name} are empty: shape {images.shape}.")
    if images.dtype == np.uint8:
        return images
    # min and max are NaN or infinite exactly when some value is; no mask needed.
    low, high = images.min(), images.max()
    if is_integer:
        if low < 0 or high > 255:
            raise ValueError(
                f"{name} are integers spanning [{low}, {high}]; integer images must be "
                "pixels 0..255."
            )
        return images.astype(np.uint8)
    low, high = float(low), float(high)
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(f"{name} contain NaN or infinite values.")
    if low < -1.0 - _RANGE_TOLERANCE or high > 1.0 + _RANGE_TOLERANCE:
        raise ValueError(
            f"{name} are floats spanning [{low:g}, {high:g}], outside [-1, 1]. Pass uint8 "
            "pixels 0..255, or floats in [-1, 1] (the generators' range)."
        )
    if low >= 0.0:
        raise ValueError(
            f"{name} are floats spanning [{low:g}, {high:g}]: most likely [0, 1] pixels, "
            "which would be read as [-1, 1] values and give a wrong FID. Pass uint8 pixels "
            "0..255 (np.round(x * 255).astype(np.uint8)) or floats in [-1, 1] (x * 2 - 1)."
        )
    return images.astype(np.float32, copy=False)


def array_fingerprint(images):
    """A hex key of an array's content (dtype, shape and bytes), wherever it came from."""
    images = np.ascontiguousarray(images)
    digest = hashlib.sha256(f"{images.dtype.str} {images.shape}".encode())
    digest.update(images.reshape(-1).view(np.uint8))
    return digest.hexdigest()[:24]


def path_fingerprint(path):
    """A hex key that changes whenever the files at `path` (a file or a folder) change.

    Up to `CONTENT_HASH_LIMIT` bytes in all, it hashes each file's name
    (relative to the folder) and bytes: exact, and cheap next to running the
    images through a network. Above it, each file's name, size and
    modification time in nanoseconds: a cache hit on a folder of 200,000
    images then costs a `stat` per file rather than a pass over gigabytes,
    and any ordinary rewrite of a file changes its modification time.

    Raises:
        ValueError: if nothing exists at `path`.
    """
    path = pathlib.Path(path)
    if path.is_dir():
        files = sorted((p.relative_to(path).as_posix(), p) for p in path.rglob("*") if p.is_file())
    elif path.is_file():
        files = [("", path)]
    else:
        raise ValueError(f"{path} does not exist.")
    entries = [(name, file, file.stat()) for name, file in files]
    by_content = sum(stat.st_size for _, _, stat in entries) <= CONTENT_HASH_LIMIT
    digest = hashlib.sha256(b"bytes\0" if by_content else b"stat\0")
    for name, file, stat in entries:
        digest.update(f"{name}\0{stat.st_size}\0".encode("utf-8", "surrogateescape"))
        if by_content:
            with open(file, "rb") as stream:
                for chunk in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(chunk)
        else:
            digest.update(f"{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:24]


def image_batches(source, n=None, batch_size=50, seed=0):
    """Yields image batches of at most `batch_size` from `source`, `n` images in all.

    `source` is an array of images, a dataset or iterable of batches (of
    images or of (images, labels)), or a generator (a `Generator`, a GAN:
    anything with `.generator` or `.network` and a latent size). A generator
    gives the same `n` samples for the same seed as `generator.generate(n,
    seed)`; it needs `n`.

    Raises:
        ValueError: if `n` or `batch_size` is not an integer >= 1 (or `seed`
            one >= 0), or a generator comes without `n`.
    """
    n = _optional_count(n, "n")
    batch_size = _count(batch_size, "batch_size")
    seed = _count(seed, "seed", minimum=0)
    network = _generator_network(source)
    if network is not None:
        if n is None:
            raise ValueError("Pass the number of samples n to evaluate a generator.")
        yield from _generated_batches(source, network, n, batch_size, seed)
        return
    if isinstance(source, np.ndarray):
        stop = len(source) if n is None else min(n, len(source))
        for start in range(0, stop, batch_size):
            yield source[start : min(start + batch_size, stop)]
        return
    remaining = n
    buffered = []
    for element in source:
        batch = element[0] if isinstance(element, (tuple, list)) else element
        batch = np.asarray(ops.convert_to_numpy(batch))
        if remaining is not None:
            batch = batch[:remaining]
            remaining -= len(batch)
        buffered.append(batch)
        while sum(len(b) for b in buffered) >= batch_size:
            joined = np.concatenate(buffered)
            yield joined[:batch_size]
            buffered = [joined[batch_size:]]
        if remaining == 0:
            break
    if buffered and sum(len(b) for b in buffered):
        yield np.concatenate(buffered)


def _generator_network(source):
    """The generator network of a `Generator` or a model's sampler; None for data."""
    if isinstance(source, np.ndarray):
        return None
    if hasattr(source, "sampler"):
        return source.sampler().network
    return getattr(source, "network", None)


def _generated_batches(model, network, n, batch_size, seed):
    # Latents and labels for all n first, from one seeded stream, exactly as
    # `Generator.generate(n, seed)` draws them; then generate chunk by chunk.
    sampler = model.sampler() if hasattr(model, "sampler") else model
    prior = getattr(sampler, "prior", None)
    if prior is not None and not prior.is_standard:
        # Latent codes (InfoGAN's) or another z distribution: the prior draws them.
        draw = sampler.draw(n, seed)
        for start in range(0, n, batch_size):
            rows = sampler.prior.rows(draw, start, min(start + batch_size, n))
            yield sampler.generate_from_draw(rows, batch_size)
        return
    rng = np.random.default_rng(seed)
    latent_dim = getattr(model, "latent_dim", None) or sampling.latent_dim_of(network)
    num_classes = getattr(model, "num_classes", None)
    latents = sampling.sample_latents(n, latent_dim, rng)
    labels = sampling.class_labels(n, num_classes, None, rng)
    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)
        yield sampling.generate(
            network,
            latents=latents[start:stop],
            labels=None if labels is None else labels[start:stop],
            num_classes=num_classes,
            batch_size=batch_size,
        )


def extract(
    extractor, source, n=None, batch_size=50, seed=0, keep_features=True, what="the images"
):
    """Runs `source` through `extractor` batch by batch.

    Every batch is padded to `batch_size` (and the padding's outputs dropped),
    so the network is compiled for one input shape only.

    Args:
        extractor: a `FeatureExtractor`.
        source, n, batch_size, seed: as for `image_batches`.
        keep_features: keep the (n, d) features (KID, precision/recall,
            density/coverage need them; FID needs only their statistics).
        what: names the images in error messages ("the reference images").

    Returns:
        {"statistics": FeatureStatistics, "features": (n, d) array or None,
        "logits": (n, classes) array or None, "n": count}.

    Raises:
        ValueError: for bad arguments (see `image_batches`), images the
            extractor cannot take, or an empty source.
    """
    statistics = FeatureStatistics()
    features, logits = [], []
    for batch in image_batches(source, n, batch_size, seed):
        count = len(batch)
        if count == 0:
            continue
        if statistics.count == 0:
            extractor.check_example_shape(batch.shape[1:], what)
        if count < batch_size:
            padding = np.repeat(batch[-1:], batch_size - count, axis=0)
            batch = np.concatenate([batch, padding])
        batch_features, batch_logits = extractor(batch)
        statistics.update(batch_features[:count])
        if keep_features:
            features.append(batch_features[:count])
        if batch_logits is not None:
            logits.append(batch_logits[:count])
    if statistics.count == 0:
        raise ValueError(f"No images to evaluate: {what} are empty.")
    return {
        "statistics": statistics,
        "features": np.concatenate(features) if features else None,
        "logits": np.concatenate(logits) if logits else None,
        "n": statistics.count,
    }


def reference_statistics(extractor, reference, n=None, batch_size=50, cache_key=None):
    """(mean, covariance) of the reference images' features, cached on disk.

    The cache is keyed by content, never by a name alone: an array is checked
    (`check_reference_images`) and keyed by a hash of its bytes; another
    source (a dataset, an iterable of batches) is cached only when
    `cache_key` names its content, e.g. `path_fingerprint(folder)` plus
    how it was read (a name that stays the same when the content changes
    would return stale statistics). A damaged cache file is recomputed.

    Args:
        extractor: a `FeatureExtractor`.
        reference: an `.npz` statistics file (pytorch-fid's or ours), used
            as is, or images (see `image_batches`).
        n: how many reference images (default all); not for a statistics file.
        batch_size: images per forward pass.
        cache_key: names the content of a reference that is not an array.

    Returns:
        (mean, covariance), float64 arrays.

    Raises:
        ValueError: for bad arguments, a bad statistics file (see
            `load_statistics`) or bad reference images.
    """
    n = _optional_count(n, "n")
    batch_size = _count(batch_size, "batch_size")
    if _is_path(reference):
        if n is not None:
            raise ValueError(
                f"n={n} selects reference images, but {os.fspath(reference)} holds the "
                "statistics of a fixed set; pass n=None."
            )
        return load_statistics(reference)
    reference = _checked_reference(extractor, reference)
    if isinstance(reference, np.ndarray):
        key = array_fingerprint(reference if n is None else reference[:n])
    elif cache_key is not None:
        key = hashlib.sha256(str(cache_key).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    else:
        key = None
    path = None
    if key is not None:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", extractor.name)
        path = os.path.join(downloads.cache_dir("fid_statistics"), f"{name}-{key}-{n or 'all'}.npz")
        if os.path.exists(path):
            try:
                return load_statistics(path)
            except ValueError:
                pass  # damaged: computed again and replaced below
    result = extract(
        extractor, reference, n, batch_size, keep_features=False, what="the reference images"
    )
    mean, covariance = result["statistics"].mean_and_covariance()
    if path is not None:
        save_statistics(path, mean, covariance, result["n"])
    return mean, covariance


def evaluate(
    samples,
    reference=None,
    metrics=("fid",),
    extractor=None,
    n=None,
    n_reference=None,
    batch_size=50,
    seed=0,
    reference_key=None,
):
    """Metrics of `samples` (a generator or images) against `reference` images.

    Reference images are checked as training data is (`check_reference_images`),
    and against the extractor's input: the MNIST classifier takes 28x28x1 only;
    the Inception extractor resizes any size, so samples and reference images
    of different sizes are compared (with a warning, as FID then also
    measures the difference in size).

    Args:
        samples: a generator (then `n` is required) or images; see `image_batches`.
        reference: images, or an `.npz` statistics file (enough for "fid" alone).
            Not needed for "is" alone.
        metrics: any of "fid", "kid", "is", "pr", "dc" (a list, or one name).
        extractor: a `FeatureExtractor`; default the FID Inception network
            with "tf_legacy" preprocessing (needs its weights).
        n, n_reference: how many samples and reference images (default: all),
            integers >= 1.
        batch_size: images per forward pass, an integer >= 1.
        seed: seeds the generator's latents, an integer >= 0; KID and IS use
            their references' fixed seeds.
        reference_key: names the content of a reference that is not an array,
            for the statistics cache (see `reference_statistics`).

    Returns:
        A dict of floats ("fid", "kid", "kid_std", "is", "is_std",
        "precision", "recall", "density", "coverage", as requested) with
        "n", "n_reference" (when known) and "protocol".

    Raises:
        ValueError: for bad arguments (each named), bad reference images or
            statistics, images the extractor cannot take, or too few samples.
    """
    metrics = _checked_metrics(metrics)
    n = _optional_count(n, "n")
    n_reference = _optional_count(n_reference, "n_reference")
    batch_size = _count(batch_size, "batch_size")
    seed = _count(seed, "seed", minimum=0)
    for metric in metrics:
        minimum = _MINIMUM_SAMPLES[metric]
        if n is not None and n < minimum:
            raise ValueError(f"{_METRIC_NAMES[metric]} needs at least {minimum} samples; n={n}.")
        if metric != "is" and n_reference is not None and n_reference < minimum:
            raise ValueError(
                f"{_METRIC_NAMES[metric]} needs at least {minimum} reference images; "
                f"n_reference={n_reference}."
            )
    if _generator_network(samples) is not None and n is None:
        raise ValueError("Pass the number of samples n to evaluate a generator.")
    needs_reference_features = bool({"kid", "pr", "dc"} & set(metrics))
    if reference is None and set(metrics) != {"is"}:
        raise ValueError(f"{sorted(set(metrics) - {'is'})} need reference images.")
    if needs_reference_features and _is_path(reference):
        raise ValueError(
            "KID, precision/recall and density/coverage need reference images, not a "
            f"statistics file ({os.fspath(reference)})."
        )
    if _is_path(reference) and n_reference is not None:
        raise ValueError(
            f"n_reference={n_reference} selects reference images, but {os.fspath(reference)} "
            "holds the statistics of a fixed set; leave n_reference unset."
        )
    extractor = extractor or inception_extractor()
    if "is" in metrics and extractor.logits is None:
        raise ValueError(f"The Inception Score needs class logits; {extractor.name} has none.")
    if reference is not None and "fid" not in metrics and not needs_reference_features:
        reference = None  # "is" alone: the reference is not used
    if reference is not None:
        reference = _checked_reference(extractor, reference)
    _check_shapes(extractor, samples, reference)
    results = {}
    real = real_statistics = None
    # The reference first: a bad reference fails before any sample is generated.
    if needs_reference_features:
        real = extract(extractor, reference, n_reference, batch_size, what="the reference images")
        results["n_reference"] = real["n"]
        real_statistics = real["statistics"].mean_and_covariance()
    elif "fid" in metrics:
        real_statistics = reference_statistics(
            extractor, reference, n_reference, batch_size, reference_key
        )
        _check_feature_size(extractor, real_statistics, reference)
        if isinstance(reference, np.ndarray):
            results["n_reference"] = len(reference[:n_reference])
    fake = extract(
        extractor,
        samples,
        n,
        batch_size,
        seed,
        keep_features=needs_reference_features,
        what="the samples",
    )
    results = {"n": fake["n"], **results}
    if "fid" in metrics:
        results["fid"] = frechet_distance(
            *fake["statistics"].mean_and_covariance(), *real_statistics
        )
    if "kid" in metrics:
        results["kid"], results["kid_std"] = kernel_distance(fake["features"], real["features"])
    if "is" in metrics:
        results["is"], results["is_std"] = inception_score(fake["logits"])
    if "pr" in metrics:
        results.update(precision_recall(real["features"], fake["features"]))
    if "dc" in metrics:
        results.update(density_coverage(real["features"], fake["features"]))
    reference_size = results.get("n_reference", n_reference or "all")
    results["protocol"] = (
        f"{results['n']} samples (seed {seed}) vs {reference_size} reference images; "
        f"features {extractor.name}"
    )
    return results


def log_name(metric, n, extractor):
    """A metric's log name with its protocol: `fid_5k_inception_tf_legacy`."""
    size = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    return f"{metric}_{size}_{extractor.name}"


def _count(value, name, minimum=1):
    return check_int(value, name, minimum)


def _optional_count(value, name):
    return None if value is None else _count(value, name)


def _checked_metrics(metrics):
    if isinstance(metrics, str):
        metrics = (metrics,)
    try:
        metrics = tuple(metrics)
    except TypeError:
        raise ValueError(f"metrics must be names from {METRICS}; got {metrics!r}.") from None
    unknown = [metric for metric in metrics if metric not in METRICS]
    if unknown or not metrics:
        raise ValueError(f"Unknown metrics {unknown}; choose from {METRICS}.")
    return tuple(dict.fromkeys(metrics))


def _is_path(reference):
    return isinstance(reference, (str, os.PathLike))


def _checked_reference(extractor, reference):
    """Reference images checked as training data is; other sources as they are."""
    if isinstance(reference, np.ndarray) and extractor.images:
        return check_reference_images(reference)
    return reference


def _example_shape(source):
    """The shape of one image of `source` when it is known up front, else None."""
    if isinstance(source, np.ndarray):
        return tuple(source.shape[1:])
    network = _generator_network(source)
    if network is not None:
        shape = getattr(network, "output_shape", None)
    else:
        spec = getattr(source, "element_spec", None)  # a tf.data.Dataset of batches
        if isinstance(spec, tuple) and spec:
            spec = spec[0]
        shape = getattr(spec, "shape", None)
        shape = None if shape is None or shape.rank is None else tuple(shape)
    if not isinstance(shape, tuple) or len(shape) < 2 or None in shape[1:]:
        return None
    return tuple(int(d) for d in shape[1:])


def _check_shapes(extractor, samples, reference):
    """Samples and reference images must fit the extractor; a size difference is flagged."""
    sample_shape = _example_shape(samples)
    reference_shape = (
        None if reference is None or _is_path(reference) else _example_shape(reference)
    )
    if sample_shape is not None:
        extractor.check_example_shape(sample_shape, "the samples")
    if reference_shape is not None:
        extractor.check_example_shape(reference_shape, "the reference images")
    known = None not in (sample_shape, reference_shape)
    if extractor.images and known and sample_shape != reference_shape:
        warnings.warn(
            f"The samples have shape {sample_shape} and the reference images "
            f"{reference_shape}; the {extractor.name} features resize both, so the "
            "metrics also measure the difference in size. Compare at one size.",
            stacklevel=3,
        )


def _check_feature_size(extractor, statistics, reference):
    size = extractor.feature_size()
    if size is not None and len(statistics[0]) != size:
        source = os.fspath(reference) if _is_path(reference) else "The reference statistics"
        raise ValueError(
            f"{source} holds statistics of {len(statistics[0])}-dimensional features, but "
            f"the {extractor.name} features have {size} dimensions: they were computed with "
            "other features."
        )


def _checked_images(images):
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"Expected a batch of images (n, h, w, c), got shape {images.shape}.")
    if images.dtype == np.uint8:
        return images
    if np.issubdtype(images.dtype, np.integer):
        low, high = images.min(), images.max()
        if low < 0 or high > 255:
            raise ValueError(
                f"Integer images must be pixels 0..255, got values in [{low}, {high}]."
            )
        return images.astype(np.uint8)
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(f"Expected integer or float images, got dtype {images.dtype}.")
    low, high = float(images.min()), float(images.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError("The images contain NaN or infinite values.")
    if low < -1.0 - _RANGE_TOLERANCE or high > 1.0 + _RANGE_TOLERANCE:
        raise ValueError(
            f"Float images must lie in [-1, 1] (the generators' range), got values in "
            f"[{low:.3g}, {high:.3g}]; pass 0..255 pixels as uint8."
        )
    return images


def _to_unit_range(images):
    if images.dtype == np.uint8:
        return images.astype("float32") / 127.5 - 1.0
    return images.astype("float32")
