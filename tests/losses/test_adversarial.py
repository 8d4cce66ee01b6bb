"""The GAN objectives against their probability-space formulas (float64 NumPy)."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gan_zoo import backend
from keras_gan_zoo import losses

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried

LOGITS = np.array([-30.0, -3.0, -0.5, 0.0, 0.7, 4.0, 30.0], np.float32)


def _sigmoid(logits):
    return 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))


def _value(tensor):
    return float(ops.convert_to_numpy(tensor))


def _moderate():
    # Away from saturation, where the naive probability formulas are still accurate.
    return LOGITS[1:-1]


@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_discriminator_loss_is_binary_cross_entropy(smoothing):
    real, fake = _moderate(), _moderate()[::-1].copy()
    target = 1.0 - smoothing
    p_real, p_fake = _sigmoid(real), _sigmoid(fake)
    expected = -np.mean(target * np.log(p_real) + (1 - target) * np.log(1 - p_real)) - np.mean(
        np.log(1 - p_fake)
    )
    actual = _value(losses.discriminator_loss(real, fake, label_smoothing=smoothing))
    assert actual == pytest.approx(expected, rel=1e-5)


def test_generator_losses_match_the_paper():
    fake = _moderate()
    p_fake = _sigmoid(fake)
    # Minimax: G minimizes E[log(1 - D(G(z)))]. Non-saturating: G minimizes -E[log D(G(z))].
    assert _value(losses.minimax_generator_loss(fake)) == pytest.approx(
        np.mean(np.log(1 - p_fake)), rel=1e-5
    )
    assert _value(losses.non_saturating_generator_loss(fake)) == pytest.approx(
        -np.mean(np.log(p_fake)), rel=1e-5
    )


def test_losses_stay_finite_where_probabilities_saturate():
    for value in (
        losses.discriminator_loss(LOGITS, LOGITS, label_smoothing=0.1),
        losses.minimax_generator_loss(LOGITS),
        losses.non_saturating_generator_loss(LOGITS),
    ):
        assert np.isfinite(_value(value))
    # log(1 - sigmoid(30)) = -softplus(30) = -30 (up to 1e-13), not -inf.
    assert _value(losses.minimax_generator_loss(np.array([30.0], np.float32))) == pytest.approx(
        -30.0, rel=1e-6
    )


def test_saturating_gradients_are_why_the_non_saturating_loss_is_used():
    # When D confidently rejects a fake (logit -6), the minimax loss hardly moves G;
    # the non-saturating one still gives a gradient close to 1 per sample.
    rejected = np.array([-6.0], np.float32)

    def gradient(loss_fn):
        _, grads = backend.input_gradient(loss_fn, rejected)
        return float(ops.convert_to_numpy(grads)[0])

    minimax = gradient(losses.minimax_generator_loss)
    non_saturating = gradient(losses.non_saturating_generator_loss)
    assert abs(minimax) == pytest.approx(_sigmoid(np.array([-6.0]))[0], rel=1e-4)
    assert abs(minimax) < 0.01 < 0.99 < abs(non_saturating)


def test_keras_io_label_convention_with_probabilities():
    loss = losses.get_adversarial_loss(keras.losses.BinaryCrossentropy())
    assert isinstance(loss, losses.LabelLoss) and loss.decision_threshold == 0.5
    real = _sigmoid(_moderate()).astype(np.float32)[:, None]
    fake = real[::-1].copy()
    expected = -np.mean(np.log(real)) - np.mean(np.log(1 - fake))
    assert _value(loss.discriminator_loss(real, fake)) == pytest.approx(expected, rel=1e-4)
    assert _value(loss.generator_loss(fake)) == pytest.approx(-np.mean(np.log(fake)), rel=1e-4)


def test_registry_names_and_errors():
    assert losses.get_adversarial_loss("minimax").name == "minimax"
    assert losses.get_adversarial_loss("non_saturating").name == "non_saturating"
    with pytest.raises(ValueError, match="Unknown adversarial loss 'wasserstien'"):
        losses.get_adversarial_loss("wasserstien")
