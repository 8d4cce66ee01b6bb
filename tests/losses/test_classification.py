"""AC-GAN's class loss and objectives against NumPy formulas (float64)."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gan_zoo import losses
from keras_gan_zoo.models.registry import get_model_entry

# Parity (tests/test_parity.py) carries AC-GAN's steps, class loss included,
# to the other backends.
pytestmark = pytest.mark.carried


def _value(tensor):
    return float(ops.convert_to_numpy(tensor))


def _cross_entropy(labels, logits):
    logits = logits.astype(np.float64)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -np.mean(log_softmax[np.arange(len(labels)), labels])


def _softplus(x):
    return np.logaddexp(0.0, x.astype(np.float64))


def test_class_cross_entropy_is_one_log_softmax_of_the_logits():
    rng = np.random.default_rng(0)
    logits = (4.0 * rng.standard_normal((6, 10))).astype("float32")
    labels = np.array([0, 3, 3, 9, 5, 1], "int32")
    expected = _cross_entropy(labels, logits)
    assert _value(losses.class_cross_entropy(labels, logits)) == pytest.approx(expected, rel=1e-5)
    # A second softmax (on probabilities instead of logits) gives another value.
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    twice = _value(losses.class_cross_entropy(labels, probabilities))
    assert twice == pytest.approx(_cross_entropy(labels, probabilities), rel=1e-5)
    assert abs(twice - expected) > 0.1
    # Large logits stay finite (no probability is formed on the way).
    huge = np.array([[300.0, -300.0], [-300.0, 300.0]], "float32")
    assert _value(losses.class_cross_entropy(np.array([1, 1]), huge)) == pytest.approx(300.0)
    accuracy = losses.class_accuracy(labels, logits)
    assert _value(accuracy) == pytest.approx(np.mean(logits.argmax(axis=1) == labels))


class _FixedHeads(keras.layers.Layer):
    """A stand-in D with known outputs: one pair of heads for a batch of positive
    examples (the reals here), another for negative ones (the fakes)."""

    def __init__(self, real_heads, fake_heads):
        super().__init__()
        self.real_heads, self.fake_heads = real_heads, fake_heads

    def call(self, inputs):
        is_real = ops.mean(inputs) > 0
        return [ops.where(is_real, r, f) for r, f in zip(self.real_heads, self.fake_heads)]


@pytest.mark.parametrize("fake_class_loss", [True, False])
def test_acgan_objectives_are_the_papers(fake_class_loss):
    """D minimizes -(L_S + L_C), G minimizes -(L_C - L_S) with the non-saturating
    source term; the class head's logits go through one softmax."""
    rng = np.random.default_rng(1)
    batch_size = 4
    labels = np.array([2, 7, 7, 0], "int32")
    real_source, fake_source = (rng.standard_normal((2, batch_size, 1)) * 2).astype("float32")
    real_classes, fake_classes = (rng.standard_normal((2, batch_size, 10)) * 3).astype("float32")
    model = get_model_entry("acgan").build_tiny(
        fake_class_loss=fake_class_loss,
        discriminator=_FixedHeads((real_source, real_classes), (fake_source, fake_classes)),
    )
    model.compile()
    real_inputs = np.full((batch_size, *model.data_shape), 0.5, "float32")
    fake_inputs = -real_inputs
    batch = model.prepare_batch((real_inputs, labels))

    d_loss, d_logs = model.discriminator_objective(real_inputs, fake_inputs, batch)
    class_term = _cross_entropy(labels, real_classes)
    if fake_class_loss:
        class_term += _cross_entropy(labels, fake_classes)
    source_term = np.mean(_softplus(-real_source)) + np.mean(_softplus(fake_source))
    assert _value(d_loss) == pytest.approx(source_term + class_term, rel=1e-5)
    assert _value(d_logs["class_loss"]) == pytest.approx(class_term, rel=1e-5)
    assert _value(d_logs["real_class_accuracy"]) == pytest.approx(
        np.mean(real_classes.argmax(axis=1) == labels)
    )

    g_loss, g_logs = model.generator_objective(real_inputs, fake_inputs, batch)
    g_class = _cross_entropy(labels, fake_classes)
    assert _value(g_loss) == pytest.approx(np.mean(_softplus(-fake_source)) + g_class, rel=1e-5)
    assert _value(g_logs["class_loss"]) == pytest.approx(g_class, rel=1e-5)


def test_acgan_class_head_ends_in_logits():
    discriminator = get_model_entry("acgan").build_tiny().discriminator
    head = discriminator.get_layer("class_logits")
    assert head.get_config()["activation"] == "linear"
    assert tuple(discriminator.outputs[1].shape) == (None, 10)
