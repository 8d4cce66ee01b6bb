"""SNGAN's "standard CNN" (Miyato et al., 2018, Table 3).

G: dense to (side/8)^2 x 512, three 4x4 stride-2 transposed convolutions with
BatchNorm and ReLU, a 3x3 convolution with tanh. D: seven spectrally
normalized convolutions with LeakyReLU(0.1) and a spectrally normalized
dense output (`keras_gan_zoo.layers.SpectralConv2D` and `SpectralDense`).
"""

import keras
from keras import layers

from keras_gan_zoo import layers as zoo_layers


def _check_image_shape(image_shape):
    side = image_shape[0]
    if len(image_shape) != 3 or image_shape[1] != side or side % 8:
        raise ValueError(
            f"The SNGAN CNN makes square images whose side is a multiple of 8 "
            f"(e.g. 32); got {tuple(image_shape)}."
        )


def sngan_generator(latent_dim, image_shape):
    """G of the standard CNN (Table 3a), for square images of side 8k."""
    _check_image_shape(image_shape)
    start = image_shape[0] // 8
    latents = keras.Input((latent_dim,), name="latents")
    x = layers.Dense(start * start * 512)(latents)
    x = layers.Reshape((start, start, 512))(x)
    for filters in (256, 128, 64):
        x = zoo_layers.Conv2DTranspose(filters, 4, strides=2, padding="same")(x)
        x = zoo_layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    images = zoo_layers.Conv2D(image_shape[-1], 3, padding="same", activation="tanh")(x)
    return keras.Model(latents, images, name="generator")


def sngan_discriminator(image_shape):
    """D of the standard CNN (Table 3b), every layer spectrally normalized."""
    images = keras.Input(tuple(image_shape), name="images")
    x = images
    for filters, kernel, stride in (
        (64, 3, 1),
        (64, 4, 2),
        (128, 3, 1),
        (128, 4, 2),
        (256, 3, 1),
        (256, 4, 2),
        (512, 3, 1),
    ):
        x = zoo_layers.SpectralConv2D(filters, kernel, strides=stride, padding="same")(x)
        x = layers.LeakyReLU(negative_slope=0.1)(x)
    x = layers.Flatten()(x)
    outputs = zoo_layers.SpectralDense(1, name="logit")(x)
    return keras.Model(images, outputs, name="discriminator")
