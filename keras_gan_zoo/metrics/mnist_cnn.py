"""A small pretrained MNIST classifier: features for a digit FID, and the Stacked-MNIST mode count.

`mnist_classifier()` is a small CNN (three strided convolutions). Its 128-d
"features" layer is the feature extractor of a classifier-feature FID on MNIST
(feed `mnist_features` of real and generated digits to
`frechet_distance_of_features`); its "logits" label digits. The shipped
weights are checked against a pinned sha256 every time they are loaded.

Stacked MNIST (VEEGAN, Srivastava et al. 2017; PacGAN, Lin et al. 2018) puts
three MNIST digits in the three channels of one 28x28x3 image: 1000 modes.
`stacked_mnist_modes` labels each channel of generated images with the
classifier and reports how many of the 1000 modes appear and the KL divergence
of the mode histogram from uniform. The classifier was trained on the 60,000
MNIST training images and is scored on the 10,000 test images; the real-data
reference numbers come from stacks of the test digits (see
`keras_gan_zoo.datasets.stacked_mnist`): 1000 modes and a KL of 0.056 with
10,000 samples, 1000 modes and 0.025 with VEEGAN's 26,000 (with uniform
modes the KL of n samples is about 999 / 2n from sampling noise alone).
"""

import os

import keras
import numpy as np
from keras import layers

from keras_gan_zoo.datasets._catalog import LABELLED_IMAGES
from keras_gan_zoo.utils.downloads import verify_file

WEIGHTS_PATH = os.path.join(os.path.dirname(__file__), "weights", "mnist_classifier.weights.h5")
WEIGHTS_SHA256 = "f025c90f94c781d3d60e386c12ba3eb8c7a212abab510a727c99e9d14359651e"
# The shipped weights were trained on the 60,000 MNIST training images
# (recipes/mnist_classifier.py); their accuracy on the 10,000 test images:
TEST_ACCURACY = 0.9914
STACKED_MODES = 1000

_NETWORK = (
    "a CNN (3 conv layers of 32/64/64 3x3 filters with stride 2, dense 128 'features', "
    "dense 10 'logits'; inputs 28x28x1 in [-1, 1])"
)
PROTOCOL = (
    f"{_NETWORK} trained on the 60,000 MNIST training images (random translations of up to "
    f"10%), {TEST_ACCURACY:.2%} accuracy on the 10,000 test images"
)

FASHION_WEIGHTS_PATH = os.path.join(
    os.path.dirname(__file__), "weights", "fashion_mnist_classifier.weights.h5"
)
FASHION_WEIGHTS_SHA256 = "e3a3892e7a2d821ed0bedcdf4b26381d15a1a49cdfb9a77946d01207511ac6be"
# recipes/mnist_classifier.py --dataset fashion_mnist; its accuracy on the 10,000 test images:
FASHION_TEST_ACCURACY = 0.8931
FASHION_CLASS_NAMES = LABELLED_IMAGES["fashion_mnist"].class_names
FASHION_PROTOCOL = (
    f"{_NETWORK} trained on the 60,000 Fashion-MNIST training images (random translations of "
    f"up to 10%), {FASHION_TEST_ACCURACY:.2%} accuracy on the 10,000 Fashion-MNIST test images"
)

# How far outside [-1, 1] inputs may stray (float rounding of scaled pixels).
_RANGE_TOLERANCE = 1e-3


def mnist_classifier(weights="default", sha256=None):
    """The MNIST classifier, a functional model with outputs {"features", "logits"}.

    Input: (n, 28, 28, 1) float images in [-1, 1]. Outputs: "features" (n, 128),
    the ReLU activations of the penultimate layer, and "logits" (n, 10). The
    model has no dropout or batch normalization, so inference is the same
    computation on every backend.

    Args:
        weights: "default" for the shipped weights (checked against
            `WEIGHTS_SHA256`), None for random weights, or the path of a
            `.weights.h5` file.
        sha256: expected hex sha256 of a weights file given by path; when
            given, the file is checked before it is loaded.

    Raises:
        IntegrityError: the weights file's sha256 is not the expected one.
    """
    return _small_cnn("mnist_classifier", weights, sha256, (WEIGHTS_PATH, WEIGHTS_SHA256))


def fashion_mnist_classifier(weights="default", sha256=None):
    """The same CNN as `mnist_classifier`, trained on Fashion-MNIST's 60,000 training images.

    Its "logits" label the 10 garment classes (`FASHION_CLASS_NAMES`); it
    scores class fidelity and intra-class FID of Fashion-MNIST generators. The
    arguments are `mnist_classifier`'s; "default" loads the shipped weights,
    checked against `FASHION_WEIGHTS_SHA256`.
    """
    return _small_cnn(
        "fashion_mnist_classifier", weights, sha256, (FASHION_WEIGHTS_PATH, FASHION_WEIGHTS_SHA256)
    )


def bundled_classifier(dataset):
    """(the shipped classifier of `dataset`, its protocol): "mnist" or "fashion_mnist"."""
    if dataset not in BUNDLED_CLASSIFIERS:
        raise ValueError(
            f"No bundled classifier for {dataset!r}; there are {sorted(BUNDLED_CLASSIFIERS)}."
        )
    build, protocol = BUNDLED_CLASSIFIERS[dataset]
    return build(), protocol


def _small_cnn(name, weights, sha256, shipped):
    images = keras.Input((28, 28, 1), name="images")
    # Strided convolutions rather than full-resolution ones with pooling: as
    # accurate here, and several times faster on the CPU (the torch backend
    # most of all), which matters with 30,000 digits per Stacked-MNIST score.
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu", name="conv1")(images)
    x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu", name="conv2")(x)
    x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu", name="conv3")(x)
    x = layers.Flatten(name="flatten")(x)  # 4 x 4 x 64
    features = layers.Dense(128, activation="relu", name="features")(x)
    logits = layers.Dense(10, name="logits")(features)
    model = keras.Model(images, {"features": features, "logits": logits}, name=name)

    if isinstance(weights, str) and weights == "default":
        weights, sha256 = shipped
    if weights is not None:
        if not os.path.isfile(weights):
            raise FileNotFoundError(f"{name} weights file {weights} does not exist.")
        if sha256 is not None:
            verify_file(weights, sha256)
        model.load_weights(weights)
    return model


BUNDLED_CLASSIFIERS = {
    "mnist": (mnist_classifier, PROTOCOL),
    "fashion_mnist": (fashion_mnist_classifier, FASHION_PROTOCOL),
}


def _check_images(images, channels, what):
    images = np.asarray(images)
    expected = f"(n, 28, 28, {channels})"
    if images.ndim != 4 or images.shape[1:] != (28, 28, channels):
        raise ValueError(f"{what} expects images of shape {expected}; got shape {images.shape}.")
    if len(images) == 0:
        raise ValueError(f"{what} got no images (shape {images.shape}).")
    images = images.astype("float32")
    if not np.all(np.isfinite(images)):
        raise ValueError(f"{what}: the images contain NaN or infinite values.")
    low, high = float(images.min()), float(images.max())
    if low < -1 - _RANGE_TOLERANCE or high > 1 + _RANGE_TOLERANCE:
        raise ValueError(
            f"{what} expects images in [-1, 1]; these span [{low:g}, {high:g}]. "
            "Scale uint8 pixels with x / 127.5 - 1."
        )
    return images


def _predict(classifier, images, batch_size):
    if classifier is None:
        classifier = mnist_classifier()
    return classifier.predict(images, batch_size=batch_size, verbose=0)


def mnist_features(images, classifier=None, batch_size=500):
    """The classifier's 128-d features of (n, 28, 28, 1) images in [-1, 1].

    Args:
        images: float images in [-1, 1], shape (n, 28, 28, 1).
        classifier: a model from `mnist_classifier()`; default the shipped one.
        batch_size: images per forward pass.

    Returns:
        A float32 NumPy array (n, 128).
    """
    images = _check_images(images, 1, "mnist_features")
    return np.asarray(_predict(classifier, images, batch_size)["features"])


def stacked_mnist_modes(images, classifier=None, batch_size=500):
    """Mode coverage of Stacked-MNIST images: which of the 1000 digit triples appear.

    Each channel is labeled by the classifier; the mode of an image is
    100 * digit(channel 0) + 10 * digit(channel 1) + digit(channel 2). VEEGAN
    and PacGAN report both numbers on 26,000 samples.

    Args:
        images: (n, 28, 28, 3) float images in [-1, 1].
        classifier: a model from `mnist_classifier()`; default the shipped one.
        batch_size: single-channel images per forward pass.

    Returns:
        {"modes": modes with at least one sample (of 1000), "kl_to_uniform":
        KL(mode histogram || uniform over 1000), natural log, empty modes
        contributing 0, "n": the number of images, "mode_counts": int array
        (1000,) of images per mode}.

    Raises:
        ValueError: the images are empty, not (n, 28, 28, 3), or not in [-1, 1].
    """
    images = _check_images(images, 3, "stacked_mnist_modes")
    n = len(images)
    # (n, 28, 28, 3) -> (n * 3, 28, 28, 1), the channels of an image consecutive.
    channels = np.transpose(images, (0, 3, 1, 2)).reshape(n * 3, 28, 28, 1)
    logits = np.asarray(_predict(classifier, channels, batch_size)["logits"])
    digits = logits.argmax(axis=1).reshape(n, 3)
    modes = digits @ np.array([100, 10, 1])
    counts = np.bincount(modes, minlength=STACKED_MODES)
    frequencies = counts[counts > 0] / n
    kl = float(np.sum(frequencies * np.log(frequencies * STACKED_MODES)))
    return {
        "modes": int(np.count_nonzero(counts)),
        "kl_to_uniform": kl,
        "n": n,
        "mode_counts": counts,
    }
