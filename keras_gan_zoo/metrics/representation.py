"""How good an encoder's codes are: the feature, cluster and reconstruction tables (BiGAN, AAE).

- `nearest_neighbour_accuracy`: each test code takes the label of its
  nearest training code by cosine similarity (BiGAN's MNIST table, 1-NN).
- `logistic_regression_accuracy`: a multinomial logistic regression fit on
  the training codes, scored on the test codes (BiGAN's "LR" column).
- `cluster_error`: each cluster (category) is assigned the class most of its
  training members have; the test error of that assignment (the AAE paper's
  unsupervised clustering protocol).
- `reconstruction_distances`: ||x - G(E(x))|| per image, beside the same
  norm between x and another, random test image: the baseline a model that
  ignored x would roughly get.

Everything runs on the host with NumPy (and scikit-learn for the logistic
regression).
"""

import numpy as np

PROTOCOLS = {
    "nearest_neighbour": (
        "1-nearest-neighbour accuracy of {test:,} test codes by cosine similarity to {train:,} "
        "training codes with their labels"
    ),
    "logistic_regression": (
        "accuracy on {test:,} test codes of a multinomial logistic regression (scikit-learn, "
        "lbfgs, C=1, codes standardized by the training codes' mean and deviation) fit on "
        "{train:,} training codes"
    ),
    "cluster_error": (
        "test error when each of {clusters} clusters is assigned the majority class of its "
        "{train:,} training members, on {test:,} test images"
    ),
    "reconstruction": (
        "mean L2 norm ||x - G(E(x))|| over {test:,} test images, pixels in [-1, 1], beside the "
        "mean norm ||x - x'|| for x' a random other test image (seed {seed})"
    ),
}


def _checked(codes, labels, what):
    codes = np.asarray(codes, dtype="float64")
    labels = np.asarray(labels)
    if codes.ndim != 2 or len(codes) == 0:
        raise ValueError(f"The {what} codes must be a non-empty (n, d) array; got {codes.shape}.")
    if labels.shape != (len(codes),):
        raise ValueError(
            f"The {what} labels must be one per code, shape ({len(codes)},); got {labels.shape}."
        )
    if not np.all(np.isfinite(codes)):
        raise ValueError(f"The {what} codes hold NaN or infinite values.")
    return codes, labels


def nearest_neighbour_accuracy(train_codes, train_labels, test_codes, test_labels, block=1000):
    """Fraction of test codes whose cosine-nearest training code has their label."""
    train_codes, train_labels = _checked(train_codes, train_labels, "training")
    test_codes, test_labels = _checked(test_codes, test_labels, "test")
    if train_codes.shape[1] != test_codes.shape[1]:
        raise ValueError(
            f"Training codes have {train_codes.shape[1]} values and test codes "
            f"{test_codes.shape[1]}; they must come from the same encoder."
        )

    def unit(codes):
        norms = np.linalg.norm(codes, axis=1, keepdims=True)
        return codes / np.maximum(norms, 1e-12)

    train_unit, test_unit = unit(train_codes), unit(test_codes)
    predicted = np.empty(len(test_codes), dtype=train_labels.dtype)
    for start in range(0, len(test_codes), block):
        similarity = test_unit[start : start + block] @ train_unit.T
        predicted[start : start + block] = train_labels[np.argmax(similarity, axis=1)]
    return float(np.mean(predicted == test_labels))


def logistic_regression_accuracy(
    train_codes, train_labels, test_codes, test_labels, max_iterations=1000
):
    """Test accuracy of a multinomial logistic regression fit on the training codes."""
    from sklearn.linear_model import LogisticRegression

    train_codes, train_labels = _checked(train_codes, train_labels, "training")
    test_codes, test_labels = _checked(test_codes, test_labels, "test")
    mean = train_codes.mean(axis=0)
    scale = np.maximum(train_codes.std(axis=0), 1e-12)
    classifier = LogisticRegression(max_iter=max_iterations)
    classifier.fit((train_codes - mean) / scale, train_labels)
    return float(classifier.score((test_codes - mean) / scale, test_labels))


def cluster_error(train_clusters, train_labels, test_clusters, test_labels):
    """Test error when each cluster predicts the majority class of its training members.

    A cluster no training example falls in predicts nothing right.

    Returns:
        (error, assignment): the fraction of test images misclassified, and
        {cluster: class} for the clusters that have training members.
    """
    train_clusters = np.asarray(train_clusters).astype("int64")
    test_clusters = np.asarray(test_clusters).astype("int64")
    train_labels, test_labels = np.asarray(train_labels), np.asarray(test_labels)
    if train_clusters.shape != train_labels.shape or test_clusters.shape != test_labels.shape:
        raise ValueError("Give one cluster and one label per image, for both sets.")
    assignment = {
        int(cluster): int(np.bincount(train_labels[train_clusters == cluster]).argmax())
        for cluster in np.unique(train_clusters)
    }
    predicted = np.array([assignment.get(int(c), -1) for c in test_clusters])
    return float(np.mean(predicted != test_labels)), assignment


def reconstruction_distances(images, reconstructions, seed=0):
    """(mean ||x - G(E(x))||, mean ||x - x'|| for a random other image x') per image, as floats."""
    images = np.asarray(images, dtype="float64").reshape(len(images), -1)
    reconstructions = np.asarray(reconstructions, dtype="float64").reshape(len(images), -1)
    if len(images) < 2:
        raise ValueError("Give at least two images: the baseline pairs each with another.")
    rng = np.random.default_rng(seed)
    # A random permutation without fixed points pairs each image with another one.
    shift = rng.integers(1, len(images))
    order = rng.permutation(len(images))
    others = np.empty_like(order)
    others[order] = order[(np.arange(len(order)) + shift) % len(order)]
    reconstruction = np.linalg.norm(images - reconstructions, axis=1).mean()
    baseline = np.linalg.norm(images - images[others], axis=1).mean()
    return float(reconstruction), float(baseline)


def encoder_table(encode, train, test, reconstruct=None, seed=0):
    """BiGAN's MNIST table for one encoder: 1-NN and logistic-regression accuracy, and
    the reconstruction error beside its random-pair baseline.

    Args:
        encode: images -> codes (n, d), e.g. `model.encode`.
        train, test: (images, labels) each, images in [-1, 1].
        reconstruct: images -> reconstructions (`model.reconstruct`), or None
            to skip the reconstruction columns.
        seed: picks the random pairs of the baseline.

    Returns:
        A dict of the numbers and "protocols", what each one means.
    """
    (train_images, train_labels), (test_images, test_labels) = train, test
    train_codes, test_codes = encode(train_images), encode(test_images)
    sizes = {"train": len(train_images), "test": len(test_images), "seed": seed}
    table = {
        "nearest_neighbour": nearest_neighbour_accuracy(
            train_codes, train_labels, test_codes, test_labels
        ),
        "logistic_regression": logistic_regression_accuracy(
            train_codes, train_labels, test_codes, test_labels
        ),
    }
    names = ["nearest_neighbour", "logistic_regression"]
    if reconstruct is not None:
        table["reconstruction"], table["random_pair"] = reconstruction_distances(
            test_images, reconstruct(test_images), seed=seed
        )
        names.append("reconstruction")
    table["protocols"] = {name: PROTOCOLS[name].format(**sizes) for name in names}
    return table
