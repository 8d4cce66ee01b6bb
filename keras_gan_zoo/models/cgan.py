"""CGAN: the conditional GAN (Mirza and Osindero, 2014).

G and D both see the class label y: G maps (z, y) to an example of class y,
and D judges whether (x, y) is a real example with its real label. The game
is the original GAN's, conditioned on y (Eq. 2 of the paper):

    min_G max_D  E_{x,y}[log D(x | y)] + E_{z,y}[log(1 - D(G(z | y) | y))]

In each update the fakes are conditioned on the labels of the real batch,
so D sees real and fake examples of the same classes and G is asked for
every class in proportion to the data.

Networks (`keras_gan_zoo.networks.conditional`):
- `variant="mlp"`: the paper's MNIST networks (Section 4.1): G sends z and
  the one-hot label through layers of their own and joins them in one hidden
  layer; D does the same with maxout layers.
- `variant="conv"`: DCGAN's networks with a label embedding joined to z in G
  and a projection discriminator (Miyato and Koyama, 2018) in D.

Reference: Mirza and Osindero, "Conditional Generative Adversarial Nets",
2014, https://arxiv.org/abs/1411.1784.
"""

import keras

from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.networks import cgan_conv_discriminator
from keras_gan_zoo.networks import cgan_conv_generator
from keras_gan_zoo.networks import cgan_mlp_discriminator
from keras_gan_zoo.networks import cgan_mlp_generator
from keras_gan_zoo.utils.arguments import check_int

VARIANTS = ("mlp", "conv")


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class CGAN(GAN):
    """Conditional GAN: labels into G and D.

    Trains on (examples, labels): `fit((images, labels))`, `fit(images,
    labels)` or a dataset of (images, labels) batches
    (`keras_gan_zoo.datasets.from_idx(path, labels=True)`); labels are
    integers 0 to `num_classes - 1`.

    Args:
        num_classes: the number of classes. Default 10.
        variant: "mlp" (the paper's MNIST networks) or "conv" (DCGAN-style
            networks; images only). Default "mlp".
        **kwargs: the `GAN` arguments. A `generator` you pass must take
            `[latents, labels]`; a `discriminator`, `[examples, labels]`.

    Example:

    ```python
    cgan = keras_gan_zoo.CGAN(num_classes=10, variant="conv")
    cgan.compile()
    cgan.fit((images, labels), batch_size=64, epochs=5)
    threes = cgan.generate(16, labels=3)
    ```
    """

    def __init__(self, *, num_classes=10, variant="mlp", **kwargs):
        self.num_classes = check_int(num_classes, "num_classes", minimum=2)
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}; got {variant!r}.")
        self.variant = variant
        if kwargs.get("packing", 1) != 1:
            raise ValueError("CGAN does not pack examples: D judges each (x, y) pair alone.")
        super().__init__(**kwargs)

    def build_generator(self, latent_dim, data_shape):
        if self.variant == "conv":
            return cgan_conv_generator(latent_dim, data_shape, self.num_classes)
        return cgan_mlp_generator(
            latent_dim, data_shape, self.num_classes, data_range=self.data_range
        )

    def build_discriminator(self, input_shape):
        if self.variant == "conv":
            return cgan_conv_discriminator(input_shape, self.num_classes)
        return cgan_mlp_discriminator(input_shape, self.num_classes)

    def discriminator_outputs(self, data, batch=None, training=True):
        """D's logits for examples `data` paired with the batch's labels."""
        if batch is None or batch.labels is None:
            raise ValueError("CGAN's discriminator judges (example, label) pairs: pass the batch.")
        return self.discriminator([data, batch.labels], training=training)

    def get_config(self):
        config = super().get_config()
        config.update(num_classes=self.num_classes, variant=self.variant)
        return config
