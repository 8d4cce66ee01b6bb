"""Layers that feed class labels into a network (conditional GANs).

Labels enter a conditional network as an int32 input of shape (n,). These
layers turn them into what the network joins to its other input: one-hot
vectors (the CGAN paper's MLPs) or one-hot feature maps to concatenate to an
image's channels. They are registered Keras layers rather than `Lambda`s so
that the networks save to and load from `.keras` files safely.
"""

import keras
from keras import ops


def _check_count(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}.")
    return value


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class OneHot(keras.layers.Layer):
    """Integer class labels (n,) to float one-hot vectors (n, num_classes).

    A label outside [0, num_classes) gives an all-zero row; check labels
    where they enter (the datasets and `sampling.class_labels` do).

    Args:
        num_classes: int, the number of classes.
    """

    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = _check_count(num_classes, "num_classes")

    def call(self, labels):
        return ops.one_hot(ops.cast(labels, "int32"), self.num_classes, dtype=self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.num_classes,)

    def get_config(self):
        config = super().get_config()
        config["num_classes"] = self.num_classes
        return config


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class SpatialBroadcast(keras.layers.Layer):
    """Vectors (n, c) to constant feature maps (n, height, width, c).

    Each position of the maps holds the vector: one-hot labels become class
    maps to concatenate to an image's channels.

    Args:
        height, width: ints, the size of the maps.
    """

    def __init__(self, height, width, **kwargs):
        super().__init__(**kwargs)
        self.height = _check_count(height, "height")
        self.width = _check_count(width, "width")

    def call(self, vectors):
        # tile, not broadcast_to: its multiples are static, whatever the batch size.
        maps = ops.expand_dims(ops.expand_dims(vectors, 1), 1)
        return ops.tile(maps, (1, self.height, self.width, 1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.height, self.width, input_shape[-1])

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width})
        return config
