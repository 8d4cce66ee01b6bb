"""BiGAN's networks (Donahue et al., 2017): an encoder E, and a D that judges (x, z) pairs.

The paper's MNIST networks are MLPs of 1024 units (its Appendix): E maps an
image to a latent vector, D takes the image and the latent vector side by
side. G is the zoo's MLP generator (`mlp_generator`) at the same width.

- E: flatten; FC 1024, leaky ReLU (0.2); FC 1024, BN, leaky ReLU; FC to
  latent_dim, linear.
- D: the flattened image and z joined; FC 1024, leaky ReLU; FC 1024, BN,
  leaky ReLU; FC to one logit.

The convolutional variant reads images with two stride-2 convolutions (64 and
128 filters, BN on the second, leaky ReLU) in E and in D's image branch; D
joins the image features and z in an FC 1024 layer. ALI's stochastic encoder
(Dumoulin et al., 2017) is the same E with twice the outputs: the mean and
the log-variance of a Gaussian over z (two outputs).

Reference: Donahue, Krahenbuhl and Darrell, "Adversarial Feature Learning",
ICLR 2017, https://arxiv.org/abs/1605.09782.
"""

import keras
from keras import layers

from keras_gan_zoo import layers as zoo_layers

_LEAK = 0.2


def _hidden(x, units, batch_norm):
    # No bias before batch norm: its gradient is 0 but for rounding, and Adam
    # would move it by the learning rate in whichever direction that rounds.
    x = layers.Dense(units, use_bias=not batch_norm)(x)
    if batch_norm:
        x = layers.BatchNormalization()(x)
    return layers.LeakyReLU(_LEAK)(x)


def _image_features(data, filters):
    """Two stride-2 convolutions, flattened: the conv variant's reading of an image."""
    x = zoo_layers.Conv2D(filters, 4, strides=2, padding="same")(data)
    x = layers.LeakyReLU(_LEAK)(x)
    x = zoo_layers.Conv2D(2 * filters, 4, strides=2, padding="same", use_bias=False)(x)
    x = zoo_layers.BatchNormalization()(x)
    x = layers.LeakyReLU(_LEAK)(x)
    return layers.Flatten()(x)


def _codes(x, latent_dim, stochastic):
    if stochastic:
        # ALI: the mean and log-variance of a Gaussian over z.
        return [
            layers.Dense(latent_dim, name="mean")(x),
            layers.Dense(latent_dim, name="log_variance")(x),
        ]
    return layers.Dense(latent_dim, name="codes")(x)


def bigan_encoder(data_shape, latent_dim, units=(1024, 1024), stochastic=False):
    """E: examples of `data_shape` to latent vectors (latent_dim,), an MLP.

    Batch norm on every hidden layer but the first, as in the paper's MNIST E.
    `stochastic=True` (ALI): two outputs, the mean and the log-variance.
    """
    data = keras.Input(tuple(data_shape), name="data")
    x = layers.Flatten()(data)
    for index, width in enumerate(units):
        x = _hidden(x, width, batch_norm=index > 0)
    return keras.Model(data, _codes(x, latent_dim, stochastic), name="encoder")


def bigan_conv_encoder(image_shape, latent_dim, filters=64, units=1024, stochastic=False):
    """E for images (side a multiple of 4): two stride-2 convolutions, FC `units`, codes."""
    _check_image_shape(image_shape)
    data = keras.Input(tuple(image_shape), name="data")
    x = _hidden(_image_features(data, filters), units, batch_norm=True)
    return keras.Model(data, _codes(x, latent_dim, stochastic), name="encoder")


def bigan_discriminator(data_shape, latent_dim, units=(1024, 1024)):
    """D on pairs: inputs `[examples (n, *data_shape), latents (n, latent_dim)]`, one logit out."""
    data = keras.Input(tuple(data_shape), name="data")
    latents = keras.Input((latent_dim,), name="latents")
    x = layers.Concatenate()([layers.Flatten()(data), latents])
    for index, width in enumerate(units):
        x = _hidden(x, width, batch_norm=index > 0)
    logits = layers.Dense(1, name="logit")(x)
    return keras.Model([data, latents], logits, name="discriminator")


def bigan_conv_discriminator(image_shape, latent_dim, filters=64, units=1024):
    """D on pairs for images: conv features of the image joined with z, FC `units`, one logit."""
    _check_image_shape(image_shape)
    data = keras.Input(tuple(image_shape), name="data")
    latents = keras.Input((latent_dim,), name="latents")
    x = layers.Concatenate()([_image_features(data, filters), latents])
    x = layers.LeakyReLU(_LEAK)(layers.Dense(units)(x))
    logits = layers.Dense(1, name="logit")(x)
    return keras.Model([data, latents], logits, name="discriminator")


def _check_image_shape(image_shape):
    if len(image_shape) != 3 or image_shape[0] % 4 or image_shape[1] % 4:
        raise ValueError(
            f"BiGAN's convolutional networks take images (H, W, C) whose sides are multiples "
            f"of 4; got {tuple(image_shape)}."
        )
