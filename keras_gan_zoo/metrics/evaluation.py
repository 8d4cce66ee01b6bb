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
layout), keyed by the extractor, the reference data and its size. Every
result carries a `protocol` string naming N, the features and the seed, to be
reported with the number.
"""

import hashlib
import os
import re

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

METRICS = ("fid", "kid", "is", "pr", "dc")


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


def image_batches(source, n=None, batch_size=50, seed=0):
    """Yields image batches of at most `batch_size` from `source`, `n` images in all.

    `source` is an array of images, a dataset or iterable of batches (of
    images or of (images, labels)), or a generator (a `Generator`, a GAN:
    anything with `.generator` or `.network` and a latent size). A generator
    gives the same `n` samples for the same seed as `generator.generate(n,
    seed)`; it needs `n`.
    """
    network = _generator_network(source)
    if network is not None:
        if not n:
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
    """The generator network of a `Generator` or a GAN; None for data."""
    if isinstance(source, np.ndarray):
        return None
    return getattr(source, "network", None) or getattr(source, "generator", None)


def _generated_batches(model, network, n, batch_size, seed):
    # Latents and labels for all n first, from one seeded stream, exactly as
    # `Generator.generate(n, seed)` draws them; then generate chunk by chunk.
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


def extract(extractor, source, n=None, batch_size=50, seed=0, keep_features=True):
    """Runs `source` through `extractor` batch by batch.

    Every batch is padded to `batch_size` (and the padding's outputs dropped),
    so the network is compiled for one input shape only.

    Returns:
        {"statistics": FeatureStatistics, "features": (n, d) array or None,
        "logits": (n, classes) array or None, "n": count}.
    """
    statistics = FeatureStatistics()
    features, logits = [], []
    for batch in image_batches(source, n, batch_size, seed):
        count = len(batch)
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
        raise ValueError("No images to evaluate: the source is empty.")
    return {
        "statistics": statistics,
        "features": np.concatenate(features) if features else None,
        "logits": np.concatenate(logits) if logits else None,
        "n": statistics.count,
    }


def reference_statistics(extractor, reference, n=None, batch_size=50, cache_key=None):
    """(mean, covariance) of the reference images' features, cached on disk.

    `reference` is an `.npz` statistics file (pytorch-fid's or ours), used as
    is, or images (see `image_batches`). Statistics of arrays are cached
    under a hash of their bytes; of other sources only when `cache_key` names
    them.
    """
    if isinstance(reference, (str, os.PathLike)):
        return load_statistics(reference)
    if cache_key is None and isinstance(reference, np.ndarray):
        selected = reference if n is None else reference[:n]
        cache_key = hashlib.sha256(np.ascontiguousarray(selected).tobytes()).hexdigest()[:16]
    path = None
    if cache_key is not None:
        safe_key = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(cache_key))
        path = os.path.join(
            downloads.cache_dir("fid_statistics"), f"{extractor.name}-{safe_key}-{n or 'all'}.npz"
        )
        if os.path.exists(path):
            return load_statistics(path)
    result = extract(extractor, reference, n, batch_size, keep_features=False)
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

    Args:
        samples: a generator (then `n` is required) or images; see `image_batches`.
        reference: images, or an `.npz` statistics file (enough for "fid" alone).
            Not needed for "is" alone.
        metrics: any of "fid", "kid", "is", "pr", "dc".
        extractor: a `FeatureExtractor`; default the FID Inception network
            with "tf_legacy" preprocessing (needs its weights).
        n, n_reference: how many samples and reference images (default: all).
        batch_size: images per forward pass.
        seed: seeds the generator's latents; KID and IS use their references'
            fixed seeds.
        reference_key: names a non-array reference for the statistics cache.

    Returns:
        A dict of floats ("fid", "kid", "kid_std", "is", "is_std",
        "precision", "recall", "density", "coverage", as requested) with
        "n", "n_reference" and "protocol".
    """
    unknown = set(metrics) - set(METRICS)
    if unknown or not metrics:
        raise ValueError(f"Unknown metrics {sorted(unknown)}; choose from {METRICS}.")
    if _generator_network(samples) is not None and not n:
        raise ValueError("Pass the number of samples n to evaluate a generator.")
    needs_reference_features = bool({"kid", "pr", "dc"} & set(metrics))
    if reference is None and set(metrics) != {"is"}:
        raise ValueError(f"{sorted(set(metrics) - {'is'})} need reference images.")
    if needs_reference_features and isinstance(reference, (str, os.PathLike)):
        raise ValueError(
            "KID, precision/recall and density/coverage need reference images, not a "
            f"statistics file ({reference})."
        )
    extractor = extractor or inception_extractor()
    if "is" in metrics and extractor.logits is None:
        raise ValueError(f"The Inception Score needs class logits; {extractor.name} has none.")
    fake = extract(extractor, samples, n, batch_size, seed, keep_features=needs_reference_features)
    results = {"n": fake["n"]}
    real = None
    if needs_reference_features:
        real = extract(extractor, reference, n_reference, batch_size)
        results["n_reference"] = real["n"]
    if "fid" in metrics:
        if real is not None:
            real_mean, real_covariance = real["statistics"].mean_and_covariance()
        else:
            real_mean, real_covariance = reference_statistics(
                extractor, reference, n_reference, batch_size, reference_key
            )
        results["fid"] = frechet_distance(
            *fake["statistics"].mean_and_covariance(), real_mean, real_covariance
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


def _checked_images(images):
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"Expected a batch of images (n, h, w, c), got shape {images.shape}.")
    if images.dtype != np.uint8:
        low, high = float(images.min()), float(images.max())
        if not (np.isfinite(low) and np.isfinite(high)):
            raise ValueError("The images contain NaN or infinite values.")
        if low < -1.001 or high > 1.001:
            raise ValueError(
                f"Float images must lie in [-1, 1] (the generators' range), got values in "
                f"[{low:.3g}, {high:.3g}]; pass 0..255 pixels as uint8."
            )
    return images


def _to_unit_range(images):
    if images.dtype == np.uint8:
        return images.astype("float32") / 127.5 - 1.0
    return images.astype("float32")
