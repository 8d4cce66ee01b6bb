"""The batch contract: what fit() passes becomes a checked `Batch` with named fields."""

import numpy as np
import pytest
from keras import ops

from keras_gan_zoo.engine import Batch
from keras_gan_zoo.engine import BatchSpec
from keras_gan_zoo.engine.batch import check_arrays
from keras_gan_zoo.engine.batch import unpack_batch

IMAGES = np.zeros((4, 8, 8, 1), "float32")
LABELS = np.array([0, 1, 2, 1], "int32")
UNCONDITIONAL = BatchSpec((8, 8, 1), (-1.0, 1.0))
CONDITIONAL = BatchSpec((8, 8, 1), (-1.0, 1.0), num_classes=3, y_field="labels")
TRANSLATOR = BatchSpec((8, 8, 1), target_shape=(8, 8, 3), y_field="target")


def _numpy(tensor):
    return ops.convert_to_numpy(tensor)


@pytest.mark.parametrize(
    "data",
    [
        IMAGES,
        (IMAGES,),
        (IMAGES, LABELS),
        {"real": IMAGES},
        {"images": IMAGES},
    ],
    ids=["x", "(x,)", "(x, y) ignored", "dict real", "dict images"],
)
def test_an_unconditional_model_reads_the_examples_from_every_form(data):
    batch = unpack_batch(data, UNCONDITIONAL)
    assert isinstance(batch, Batch)
    assert tuple(batch.real.shape) == IMAGES.shape
    assert batch.labels is None and batch.target is None


@pytest.mark.parametrize(
    "data",
    [(IMAGES, LABELS), {"real": IMAGES, "labels": LABELS}, (IMAGES, LABELS[:, None])],
    ids=["(x, y)", "dict", "labels (n, 1)"],
)
def test_a_conditional_model_gets_int32_labels_of_shape_n(data):
    batch = unpack_batch(data, CONDITIONAL)
    assert tuple(batch.labels.shape) == (4,)
    assert "int32" in str(batch.labels.dtype)
    np.testing.assert_array_equal(_numpy(batch.labels), LABELS)


def test_y_fills_the_field_the_spec_names():
    target = np.ones((4, 8, 8, 3), "float32")
    batch = unpack_batch((IMAGES, target), TRANSLATOR)
    assert batch.labels is None and tuple(batch.target.shape) == (4, 8, 8, 3)


def test_sample_weight_becomes_the_mask():
    batch = unpack_batch((IMAGES, LABELS, np.array([1, 0, 1, 0])), CONDITIONAL)
    np.testing.assert_array_equal(_numpy(batch.mask), [1.0, 0.0, 1.0, 0.0])


@pytest.mark.parametrize(
    "data, spec, message",
    [
        (IMAGES, CONDITIONAL, "needs labels in each batch"),
        ((IMAGES, LABELS.astype("float32")), CONDITIONAL, "'labels' has dtype float32"),
        ((IMAGES, np.eye(3, dtype="int32")[LABELS]), CONDITIONAL, r"'labels' has shape \(4, 3\)"),
        ((IMAGES, LABELS[:3]), CONDITIONAL, "holds 3 labels for 4 examples"),
        (np.zeros((4, 8, 8, 3), "float32"), UNCONDITIONAL, r"'real'.*\(8, 8, 3\).*\(8, 8, 1\)"),
        ((IMAGES, np.ones((4, 8, 8, 1), "float32")), TRANSLATOR, r"'target'.*\(8, 8, 1\)"),
        ({"real": IMAGES, "label_ids": LABELS}, CONDITIONAL, "has the key 'label_ids'"),
        ({"labels": LABELS}, CONDITIONAL, "must hold the real examples"),
        ((IMAGES, LABELS, None, None), CONDITIONAL, "batch of 4 parts"),
    ],
    ids=[
        "missing labels",
        "float labels",
        "one-hot labels",
        "label count",
        "example shape",
        "target shape",
        "unknown key",
        "no examples",
        "too many parts",
    ],
)
def test_bad_batches_name_the_field_and_the_problem(data, spec, message):
    with pytest.raises(ValueError, match=message):
        unpack_batch(data, spec, "CGAN")


def test_host_checks_name_labels_out_of_range():
    check_arrays(CONDITIONAL, LABELS, "CGAN", num_examples=4)
    with pytest.raises(ValueError, match="span 0 to 3, but CGAN has 3 classes"):
        check_arrays(CONDITIONAL, np.array([0, 1, 3, 2]), "CGAN", num_examples=4)
    with pytest.raises(ValueError, match="span -1 to 2"):
        check_arrays(CONDITIONAL, np.array([0, -1, 2, 2]), "CGAN", num_examples=4)
    with pytest.raises(ValueError, match="dtype float64"):
        check_arrays(CONDITIONAL, np.array([0.0, 1.0, 2.0, 1.0]), "CGAN", num_examples=4)
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        check_arrays(CONDITIONAL, np.array([0, 1, 2]), "CGAN", num_examples=4)
