"""Labelled subsets for semi-supervised training."""

import numpy as np

UNKNOWN = -1


def keep_labels(labels, count, seed=0):
    """The labels with all but `count` of them replaced by -1 (unknown).

    The kept examples are chosen by `seed`, the same number from each class
    (`count` must be a multiple of the class count), as in the semi-supervised
    MNIST protocols (100 labels: 10 per digit).

    Args:
        labels: (n,) int class labels 0 to k - 1.
        count: how many labels to keep.
        seed: an int, picks which ones.

    Returns:
        An int32 array like `labels`, -1 where the label is dropped.

    Raises:
        ValueError: for labels that are not 1-d integers from 0, a count that
            does not split evenly over the classes, or a class with fewer
            examples than its share.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer) or labels.size == 0:
        raise ValueError(
            f"keep_labels takes a 1-d array of integer labels; got shape {labels.shape}, "
            f"dtype {labels.dtype}."
        )
    if labels.min() < 0:
        raise ValueError(f"keep_labels takes class labels from 0; found {labels.min()}.")
    classes = int(labels.max()) + 1
    if isinstance(count, bool) or not isinstance(count, int) or count < classes:
        raise ValueError(
            f"count must be an int of at least {classes} (one per class); got {count!r}."
        )
    if count % classes:
        raise ValueError(
            f"count={count} does not split evenly over the {classes} classes; pass a multiple "
            f"of {classes}."
        )
    rng = np.random.default_rng(seed)
    kept = np.full(labels.shape, UNKNOWN, dtype="int32")
    for label in range(classes):
        members = np.flatnonzero(labels == label)
        if len(members) < count // classes:
            raise ValueError(
                f"Class {label} has {len(members)} examples, fewer than the {count // classes} "
                "labels to keep per class."
            )
        chosen = rng.choice(members, count // classes, replace=False)
        kept[chosen] = label
    return kept


def semi_supervised_epoch(images, labels, batch_size, labelled_per_batch, seed=0):
    """One epoch's order with `labelled_per_batch` labelled examples in every batch.

    With 100 labels among 60,000 images, plain shuffling leaves most batches
    without a labelled example, and the supervised phase of a
    semi-supervised model idles. Here every batch is `batch_size -
    labelled_per_batch` of the unlabelled examples (each once per epoch) and
    `labelled_per_batch` of the labelled ones, drawn in turn from shuffled
    passes over them (so few labels repeat within an epoch).

    Args:
        images: (n, ...) examples.
        labels: (n,) int labels, -1 where unknown (`keep_labels`).
        batch_size: examples per batch.
        labelled_per_batch: labelled examples per batch, 1 to batch_size - 1.
        seed: an int; epoch e of a run should pass e.g. `seed + e`.

    Returns:
        (images, labels) in the epoch's order, a whole number of batches.
    """
    labels = np.asarray(labels)
    if not 1 <= labelled_per_batch < batch_size:
        raise ValueError(
            f"labelled_per_batch must be 1 to batch_size - 1 = {batch_size - 1}; got "
            f"{labelled_per_batch}."
        )
    labelled = np.flatnonzero(labels >= 0)
    unlabelled = np.flatnonzero(labels < 0)
    if len(labelled) == 0 or len(unlabelled) == 0:
        raise ValueError("The labels must mark some examples labelled and some unknown (-1).")
    rng = np.random.default_rng(seed)
    per_batch = batch_size - labelled_per_batch
    batches = len(unlabelled) // per_batch
    unlabelled = rng.permutation(unlabelled)[: batches * per_batch].reshape(batches, per_batch)
    passes = -(-batches * labelled_per_batch // len(labelled))
    drawn = np.concatenate([rng.permutation(labelled) for _ in range(passes)])
    drawn = drawn[: batches * labelled_per_batch].reshape(batches, labelled_per_batch)
    order = np.concatenate([unlabelled, drawn], axis=1).reshape(-1)
    return images[order], labels[order]
