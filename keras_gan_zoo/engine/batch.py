"""What a model consumes: one `Batch` per train step, checked against the model's `BatchSpec`.

`fit()` hands the step whatever the data yields: `x`, `(x, y)`, `(x, y,
sample_weight)` or a dict. `unpack_batch` turns each of these into a `Batch`
with named fields, so a loss reads `batch.labels` instead of guessing what
`y` meant:

| field           | what it is                                  | who needs it            |
|-----------------|---------------------------------------------|-------------------------|
| `real`          | the real examples (images or vectors)       | every model             |
| `labels`        | int class labels, shape (batch,)            | CGAN, AC-GAN, BigGAN    |
| `target`        | a paired target image for each input        | pix2pix                 |
| `second_domain` | a batch of the other, unpaired domain       | CycleGAN                |
| `mask`          | 1 where an example's label is known, else 0 | semi-supervised models  |

A semi-supervised model (`BatchSpec.partial_labels`) also takes -1 as the
label of an unlabelled example; the mask is then 0 there.

The model's `BatchSpec` says which fields it needs and what `y` in `(x, y)`
is (labels for a conditional model, the target for a translator). Checks are
static (shapes, dtypes, presence), so they run inside a jitted step; value
checks (ranges, label bounds) run on the host before training, in
`check_arrays`.
"""

import dataclasses

import keras
import numpy as np
from keras import ops

FIELDS = ("real", "labels", "target", "second_domain", "mask")
# Names a dict batch may use for a field, besides the field's own name.
_ALIASES = {"images": "real"}


@dataclasses.dataclass
class Batch:
    """One train step's data, by field; fields a model does not use are None."""

    real: object
    labels: object = None
    target: object = None
    second_domain: object = None
    mask: object = None
    # Not data: the latent prior's draw behind the update's latest fakes,
    # kept by `GAN.make_fakes` for objectives that need the codes (InfoGAN).
    latents: dict | None = None

    @property
    def size(self):
        """The number of examples (a tensor under tracing, an int otherwise)."""
        return ops.shape(self.real)[0]


@dataclasses.dataclass(frozen=True)
class BatchSpec:
    """What a model's train step needs from each batch.

    Args:
        example_shape: shape of one real example, without the batch axis.
        data_range: (low, high) the real examples lie in, or None (unbounded).
        num_classes: the class count of a conditional model; labels are then
            required and must lie in [0, num_classes).
        y_field: the `Batch` field that `y` of `(x, y)` fills: "labels",
            "target" or "second_domain"; None when the model ignores `y`
            (an unconditional GAN trained on a labelled dataset).
        target_shape: shape of one paired target example, when required.
        second_domain_shape: shape of one example of the second domain.
        partial_labels: whether some examples may lack a label (semi-supervised
            models): their label is -1, or the batch's `mask` is 0 for them.
    """

    example_shape: tuple
    data_range: tuple | None = None
    num_classes: int | None = None
    y_field: str | None = None
    target_shape: tuple | None = None
    second_domain_shape: tuple | None = None
    partial_labels: bool = False

    def required_fields(self):
        fields = ["real"]
        if self.num_classes is not None:
            fields.append("labels")
        if self.target_shape is not None:
            fields.append("target")
        if self.second_domain_shape is not None:
            fields.append("second_domain")
        return fields

    def describe_input(self):
        """How to pass data to `fit()` for this spec, for error messages."""
        if self.y_field is None:
            return "fit(x) with x a batch of examples"
        return f"fit((x, {self.y_field})) or fit({{'real': x, '{self.y_field}': ...}})"


def unpack_batch(data, spec, model_name="The model"):
    """A `Batch` from what `fit()` passes to the step, checked against `spec`.

    Raises:
        ValueError: naming the field, for a missing required field, a field of
            the wrong shape (both shapes given), labels that are not integers,
            or fields whose batch sizes differ.
    """
    fields = _fields_of(data, spec, model_name)
    batch = Batch(**fields)
    _check_shape(batch.real, spec.example_shape, "real", "the examples", model_name)
    for name in spec.required_fields():
        if getattr(batch, name) is None:
            raise ValueError(
                f"{model_name} needs {name} in each batch, but the batch has none. "
                f"Pass {spec.describe_input()}."
            )
    if batch.labels is not None and spec.num_classes is not None:
        batch.labels = _checked_labels(batch.labels, batch.real, model_name)
    if batch.target is not None and spec.target_shape is not None:
        _check_shape(batch.target, spec.target_shape, "target", "the target examples", model_name)
    if batch.second_domain is not None and spec.second_domain_shape is not None:
        _check_shape(
            batch.second_domain,
            spec.second_domain_shape,
            "second_domain",
            "the second domain's examples",
            model_name,
        )
    if batch.mask is not None:
        batch.mask = ops.reshape(ops.cast(batch.mask, "float32"), (-1,))
    if spec.partial_labels and batch.labels is not None:
        # A label of -1 is unknown; the mask (given or not) says which are known.
        known = ops.cast(batch.labels >= 0, "float32")
        batch.mask = known if batch.mask is None else batch.mask * known
        batch.labels = ops.maximum(batch.labels, 0)
    return batch


def _fields_of(data, spec, model_name):
    if isinstance(data, dict):
        fields = {}
        for key, value in data.items():
            name = _ALIASES.get(key, key)
            if name not in FIELDS:
                raise ValueError(
                    f"A batch dict has the key {key!r}; the fields a batch can carry are "
                    f"{list(FIELDS)} (or 'images' for 'real')."
                )
            fields[name] = value
        if "real" not in fields:
            raise ValueError(
                f"A batch dict must hold the real examples under 'real' (or 'images'); it has "
                f"the keys {sorted(data)}."
            )
        return fields
    if isinstance(data, (tuple, list)):
        if not data or len(data) > 3:
            raise ValueError(
                f"{model_name} got a batch of {len(data)} parts; fit() passes x, (x, y) or "
                "(x, y, sample_weight)."
            )
        parts = list(data) + [None] * (3 - len(data))
        x, y, sample_weight = parts
        fields = _fields_of(x, spec, model_name) if isinstance(x, dict) else {"real": x}
        if y is not None and spec.y_field is not None:
            fields[spec.y_field] = y
        if sample_weight is not None:
            # Keras's sample_weight slot marks the examples whose label counts.
            fields["mask"] = sample_weight
        return fields
    return {"real": data}


def _check_shape(tensor, expected, field, what, model_name):
    shape = tuple(tensor.shape)
    if len(shape) < 1 or tuple(shape[1:]) != tuple(expected):
        raise ValueError(
            f"Batch field '{field}' ({what}) has shape {shape}, i.e. examples of shape "
            f"{tuple(shape[1:])}, but {model_name} takes examples of shape {tuple(expected)}."
        )


def _checked_labels(labels, real, model_name):
    dtype = keras.backend.standardize_dtype(labels.dtype)
    if "int" not in dtype:
        raise ValueError(
            f"Batch field 'labels' has dtype {dtype}; {model_name} takes integer class labels "
            "(e.g. int32), not one-hot vectors or floats."
        )
    shape = tuple(labels.shape)
    if len(shape) == 2 and shape[1] == 1:
        labels = ops.reshape(labels, (-1,))
        shape = shape[:1]
    if len(shape) != 1:
        raise ValueError(
            f"Batch field 'labels' has shape {shape}; {model_name} takes one integer class "
            "label per example, shape (batch,)."
        )
    if shape[0] is not None and real.shape[0] is not None and shape[0] != real.shape[0]:
        raise ValueError(
            f"Batch field 'labels' holds {shape[0]} labels for {real.shape[0]} examples; "
            "give one label per example."
        )
    return ops.cast(labels, "int32")


def check_arrays(spec, labels=None, model_name="The model", num_examples=None):
    """Host-side value checks of NumPy labels before training (ranges need values).

    Raises:
        ValueError: for labels that are not integers, not one per example, or
            outside [0, num_classes), naming the offending values.
    """
    if spec.num_classes is None or labels is None:
        return
    labels = np.asarray(labels)
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"The labels have dtype {labels.dtype}; {model_name} takes integer class labels "
            f"0 to {spec.num_classes - 1}."
        )
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1 or (num_examples is not None and labels.shape[0] != num_examples):
        raise ValueError(
            f"The labels have shape {labels.shape}; {model_name} takes one integer class label "
            f"per example, shape ({num_examples if num_examples is not None else 'n'},)."
        )
    if labels.size == 0:
        raise ValueError("The labels are empty.")
    low, high = int(labels.min()), int(labels.max())
    lowest = -1 if spec.partial_labels else 0
    if low < lowest or high >= spec.num_classes:
        unknown = " (or -1 for an unknown label)" if spec.partial_labels else ""
        raise ValueError(
            f"The labels span {low} to {high}, but {model_name} has {spec.num_classes} classes: "
            f"labels must lie in 0 to {spec.num_classes - 1}{unknown}."
        )
    if spec.partial_labels and high < 0:
        raise ValueError(
            f"Every label is -1 (unknown); {model_name} learns its classes from the labelled "
            "examples, so some must be labelled."
        )
