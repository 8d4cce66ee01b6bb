"""The shipped MNIST classifier and the Stacked-MNIST mode count, on real MNIST digits."""

import math
import shutil

import numpy as np
import pytest

from keras_gan_zoo import datasets
from keras_gan_zoo.metrics import mnist_cnn as classifier_module
from keras_gan_zoo.utils.downloads import IntegrityError


@pytest.fixture(scope="module")
def classifier():
    return classifier_module.mnist_classifier()


@pytest.fixture(scope="module")
def real_stacks(mnist):
    """10,000 Stacked-MNIST images of test digits (unseen in training) and their true modes."""
    return datasets.stacked_mnist(*mnist, 10_000, seed=0)


def predicted_digits(classifier, images):
    logits = classifier.predict(images, batch_size=500, verbose=0)["logits"]
    return np.argmax(logits, axis=1)


def test_shipped_weights_recognize_test_digits(classifier, mnist):
    # The weights were trained on the 60,000 training images only; the
    # pinned accuracy is theirs on the 10,000 test images.
    images, labels = mnist
    inputs = images[..., None].astype("float32") / 127.5 - 1.0
    accuracy = np.mean(predicted_digits(classifier, inputs) == labels)
    assert accuracy == pytest.approx(classifier_module.TEST_ACCURACY, abs=0.001)
    assert accuracy >= 0.98
    features = classifier_module.mnist_features(inputs[:16], classifier)
    assert features.shape == (16, 128)
    # Random weights are far from it: the accuracy comes from the weights file.
    untrained = classifier_module.mnist_classifier(weights=None)
    assert np.mean(predicted_digits(untrained, inputs[:500]) == labels[:500]) < 0.5


def test_shipped_fashion_weights_recognize_test_garments(fashion_mnist):
    # Trained on Fashion-MNIST's 60,000 training images; pinned: its test accuracy.
    images, labels = fashion_mnist
    inputs = images[..., None].astype("float32") / 127.5 - 1.0
    classifier, protocol = classifier_module.bundled_classifier("fashion_mnist")
    accuracy = np.mean(predicted_digits(classifier, inputs) == labels)
    assert accuracy == pytest.approx(classifier_module.FASHION_TEST_ACCURACY, abs=0.001)
    assert f"{accuracy:.2%}"[:4] in protocol and "Fashion-MNIST" in protocol
    # The digit classifier knows no garments: the weights are the dataset's own.
    digits = classifier_module.mnist_classifier()
    assert np.mean(predicted_digits(digits, inputs[:1000]) == labels[:1000]) < 0.5
    with pytest.raises(ValueError, match="No bundled classifier for 'cifar10'"):
        classifier_module.bundled_classifier("cifar10")


def test_tampered_weights_are_refused(tmp_path, monkeypatch):
    intact = tmp_path / "intact.weights.h5"
    shutil.copyfile(classifier_module.WEIGHTS_PATH, intact)
    classifier_module.mnist_classifier(weights=intact, sha256=classifier_module.WEIGHTS_SHA256)

    tampered = tmp_path / "tampered.weights.h5"
    data = bytearray(intact.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match="tampered"):
        classifier_module.mnist_classifier(
            weights=tampered, sha256=classifier_module.WEIGHTS_SHA256
        )
    # The default weights are checked too.
    monkeypatch.setattr(classifier_module, "WEIGHTS_PATH", str(tampered))
    with pytest.raises(IntegrityError):
        classifier_module.mnist_classifier()


@pytest.mark.carried
def test_real_stacked_mnist_covers_all_modes(classifier, real_stacks):
    images, _ = real_stacks
    result = classifier_module.stacked_mnist_modes(images, classifier)
    # Measured: 1000 modes, KL 0.056 (the multinomial noise of 10,000 draws
    # alone is about 0.05). One digit missing from one channel would give
    # 900 modes and a KL of about 0.15.
    assert result["n"] == 10_000
    assert result["mode_counts"].shape == (1000,)
    assert result["mode_counts"].sum() == 10_000
    assert result["modes"] >= 990
    assert result["kl_to_uniform"] < 0.10


@pytest.mark.carried
def test_collapsed_stacked_mnist_covers_few_modes(classifier, real_stacks):
    images, _ = real_stacks
    collapsed = np.tile(images[:20], (25, 1, 1, 1))
    result = classifier_module.stacked_mnist_modes(collapsed, classifier)
    assert result["modes"] <= 20
    assert result["kl_to_uniform"] >= math.log(1000 / 20) - 0.1


@pytest.mark.carried
def test_stacked_mnist_labels_agree_with_the_classifier(classifier, real_stacks):
    images, modes = real_stacks
    images, modes = images[:3000], modes[:3000]
    assert images.shape == (3000, 28, 28, 3) and images.dtype == np.float32
    assert images.min() >= -1.0 and images.max() <= 1.0
    assert modes.min() >= 0 and modes.max() <= 999
    channels = np.transpose(images, (0, 3, 1, 2)).reshape(-1, 28, 28, 1)
    predicted_modes = predicted_digits(classifier, channels).reshape(-1, 3) @ [100, 10, 1]
    assert np.mean(predicted_modes == modes) >= 0.95


@pytest.mark.carried
def test_mode_is_read_channel_0_first(classifier, mnist):
    images, labels = mnist
    inputs = images[:200, ..., None] / 127.5 - 1.0
    recognized = labels[:200] == predicted_digits(classifier, inputs)
    one, two, three = (np.flatnonzero(recognized & (labels[:200] == d))[0] for d in (1, 2, 3))
    stacked = np.concatenate([inputs[one], inputs[two], inputs[three]], axis=-1)[None]
    result = classifier_module.stacked_mnist_modes(stacked, classifier)
    assert result["mode_counts"][123] == 1 and result["modes"] == 1


@pytest.mark.parametrize(
    "images, problem",
    [
        (np.zeros((4, 28, 28, 1), "float32"), "shape"),
        (np.zeros((4, 28, 28), "float32"), "shape"),
        (np.full((4, 28, 28, 3), 255.0, "float32"), r"\[-1, 1\]"),
        (np.zeros((0, 28, 28, 3), "float32"), "no images"),
        (np.full((4, 28, 28, 3), np.nan, "float32"), "NaN"),
    ],
)
@pytest.mark.carried
def test_bad_inputs_are_refused(images, problem):
    with pytest.raises(ValueError, match=problem):
        classifier_module.stacked_mnist_modes(images)


@pytest.mark.carried
def test_stacked_mnist_refuses_scaled_digits(mnist):
    images, labels = mnist
    with pytest.raises(ValueError, match="uint8"):
        datasets.stacked_mnist(images / 255.0, labels, 10)
    with pytest.raises(ValueError, match="label"):
        datasets.stacked_mnist(images, labels[:-1], 10)
