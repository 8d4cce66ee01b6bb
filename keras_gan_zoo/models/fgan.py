"""f-GAN: GANs that minimize any f-divergence (Nowozin, Cseke and Tomioka, 2016).

D estimates a variational lower bound of D_f(P_data || P_G) (Eq. 4 of the
paper) through an output activation and the convex conjugate of f; G
minimizes the bound with the paper's non-saturating alternative. The
divergences and their closed forms are in `keras_gan_zoo.losses.f_divergence`.
The choice matters: KL(P || Q) is mass-covering (spreads G over all modes),
reverse KL mode-seeking (concentrates G on a few).

Default networks: DCGAN's for images, GAN's MLPs for vectors; Adam with
learning rate 2e-4 and beta_1 0.5.

Reference: Nowozin et al., "f-GAN: Training Generative Neural Samplers using
Variational Divergence Minimization", NeurIPS 2016, https://arxiv.org/abs/1606.00709.
"""

import keras

from keras_gan_zoo.losses import FDivergenceLoss
from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.networks import DCGANNetworks


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class FGAN(DCGANNetworks, GAN):
    """GAN minimizing an f-divergence.

    Args:
        divergence: "kl", "reverse_kl", "pearson", "squared_hellinger",
            "jensen_shannon" (default) or "gan".
        **kwargs: the `GAN` arguments.

    `-d_loss` is D's lower bound on the divergence between data and model.
    """

    def __init__(self, *, divergence="jensen_shannon", **kwargs):
        self.divergence_loss = FDivergenceLoss(divergence)
        self.divergence = divergence
        super().__init__(**kwargs)

    def resolve_loss(self, loss):
        return super().resolve_loss(loss or self.divergence_loss)

    def get_config(self):
        config = super().get_config()
        config.update(divergence=self.divergence)
        return config
