"""`keras.layers.Conv2DTranspose` routed through the backend's conv_transpose."""

import keras
from keras import ops

from keras_gan_zoo import backend


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class Conv2DTranspose(keras.layers.Conv2DTranspose):
    """Same layer, same weights and numbers as `keras.layers.Conv2DTranspose`.

    On JAX its kernel gradient is computed as the weight gradient of the
    equivalent strided convolution: XLA:CPU lowers the gradient that autodiff
    produces (a kernel-reversed, input-dilated convolution) to a naive loop,
    which made the DCGAN step about 2.7x slower than PyTorch on CPU
    (see benchmarks/train_step.py). On TensorFlow and torch it is the stock op.
    """

    def call(self, inputs):
        outputs = backend.conv_transpose(
            inputs,
            self.kernel,
            strides=list(self.strides),
            padding=self.padding,
            output_padding=self.output_padding,
            dilation_rate=self.dilation_rate,
            data_format=self.data_format,
        )
        if self.use_bias:
            if self.data_format == "channels_last":
                bias_shape = (1,) * (self.rank + 1) + (self.filters,)
            else:
                bias_shape = (1, self.filters) + (1,) * self.rank
            outputs = ops.add(outputs, ops.reshape(self.bias, bias_shape))
        if self.activation is not None:
            return self.activation(outputs)
        return outputs
