"""f-GAN: variational divergence minimization (Nowozin, Cseke and Tomioka, 2016).

Any f-divergence D_f(P || Q) = E_Q[f(p/q)] has the variational lower bound

    D_f(P || Q) >= sup_T  E_P[T(x)] - E_Q[f*(T(x))]          (Eq. 4)

with f* the convex conjugate of f. The discriminator outputs an unbounded
value v; an output activation g_f maps it into the domain of f*, T = g_f(v)
(Table 2). D maximizes the bound; G minimizes it, in practice through the
paper's non-saturating alternative: G maximizes E_Q[g_f(v(G(z)))]
(Section 3.2).

Each divergence is given by g_f(v) and f*(g_f(v)), simplified by hand so that
they stay finite for large |v| (for the GAN divergence, f*(g_f(v)) =
softplus(v), which is the usual cross-entropy).

Reference: Nowozin et al., "f-GAN: Training Generative Neural Samplers using
Variational Divergence Minimization", NeurIPS 2016,
https://arxiv.org/abs/1606.00709 (Tables 1, 2 and 6).
"""

import math

from keras import ops

from keras_gan_zoo.losses.adversarial import AdversarialLoss

_LOG_2 = math.log(2.0)


def _kl_activation(v):
    return v


def _kl_conjugate(v):
    # f*(t) = exp(t - 1), t = v.
    return ops.exp(v - 1.0)


def _reverse_kl_activation(v):
    return -ops.exp(-v)


def _reverse_kl_conjugate(v):
    # f*(t) = -1 - log(-t), t = -exp(-v).
    return v - 1.0


def _pearson_activation(v):
    return v


def _pearson_conjugate(v):
    # f*(t) = t^2 / 4 + t, t = v.
    return 0.25 * ops.square(v) + v


def _hellinger_activation(v):
    return 1.0 - ops.exp(-v)


def _hellinger_conjugate(v):
    # f*(t) = t / (1 - t), t = 1 - exp(-v).
    return ops.exp(v) - 1.0


def _jensen_shannon_activation(v):
    return _LOG_2 - ops.softplus(-v)


def _jensen_shannon_conjugate(v):
    # f*(t) = -log(2 - exp(t)), t = log 2 - log(1 + exp(-v)).
    return ops.softplus(v) - _LOG_2


def _gan_activation(v):
    return -ops.softplus(-v)


def _gan_conjugate(v):
    # f*(t) = -log(1 - exp(t)), t = -log(1 + exp(-v)).
    return ops.softplus(v)


# name: (g_f, f* o g_f, the value of v where T = f'(1), i.e. where D is undecided)
DIVERGENCES = {
    "kl": (_kl_activation, _kl_conjugate, 1.0),
    "reverse_kl": (_reverse_kl_activation, _reverse_kl_conjugate, 0.0),
    "pearson": (_pearson_activation, _pearson_conjugate, 0.0),
    "squared_hellinger": (_hellinger_activation, _hellinger_conjugate, 0.0),
    "jensen_shannon": (_jensen_shannon_activation, _jensen_shannon_conjugate, 0.0),
    "gan": (_gan_activation, _gan_conjugate, 0.0),
}


class FDivergenceLoss(AdversarialLoss):
    """The f-GAN objective for one divergence of Nowozin et al. (Table 2).

    Registered as `f_<divergence>` (`compile(loss="f_reverse_kl")`).

    Args:
        divergence: "kl", "reverse_kl", "pearson" (Pearson chi-squared),
            "squared_hellinger", "jensen_shannon" or "gan".

    `-d_loss` is the variational lower bound of the divergence; with the
    Jensen-Shannon divergence it is at most log 2.
    """

    def __init__(self, divergence):
        if divergence not in DIVERGENCES:
            raise ValueError(
                f"Unknown f-divergence {divergence!r}; choose from {sorted(DIVERGENCES)}."
            )
        super().__init__(f"f_{divergence}")
        self.divergence = divergence
        self.activation, self.conjugate, self.decision_threshold = DIVERGENCES[divergence]

    def lower_bound(self, real_outputs, fake_outputs):
        """E_P[g_f(v)] - E_Q[f*(g_f(v))]: Eq. 4's bound on D_f(P || Q)."""
        return ops.mean(self.activation(real_outputs)) - ops.mean(self.conjugate(fake_outputs))

    def discriminator_loss(self, real_outputs, fake_outputs, real_target=1.0, fake_target=0.0):
        return -self.lower_bound(real_outputs, fake_outputs)

    def generator_loss(self, fake_outputs, real_outputs=None):
        return -ops.mean(self.activation(fake_outputs))
