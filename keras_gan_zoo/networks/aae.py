"""The adversarial autoencoder's networks (Makhzani et al., 2016).

The paper's MNIST networks are MLPs of two 1000-unit ReLU layers: the encoder
(image to code), the decoder (code to image) and the discriminators on codes.

- Encoder: flatten; FC 1000, ReLU; FC 1000, ReLU; a linear code of
  `latent_dim` (the "style" z), and, with `categories`, a second output of
  category logits (the semi-supervised and clustering variants' y).
- Decoder: the code, the one-hot label joined to it (supervised variant), or
  the category joined to it (categorical variants: `[z, y]` side by side, y's
  clusters mapped to learned heads first in the dimensionality-reduction
  variant); FC 1000, ReLU; FC 1000, ReLU; the image, in the data range.
- Discriminator on codes: `networks.dense_discriminator((code_dim,), (1000, 1000))`.

Reference: Makhzani, Shlens, Jaitly, Goodfellow and Frey, "Adversarial
Autoencoders", ICLR 2016 workshop, https://arxiv.org/abs/1511.05644.
"""

import math

import keras
from keras import layers

from keras_gan_zoo.layers import ClusterHeads
from keras_gan_zoo.layers import OneHot
from keras_gan_zoo.networks.mlp import dense_discriminator
from keras_gan_zoo.networks.mlp import output_activation


def aae_encoder(data_shape, latent_dim, units=(1000, 1000), categories=None):
    """Examples of `data_shape` to the code z (latent_dim,), or to `[category logits, z]`."""
    data = keras.Input(tuple(data_shape), name="data")
    x = layers.Flatten()(data)
    for width in units:
        x = layers.Dense(width, activation="relu")(x)
    style = layers.Dense(latent_dim, name="style")(x)
    if categories is None:
        return keras.Model(data, style, name="encoder")
    logits = layers.Dense(categories, name="category_logits")(x)
    return keras.Model(data, [logits, style], name="encoder")


def aae_decoder(
    latent_dim,
    data_shape,
    units=(1000, 1000),
    data_range=(-1.0, 1.0),
    num_classes=None,
    categories=None,
    cluster_heads=False,
    head_spread=1.0,
):
    """The code back to examples of `data_shape`.

    Args:
        num_classes: the supervised variant's class count: the decoder takes
            `[codes, labels]` (int labels, one-hot inside).
        categories: the categorical variants' category count: the decoder
            takes z and the category (one-hot or softmax) side by side,
            (latent_dim + categories,).
        cluster_heads: with `categories`: the category picks a learned head
            that is added to z (`layers.ClusterHeads`), and the MLP reads that
            latent_dim-sized representation.
        head_spread: the heads' initial standard deviation (`ClusterHeads`).
    """
    if num_classes is not None and categories is not None:
        raise ValueError("A decoder takes class labels or a categorical code, not both.")
    if cluster_heads and categories is None:
        raise ValueError("cluster_heads needs a categorical code: pass categories.")
    width = latent_dim + (categories or 0)
    codes = keras.Input((width,), name="latents")
    inputs, x = codes, codes
    if num_classes is not None:
        labels = keras.Input((), dtype="int32", name="labels")
        inputs = [codes, labels]
        x = layers.Concatenate()([codes, OneHot(num_classes)(labels)])
    if cluster_heads:
        x = ClusterHeads(latent_dim, categories, head_spread, name="cluster_heads")(x)
    for size in units:
        x = layers.Dense(size, activation="relu")(x)
    x = layers.Dense(math.prod(data_shape), activation=output_activation(data_range))(x)
    return keras.Model(inputs, layers.Reshape(tuple(data_shape))(x), name="decoder")


def aae_code_discriminator(code_dim, units=(1000, 1000), name="discriminator"):
    """D on codes: (code_dim,) to one logit, an MLP of ReLU layers."""
    return dense_discriminator((code_dim,), units=units, name=name)
