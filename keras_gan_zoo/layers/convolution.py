"""`keras.layers.Conv2D` and `Conv2DTranspose` routed through the backend.

Same layers, same weights, same numbers as Keras's. They differ only in which
function computes the convolution: `keras_gan_zoo.backend.conv` and
`conv_transpose`, which are `keras.ops`' own except where a backend has a
measured faster path:
- JAX: the transposed convolution's kernel gradient is computed as the weight
  gradient of the equivalent strided convolution. XLA:CPU lowers the gradient
  that autodiff produces (a kernel-reversed, input-dilated convolution) to a
  naive loop, which made the DCGAN step about 2.5x slower than PyTorch on CPU
  (the "native jax (autodiff)" row of benchmarks/train_step.py).
- torch: no NHWC <-> NCHW copies around each convolution.
"""

import keras
from keras import ops

from keras_gan_zoo import backend


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class Conv2D(keras.layers.Conv2D):
    """`keras.layers.Conv2D` computed with `keras_gan_zoo.backend.conv`."""

    def convolution_op(self, inputs, kernel):
        return backend.conv(
            inputs,
            kernel,
            strides=list(self.strides),
            padding=self.padding,
            dilation_rate=self.dilation_rate,
            data_format=self.data_format,
        )


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class Conv2DTranspose(keras.layers.Conv2DTranspose):
    """`keras.layers.Conv2DTranspose` computed with `backend.conv_transpose`."""

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
