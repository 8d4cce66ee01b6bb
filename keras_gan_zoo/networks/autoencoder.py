"""Autoencoders as discriminators: EBGAN's and BEGAN's D.

D maps a batch to `[reconstruction, code]`; its reconstruction error is an
energy. For vectors an MLP encoder and decoder; for images strided
convolutions down to a code and transposed convolutions back up (the shape of
EBGAN's MNIST autoencoder, Appendix C of Zhao et al., 2017).
"""

import keras
from keras import layers

from keras_gan_zoo import layers as zoo_layers


def autoencoder_discriminator(
    data_shape, code_dim=64, units=(128,), filters=64, activation="relu", minibatch_layer=None
):
    """D as an autoencoder: a model from examples to [reconstruction, code].

    Vectors: MLP encoder (`units`), a linear code, the mirrored decoder.
    Images (side a multiple of 4): two stride-2 convolutions, a dense code,
    and two stride-2 transposed convolutions back to the image.

    `minibatch_layer` (`MinibatchDiscrimination` or
    `MinibatchStandardDeviation` from `keras_gan_zoo.layers`) computes batch
    statistics from the encoder's last features and hands them to the
    decoder beside the code, so D can reconstruct a collapsed batch badly. The
    code output stays the per-example code.
    """
    data = keras.Input(tuple(data_shape), name="data")
    if len(data_shape) == 1:
        x = data
        for width in units:
            x = layers.Dense(width, activation=activation)(x)
        code = layers.Dense(code_dim, name="code")(x)
        x = _with_batch_statistics(code, x, minibatch_layer)
        for width in reversed(units):
            x = layers.Dense(width, activation=activation)(x)
        reconstruction = layers.Dense(data_shape[0], name="reconstruction")(x)
        return keras.Model(data, [reconstruction, code], name="discriminator")
    side, _, channels = data_shape
    if len(data_shape) != 3 or side % 4 or data_shape[1] != side:
        raise ValueError(
            f"The default autoencoder takes vectors or square images whose side is a "
            f"multiple of 4; got data_shape {tuple(data_shape)}."
        )
    x = zoo_layers.Conv2D(filters, 4, strides=2, padding="same", activation=activation)(data)
    x = zoo_layers.Conv2D(2 * filters, 4, strides=2, padding="same", activation=activation)(x)
    features = layers.Flatten()(x)
    code = layers.Dense(code_dim, name="code")(features)
    x = _with_batch_statistics(code, features, minibatch_layer)
    x = layers.Dense((side // 4) ** 2 * 2 * filters, activation=activation)(x)
    x = layers.Reshape((side // 4, side // 4, 2 * filters))(x)
    x = zoo_layers.Conv2DTranspose(filters, 4, strides=2, padding="same", activation=activation)(x)
    reconstruction = zoo_layers.Conv2DTranspose(
        channels, 4, strides=2, padding="same", name="reconstruction"
    )(x)
    return keras.Model(data, [reconstruction, code], name="discriminator")


def _with_batch_statistics(code, features, minibatch_layer):
    """The decoder's input: the code, plus the batch statistics of `features`."""
    if minibatch_layer is None:
        return code
    # The layer returns its input followed by the statistics: keep those.
    statistics = minibatch_layer(features)[:, features.shape[-1] :]
    return layers.Concatenate()([code, statistics])
