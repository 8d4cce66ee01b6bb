"""Checks that a dataset fits a model before training starts."""

import numpy as np
import tensorflow as tf


def _describe_source():
    return (
        "Scale images to [-1, 1] first, e.g. x / 127.5 - 1 for uint8 pixels, or load them "
        "with keras_gan_zoo.datasets, which does it for you."
    )


def is_dataset(data):
    """Whether `data` is a `tf.data.Dataset`.

    The engine asks here, so that TensorFlow is imported by the datasets
    package alone (tf.data is the input pipeline on every backend).
    """
    return isinstance(data, tf.data.Dataset)


def check_array(images, data_shape, value_range):
    """Validates a numpy array of training data; raises ValueError naming the problem."""
    images = np.asarray(images)
    if not (np.issubdtype(images.dtype, np.integer) or np.issubdtype(images.dtype, np.floating)):
        raise ValueError(
            f"The training data must be numbers (floats in the generator's output range); got "
            f"dtype {images.dtype}."
        )
    if images.ndim == 0 or images.size == 0 or images.shape[0] == 0:
        raise ValueError(f"The training data is empty (shape {images.shape}).")
    if tuple(images.shape[1:]) != tuple(data_shape):
        raise ValueError(
            f"The training data has examples of shape {tuple(images.shape[1:])}, but the "
            f"model's generator makes examples of shape {tuple(data_shape)}."
        )
    if not np.all(np.isfinite(images)):
        raise ValueError("The training data contains NaN or infinite values.")
    if value_range is not None:
        low, high = value_range
        found = (float(images.min()), float(images.max()))
        if found[0] < low - 1e-3 or found[1] > high + 1e-3:
            raise ValueError(
                f"The training data must lie in [{low}, {high}] (the generator's output "
                f"range), but it spans [{found[0]:g}, {found[1]:g}]. {_describe_source()}"
            )


def check_dataset(
    dataset, data_shape, value_range, num_classes=None, model_name="The model", lowest_label=0
):
    """Validates a `tf.data.Dataset` of batches; returns it wrapped with a range check.

    The shape and emptiness checks are static. The value check runs inside the
    input pipeline on every batch, so it costs one reduction per batch and does
    not consume an extra iteration of the dataset (which would shift a
    resumable epoch order). With `num_classes` (a conditional model) the
    dataset must yield (images, labels), integer labels in [0, num_classes)
    (from -1, an unknown label, with `lowest_label=-1`: semi-supervised models).
    """
    spec = dataset.element_spec
    label_spec = None
    if isinstance(spec, tuple) and spec:
        label_spec = spec[1] if len(spec) > 1 else None
        spec = spec[0]
    if num_classes is not None:
        _check_label_spec(label_spec, num_classes, model_name)
    if isinstance(spec, dict):
        raise ValueError(
            f"The dataset yields dicts (keys {sorted(spec)}); fit() takes batches of examples: "
            "map it to them, e.g. dataset.map(lambda x: x['image']), or load a "
            "tensorflow-datasets name with keras_gan_zoo.datasets.from_tfds."
        )
    if not isinstance(spec, tf.TensorSpec):
        raise ValueError(
            f"The dataset yields {spec}; fit() takes batches of examples (one tensor, or a "
            "tuple whose first element is the batch)."
        )
    if not (spec.dtype.is_floating or spec.dtype.is_integer):
        raise ValueError(
            f"The dataset yields {spec.dtype.name} tensors; the training data must be numbers "
            "(floats in the generator's output range)."
        )
    if spec.shape.rank is not None and tuple(spec.shape) == tuple(data_shape):
        raise ValueError(
            f"The dataset yields single examples of shape {tuple(spec.shape)}, not batches of "
            "them: batch it first, e.g. dataset.batch(64, drop_remainder=True)."
        )
    example_shape = tuple(spec.shape[1:])
    if len(example_shape) != len(data_shape) or any(
        got is not None and got != want for got, want in zip(example_shape, data_shape)
    ):
        raise ValueError(
            f"The dataset yields batches of shape {tuple(spec.shape)}, i.e. examples of shape "
            f"{example_shape}, but the model's generator makes examples of shape "
            f"{tuple(data_shape)}."
        )
    if dataset.cardinality() == 0:
        raise ValueError("The dataset is empty: it yields no batch.")
    # Look at the first batch now, before Keras takes over the model's state
    # (on JAX an input error inside fit() would leave the variables purged).
    try:
        first_batch = next(iter(dataset))
    except StopIteration:
        raise ValueError("The dataset is empty: it yields no batch.") from None
    counter = getattr(dataset, "epoch_counter", None)
    if counter is not None:
        counter.assign_sub(1)  # the peek was not an epoch
    first_labels = None
    if isinstance(first_batch, tuple):
        first_batch, first_labels = first_batch[0], first_batch[1] if len(first_batch) > 1 else None
    check_array(first_batch.numpy(), data_shape, value_range)
    if num_classes is not None:
        _check_label_values(first_labels.numpy(), num_classes, model_name, lowest_label)
    if value_range is None and num_classes is None:
        return dataset
    low, high = value_range if value_range is not None else (-np.inf, np.inf)

    def check(*batch):
        images = batch[0]
        if num_classes is not None:
            labels = batch[1]
            labels_ok = tf.logical_and(
                tf.reduce_min(labels) >= lowest_label, tf.reduce_max(labels) < num_classes
            )
            label_message = (
                f"{model_name} has {num_classes} classes: labels must lie in {lowest_label} to "
                f"{num_classes - 1}. Found a batch with labels spanning"
            )
            with tf.control_dependencies(
                [
                    tf.debugging.Assert(
                        labels_ok,
                        [label_message, tf.reduce_min(labels), tf.reduce_max(labels)],
                        summarize=3,
                    )
                ]
            ):
                images = tf.identity(images)
        found_min = tf.reduce_min(images)
        found_max = tf.reduce_max(images)
        ok = tf.logical_and(found_min >= low - 1e-3, found_max <= high + 1e-3)
        message = (
            f"The training data must lie in [{low}, {high}] (the generator's output range). "
            f"{_describe_source()} Found a batch spanning"
        )
        with tf.control_dependencies(
            [tf.debugging.Assert(ok, [message, found_min, found_max], summarize=3)]
        ):
            images = tf.identity(images)
        return (images,) + tuple(batch[1:]) if len(batch) > 1 else images

    return dataset.map(check)


def _check_label_spec(label_spec, num_classes, model_name):
    if label_spec is None:
        raise ValueError(
            f"{model_name} is conditional: it needs a class label for each example, but the "
            "dataset yields images only. Yield (images, labels), e.g. "
            "keras_gan_zoo.datasets.from_idx(path, labels=True)."
        )
    if not isinstance(label_spec, tf.TensorSpec) or not label_spec.dtype.is_integer:
        raise ValueError(
            f"The dataset's labels are {label_spec}; {model_name} takes integer class labels "
            f"0 to {num_classes - 1}, one per example (not one-hot vectors or floats)."
        )


def _check_label_values(labels, num_classes, model_name, lowest_label=0):
    low, high = int(labels.min()), int(labels.max())
    if low < lowest_label or high >= num_classes:
        unknown = " (or -1 for an unknown label)" if lowest_label < 0 else ""
        raise ValueError(
            f"The dataset's labels span {low} to {high}, but {model_name} has {num_classes} "
            f"classes: labels must lie in 0 to {num_classes - 1}{unknown}."
        )
