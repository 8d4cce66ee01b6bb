"""Labelled subsets for semi-supervised training: which labels are kept, and every batch's share."""

import numpy as np
import pytest

from keras_gan_zoo import datasets

pytestmark = pytest.mark.neutral

LABELS = np.repeat(np.arange(10), 30).astype("int32")


def test_keep_labels_keeps_the_same_number_per_class_by_seed():
    kept = datasets.keep_labels(LABELS, 20, seed=3)
    known = kept >= 0
    assert known.sum() == 20 and set(np.unique(kept)) == set(range(-1, 10))
    np.testing.assert_array_equal(np.bincount(kept[known]), np.full(10, 2))
    np.testing.assert_array_equal(kept[known], LABELS[known])  # the labels are the true ones
    np.testing.assert_array_equal(datasets.keep_labels(LABELS, 20, seed=3), kept)
    assert not np.array_equal(datasets.keep_labels(LABELS, 20, seed=4), kept)


@pytest.mark.parametrize(
    ("labels", "count", "message"),
    [
        (LABELS, 25, "does not split evenly over the 10 classes"),
        (LABELS, 5, "at least 10"),
        (LABELS, 400, "Class 0 has 30 examples, fewer than the 40"),
        (LABELS.astype("float32"), 20, "integer labels"),
        (LABELS - 1, 20, "from 0; found -1"),
    ],
)
def test_keep_labels_names_bad_arguments(labels, count, message):
    with pytest.raises(ValueError, match=message):
        datasets.keep_labels(labels, count)


def test_every_batch_of_a_semi_supervised_epoch_holds_its_labelled_share():
    images = np.arange(len(LABELS), dtype="float32")[:, None]  # each image is its index
    kept = datasets.keep_labels(LABELS, 10, seed=0)
    x, y = datasets.semi_supervised_epoch(images, kept, batch_size=16, labelled_per_batch=4)
    batches = len(x) // 16
    assert len(x) == batches * 16 == len(y) and batches == (300 - 10) // 12
    # Labels travel with their images.
    np.testing.assert_array_equal(y, kept[x[:, 0].astype(int)])
    np.testing.assert_array_equal((y.reshape(batches, 16) >= 0).sum(axis=1), np.full(batches, 4))
    # Each unlabelled image at most once; the labelled ones cycle through whole passes.
    unlabelled = x[y < 0, 0]
    assert len(np.unique(unlabelled)) == len(unlabelled)
    counts = np.bincount(x[y >= 0, 0].astype(int), minlength=300)[kept >= 0]
    assert counts.max() - counts.min() <= 1
    with pytest.raises(ValueError, match="labelled_per_batch must be 1 to batch_size - 1"):
        datasets.semi_supervised_epoch(images, kept, 16, 16)
    with pytest.raises(ValueError, match="some examples labelled and some unknown"):
        datasets.semi_supervised_epoch(images, LABELS, 16, 4)
