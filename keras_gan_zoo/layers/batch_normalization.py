"""`keras.layers.BatchNormalization` with the backend's training-mode kernel."""

import keras
from keras import ops

from keras_gan_zoo import backend


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class BatchNormalization(keras.layers.BatchNormalization):
    """Same layer, weights and numbers as `keras.layers.BatchNormalization`.

    In training, channels-last inputs are normalized by
    `keras_gan_zoo.backend.batch_norm_training`: the Keras computation on
    TensorFlow and JAX, torch's fused kernel on torch (a GAN step runs batch
    norm in training mode three to five times, so it shows). Inference, masks,
    renormalization and other axes take the stock path.
    """

    def call(self, inputs, training=None, mask=None):
        channels_last = self.axis in (-1, len(inputs.shape) - 1)
        stock_path = self.renorm or self.synchronized or mask is not None or not channels_last
        if stock_path or not (training and self.trainable):
            return super().call(inputs, training=training, mask=mask)
        # Batch norm runs in float32 even under mixed precision, as Keras's does.
        dtype = keras.backend.result_type(inputs.dtype, "float32")
        inputs = ops.cast(inputs, dtype)
        gamma = ops.cast(self.gamma, dtype) if self.scale else None
        beta = ops.cast(self.beta, dtype) if self.center else None
        outputs, mean, variance = backend.batch_norm_training(inputs, gamma, beta, self.epsilon)
        for moving, batch_value in ((self.moving_mean, mean), (self.moving_variance, variance)):
            moving.assign(
                ops.cast(moving, dtype) * self.momentum + batch_value * (1.0 - self.momentum)
            )
        return ops.cast(outputs, self.compute_dtype)
