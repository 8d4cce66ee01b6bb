"""intra_class_fid: FID between generated and real images of each class, averaged.

A stand-in generator picks real images of the asked class (or, to model an
ignored label, of the next class) from a labelled array; tiny extractors
(flattening, a fixed Dense layer) keep the features small, and real MNIST
digits through the bundled classifier check the default path end to end.
"""

import keras
import numpy as np
import pytest

from keras_gan_zoo.metrics import frechet_distance_of_features
from keras_gan_zoo.metrics import intra_class_fid
from keras_gan_zoo.metrics import mnist_cnn

NUM_CLASSES = 3


class ClassPicker:
    """Samples: images of the asked class drawn from a labelled array (with replacement).

    With `shift=1` it draws the next class's images instead: a generator that
    ignores its label. Records the calls it gets.
    """

    def __init__(self, images, labels, num_classes=NUM_CLASSES, shift=0):
        self.images, self.labels = images, labels
        self.num_classes, self.shift = num_classes, shift
        self.calls = []

    def generate(self, n, seed=None, labels=None, batch_size=256):
        self.calls.append({"n": n, "seed": seed, "labels": labels, "batch": batch_size})
        rng = np.random.default_rng(seed)
        shown = (np.broadcast_to(labels, (n,)) + self.shift) % self.num_classes
        return np.stack([self.images[rng.choice(np.flatnonzero(self.labels == c))] for c in shown])


class ShortGenerator:
    """Returns the same few images whatever it is asked for."""

    num_classes = NUM_CLASSES

    def __init__(self, images):
        self.images = images

    def generate(self, n, **kwargs):
        return self.images


def flatten(images):
    return np.asarray(images).reshape(len(images), -1)


@pytest.fixture(scope="module")
def blobs():
    """(600, 2, 2, 1) Gaussian images, 200 per class, each class centred elsewhere."""
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(NUM_CLASSES), 200)
    centres = np.array([[0, 0, 0, 0], [3, 0, 3, 0], [0, 3, 3, 3]], "float32")
    images = centres[labels] + rng.normal(0, 1, (600, 4)).astype("float32")
    return images.reshape(600, 2, 2, 1), labels


@pytest.mark.neutral
def test_the_right_class_scores_near_zero_and_the_wrong_one_high(blobs):
    images, labels = blobs
    right = ClassPicker(images, labels)
    score = intra_class_fid(
        right, images, labels, samples_per_class=300, seed=2, feature_extractor=flatten
    )
    wrong = intra_class_fid(
        ClassPicker(images, labels, shift=1),
        images,
        labels,
        samples_per_class=300,
        seed=2,
        feature_extractor=flatten,
    )
    assert score["intra_fid"] < 0.15, score["per_class"]
    # The class means are 3 * sqrt(2) or 3 * sqrt(3) apart: an FID of 18 or 27.
    assert min(wrong["per_class"]) > 15 and wrong["intra_fid"] > 100 * score["intra_fid"]
    assert len(score["per_class"]) == NUM_CLASSES
    assert score["intra_fid"] == pytest.approx(np.mean(score["per_class"]))
    assert score["real_per_class"] == [200] * 3 and score["n"] == 900

    # One call per class, seed 2 * 3 + c, its label and the batch size passed on.
    assert [(c["n"], c["seed"], c["labels"], c["batch"]) for c in right.calls] == [
        (300, 6 + c, c, 500) for c in range(NUM_CLASSES)
    ]
    # Each term is FID's formula on that class's samples and real images.
    for c in range(NUM_CLASSES):
        samples = ClassPicker(images, labels).generate(300, seed=6 + c, labels=c)
        expected = frechet_distance_of_features(flatten(samples), flatten(images[labels == c]))
        assert score["per_class"][c] == pytest.approx(expected, rel=1e-12)
    protocol = score["protocol"]
    assert "each of the 3 classes" in protocol and "300 samples" in protocol
    assert "generate(300, seed=6 + c, labels=c)" in protocol
    assert "(200 to 200 per class, 600 in all)" in protocol and "features: flatten" in protocol


def test_keras_extractor_runs_with_predict(blobs):
    images, labels = blobs
    weights = np.random.default_rng(1).normal(0, 1, (4, 3)).astype("float32")
    inputs = keras.Input((2, 2, 1))
    projection = keras.layers.Dense(3, use_bias=False, trainable=False)
    features = projection(keras.layers.Flatten()(inputs))
    extractor = keras.Model(inputs, {"features": features}, name="projector")
    projection.set_weights([weights])
    score = intra_class_fid(
        ClassPicker(images, labels),
        images,
        labels,
        samples_per_class=100,
        feature_extractor=extractor,
    )
    expected = intra_class_fid(
        ClassPicker(images, labels),
        images,
        labels,
        samples_per_class=100,
        feature_extractor=lambda batch: flatten(batch) @ weights,
    )
    np.testing.assert_allclose(score["per_class"], expected["per_class"], rtol=1e-4, atol=1e-5)
    assert "features: projector" in score["protocol"]


@pytest.mark.neutral
def test_bundled_features_on_real_digits(mnist, monkeypatch):
    images, labels = mnist
    images = images[:2000, ..., None].astype("float32") / 127.5 - 1.0
    labels = labels[:2000].astype("int64")
    classifier_calls = []
    original = mnist_cnn.mnist_classifier

    def counted(*args, **kwargs):
        classifier_calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(mnist_cnn, "mnist_classifier", counted)
    # Real digits of the asked class give an intra-FID near 10 at 100 samples
    # per class (FID's small-sample bias); the next class's, several hundred.
    right = intra_class_fid(ClassPicker(images, labels, 10), images, labels, samples_per_class=100)
    wrong = intra_class_fid(
        ClassPicker(images, labels, 10, shift=1), images, labels, samples_per_class=100
    )
    assert len(classifier_calls) == 2  # built once per score, not once per class
    assert max(right["per_class"]) < 0.5 * min(wrong["per_class"])
    assert wrong["intra_fid"] > 5 * right["intra_fid"]
    assert mnist_cnn.PROTOCOL in right["protocol"]


@pytest.mark.neutral
def test_bad_input_is_named(blobs):
    images, labels = blobs
    picker = ClassPicker(images, labels)

    def score(generator=picker, real_images=images, real_labels=labels, **kwargs):
        kwargs.setdefault("feature_extractor", flatten)
        kwargs.setdefault("samples_per_class", 10)
        return intra_class_fid(generator, real_images, real_labels, **kwargs)

    with pytest.raises(ValueError, match=r"real_labels must be in \[0, 3\) for 3 classes; found 3"):
        score(real_labels=np.where(labels == 2, 3, labels))
    with pytest.raises(ValueError, match="found -1"):
        score(real_labels=labels - 1)
    with pytest.raises(ValueError, match="Class 1 has 0 real images"):
        score(real_labels=np.where(labels == 1, 0, labels))
    with pytest.raises(ValueError, match="Class 2 has 1 real image;"):
        keep = np.flatnonzero(labels != 2)[:-1].tolist() + [int(np.flatnonzero(labels == 2)[0])]
        score(real_images=images[keep], real_labels=labels[keep])
    with pytest.raises(ValueError, match="600 images and real_labels 599"):
        score(real_labels=labels[:-1])
    with pytest.raises(ValueError, match="real_labels must be a 1-D array of integers"):
        score(real_labels=labels.astype("float32"))
    with pytest.raises(ValueError, match="real_images must be a non-empty"):
        score(real_images=images[:0], real_labels=labels[:0])
    with pytest.raises(ValueError, match="samples_per_class must be an integer >= 2"):
        score(samples_per_class=1)
    with pytest.raises(ValueError, match="seed"):
        score(seed=-1)
    with pytest.raises(ValueError, match="needs a conditional generator"):
        score(generator=type("Unconditional", (), {"generate": picker.generate})())
    with pytest.raises(ValueError, match=r"features for 600 real images; got shape \(600,\)"):
        score(feature_extractor=lambda batch: flatten(batch)[:, 0])
    with pytest.raises(ValueError, match="returned 9 samples of class 0; 10 were asked for"):
        score(generator=ShortGenerator(images[:9]))
    # The bundled extractor takes (n, 28, 28, 1) digits.
    with pytest.raises(ValueError, match=r"\(n, 28, 28, 1\)"):
        score(feature_extractor=None)
