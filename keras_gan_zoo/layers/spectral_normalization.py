"""Spectral normalization as a reparametrization (Miyato et al., 2018).

Each layer divides its kernel W by sigma(W), its largest singular value,
estimated by power iteration with a persistent vector u (one step per
training call). The trainable kernel is never overwritten: W / sigma is
computed in the forward pass, so the gradient flows through sigma as in the
paper, and only u (a non-trainable variable, outside the gradient) is
assigned.

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

from keras_gan_zoo.layers.convolution import Conv2D


class _SpectralNormalized:
    """Mixin for a layer with a `kernel` whose last axis is the output axis."""

    def build(self, input_shape):
        super().build(input_shape)
        out_features = self.kernel.shape[-1]
        self.u = self.add_weight(
            shape=(1, out_features),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            trainable=False,
            name="u",
        )

    def _l2_normalize(self, x):
        return x / (ops.sqrt(ops.sum(ops.square(x))) + self.epsilon)

    def _power_iteration(self, u, steps):
        kernel = ops.reshape(self.kernel, (-1, self.kernel.shape[-1]))
        v = None
        for _ in range(steps):
            v = self._l2_normalize(ops.matmul(u, ops.transpose(kernel)))
            u = self._l2_normalize(ops.matmul(v, kernel))
        u, v = ops.stop_gradient(u), ops.stop_gradient(v)
        # sigma = u^T W v: the gradient flows through W only.
        sigma = ops.sum(ops.matmul(v, kernel) * u)
        return sigma, u

    def normalized_kernel(self, training=False):
        """W / sigma(W); in training, also one more power-iteration step for u."""
        u = ops.convert_to_tensor(self.u)
        sigma, new_u = self._power_iteration(u, self.power_iterations)
        if training:
            self.u.assign(new_u)
        return self.kernel / sigma

    def get_config(self):
        config = super().get_config()
        config.update(power_iterations=self.power_iterations, epsilon=self.epsilon)
        return config

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["u"] = self.u

    def load_own_variables(self, store):
        # The parent checks the count (kernel, bias and u) and loads its own two.
        super().load_own_variables(store)
        self.u.assign(store["u"])


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class SpectralDense(_SpectralNormalized, keras.layers.Dense):
    """`keras.layers.Dense` whose kernel is divided by its spectral norm.

    Args:
        power_iterations: power-iteration steps per training call (1 in
            the paper).
        epsilon: added to norms in the normalization of u and v.
        **kwargs: the `keras.layers.Dense` arguments.
    """

    def __init__(self, units, power_iterations=1, epsilon=1e-12, **kwargs):
        super().__init__(units, **kwargs)
        self.power_iterations = int(power_iterations)
        self.epsilon = float(epsilon)

    def call(self, inputs, training=None):
        outputs = ops.matmul(inputs, self.normalized_kernel(training=bool(training)))
        if self.use_bias:
            outputs = outputs + self.bias
        return self.activation(outputs) if self.activation is not None else outputs


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class SpectralConv2D(_SpectralNormalized, Conv2D):
    """`keras_gan_zoo.layers.Conv2D` whose kernel is divided by its spectral norm.

    The kernel (kh, kw, in, out) is normalized as the (kh * kw * in, out)
    matrix, as in the paper.

    Args:
        power_iterations: power-iteration steps per training call.
        epsilon: added to norms in the normalization of u and v.
        **kwargs: the `keras.layers.Conv2D` arguments.
    """

    def __init__(self, filters, kernel_size, power_iterations=1, epsilon=1e-12, **kwargs):
        super().__init__(filters, kernel_size, **kwargs)
        self.power_iterations = int(power_iterations)
        self.epsilon = float(epsilon)

    def call(self, inputs, training=None):
        outputs = self.convolution_op(inputs, self.normalized_kernel(training=bool(training)))
        if self.use_bias:
            outputs = outputs + ops.reshape(self.bias, (1,) * (len(outputs.shape) - 1) + (-1,))
        return self.activation(outputs) if self.activation is not None else outputs
