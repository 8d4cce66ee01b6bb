"""`keras.layers.LayerNormalization` whose second derivatives are exact on every backend."""

import keras
from keras import ops

from keras_gan_zoo import backend


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class LayerNormalization(keras.layers.LayerNormalization):
    """Same layer, weights and arguments as `keras.layers.LayerNormalization`.

    The statistics come from `keras_gan_zoo.backend.moments`, which is
    twice differentiable on TensorFlow too: WGAN-GP's critic (layer norm, as
    its paper prescribes) is differentiated twice by the gradient penalty.
    RMS scaling takes the stock path.
    """

    def call(self, inputs):
        if self.rms_scaling:
            return super().call(inputs)
        # Statistics in float32 even under mixed precision, as Keras's are.
        dtype = keras.backend.result_type(inputs.dtype, "float32")
        inputs = ops.cast(inputs, dtype)
        mean, variance = backend.moments(inputs, self.axis, keepdims=True)
        outputs = (inputs - mean) * ops.rsqrt(variance + self.epsilon)
        # gamma and beta hold the sizes of the normalized axes; the others broadcast.
        shape = [1] * len(inputs.shape)
        for axis in self.axis:
            shape[axis] = inputs.shape[axis]
        if self.scale:
            outputs = outputs * ops.reshape(ops.cast(self.gamma, dtype), shape)
        if self.center:
            outputs = outputs + ops.reshape(ops.cast(self.beta, dtype), shape)
        return ops.cast(outputs, self.compute_dtype)
