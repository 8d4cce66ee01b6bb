"""Multilayer perceptrons: the GAN paper's networks and their variants.

G is an MLP whose output matches the data range (tanh for [-1, 1], sigmoid
for [0, 1], linear when the data is unbounded, e.g. 2D points); D is a
maxout MLP with dropout (the GAN paper's MNIST model) or a plain MLP with
one unbounded output (a logit or a critic score).
"""

import math

import keras
from keras import layers

from keras_gan_zoo.layers import Maxout
from keras_gan_zoo.layers import VirtualBatchNormalization
from keras_gan_zoo.layers import VirtualBatchNormGenerator

_OUTPUT_ACTIVATIONS = {(-1.0, 1.0): "tanh", (0.0, 1.0): "sigmoid", None: None}


def output_activation(data_range):
    key = None if data_range is None else tuple(float(v) for v in data_range)
    if key not in _OUTPUT_ACTIVATIONS:
        raise ValueError(f"data_range must be (-1, 1), (0, 1) or None, got {data_range}.")
    return _OUTPUT_ACTIVATIONS[key]


def mlp_generator(
    latent_dim,
    data_shape,
    units=(1200, 1200),
    data_range=(-1.0, 1.0),
    activation="relu",
    batch_norm=False,
    kernel_initializer="glorot_uniform",
    reference_size=64,
):
    """G of the GAN paper: an MLP whose output matches `data_range`.

    Args:
        activation: of the hidden layers (ReLU in the GAN paper).
        batch_norm: normalization before each hidden activation: False for
            none, True for batch normalization (PacGAN's G), or "virtual"
            for virtual batch normalization (Salimans et al.), which returns
            the MLP wrapped in a `VirtualBatchNormGenerator`.
        kernel_initializer: of every layer.
        reference_size: the reference batch size with `batch_norm="virtual"`.
    """
    if batch_norm not in (False, True, "virtual"):
        raise ValueError(f'batch_norm must be False, True or "virtual", got {batch_norm!r}.')
    latents = keras.Input((latent_dim,), name="latents")
    x = latents
    for width in units:
        if batch_norm:
            x = layers.Dense(width, kernel_initializer=kernel_initializer)(x)
            if batch_norm == "virtual":
                x = VirtualBatchNormalization(reference_size)(x)
            else:
                x = layers.BatchNormalization()(x)
            x = layers.Activation(activation)(x)
        else:
            x = layers.Dense(width, activation=activation, kernel_initializer=kernel_initializer)(x)
    x = layers.Dense(
        math.prod(data_shape),
        activation=output_activation(data_range),
        kernel_initializer=kernel_initializer,
    )(x)
    outputs = layers.Reshape(tuple(data_shape))(x)
    if batch_norm == "virtual":
        body = keras.Model(latents, outputs, name="generator_body")
        return VirtualBatchNormGenerator(body, reference_size, name="generator")
    return keras.Model(latents, outputs, name="generator")


def mlp_discriminator(
    data_shape, units=(240, 240), pieces=5, dropout=0.5, kernel_initializer="glorot_uniform"
):
    """D of the GAN paper: maxout MLP with dropout, one logit out."""
    data = keras.Input(tuple(data_shape), name="data")
    x = layers.Flatten()(data)
    for width in units:
        if dropout:
            x = layers.Dropout(dropout)(x)
        x = Maxout(width, pieces, kernel_initializer=kernel_initializer)(x)
    logits = layers.Dense(1, kernel_initializer=kernel_initializer, name="logit")(x)
    return keras.Model(data, logits, name="discriminator")


def dense_discriminator(
    data_shape,
    units=(512, 512, 512),
    activation="relu",
    dense=None,
    minibatch_layer=None,
    name="discriminator",
):
    """An MLP from examples to one unbounded output (a logit, a critic score).

    Args:
        activation: of the hidden layers.
        dense: the dense layer class (`keras.layers.Dense`, or
            `keras_gan_zoo.layers.SpectralDense` for SNGAN).
        minibatch_layer: a layer that adds batch statistics to the last
            hidden features, before the output: `MinibatchDiscrimination`
            or `MinibatchStandardDeviation` from `keras_gan_zoo.layers`.
        name: the model's name.
    """
    dense = dense or layers.Dense
    data = keras.Input(tuple(data_shape), name="data")
    x = layers.Flatten()(data)
    for width in units:
        x = dense(width, activation=activation)(x)
    if minibatch_layer is not None:
        x = minibatch_layer(x)
    outputs = dense(1, name="logit")(x)
    return keras.Model(data, outputs, name=name)
