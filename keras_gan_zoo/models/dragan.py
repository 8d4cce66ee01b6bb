"""DRAGAN: a GAN whose discriminator is penalized around the real data.

Kodali et al. argue that mode collapse comes with sharp gradients of D near
the real data, at local equilibria of the game; DRAGAN adds a gradient
penalty at perturbed real examples (`keras_gan_zoo.tricks.DRAGANPenalty`)
to the usual cross-entropy game. Unlike WGAN-GP it keeps the standard loss
and needs no extra critic updates.

Default networks: DCGAN's for images, GAN's MLPs for vectors. Adam with
learning rate 1e-4, beta_1 0.5, beta_2 0.9 and lambda = 10, as in the
authors' reference code.

Reference: Kodali et al., "On Convergence and Stability of GANs", 2017,
https://arxiv.org/abs/1705.07215.
"""

import keras

from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.models.gan import resolve_tricks
from keras_gan_zoo.networks import DCGANNetworks
from keras_gan_zoo.tricks import DRAGANPenalty


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class DRAGAN(DCGANNetworks, GAN):
    """GAN with DRAGAN's gradient penalty around the real data.

    Args:
        penalty_weight: lambda. Default 10.
        **kwargs: the `GAN` arguments; extra `tricks` come after the penalty.

    Logs `d_dragan`, the penalty term.
    """

    # Per-example penalty: no BatchNorm mixing the examples in the image D.
    image_discriminator_normalization = None

    def __init__(self, *, penalty_weight=10.0, tricks=(), **kwargs):
        self.penalty_weight = float(penalty_weight)
        tricks = resolve_tricks(tricks)
        if not any(isinstance(t, DRAGANPenalty) for t in tricks):
            tricks.insert(0, DRAGANPenalty(weight=penalty_weight))
        super().__init__(tricks=tricks, **kwargs)

    def default_optimizer(self, prefix):
        return keras.optimizers.Adam(learning_rate=1e-4, beta_1=0.5, beta_2=0.9)

    def get_config(self):
        config = super().get_config()
        config.update(penalty_weight=self.penalty_weight)
        return config
