"""Spectral normalization as a reparametrization (Miyato et al., 2018).

Each layer divides its kernel W by sigma(W), its largest singular value,
estimated by power iteration with a persistent vector u (one step per
training call by default). The trainable kernel is never overwritten: W / sigma
is computed in the forward pass, so the gradient flows through sigma as in the
paper, and only u (a non-trainable variable, outside the gradient) is
assigned. Assigning u is all the state a call changes, so the layers work
under JAX's stateless train steps (the assignment is recorded by the
`StatelessScope`) and on torch when D is called twice before one backward
pass (nothing that autograd saved is modified in place).

Keras's `keras.layers.SpectralNormalization` instead assigns W / sigma into
the trainable kernel, which behaves differently per backend: the gradient
skips sigma on TensorFlow, the assignment is dropped by JAX's stateless
calls, and torch fails when D is called twice before a backward pass
(keras#19527).

Reference: Miyato et al., "Spectral Normalization for Generative
Adversarial Networks", ICLR 2018, https://arxiv.org/abs/1802.05957
(Algorithm 1).
"""

import keras
from keras import ops

from keras_gan_zoo import backend
from keras_gan_zoo.layers.convolution import Conv2D
from keras_gan_zoo.layers.convolution import Conv2DTranspose


def _unit_normal(shape, dtype=None):
    # u ~ N(0, I) as in the paper, stored with unit norm as the iteration keeps it.
    u = keras.initializers.RandomNormal(stddev=1.0)(shape, dtype=dtype)
    return u / ops.sqrt(ops.sum(ops.square(u)))


class _SpectralNormalized:
    """Mixin for a layer with a `kernel`, normalized as a matrix (-1, out).

    `_output_axis` is the kernel axis of the output features: the last one
    for Dense and Conv2D, the one before last for Conv2DTranspose, whose
    kernel is (kh, kw, out, in).
    """

    _output_axis = -1

    def _set_spectral_args(self, power_iterations, epsilon):
        if int(power_iterations) != power_iterations or power_iterations < 0:
            raise ValueError(
                f"`power_iterations` must be a non-negative integer, got {power_iterations!r}."
            )
        self.power_iterations = int(power_iterations)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        super().build(input_shape)
        self.u = self.add_weight(
            shape=(1, self.kernel.shape[self._output_axis]),
            initializer=_unit_normal,
            trainable=False,
            name="u",
        )

    def _kernel_matrix(self, kernel):
        if self._output_axis != -1:
            kernel = ops.moveaxis(kernel, self._output_axis, -1)
        return ops.reshape(kernel, (-1, kernel.shape[-1]))

    def _l2_normalize(self, x):
        return x / (ops.sqrt(ops.sum(ops.square(x))) + self.epsilon)

    def _sigma(self, kernel):
        """(sigma, u after `power_iterations` steps) for the kernel matrix."""
        matrix = self._kernel_matrix(kernel)
        # u and v are constants of the gradient (the paper's reference code):
        # iterate on a detached W, which also leaves no graph for torch to keep.
        fixed = ops.stop_gradient(matrix)
        u = ops.cast(self.u, matrix.dtype)
        v = self._l2_normalize(ops.matmul(u, ops.transpose(fixed)))
        for step in range(self.power_iterations):
            if step:
                v = self._l2_normalize(ops.matmul(u, ops.transpose(fixed)))
            u = self._l2_normalize(ops.matmul(v, fixed))
        # sigma = u^T W v, differentiable in W.
        sigma = ops.sum(ops.matmul(v, matrix) * u)
        return sigma, u

    def normalized_kernel(self, training=False):
        """The kernel divided by its estimated spectral norm, W / sigma.

        sigma comes from `power_iterations` steps started at the stored u:
        without `training` (the default) this is exactly the kernel that the
        next forward pass uses, and u is left as it is; with `training=True`
        the new u is also assigned, as a training call does.
        """
        kernel = self.kernel
        sigma, u = self._sigma(kernel)
        if training and self.power_iterations:
            self.u.assign(u)
        return kernel / sigma

    def get_config(self):
        config = super().get_config()
        config.update(power_iterations=self.power_iterations, epsilon=self.epsilon)
        return config

    def save_own_variables(self, store):
        super().save_own_variables(store)
        # Dense and Conv2D save only kernel and bias (Layer's default, which
        # Conv2DTranspose keeps, saves u too): u must survive a reload.
        if self.built and len(store.keys()) < len(self.weights):
            store["u"] = self.u

    def load_own_variables(self, store):
        # The parent checks the count (kernel, bias and u) and loads its own.
        super().load_own_variables(store)
        if self.built and "u" in store:
            self.u.assign(store["u"])

    def _add_bias_and_activate(self, outputs):
        if self.use_bias:
            if getattr(self, "data_format", "channels_last") == "channels_first":
                shape = (1, -1) + (1,) * (len(outputs.shape) - 2)
            else:
                shape = (1,) * (len(outputs.shape) - 1) + (-1,)
            outputs = outputs + ops.reshape(self.bias, shape)
        return self.activation(outputs) if self.activation is not None else outputs


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class SpectralDense(_SpectralNormalized, keras.layers.Dense):
    """`keras.layers.Dense` whose kernel is divided by its spectral norm.

    The non-trainable variable `u`, shape (1, units), is the power-iteration
    estimate of the kernel's first left singular vector; it is updated only
    in training calls.

    Args:
        units: int, dimensionality of the output space.
        power_iterations: power-iteration steps per call (1 in the paper);
            0 keeps u fixed.
        epsilon: float, added to the norms when normalizing u and v.
        **kwargs: the other `keras.layers.Dense` arguments. LoRA and
            quantization are not supported.
    """

    def __init__(self, units, power_iterations=1, epsilon=1e-12, **kwargs):
        super().__init__(units, **kwargs)
        self._set_spectral_args(power_iterations, epsilon)

    def call(self, inputs, training=None):
        kernel = self.normalized_kernel(training=bool(training))
        return self._add_bias_and_activate(ops.matmul(inputs, kernel))


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class SpectralConv2D(_SpectralNormalized, Conv2D):
    """`keras_gan_zoo.layers.Conv2D` whose kernel is divided by its spectral norm.

    The kernel (kh, kw, in, out) is normalized as the (kh * kw * in, out)
    matrix, as in the paper; `u` has shape (1, filters).

    Args:
        filters: int, number of output channels.
        kernel_size: int or pair of ints.
        power_iterations: power-iteration steps per call; 0 keeps u fixed.
        epsilon: float, added to the norms when normalizing u and v.
        **kwargs: the other `keras.layers.Conv2D` arguments.
    """

    def __init__(self, filters, kernel_size, power_iterations=1, epsilon=1e-12, **kwargs):
        super().__init__(filters, kernel_size, **kwargs)
        self._set_spectral_args(power_iterations, epsilon)

    def call(self, inputs, training=None):
        kernel = self.normalized_kernel(training=bool(training))
        return self._add_bias_and_activate(self.convolution_op(inputs, kernel))


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class SpectralConv2DTranspose(_SpectralNormalized, Conv2DTranspose):
    """`keras_gan_zoo.layers.Conv2DTranspose` whose kernel is divided by its spectral norm.

    The kernel is (kh, kw, out, in): it is normalized as the
    (kh * kw * in, out) matrix, the output channels as columns like the
    other layers (and like `torch.nn.utils.spectral_norm`, which uses
    `dim=1` for transposed convolutions); `u` has shape (1, filters).

    Args:
        filters: int, number of output channels.
        kernel_size: int or pair of ints.
        power_iterations: power-iteration steps per call; 0 keeps u fixed.
        epsilon: float, added to the norms when normalizing u and v.
        **kwargs: the other `keras.layers.Conv2DTranspose` arguments.
    """

    _output_axis = -2

    def __init__(self, filters, kernel_size, power_iterations=1, epsilon=1e-12, **kwargs):
        super().__init__(filters, kernel_size, **kwargs)
        self._set_spectral_args(power_iterations, epsilon)

    def call(self, inputs, training=None):
        outputs = backend.conv_transpose(
            inputs,
            self.normalized_kernel(training=bool(training)),
            strides=list(self.strides),
            padding=self.padding,
            output_padding=self.output_padding,
            dilation_rate=self.dilation_rate,
            data_format=self.data_format,
        )
        return self._add_bias_and_activate(outputs)
