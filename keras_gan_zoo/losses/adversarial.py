"""Adversarial objectives, as pure `keras.ops` functions and registered pairs.

Every objective is a pair: what the discriminator (or critic) minimizes and
what the generator minimizes, both functions of D's raw outputs on real and
generated data. `compile(loss=...)` picks one by name:

- `non_saturating` (Goodfellow et al. 2014): D minimizes
  -E log D(x) - E log(1 - D(G(z))); G minimizes -E log D(G(z)).
- `minimax`: the same D loss; G minimizes E log(1 - D(G(z))).
- `wasserstein` (Arjovsky et al. 2017): E C(G(z)) - E C(x); G: -E C(G(z)).
- `least_squares` (Mao et al. 2017): E (D(x) - b)^2 / 2 + E (D(G(z)) - a)^2 / 2;
  G: E (D(G(z)) - c)^2 / 2.
- `hinge` (Lim and Ye 2017): E relu(1 - D(x)) + E relu(1 + D(G(z))); G: -E D(G(z)).
- `relativistic_average`, `relativistic_average_least_squares`,
  `relativistic_average_hinge` (Jolicoeur-Martineau 2018): see
  `RelativisticAverageLoss`.
- `f_<divergence>`: f-GAN (Nowozin et al. 2016), see
  `keras_gan_zoo.losses.f_divergence`.

Cross-entropy terms are written with `softplus`: log(sigmoid(l)) =
-softplus(-l) and log(1 - sigmoid(l)) = -softplus(l) stay finite where the
probabilities saturate to 0 or 1.
"""

import keras
from keras import ops


def _cross_entropy(logits, target):
    """Binary cross-entropy of sigmoid(logits) against `target` (a float or tensor)."""
    return target * ops.softplus(-logits) + (1.0 - target) * ops.softplus(logits)


def discriminator_loss(real_logits, fake_logits, label_smoothing=0.0):
    """D's loss of Goodfellow et al.: -E[log D(x)] - E[log(1 - D(G(z)))].

    Args:
        real_logits: D's logits on real data.
        fake_logits: D's logits on generated data.
        label_smoothing: float in [0, 1). One-sided label smoothing
            (Salimans et al. 2016): the real target becomes
            `1 - label_smoothing`; the fake target stays 0.
    """
    real_target = 1.0 - label_smoothing
    return ops.mean(_cross_entropy(real_logits, real_target)) + ops.mean(ops.softplus(fake_logits))


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

    Subclasses override `discriminator_loss` and `generator_loss`.

    Attributes:
        name: registry name, stored in the model's compile config.
        decision_threshold: D's output above which a sample is called real,
            used for D's accuracy logs; None where the output is a score with
            no such threshold (the Wasserstein critic).
        uses_targets: True when the loss is a classification against
            real/fake targets, so label smoothing and label noise apply.
        generator_uses_real: True when G's loss also needs D's outputs on
            real data (the relativistic losses).
    """

    decision_threshold = 0.0
    uses_targets = False
    generator_uses_real = False

    def __init__(self, name):
        self.name = name

    def discriminator_loss(self, real_outputs, fake_outputs, real_target=1.0, fake_target=0.0):
        raise NotImplementedError

    def generator_loss(self, fake_outputs, real_outputs=None):
        raise NotImplementedError

    def get_config(self):
        return self.name


class CrossEntropyLoss(AdversarialLoss):
    """The GAN of Goodfellow et al. (2014): D classifies real against fake.

    Args:
        generator: "non_saturating" (G minimizes -E log D(G(z)), Section 3 of
            the paper) or "minimax" (G minimizes E log(1 - D(G(z))), Eq. 1).

    `discriminator_loss` takes the real and fake targets (1 and 0 by default)
    so that label smoothing and noisy labels can change them, per example.
    """

    uses_targets = True

    def __init__(self, generator="non_saturating"):
        super().__init__(generator)
        self._generator_loss = {
            "non_saturating": non_saturating_generator_loss,
            "minimax": minimax_generator_loss,
        }[generator]

    def discriminator_loss(self, real_outputs, fake_outputs, real_target=1.0, fake_target=0.0):
        return ops.mean(_cross_entropy(real_outputs, real_target)) + ops.mean(
            _cross_entropy(fake_outputs, fake_target)
        )

    def generator_loss(self, fake_outputs, real_outputs=None):
        return self._generator_loss(fake_outputs)


class WassersteinLoss(AdversarialLoss):
    """The Kantorovich-Rubinstein dual of the Wasserstein-1 distance.

    The critic C maximizes E C(x) - E C(G(z)) over 1-Lipschitz functions (so
    minimizes its negative; the Lipschitz constraint comes from weight clipping
    or a gradient penalty, not from the loss); G minimizes -E C(G(z)).
    `-d_loss` is the critic's estimate of the distance, up to the Lipschitz
    constant.

    Reference: Arjovsky et al., "Wasserstein GAN", ICML 2017,
    https://arxiv.org/abs/1701.07875 (Eq. 3 and Algorithm 1).
    """

    decision_threshold = None

    def discriminator_loss(self, real_outputs, fake_outputs, real_target=1.0, fake_target=0.0):
        return ops.mean(fake_outputs) - ops.mean(real_outputs)

    def generator_loss(self, fake_outputs, real_outputs=None):
        return -ops.mean(fake_outputs)


class LeastSquaresLoss(AdversarialLoss):
    """Least squares GAN: D regresses real to b and fake to a; G pushes fakes to c.

    Args:
        a, b, c: the targets of Eq. 2. The paper's defaults a=0, b=1, c=1
            ("0-1 coding"); a=-1, b=1, c=0 minimizes the Pearson chi-squared
            divergence (its Section 3.2.1).

    Reference: Mao et al., "Least Squares Generative Adversarial Networks",
    ICCV 2017, https://arxiv.org/abs/1611.04076 (Eq. 2).
    """

    def __init__(self, a=0.0, b=1.0, c=1.0, name="least_squares"):
        super().__init__(name)
        self.a, self.b, self.c = float(a), float(b), float(c)
        self.decision_threshold = (self.a + self.b) / 2

    def discriminator_loss(self, real_outputs, fake_outputs, real_target=1.0, fake_target=0.0):
        return 0.5 * ops.mean(ops.square(real_outputs - self.b)) + 0.5 * ops.mean(
            ops.square(fake_outputs - self.a)
        )

    def generator_loss(self, fake_outputs, real_outputs=None):
        return 0.5 * ops.mean(ops.square(fake_outputs - self.c))


class HingeLoss(AdversarialLoss):
    """Hinge loss: D is a soft-margin classifier; G raises D's score of fakes.

    The objective of Geometric GAN, used by SNGAN, SAGAN and BigGAN.

    Reference: Lim and Ye, "Geometric GAN", 2017,
    https://arxiv.org/abs/1705.02894 (Eq. 14-15).
    """

    def discriminator_loss(self, real_outputs, fake_outputs, real_target=1.0, fake_target=0.0):
        return ops.mean(ops.relu(1.0 - real_outputs)) + ops.mean(ops.relu(1.0 + fake_outputs))

    def generator_loss(self, fake_outputs, real_outputs=None):
        return -ops.mean(fake_outputs)


class RelativisticAverageLoss(AdversarialLoss):
    """Relativistic average GAN: D judges whether real data is *more* real than fake.

    With C the raw output of D, real data is scored by C(x) - E C(G(z)) and
    fake data by C(G(z)) - E C(x). D's loss is the base loss on these relative
    scores; G's loss is the same with the roles of real and fake swapped, so
    both real and fake data carry G's gradient signal.

    Args:
        base: "cross_entropy" (RaSGAN), "least_squares" (RaLSGAN, targets
            +1/-1) or "hinge" (RaHingeGAN).

    Reference: Jolicoeur-Martineau, "The relativistic discriminator: a key
    element missing from standard GAN", ICLR 2019,
    https://arxiv.org/abs/1807.00734 (Section 4.3, Eq. 17-18 and Appendix).
    """

    generator_uses_real = True

    def __init__(self, base="cross_entropy"):
        names = {
            "cross_entropy": "relativistic_average",
            "least_squares": "relativistic_average_least_squares",
            "hinge": "relativistic_average_hinge",
        }
        if base not in names:
            raise ValueError(f"base must be one of {sorted(names)}, got {base!r}.")
        super().__init__(names[base])
        self.base = base

    def _pair(self, more_real, less_real):
        """Loss for scores that should be positive (`more_real`) and negative."""
        if self.base == "cross_entropy":
            return ops.mean(ops.softplus(-more_real)) + ops.mean(ops.softplus(less_real))
        if self.base == "least_squares":
            return ops.mean(ops.square(more_real - 1.0)) + ops.mean(ops.square(less_real + 1.0))
        return ops.mean(ops.relu(1.0 - more_real)) + ops.mean(ops.relu(1.0 + less_real))

    def discriminator_loss(self, real_outputs, fake_outputs, real_target=1.0, fake_target=0.0):
        real_outputs, fake_outputs = (
            ops.convert_to_tensor(real_outputs),
            ops.convert_to_tensor(fake_outputs),
        )
        real_scores = real_outputs - ops.mean(fake_outputs)
        fake_scores = fake_outputs - ops.mean(real_outputs)
        return self._pair(real_scores, fake_scores)

    def generator_loss(self, fake_outputs, real_outputs=None):
        if real_outputs is None:
            raise ValueError("The relativistic generator loss needs D's outputs on real data.")
        real_outputs, fake_outputs = (
            ops.convert_to_tensor(real_outputs),
            ops.convert_to_tensor(fake_outputs),
        )
        real_scores = real_outputs - ops.mean(fake_outputs)
        fake_scores = fake_outputs - ops.mean(real_outputs)
        return self._pair(fake_scores, real_scores)


class LabelLoss(AdversarialLoss):
    """The keras-io convention: a Keras loss applied to real=1 / fake=0 labels.

    `compile(loss=keras.losses.BinaryCrossentropy())` with a discriminator that
    ends in a sigmoid trains exactly as the keras-io GAN examples do. The
    generator loss is the non-saturating one, `loss(1, D(G(z)))`.
    """

    uses_targets = True

    def __init__(self, loss):
        super().__init__("label_loss")
        self.decision_threshold = 0.0 if getattr(loss, "from_logits", True) else 0.5
        self.loss = loss

    def discriminator_loss(self, real_outputs, fake_outputs, real_target=1.0, fake_target=0.0):
        real_labels = ops.ones_like(real_outputs) * real_target
        fake_labels = ops.ones_like(fake_outputs) * fake_target
        return self.loss(real_labels, real_outputs) + self.loss(fake_labels, fake_outputs)

    def generator_loss(self, fake_outputs, real_outputs=None):
        return self.loss(ops.ones(ops.shape(fake_outputs)), fake_outputs)

    def get_config(self):
        return keras.saving.serialize_keras_object(self.loss)


def _registry():
    from keras_gan_zoo.losses import f_divergence

    losses = [
        CrossEntropyLoss("non_saturating"),
        CrossEntropyLoss("minimax"),
        WassersteinLoss("wasserstein"),
        LeastSquaresLoss(),
        HingeLoss("hinge"),
        RelativisticAverageLoss("cross_entropy"),
        RelativisticAverageLoss("least_squares"),
        RelativisticAverageLoss("hinge"),
        *(f_divergence.FDivergenceLoss(name) for name in f_divergence.DIVERGENCES),
    ]
    return {loss.name: loss for loss in losses}


def adversarial_loss_names():
    """The names `compile(loss=...)` accepts."""
    return sorted(_registry())


def get_adversarial_loss(identifier):
    """Resolves `compile(loss=...)`.

    Args:
        identifier: a registered name (see `adversarial_loss_names()`), an
            `AdversarialLoss`, a `keras.losses.Loss` instance or its serialized
            config (the keras-io label convention, see `LabelLoss`).
    """
    if isinstance(identifier, AdversarialLoss):
        return identifier
    if isinstance(identifier, str):
        registry = _registry()
        if identifier not in registry:
            raise ValueError(
                f"Unknown adversarial loss {identifier!r}. "
                f"Known: {sorted(registry)}, or pass a keras.losses.Loss."
            )
        return registry[identifier]
    if isinstance(identifier, dict):
        identifier = keras.saving.deserialize_keras_object(identifier)
    if isinstance(identifier, keras.losses.Loss):
        return LabelLoss(identifier)
    raise ValueError(
        f"Cannot use {identifier!r} as an adversarial loss: pass one of "
        f"{adversarial_loss_names()}, an AdversarialLoss or a keras.losses.Loss."
    )
