"""classification_accuracy_score: a classifier trained on samples, tested on real data.

scikit-learn's 8x8 digits stand in for MNIST so a classifier trains in
seconds: a stand-in generator draws training digits of the asked class (CAS
near the real-data baseline), or of a random class, ignoring its label (CAS
near chance). The tests that train are `carried`: the training step is
Keras's own, the same on every backend.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits

from keras_gan_zoo.metrics import cas_classifier
from keras_gan_zoo.metrics import classification_accuracy_score

# Small training runs: 500 samples, 3 epochs of batches of 32 (about 50 steps).
QUICK = {"samples_per_class": 50, "epochs": 3, "train_batch_size": 32}


class DigitPicker:
    """Samples: training digits of the asked class, or of a random class when `ignore_labels`."""

    num_classes = 10

    def __init__(self, images, labels, ignore_labels=False):
        self.images, self.labels, self.ignore_labels = images, labels, ignore_labels
        self.calls = []

    def generate(self, n, seed=None, labels=None, batch_size=256):
        self.calls.append({"n": n, "seed": seed, "labels": np.array(labels), "batch": batch_size})
        rng = np.random.default_rng(seed)
        shown = rng.integers(0, 10, n) if self.ignore_labels else np.asarray(labels)
        return np.stack([self.images[rng.choice(np.flatnonzero(self.labels == c))] for c in shown])


@pytest.fixture(scope="module")
def digits():
    """(train images, train labels, test images, test labels): 1,200 and 597 digits in [-1, 1]."""
    data = load_digits()
    images = (data.images[..., None] / 8.0 - 1.0).astype("float32")  # pixels 0..16
    labels = data.target.astype("int64")
    return images[:1200], labels[:1200], images[1200:], labels[1200:]


@pytest.mark.carried
def test_samples_of_the_right_class_score_near_real_data(digits):
    train_images, train_labels, test_images, test_labels = digits
    # The digits' own 0..16 pixels, which the classifier gets rescaled to [-1, 1].
    train_images, test_images = (train_images + 1) * 8, (test_images + 1) * 8
    generator = DigitPicker(train_images, train_labels)
    score = classification_accuracy_score(
        generator,
        test_images,
        test_labels,
        real_images=train_images,
        real_labels=train_labels,
        seed=1,
        data_range=(0, 16),
        **QUICK,
    )
    # About 0.8 for both on these 500 training digits.
    assert score["cas"] > 0.7 and score["real_data_accuracy"] > 0.7, score
    assert abs(score["cas"] - score["real_data_accuracy"]) < 0.1
    assert len(score["per_class"]) == len(score["real_data_per_class"]) == 10
    assert score["cas"] == pytest.approx(
        np.average(score["per_class"], weights=np.bincount(test_labels))
    )
    # The real baseline trains on as many images as the generated set.
    assert (score["n_train"], score["n_real_train"], score["n_test"]) == (500, 500, 597)
    # One call: the classes in order, 50 each, with the seed and batch size.
    (call,) = generator.calls
    np.testing.assert_array_equal(call["labels"], np.repeat(np.arange(10), 50))
    assert (call["n"], call["seed"], call["batch"]) == (500, 1, 500)
    protocol = score["protocol"]
    assert "500 generated samples (50 per class for the 10 classes" in protocol
    assert "3 epochs of Adam (learning rate 0.001)" in protocol and "batch size 32" in protocol
    assert "np.random.default_rng(1)" in protocol and "the same recipe on 500 real" in protocol
    assert "pixels rescaled from [0, 16] to [-1, 1]" in protocol


@pytest.mark.carried
def test_samples_that_ignore_their_label_score_near_chance(digits):
    train_images, train_labels, test_images, test_labels = digits
    generator = DigitPicker(train_images, train_labels, ignore_labels=True)
    score = classification_accuracy_score(generator, test_images, test_labels, **QUICK)
    assert score["cas"] < 0.3, score  # chance is 0.1
    assert score["real_data_accuracy"] is None and score["n_real_train"] is None
    assert score["protocol"].endswith("pixels in [-1, 1]; no real-data baseline")


@pytest.mark.carried
def test_classifier_shape_and_seeded_weights():
    first, again = cas_classifier((8, 8, 1), 10, seed=3), cas_classifier((8, 8, 1), 10, seed=3)
    assert first.output_shape == (None, 10)
    for left, right in zip(first.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(left, right)
    other = cas_classifier((8, 8, 1), 10, seed=4)
    assert not np.array_equal(first.get_weights()[0], other.get_weights()[0])


@pytest.mark.neutral
def test_bad_input_is_named(digits):
    train_images, train_labels, test_images, test_labels = digits
    generator = DigitPicker(train_images, train_labels)

    def score(generator=generator, **kwargs):
        arguments = {"test_images": test_images, "test_labels": test_labels, **QUICK, **kwargs}
        return classification_accuracy_score(generator, **arguments)

    class Unconditional:
        num_classes = None

        def generate(self, n, **kwargs):
            return np.zeros((n, 8, 8, 1), "float32")

    with pytest.raises(ValueError, match="needs a conditional generator"):
        classification_accuracy_score(Unconditional(), test_images, test_labels)
    with pytest.raises(ValueError, match=r"test_labels must be in \[0, 10\) for 10 classes"):
        score(test_labels=np.where(test_labels == 3, 10, test_labels))
    with pytest.raises(ValueError, match="no images of class 3"):
        keep = test_labels != 3
        score(test_images=test_images[keep], test_labels=test_labels[keep])
    with pytest.raises(ValueError, match="test_labels has 596 labels for 597 images"):
        score(test_labels=test_labels[1:])
    with pytest.raises(ValueError, match="add a channel axis"):
        score(test_images=test_images[..., 0])
    with pytest.raises(ValueError, match=r"test_images spans \[0, 16\], outside data_range"):
        score(test_images=(test_images + 1) * 8)
    with pytest.raises(ValueError, match="test_images contain NaN"):
        score(test_images=np.where(test_images > 0.9, np.nan, test_images))
    with pytest.raises(ValueError, match=r"samples are \(4, 4, 1\) images and the test images"):
        score(generator=DigitPicker(train_images[:, ::2, ::2], train_labels))
    with pytest.raises(ValueError, match="both real_images and real_labels"):
        score(real_images=train_images)
    with pytest.raises(ValueError, match="real_labels has 1,199 labels for 1,200 images"):
        score(real_images=train_images, real_labels=train_labels[1:])
    for name, value in (
        ("epochs", 0),
        ("samples_per_class", 0),
        ("train_batch_size", 0),
        ("seed", -1),
        ("num_classes", 1),
    ):
        with pytest.raises(ValueError, match=name):
            score(**{name: value})
    for bad in (0, -1e-3, float("nan"), "fast", True):
        with pytest.raises(ValueError, match="learning_rate must be a positive number"):
            score(learning_rate=bad)
    with pytest.raises(ValueError, match="data_range"):
        score(data_range=(1, -1))
    with pytest.raises(ValueError, match=r"input_shape must be \(height, width, channels\)"):
        cas_classifier((64,), 10)
