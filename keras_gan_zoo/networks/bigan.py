"""BiGAN's networks (Donahue et al., 2017): an encoder E, and a D that judges (x, z) pairs.

The paper's MNIST networks are MLPs of 1024 units (its Appendix): E maps an
image to a latent vector, D takes the image and the latent vector side by
side. G is the zoo's MLP generator (`mlp_generator`) at the same width.

- E: flatten; FC 1024, leaky ReLU (0.2); FC 1024, BN, leaky ReLU; FC to
  latent_dim, linear.
- D: the flattened image and z joined; FC 1024, leaky ReLU; FC 1024, BN,
  leaky ReLU; FC to one logit.

Reference: Donahue, Krahenbuhl and Darrell, "Adversarial Feature Learning",
ICLR 2017, https://arxiv.org/abs/1605.09782.
"""

import keras
from keras import layers

_LEAK = 0.2


def _hidden(x, units, batch_norm):
    # No bias before batch norm: its gradient is 0 but for rounding, and Adam
    # would move it by the learning rate in whichever direction that rounds.
    x = layers.Dense(units, use_bias=not batch_norm)(x)
    if batch_norm:
        x = layers.BatchNormalization()(x)
    return layers.LeakyReLU(_LEAK)(x)


def bigan_encoder(data_shape, latent_dim, units=(1024, 1024)):
    """E: examples of `data_shape` to latent vectors (latent_dim,), an MLP.

    Batch norm on every hidden layer but the first, as in the paper's MNIST E.
    """
    data = keras.Input(tuple(data_shape), name="data")
    x = layers.Flatten()(data)
    for index, width in enumerate(units):
        x = _hidden(x, width, batch_norm=index > 0)
    codes = layers.Dense(latent_dim, name="codes")(x)
    return keras.Model(data, codes, name="encoder")


def bigan_discriminator(data_shape, latent_dim, units=(1024, 1024)):
    """D on pairs: inputs `[examples (n, *data_shape), latents (n, latent_dim)]`, one logit out."""
    data = keras.Input(tuple(data_shape), name="data")
    latents = keras.Input((latent_dim,), name="latents")
    x = layers.Concatenate()([layers.Flatten()(data), latents])
    for index, width in enumerate(units):
        x = _hidden(x, width, batch_norm=index > 0)
    logits = layers.Dense(1, name="logit")(x)
    return keras.Model([data, latents], logits, name="discriminator")
