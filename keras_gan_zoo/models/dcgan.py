"""DCGAN: deep convolutional GAN (Radford, Metz and Chintala, 2016).

The paper's networks (its architecture guidelines and resolutions are
described in `keras_gan_zoo.networks.dcgan`) trained with its optimizer:
Adam with learning rate 2e-4 and beta_1 0.5.

The networks are `keras_gan_zoo.networks.dcgan_generator` and
`dcgan_discriminator`. The adversarial step and losses are GAN's
(non-saturating G loss by default).

Reference: Radford et al., "Unsupervised Representation Learning with Deep
Convolutional Generative Adversarial Networks", ICLR 2016,
https://arxiv.org/abs/1511.06434.
"""

import keras

from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.networks import dcgan_discriminator
from keras_gan_zoo.networks import dcgan_generator


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class DCGAN(GAN):
    """Deep convolutional GAN with the paper's architecture and optimizer.

    Args:
        image_shape: (side, side, channels) of the images. Default (64, 64, 3),
            the paper's resolution.
        latent_dim: size of z. Default 100.
        filters: width of D's first layer and G's last hidden layer; doubles
            per resolution step. Default 64.
        generator, discriminator: your own networks instead of the paper's.
        **kwargs: the `GAN` arguments (`d_steps`, `label_smoothing`, `seed`, ...).

    Example:

    ```python
    dataset = keras_gan_zoo.datasets.load_digits(image_size=28)
    gan = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1))
    gan.compile()  # Adam(2e-4, beta_1=0.5) for both players
    gan.fit(dataset, epochs=20, callbacks=[keras_gan_zoo.callbacks.SampleGrid("samples")])
    ```
    """

    def __init__(self, *, image_shape=None, latent_dim=100, filters=64, **kwargs):
        self.filters = int(filters)
        if image_shape is not None:
            kwargs["data_shape"] = tuple(image_shape)
        elif kwargs.get("generator") is None and kwargs.get("data_shape") is None:
            kwargs["data_shape"] = (64, 64, 3)
        super().__init__(latent_dim=latent_dim, **kwargs)

    def build_generator(self, latent_dim, data_shape):
        return dcgan_generator(latent_dim, data_shape, self.filters)

    def build_discriminator(self, data_shape):
        return dcgan_discriminator(data_shape, self.filters)

    @property
    def image_shape(self):
        return self.data_shape

    def get_config(self):
        config = super().get_config()
        config.update({"filters": self.filters, "data_shape": self.data_shape})
        return config
