"""Intra-class FID of a conditional generator: FID within each class, averaged.

Intra-FID (Miyato & Koyama 2018, "cGANs with Projection Discriminator",
https://arxiv.org/abs/1802.05637) computes FID separately for each class c,
between samples conditioned on c and the real images of c, and averages
over the classes. Unlike FID over all samples it sees a generator that
draws fine images of the wrong class (an ignored or swapped label), and
unlike `class_fidelity` it sees diversity and quality within a class.

Each class's samples come from their own `generate` call with the seed
seed * num_classes + c, so memory holds one class at a time and runs with
different seeds never share samples. The features are the bundled MNIST
classifier's 128-d "features" layer by default (see `mnist_cnn`), or those
of any extractor given. Like FID, each term is biased upward roughly as
1 / N: compare scores only at the same samples per class and real set.
"""

import keras
import numpy as np

from keras_gan_zoo.metrics import mnist_cnn
from keras_gan_zoo.metrics.class_fidelity import conditional_classes
from keras_gan_zoo.metrics.frechet_distance import frechet_distance_of_features
from keras_gan_zoo.utils import arguments

PROTOCOL = (
    "intra-class FID (Miyato & Koyama 2018): for each of the {classes} classes, the Frechet "
    "distance between the features of {per_class:,} samples conditioned on class c and those of "
    "the real images of class c ({real_low:,} to {real_high:,} per class, {real_total:,} in all), "
    "averaged over the classes; class c's samples drawn with generate({per_class}, "
    "seed={seed_base} + c, labels=c); features: {features}"
)


def intra_class_fid(
    generator,
    real_images,
    real_labels,
    num_classes=None,
    samples_per_class=1000,
    seed=0,
    feature_extractor=None,
    batch_size=500,
    feature_description=None,
):
    """FID between generated and real images of each class, and its mean over the classes.

    Args:
        generator: a conditional generator with a `generate(n, seed=...,
            labels=..., batch_size=...)` method: a `keras_gan_zoo.Generator`
            (from `load_generator`) or a trained conditional GAN.
        real_images: the real images (N, ...), in the range the extractor
            takes (the bundled one: (N, 28, 28, 1) floats in [-1, 1]).
        real_labels: their classes, ints (N,) in [0, num_classes); every
            class needs at least 2 real images.
        num_classes: the generator's class count; read from
            `generator.num_classes` when None.
        samples_per_class: samples generated for each class, an int >= 2.
        seed: the non-negative int seed; class c uses seed * num_classes + c.
        feature_extractor: None for the bundled MNIST classifier's 128-d
            features, or a model mapping a batch of images to features
            (n, d), or to a dict with a "features" entry. A `keras.Model`
            is run with `predict`, anything else is called on each batch.
        batch_size: images per generator and extractor pass.
        feature_description: how the protocol names a given extractor
            (default: its name).

    Returns:
        A dict: "intra_fid" (float, the mean over classes), "per_class"
        (list of floats, one FID per class), "samples_per_class",
        "real_per_class" (list of ints), "n" (all samples) and "protocol".

    Raises:
        ValueError: a bad argument, an unconditional generator, labels out
            of range, a class with fewer than 2 real images, or samples or
            features of the wrong shape.
    """
    samples_per_class = arguments.check_int(samples_per_class, "samples_per_class", minimum=2)
    batch_size = arguments.check_int(batch_size, "batch_size", minimum=1)
    # An int, not a numpy Generator: the protocol states it.
    seed = arguments.check_int(seed, "seed", minimum=0)
    num_classes = conditional_classes(generator, num_classes, "intra_class_fid")
    real_images, real_labels = _checked_real(real_images, real_labels, num_classes)
    real_per_class = np.bincount(real_labels, minlength=num_classes)
    for label, count in enumerate(real_per_class):
        if count < 2:
            raise ValueError(
                f"Class {label} has {count} real image{'s' if count != 1 else ''}; FID needs "
                "at least 2 of every class."
            )

    if feature_extractor is None:
        classifier = mnist_cnn.mnist_classifier()

        def extract(images):
            return mnist_cnn.mnist_features(images, classifier, batch_size)

        description = "the 128-d 'features' layer of " + mnist_cnn.PROTOCOL
    else:

        def extract(images):
            return _features(feature_extractor, images, batch_size)

        description = feature_description or getattr(
            feature_extractor,
            "name",
            getattr(feature_extractor, "__name__", type(feature_extractor).__name__),
        )

    real_features = _checked_features(extract(real_images), len(real_images), "real images")
    per_class = []
    for label in range(num_classes):
        samples = np.asarray(
            generator.generate(
                samples_per_class,
                seed=seed * num_classes + label,
                labels=label,
                batch_size=batch_size,
            )
        )
        if len(samples) != samples_per_class:
            raise ValueError(
                f"The generator returned {len(samples)} samples of class {label}; "
                f"{samples_per_class} were asked for."
            )
        if not np.all(np.isfinite(samples)):
            raise ValueError(f"The generator's samples of class {label} contain NaN or inf.")
        fake_features = _checked_features(extract(samples), samples_per_class, "samples")
        if fake_features.shape[1] != real_features.shape[1]:
            raise ValueError(
                f"The extractor gave {fake_features.shape[1]} features per sample and "
                f"{real_features.shape[1]} per real image."
            )
        per_class.append(
            frechet_distance_of_features(fake_features, real_features[real_labels == label])
        )
    return {
        "intra_fid": float(np.mean(per_class)),
        "per_class": per_class,
        "samples_per_class": samples_per_class,
        "real_per_class": [int(count) for count in real_per_class],
        "n": num_classes * samples_per_class,
        "protocol": PROTOCOL.format(
            classes=num_classes,
            per_class=samples_per_class,
            real_low=int(real_per_class.min()),
            real_high=int(real_per_class.max()),
            real_total=len(real_labels),
            seed_base=seed * num_classes,
            features=description,
        ),
    }


def _checked_real(real_images, real_labels, num_classes):
    images = np.asarray(real_images)
    if images.dtype.kind not in "iuf" or images.ndim < 2 or len(images) == 0:
        raise ValueError(
            "real_images must be a non-empty (N, ...) array of numbers; got shape "
            f"{images.shape} and dtype {images.dtype}."
        )
    labels = np.asarray(real_labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(
            f"real_labels must be a 1-D array of integers; got shape {labels.shape} and "
            f"dtype {labels.dtype}."
        )
    if len(labels) != len(images):
        raise ValueError(
            f"real_images has {len(images):,} images and real_labels {len(labels):,} labels."
        )
    outside = labels[(labels < 0) | (labels >= num_classes)]
    if len(outside):
        raise ValueError(
            f"real_labels must be in [0, {num_classes}) for {num_classes} classes; found "
            f"{int(outside[0])}."
        )
    return images, labels.astype(np.int64)


def _features(extractor, images, batch_size):
    if isinstance(extractor, keras.Model):
        outputs = extractor.predict(images, batch_size=batch_size, verbose=0)
        return np.asarray(outputs["features"] if isinstance(outputs, dict) else outputs)
    batches = []
    for start in range(0, len(images), batch_size):
        outputs = extractor(images[start : start + batch_size])
        batches.append(np.asarray(outputs["features"] if isinstance(outputs, dict) else outputs))
    return np.concatenate(batches)


def _checked_features(features, count, what):
    features = np.asarray(features)
    if features.ndim != 2 or len(features) != count:
        raise ValueError(
            f"The feature extractor must give ({count}, d) features for {count} {what}; "
            f"got shape {features.shape}."
        )
    if not np.all(np.isfinite(features)):
        raise ValueError(f"The features of the {what} contain NaN or infinite values.")
    return features
