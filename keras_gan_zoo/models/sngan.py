"""SNGAN: GAN with a spectrally normalized discriminator (Miyato et al., 2018).

Every layer of D divides its kernel by its largest singular value, estimated
by one step of power iteration per update, which bounds D's Lipschitz
constant by 1 without the capacity loss of weight clipping and without the
cost of a gradient penalty. `keras_gan_zoo.layers.SpectralDense` and
`SpectralConv2D` compute W / sigma in the forward pass (Keras's own
`SpectralNormalization` layer overwrites the kernel, which behaves
differently on each backend).

Default networks (`keras_gan_zoo.networks`): the "standard CNN" of the
paper's Table 3 for images
(G: dense to (side/8)^2 x 512, three 4x4 stride-2 transposed convolutions with
BatchNorm and ReLU, a 3x3 convolution with tanh; D: seven spectrally
normalized convolutions with LeakyReLU(0.1) and a dense output), an MLP of
spectrally normalized dense layers for vectors. Hinge loss; Adam with
learning rate 2e-4, beta_1 0, beta_2 0.9 and n_dis = 5, the setting of the
paper's hinge-loss experiments.

Reference: Miyato et al., "Spectral Normalization for Generative Adversarial
Networks", ICLR 2018, https://arxiv.org/abs/1802.05957.
"""

import keras

from keras_gan_zoo import layers as zoo_layers
from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.networks import dense_discriminator
from keras_gan_zoo.networks import mlp_generator
from keras_gan_zoo.networks import sngan_discriminator
from keras_gan_zoo.networks import sngan_generator


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class SNGAN(GAN):
    """GAN with spectral normalization in D and the hinge loss.

    Args:
        d_steps: n_dis, D updates per G update. Default 5.
        **kwargs: the `GAN` arguments.
    """

    def __init__(self, *, d_steps=5, **kwargs):
        super().__init__(d_steps=d_steps, **kwargs)

    def build_generator(self, latent_dim, data_shape):
        if len(data_shape) == 3:
            return sngan_generator(latent_dim, data_shape)
        return mlp_generator(
            latent_dim, data_shape, units=(512, 512, 512), data_range=self.data_range
        )

    def build_discriminator(self, input_shape):
        if len(input_shape) == 3:
            return sngan_discriminator(input_shape)
        return dense_discriminator(
            input_shape, units=(512, 512, 512), activation="relu", dense=zoo_layers.SpectralDense
        )

    def default_optimizer(self, prefix):
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.0, beta_2=0.9)

    def resolve_loss(self, loss):
        return super().resolve_loss(loss or "hinge")
