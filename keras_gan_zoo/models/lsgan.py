"""LSGAN: least squares GAN (Mao et al., 2017).

D regresses real examples to b and fakes to a; G pushes D's output on fakes
to c (`keras_gan_zoo.losses.LeastSquaresLoss`). Unlike the sigmoid
cross-entropy, the squared loss keeps penalizing fakes that are on the right
side of the decision boundary but far from the data, so G's gradients do not
vanish there.

Default networks: DCGAN's for images, GAN's MLPs for vectors. Adam with
learning rate 2e-4 and beta_1 0.5 (the paper's Section 4.1).

Reference: Mao et al., "Least Squares Generative Adversarial Networks",
ICCV 2017, https://arxiv.org/abs/1611.04076.
"""

import keras

from keras_gan_zoo.losses import LeastSquaresLoss
from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.networks import DCGANNetworks


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class LSGAN(DCGANNetworks, GAN):
    """Least squares GAN.

    Args:
        a, b, c: the targets of Eq. 2: fake, real, and what G wants D to say
            about fakes. Defaults 0, 1, 1; (-1, 1, 0) minimizes the Pearson
            chi-squared divergence (Section 3.2.1).
        **kwargs: the `GAN` arguments.

    Compile: `loss` is ignored unless given explicitly; by default the
    least squares loss with (a, b, c).
    """

    def __init__(self, *, a=0.0, b=1.0, c=1.0, **kwargs):
        self.a, self.b, self.c = float(a), float(b), float(c)
        super().__init__(**kwargs)

    def resolve_loss(self, loss):
        return super().resolve_loss(loss or LeastSquaresLoss(self.a, self.b, self.c))

    def get_config(self):
        config = super().get_config()
        config.update(a=self.a, b=self.b, c=self.c)
        return config
