"""Classification Accuracy Score: does a classifier trained on samples alone work on real data?

CAS (Ravuri & Vinyals 2019, "Classification Accuracy Score for Conditional
Generative Models", https://arxiv.org/abs/1905.10887) trains a classifier
only on generated (sample, label) pairs, with the labels uniform over the
classes, and reports its accuracy on the real test set. It is high only if
the samples of every class are both recognisable and as varied as the real
class: a generator that draws one clear digit per class scores well on
`class_fidelity` but trains a poor classifier. The same classifier trained
on real training data gives the ceiling to read it against; the paper
found a wide gap for BigGAN-deep on ImageNet in spite of its low FID.

The paper trains a ResNet-50 on as many samples as ImageNet has training
images. Here the classifier is `cas_classifier`, a small convnet, trained
with a fixed recipe (Adam, a few epochs, seeded initial weights and
shuffles) so that a 10,000-sample MNIST score takes well under a minute or
two on a CPU. Its numbers are comparable only under the same recipe, which
the protocol string names. The real-data baseline uses the same recipe on
as many real images as there are samples (drawn at random when more are
given), so both classifiers take the same number of steps.
"""

import keras
import numpy as np
from keras import layers

from keras_gan_zoo.metrics import _data_range
from keras_gan_zoo.metrics.class_fidelity import conditional_classes
from keras_gan_zoo.utils import arguments

PROTOCOL = (
    "Classification Accuracy Score (Ravuri & Vinyals 2019): a classifier trained only on "
    "{train:,} generated samples ({per_class:,} per class for the {classes} classes, drawn with "
    "generate({train}, seed={seed}, labels=the classes in order)) and scored on {test:,} real "
    "test images; classifier: cas_classifier (conv 32 3x3 stride 2, conv 64 3x3 stride 2, "
    "dense 128, dense {classes}; ReLU; Glorot-uniform weights seeded from {seed}), {epochs} "
    "epochs of Adam (learning rate {learning_rate:g}) on softmax cross-entropy, batch size "
    "{batch}, examples reshuffled each epoch by np.random.default_rng({seed}); {pixels}; "
    "{baseline}"
)


def cas_classifier(input_shape, num_classes, seed=0):
    """The CAS classifier: a small convnet mapping (n, H, W, C) images to (n, num_classes) logits.

    Two stride-2 3x3 convolutions (32 and 64 filters), a 128-unit dense
    layer and the logits, all ReLU between; no dropout or batch
    normalization, so with its seeded initial weights training is the same
    computation every time.

    Args:
        input_shape: (H, W, C) of one image.
        num_classes: the number of logits, an int >= 2.
        seed: seeds the initial weights (layer i draws with seed + i).
    """
    input_shape = tuple(input_shape)
    if len(input_shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels); got {input_shape}.")
    num_classes = arguments.check_int(num_classes, "num_classes", minimum=2)
    seed = arguments.check_int(seed, "seed", minimum=0)

    def initializer(index):
        return keras.initializers.GlorotUniform(seed=seed + index)

    images = keras.Input(input_shape, name="images")
    x = layers.Conv2D(
        32, 3, strides=2, padding="same", activation="relu", kernel_initializer=initializer(0)
    )(images)
    x = layers.Conv2D(
        64, 3, strides=2, padding="same", activation="relu", kernel_initializer=initializer(1)
    )(x)
    x = layers.Flatten()(x)
    x = layers.Dense(128, activation="relu", kernel_initializer=initializer(2))(x)
    logits = layers.Dense(num_classes, kernel_initializer=initializer(3), name="logits")(x)
    return keras.Model(images, logits, name="cas_classifier")


def classification_accuracy_score(
    generator,
    test_images,
    test_labels,
    num_classes=None,
    samples_per_class=1000,
    real_images=None,
    real_labels=None,
    epochs=3,
    train_batch_size=128,
    learning_rate=1e-3,
    seed=0,
    batch_size=500,
    data_range=(-1, 1),
):
    """CAS: the real-test accuracy of a classifier trained only on a generator's samples.

    Args:
        generator: a conditional generator with a `generate(n, seed=...,
            labels=..., batch_size=...)` method: a `keras_gan_zoo.Generator`
            (from `load_generator`) or a trained conditional GAN.
        test_images: real test images (n, H, W, C), in `data_range`.
        test_labels: their classes, ints (n,) in [0, num_classes); every
            class must appear.
        num_classes: the generator's class count; read from
            `generator.num_classes` when None.
        samples_per_class: training samples generated for each class.
        real_images, real_labels: optional real training images and labels
            for the baseline; give both or neither.
        epochs: training epochs of each classifier.
        train_batch_size: examples per training step.
        learning_rate: Adam's learning rate.
        seed: the non-negative int seed of the samples, the initial weights,
            the shuffles and the draw of real training images.
        batch_size: images per generator and prediction pass.
        data_range: (low, high), the range of all images; rescaled to
            [-1, 1] for the classifier. The zoo's images are in [-1, 1].

    Returns:
        A dict: "cas" (the test accuracy of the classifier trained on
        samples), "per_class" (list: the accuracy on each class's test
        images), "real_data_accuracy" and "real_data_per_class" (the same for
        the classifier trained on real images; None without them),
        "n_train", "n_real_train" (None without real images), "n_test",
        "samples_per_class" and "protocol".

    Raises:
        ValueError: a bad argument, an unconditional generator, images of
            mismatched shapes or outside `data_range`, labels out of range,
            a class missing from the test set, or only one of real_images
            and real_labels.
    """
    samples_per_class = arguments.check_int(samples_per_class, "samples_per_class", minimum=1)
    epochs = arguments.check_int(epochs, "epochs", minimum=1)
    train_batch_size = arguments.check_int(train_batch_size, "train_batch_size", minimum=1)
    batch_size = arguments.check_int(batch_size, "batch_size", minimum=1)
    seed = arguments.check_int(seed, "seed", minimum=0)
    learning_rate = _checked_learning_rate(learning_rate)
    low, high = _data_range.check_data_range(data_range)
    num_classes = conditional_classes(
        generator, num_classes, "classification_accuracy_score", minimum=2
    )

    test_images = _checked_images(test_images, "test_images", low, high)
    test_labels = _checked_labels(test_labels, len(test_images), num_classes, "test_labels")
    missing = np.setdiff1d(np.arange(num_classes), test_labels)
    if len(missing):
        raise ValueError(
            f"The test set has no images of class {int(missing[0])}; CAS is read on every class."
        )
    if (real_images is None) != (real_labels is None):
        raise ValueError("Give both real_images and real_labels for the baseline, or neither.")
    image_shape = test_images.shape[1:]
    if real_images is not None:
        real_images = _checked_images(real_images, "real_images", low, high, image_shape)
        real_labels = _checked_labels(real_labels, len(real_images), num_classes, "real_labels")

    total = num_classes * samples_per_class
    labels = np.repeat(np.arange(num_classes, dtype="int32"), samples_per_class)
    samples = np.asarray(generator.generate(total, seed=seed, labels=labels, batch_size=batch_size))
    if len(samples) != total:
        raise ValueError(f"The generator returned {len(samples)} samples for {total} labels.")
    samples = _checked_images(samples, "The generator's samples", low, high, image_shape)

    recipe = {
        "epochs": epochs,
        "train_batch_size": train_batch_size,
        "learning_rate": learning_rate,
        "seed": seed,
        "batch_size": batch_size,
    }
    scale = (low, high)
    cas, per_class = _train_and_score(
        samples, labels, test_images, test_labels, num_classes, scale, recipe
    )
    real_accuracy = real_per_class = n_real = None
    if real_images is not None:
        if len(real_images) > total:
            # As many real images as samples: both classifiers take the same steps.
            chosen = np.sort(np.random.default_rng(seed).choice(len(real_images), total, False))
            real_images, real_labels = real_images[chosen], real_labels[chosen]
        n_real = len(real_images)
        real_accuracy, real_per_class = _train_and_score(
            real_images, real_labels, test_images, test_labels, num_classes, scale, recipe
        )
    baseline = (
        f"real-data baseline: the same recipe on {n_real:,} real training images"
        if n_real is not None
        else "no real-data baseline"
    )
    return {
        "cas": cas,
        "per_class": per_class,
        "real_data_accuracy": real_accuracy,
        "real_data_per_class": real_per_class,
        "n_train": total,
        "n_real_train": n_real,
        "n_test": len(test_images),
        "samples_per_class": samples_per_class,
        "protocol": PROTOCOL.format(
            train=total,
            per_class=samples_per_class,
            classes=num_classes,
            seed=seed,
            test=len(test_images),
            epochs=epochs,
            learning_rate=learning_rate,
            batch=train_batch_size,
            pixels=(
                "pixels in [-1, 1]"
                if (low, high) == (-1.0, 1.0)
                else f"pixels rescaled from [{low:g}, {high:g}] to [-1, 1]"
            ),
            baseline=baseline,
        ),
    }


def _train_and_score(images, labels, test_images, test_labels, num_classes, scale, recipe):
    """Trains a fresh `cas_classifier` on (images, labels); its test (accuracy, per-class list)."""
    images, test_images = _to_unit_range(images, scale), _to_unit_range(test_images, scale)
    labels = labels.astype("int32")
    model = cas_classifier(images.shape[1:], num_classes, seed=recipe["seed"])
    model.compile(
        optimizer=keras.optimizers.Adam(recipe["learning_rate"]),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    # Shuffled here rather than by fit: a NumPy permutation per epoch is the
    # same on every backend and leaves Keras's global seed alone.
    rng = np.random.default_rng(recipe["seed"])
    for _ in range(recipe["epochs"]):
        order = rng.permutation(len(images))
        model.fit(
            images[order],
            labels[order],
            batch_size=recipe["train_batch_size"],
            epochs=1,
            shuffle=False,
            verbose=0,
        )
    logits = np.asarray(model.predict(test_images, batch_size=recipe["batch_size"], verbose=0))
    correct = logits.argmax(axis=1) == test_labels
    per_class = [float(correct[test_labels == label].mean()) for label in range(num_classes)]
    return float(correct.mean()), per_class


def _to_unit_range(images, scale):
    low, high = scale
    return ((images - low) * (2.0 / (high - low)) - 1.0).astype("float32")


def _checked_images(images, name, low, high, image_shape=None):
    images = np.asarray(images)
    if images.dtype.kind not in "iuf" or images.ndim != 4 or len(images) == 0:
        raise ValueError(
            f"{name} must be a non-empty (n, height, width, channels) array of numbers; got "
            f"shape {images.shape} and dtype {images.dtype} (add a channel axis to grayscale)."
        )
    if image_shape is not None and images.shape[1:] != image_shape:
        raise ValueError(
            f"{name} are {images.shape[1:]} images and the test images {image_shape}; "
            "they must match."
        )
    images = images.astype("float32")
    if not np.all(np.isfinite(images)):
        raise ValueError(f"{name} contain NaN or infinite values.")
    _data_range.check_within(images, name, low, high)
    return images


def _checked_labels(labels, count, num_classes, name):
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(
            f"{name} must be a 1-D array of integers; got shape {labels.shape} and dtype "
            f"{labels.dtype}."
        )
    if len(labels) != count:
        raise ValueError(f"{name} has {len(labels):,} labels for {count:,} images.")
    outside = labels[(labels < 0) | (labels >= num_classes)]
    if len(outside):
        raise ValueError(
            f"{name} must be in [0, {num_classes}) for {num_classes} classes; found "
            f"{int(outside[0])}."
        )
    return labels.astype(np.int64)


def _checked_learning_rate(learning_rate):
    if isinstance(learning_rate, (bool, np.bool_)) or not isinstance(
        learning_rate, (int, float, np.integer, np.floating)
    ):
        raise ValueError(f"learning_rate must be a positive number; got {learning_rate!r}.")
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number; got {learning_rate!r}.")
    return float(learning_rate)
