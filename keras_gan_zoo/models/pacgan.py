"""PacGAN: the discriminator judges packs of m examples (Lin et al., 2018).

D sees m examples at once, all real or all generated, concatenated along
their last axis (`keras_gan_zoo.models.gan.pack`). A generator that covers
few modes makes packs whose members look alike, which a packed D can tell
from real packs even when every single fake looks real: packing penalizes
mode collapse. Only D's input layer changes; the loss is GAN's.

Default networks (protocol P of the paper's 2D experiments, Section 5.1):
G is an MLP with four hidden layers of 400 units, BatchNorm and ReLU; D has
three maxout layers of 200 units with 5 pieces, then a linear output; all
weights from N(0, 0.02). For images, DCGAN's networks (D's input has m times
the channels). Adam with learning rate 1e-4 and beta_1 0.8 (the 2D setting).

Reference: Lin, Khetan, Fanti and Oh, "PacGAN: The power of two samples in
generative adversarial networks", NeurIPS 2018, https://arxiv.org/abs/1712.04086.
"""

import keras

from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.networks import dcgan_discriminator
from keras_gan_zoo.networks import dcgan_generator
from keras_gan_zoo.networks import mlp_discriminator
from keras_gan_zoo.networks import mlp_generator
from keras_gan_zoo.networks import normal_initializer


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class PacGAN(GAN):
    """GAN with a packed discriminator.

    Args:
        packing: m, the examples per D input. Default 2 (PacGAN2). Batch
            sizes must be multiples of m.
        **kwargs: the `GAN` arguments. A `discriminator` you pass must take
            inputs of the packed shape: the example shape with its last axis
            m times wider.
    """

    def __init__(self, *, packing=2, **kwargs):
        super().__init__(packing=packing, **kwargs)

    def build_generator(self, latent_dim, data_shape):
        if len(data_shape) == 3:
            return dcgan_generator(latent_dim, data_shape)
        return mlp_generator(
            latent_dim,
            data_shape,
            units=(400, 400, 400, 400),
            data_range=self.data_range,
            batch_norm=True,
            kernel_initializer=normal_initializer(),
        )

    def build_discriminator(self, input_shape):
        if len(input_shape) == 3:
            return dcgan_discriminator(input_shape)
        return mlp_discriminator(
            input_shape,
            units=(200, 200, 200),
            pieces=5,
            dropout=0.0,
            kernel_initializer=normal_initializer(),
        )

    def default_optimizer(self, prefix):
        return keras.optimizers.Adam(learning_rate=1e-4, beta_1=0.8)
