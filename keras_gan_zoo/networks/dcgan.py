"""DCGAN's networks (Radford, Metz and Chintala, 2016).

The paper's architecture guidelines, followed here:
- strided convolutions in D and fractionally strided (transposed) ones in G,
  no pooling;
- BatchNorm in both networks, except G's output layer and D's input layer;
- no hidden fully connected layers (G's first layer is a projection of z
  reshaped to a 4D tensor; D's last conv output is flattened into one logit);
- ReLU in G with tanh on the output; LeakyReLU(0.2) in D;
- weights from N(0, 0.02).

Resolutions: square images whose side is 4 or 7 times a power of two (at
least 4x), e.g. 28, 32, 56, 64, 128; 1 or 3 channels. G starts at 4x4 (or 7x7)
and doubles the resolution per layer; D mirrors it.

`DCGANNetworks` lets any `GAN` subclass use these networks for images.
"""

import keras
from keras import layers

from keras_gan_zoo import layers as zoo_layers
from keras_gan_zoo.networks.initializers import normal_initializer


def _resolution_plan(image_shape, any_channels=False):
    """(start side, number of 2x upsamplings) for a square image shape."""
    height, width, channels = image_shape
    if height != width or (channels not in (1, 3) and not any_channels):
        raise ValueError(
            f"DCGAN makes square images with 1 or 3 channels; got image_shape {image_shape}."
        )
    for start in (4, 7):
        doublings = 0
        side = height
        while side > start and side % 2 == 0:
            side //= 2
            doublings += 1
        if side == start and doublings >= 2:
            return start, doublings
    raise ValueError(
        f"DCGAN supports sides of 4 or 7 times a power of two, at least 4x (16, 28, 32, 56, "
        f"64, 128, ...); got image_shape {image_shape}."
    )


def dcgan_generator(latent_dim, image_shape, filters=64):
    """G: projection to start x start, then transposed convolutions doubling the side."""
    start, doublings = _resolution_plan(image_shape)
    width = filters * 2 ** (doublings - 1)
    latents = keras.Input((latent_dim,), name="latents")
    # Project and reshape: the one fully connected layer, as in the paper.
    x = layers.Dense(
        start * start * width, use_bias=False, kernel_initializer=normal_initializer()
    )(latents)
    x = layers.Reshape((start, start, width))(x)
    x = zoo_layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    for _ in range(doublings - 1):
        width //= 2
        x = zoo_layers.Conv2DTranspose(
            width,
            4,
            strides=2,
            padding="same",
            use_bias=False,
            kernel_initializer=normal_initializer(),
        )(x)
        x = zoo_layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    # Output layer: no BatchNorm, tanh to the data range [-1, 1].
    images = zoo_layers.Conv2DTranspose(
        image_shape[-1],
        4,
        strides=2,
        padding="same",
        activation="tanh",
        kernel_initializer=normal_initializer(),
    )(x)
    return keras.Model(latents, images, name="generator")


def dcgan_discriminator(image_shape, filters=64, normalization="batch"):
    """D: strided convolutions halving the side, then one logit.

    Args:
        image_shape: (side, side, channels); any number of channels (PacGAN
            stacks packed images on the channel axis).
        normalization: "batch" (the paper), "layer" (per example, over
            height, width and channels: WGAN-GP's critic, whose penalty is
            per example) or None.
    """
    _, doublings = _resolution_plan(image_shape, any_channels=True)
    if normalization not in ("batch", "layer", None):
        raise ValueError(f"normalization must be 'batch', 'layer' or None, got {normalization!r}.")
    images = keras.Input(tuple(image_shape), name="images")
    # Input layer: no BatchNorm.
    x = zoo_layers.Conv2D(
        filters, 4, strides=2, padding="same", kernel_initializer=normal_initializer()
    )(images)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    width = filters
    for _ in range(doublings - 1):
        width *= 2
        x = zoo_layers.Conv2D(
            width,
            4,
            strides=2,
            padding="same",
            use_bias=False,
            kernel_initializer=normal_initializer(),
        )(x)
        if normalization == "batch":
            x = zoo_layers.BatchNormalization()(x)
        elif normalization == "layer":
            x = zoo_layers.LayerNormalization(axis=(1, 2, 3))(x)
        x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Flatten()(x)
    logits = layers.Dense(1, kernel_initializer=normal_initializer(), name="logit")(x)
    return keras.Model(images, logits, name="discriminator")


class DCGANNetworks:
    """Mixin for a `GAN` subclass: DCGAN's networks when the examples are images.

    Vectors keep the next class's networks (GAN's MLPs). Put it first:
    `class LSGAN(DCGANNetworks, GAN)`. `image_discriminator_normalization`
    is passed to `dcgan_discriminator`.
    """

    image_discriminator_normalization = "batch"

    def build_generator(self, latent_dim, data_shape):
        if len(data_shape) == 3:
            return dcgan_generator(latent_dim, data_shape)
        return super().build_generator(latent_dim, data_shape)

    def build_discriminator(self, input_shape):
        if len(input_shape) == 3:
            return dcgan_discriminator(
                input_shape, normalization=self.image_discriminator_normalization
            )
        return super().build_discriminator(input_shape)
