"""Class fidelity of a conditional generator: do samples of class c look like class c?

The generator makes `samples_per_class` samples conditioned on each class; a
classifier labels them; the fidelity of class c is the fraction of its
samples labeled c, and the overall fidelity their mean (the fraction of all
samples labeled with their own class, since every class has as many). It
measures how well the label is obeyed, not image quality or diversity: a
generator that draws one clear digit per class scores 1.

For MNIST the default classifier is the bundled `mnist_classifier()`.
"""

import keras
import numpy as np

from keras_gan_zoo.metrics import mnist_cnn
from keras_gan_zoo.utils import arguments

PROTOCOL = (
    "class fidelity: the fraction of samples conditioned on class c that the classifier "
    "labels c (argmax of its logits), averaged over the {classes} classes; {per_class:,} "
    "samples per class ({total:,} in all), drawn with generate({total}, seed={seed}, "
    "labels=the classes in order, {per_class:,} each); classifier: {classifier}"
)

# How far outside [-1, 1] samples for the bundled classifier may stray (float rounding).
_RANGE_TOLERANCE = 1e-3


def conditional_classes(generator, num_classes, metric, minimum=1):
    """The class count of a conditional generator that `metric` samples class by class.

    Raises:
        ValueError: naming `metric`, for an unconditional generator (and no
            `num_classes` given) or one without a `generate` method.
    """
    if num_classes is None:
        num_classes = getattr(generator, "num_classes", None)
        if num_classes is None:
            raise ValueError(
                f"{metric} needs a conditional generator; this one has no num_classes "
                f"({type(generator).__name__}). Pass num_classes=... if it takes labels."
            )
    num_classes = arguments.check_int(num_classes, "num_classes", minimum=minimum)
    if not hasattr(generator, "generate"):
        raise ValueError(
            "generator must have a generate(n, seed=..., labels=...) method (a "
            f"keras_gan_zoo.Generator or a conditional GAN); got {type(generator).__name__}."
        )
    return num_classes


def class_fidelity(
    generator,
    classifier=None,
    samples_per_class=1000,
    seed=0,
    batch_size=500,
    num_classes=None,
    classifier_description=None,
):
    """Scores how often a conditional generator's samples are classified as their label.

    Args:
        generator: a conditional generator with a `generate(n, seed=...,
            labels=..., batch_size=...)` method: a `keras_gan_zoo.Generator`
            (from `load_generator`) or a trained conditional GAN.
        classifier: None for the bundled MNIST classifier (28x28x1 images in
            [-1, 1], 10 classes), or a model mapping a batch of samples to
            logits (n, num_classes), or to a dict with a "logits" entry. A
            `keras.Model` is run with `predict`, anything else is called on
            each batch.
        samples_per_class: samples generated for each class, an int >= 1.
        seed: the non-negative int seed of the samples.
        batch_size: samples per generator and classifier pass.
        num_classes: the generator's class count; read from
            `generator.num_classes` when None.
        classifier_description: how the protocol names a given classifier
            (default: its name); the bundled one is described by its own
            protocol.

    Returns:
        A dict: "fidelity" (float, overall), "per_class" (list of floats, one
        per class), "confusion" (int array (classes, classifier classes):
        samples of class c given each label), "samples_per_class", "n" (all
        samples) and "protocol" (a sentence stating how it was measured).

    Raises:
        ValueError: a bad argument, an unconditional generator, samples that
            do not fit the bundled classifier, or logits of the wrong shape.
    """
    samples_per_class = arguments.check_int(samples_per_class, "samples_per_class", minimum=1)
    batch_size = arguments.check_int(batch_size, "batch_size", minimum=1)
    # An int, not a numpy Generator: the protocol states it.
    seed = arguments.check_int(seed, "seed", minimum=0)
    num_classes = conditional_classes(generator, num_classes, "class_fidelity")

    total = num_classes * samples_per_class
    labels = np.repeat(np.arange(num_classes, dtype="int32"), samples_per_class)
    samples = np.asarray(generator.generate(total, seed=seed, labels=labels, batch_size=batch_size))
    if len(samples) != total:
        raise ValueError(f"The generator returned {len(samples)} samples for {total} labels.")
    if not np.all(np.isfinite(samples)):
        raise ValueError("The generator's samples contain NaN or infinite values.")

    if classifier is None:
        _check_mnist_samples(samples)
        classifier = mnist_cnn.mnist_classifier()
        description = mnist_cnn.PROTOCOL
    else:
        description = classifier_description or getattr(
            classifier, "name", getattr(classifier, "__name__", type(classifier).__name__)
        )
    logits = _logits(classifier, samples, batch_size)
    if logits.ndim != 2 or len(logits) != total or logits.shape[1] < num_classes:
        raise ValueError(
            f"The classifier must give logits of shape ({total}, >= {num_classes}) for "
            f"{total} samples of {num_classes} classes; got shape {logits.shape}."
        )
    predicted = logits.argmax(axis=1)
    confusion = np.zeros((num_classes, logits.shape[1]), dtype="int64")
    np.add.at(confusion, (labels, predicted), 1)
    per_class = confusion[np.arange(num_classes), np.arange(num_classes)] / samples_per_class
    return {
        "fidelity": float(per_class.mean()),
        "per_class": [float(value) for value in per_class],
        "confusion": confusion,
        "samples_per_class": samples_per_class,
        "n": total,
        "protocol": PROTOCOL.format(
            classes=num_classes,
            per_class=samples_per_class,
            total=total,
            seed=seed,
            classifier=description,
        ),
    }


def _check_mnist_samples(samples):
    if samples.ndim != 4 or samples.shape[1:] != (28, 28, 1):
        raise ValueError(
            "The bundled MNIST classifier takes (n, 28, 28, 1) images; the generator made "
            f"shape {samples.shape}. Pass a classifier=... for other data."
        )
    low, high = float(samples.min()), float(samples.max())
    if low < -1 - _RANGE_TOLERANCE or high > 1 + _RANGE_TOLERANCE:
        raise ValueError(
            f"The bundled MNIST classifier takes images in [-1, 1]; the samples span "
            f"[{low:g}, {high:g}]."
        )


def _logits(classifier, samples, batch_size):
    if isinstance(classifier, keras.Model):
        outputs = classifier.predict(samples, batch_size=batch_size, verbose=0)
        return np.asarray(outputs["logits"] if isinstance(outputs, dict) else outputs)
    batches = []
    for start in range(0, len(samples), batch_size):
        outputs = classifier(samples[start : start + batch_size])
        batches.append(np.asarray(outputs["logits"] if isinstance(outputs, dict) else outputs))
    return np.concatenate(batches)
