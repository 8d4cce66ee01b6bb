"""Maxout units (Goodfellow et al., 2013), the hidden units of the GAN paper's D."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class Maxout(keras.layers.Layer):
    """A dense layer whose each unit is the max over `pieces` linear pieces.

    Reference: Goodfellow et al., "Maxout Networks", ICML 2013,
    https://arxiv.org/abs/1302.4389.

    Args:
        units: int, number of output units.
        pieces: int, linear pieces per unit.
        kernel_initializer: initializer of the (in, units * pieces) kernel.
    """

    def __init__(self, units, pieces=5, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.pieces = pieces
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.dense = keras.layers.Dense(
            units * pieces, kernel_initializer=self.kernel_initializer, name="pieces"
        )

    def build(self, input_shape):
        self.dense.build(input_shape)

    def call(self, inputs):
        pieces = self.dense(inputs)
        pieces = ops.reshape(pieces, (-1, self.units, self.pieces))
        return ops.max(pieces, axis=-1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "pieces": self.pieces,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            }
        )
        return config
