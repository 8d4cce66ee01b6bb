"""The GAN objectives of Goodfellow et al. (2014), as pure `keras.ops` functions.

All functions take discriminator *logits*: D(x) = sigmoid(logit). Written with
`softplus` because log(sigmoid(l)) = -softplus(-l) and
log(1 - sigmoid(l)) = -softplus(l) stay finite where the probabilities
saturate to 0 or 1.

Reference: Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014,
https://arxiv.org/abs/1406.2661 (Eq. 1 and Section 3).
"""

import keras
from keras import ops


def discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """D's loss: -E[log D(x)] - E[log(1 - D(G(z)))].

    Args:
        real_logits: D's logits on real data.
        fake_logits: D's logits on generated data.
        label_smoothing: float in [0, 1). One-sided label smoothing
            (Salimans et al. 2016): the real target becomes
            `1 - label_smoothing`; the fake target stays 0.
    """
    real_target = 1.0 - label_smoothing
    real_term = real_target * ops.softplus(-real_logits) + (1.0 - real_target) * ops.softplus(
        real_logits
    )
    return ops.mean(real_term) + ops.mean(ops.softplus(fake_logits))


def minimax_generator_loss(fake_logits):
    """G's loss in the original minimax game: E[log(1 - D(G(z)))], minimized.

    Its gradient vanishes when D confidently rejects the fakes, which is the
    situation early in training; see `non_saturating_generator_loss`.
    """
    return -ops.mean(ops.softplus(fake_logits))


def non_saturating_generator_loss(fake_logits):
    """G's loss used in practice: -E[log D(G(z))].

    Same fixed point as the minimax loss, but strong gradients early in
    training when D rejects the fakes (Goodfellow et al. 2014, Section 3).
    """
    return ops.mean(ops.softplus(-fake_logits))


class AdversarialLoss:
    """A pair of objectives: one for the discriminator, one for the generator.

    Args:
        name: registry name, stored in the model's compile config.
        generator_loss: function of D's output on fakes.
        decision_threshold: D's output above which a sample is called real
            (0 for logits, 0.5 for probabilities); used for D's accuracy logs.
    """

    def __init__(self, name, generator_loss, decision_threshold=0.0):
        self.name = name
        self.generator_loss_fn = generator_loss
        self.decision_threshold = decision_threshold

    def discriminator_loss(self, real_outputs, fake_outputs, label_smoothing=0.0):
        return discriminator_loss(real_outputs, fake_outputs, label_smoothing)

    def generator_loss(self, fake_outputs):
        return self.generator_loss_fn(fake_outputs)

    def get_config(self):
        return self.name


class LabelLoss(AdversarialLoss):
    """The keras-io convention: a Keras loss applied to real=1 / fake=0 labels.

    `compile(loss=keras.losses.BinaryCrossentropy())` with a discriminator that
    ends in a sigmoid trains exactly as the keras-io GAN examples do. The
    generator loss is the non-saturating one, `loss(1, D(G(z)))`.
    """

    def __init__(self, loss):
        from_logits = getattr(loss, "from_logits", True)
        super().__init__(
            name="label_loss",
            generator_loss=None,
            decision_threshold=0.0 if from_logits else 0.5,
        )
        self.loss = loss

    def discriminator_loss(self, real_outputs, fake_outputs, label_smoothing=0.0):
        real_labels = ops.full(ops.shape(real_outputs), 1.0 - label_smoothing)
        fake_labels = ops.zeros(ops.shape(fake_outputs))
        return self.loss(real_labels, real_outputs) + self.loss(fake_labels, fake_outputs)

    def generator_loss(self, fake_outputs):
        return self.loss(ops.ones(ops.shape(fake_outputs)), fake_outputs)

    def get_config(self):
        return keras.saving.serialize_keras_object(self.loss)


ADVERSARIAL_LOSSES = {
    "non_saturating": AdversarialLoss("non_saturating", non_saturating_generator_loss),
    "minimax": AdversarialLoss("minimax", minimax_generator_loss),
}


def get_adversarial_loss(identifier):
    """Resolves `compile(loss=...)`.

    Args:
        identifier: a registered name (`"non_saturating"`, `"minimax"`), an
            `AdversarialLoss`, a `keras.losses.Loss` instance or its serialized
            config (the keras-io label convention, see `LabelLoss`).
    """
    if isinstance(identifier, AdversarialLoss):
        return identifier
    if isinstance(identifier, str):
        if identifier not in ADVERSARIAL_LOSSES:
            raise ValueError(
                f"Unknown adversarial loss {identifier!r}. "
                f"Known: {sorted(ADVERSARIAL_LOSSES)}, or pass a keras.losses.Loss."
            )
        return ADVERSARIAL_LOSSES[identifier]
    if isinstance(identifier, dict):
        identifier = keras.saving.deserialize_keras_object(identifier)
    if isinstance(identifier, keras.losses.Loss):
        return LabelLoss(identifier)
    raise ValueError(
        f"Cannot use {identifier!r} as an adversarial loss: pass one of "
        f"{sorted(ADVERSARIAL_LOSSES)}, an AdversarialLoss or a keras.losses.Loss."
    )
