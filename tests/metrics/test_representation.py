"""The measures of an encoder's codes, on codes whose answers are known."""

import numpy as np
import pytest

from keras_gan_zoo.metrics import representation

pytestmark = pytest.mark.neutral


def _clusters(rng, n, spread):
    labels = rng.integers(0, 3, n)
    centres = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    return centres[labels] + spread * rng.standard_normal((n, 2)), labels


def test_nearest_neighbour_uses_cosine_not_euclidean_distance():
    train = np.array([[1.0, 0.0], [0.0, 10.0]])
    labels = np.array([0, 1])
    # (0.1, 1) is nearer (0, 10)'s direction though nearer (1, 0) in Euclidean distance.
    test = np.array([[0.1, 1.0], [5.0, 0.2]])
    assert representation.nearest_neighbour_accuracy(train, labels, test, np.array([1, 0])) == 1.0
    assert representation.nearest_neighbour_accuracy(train, labels, test, np.array([0, 0])) == 0.5


def test_separable_codes_score_high_and_noise_scores_chance():
    rng = np.random.default_rng(0)
    train, train_labels = _clusters(rng, 600, 0.1)
    test, test_labels = _clusters(rng, 300, 0.1)
    assert representation.nearest_neighbour_accuracy(train, train_labels, test, test_labels) > 0.99
    assert (
        representation.logistic_regression_accuracy(train, train_labels, test, test_labels) > 0.99
    )
    noise = rng.standard_normal((300, 2))
    accuracy = representation.logistic_regression_accuracy(train, train_labels, noise, test_labels)
    assert 0.2 < accuracy < 0.5
    with pytest.raises(ValueError, match="same encoder"):
        representation.nearest_neighbour_accuracy(train, train_labels, test[:, :1], test_labels)
    with pytest.raises(ValueError, match="one per code"):
        representation.logistic_regression_accuracy(train, train_labels[:5], test, test_labels)


def test_cluster_error_assigns_each_cluster_its_majority_class():
    train_clusters = np.array([0, 0, 0, 1, 1, 2])
    train_labels = np.array([5, 5, 6, 7, 7, 5])
    error, assignment = representation.cluster_error(
        train_clusters, train_labels, np.array([0, 1, 2, 3]), np.array([5, 7, 6, 5])
    )
    assert assignment == {0: 5, 1: 7, 2: 5}
    # Cluster 2 says 5 (wrong for a 6); cluster 3 had no training member (wrong).
    assert error == 0.5


def test_reconstruction_distances_against_a_random_other_image():
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (50, 4, 4))
    reconstruction, baseline = representation.reconstruction_distances(images, images + 0.1)
    assert reconstruction == pytest.approx(0.1 * 4, rel=1e-9)  # ||0.1 * ones(16)||
    # Uniform pixels in [-1, 1]: E||x - x'||^2 = 16 * 2/3 per image pair.
    assert baseline == pytest.approx(np.sqrt(16 * 2 / 3), rel=0.1)
    # The baseline never pairs an image with itself.
    same = np.repeat(images[:1], 2, axis=0)
    assert representation.reconstruction_distances(same, same)[1] == 0.0
    distinct = np.stack([np.zeros((4, 4)), np.ones((4, 4))])
    assert representation.reconstruction_distances(distinct, distinct)[1] == pytest.approx(4.0)
