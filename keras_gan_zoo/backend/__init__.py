"""The only place where keras_gan_zoo depends on the active Keras backend.

Everything else (models, losses, layers, callbacks) is written with `keras.ops`.
Each backend module provides the same primitives:

- `train_step(model, *args)`: adapts Keras's per-backend `train_step` contract
  to the backend-agnostic `model.adversarial_step(data)`.
- `minimize(loss_fn, variables, optimizer)`: differentiates `loss_fn()` with
  respect to `variables` and applies one optimizer update.
- `input_gradient(fn, inputs)`: the gradient of `sum(fn(inputs))` with respect
  to `inputs`, itself differentiable (for gradient penalties).
- `differentiable_gradients(fn, values)`: `(fn(values), gradients of the
  scalar fn(values) with respect to each tensor in values)`, themselves
  differentiable (Unrolled GAN differentiates through D's updates).
- `conv(...)`, `conv_transpose(...)`: `keras.ops.conv` and
  `keras.ops.conv_transpose`, with a faster kernel gradient for the
  transposed convolution on JAX and no layout copies on torch.
- `accelerator()`: "GPU" or "CPU", where the backend runs ops by default.
- `batch_norm_training(inputs, gamma, beta, epsilon)`: channels-last batch
  norm with batch statistics, returning `(outputs, mean, variance)`; torch's
  fused kernel on torch.
- `moments(x, axes, keepdims=False)`: mean and biased variance, exact to the
  second derivative (on TensorFlow, `keras.ops.moments` is not).
"""

import keras

_BACKEND = keras.config.backend()

if _BACKEND == "tensorflow":
    from keras_gan_zoo.backend.tensorflow import accelerator
    from keras_gan_zoo.backend.tensorflow import batch_norm_training
    from keras_gan_zoo.backend.tensorflow import conv
    from keras_gan_zoo.backend.tensorflow import conv_transpose
    from keras_gan_zoo.backend.tensorflow import differentiable_gradients
    from keras_gan_zoo.backend.tensorflow import input_gradient
    from keras_gan_zoo.backend.tensorflow import minimize
    from keras_gan_zoo.backend.tensorflow import moments
    from keras_gan_zoo.backend.tensorflow import train_step
elif _BACKEND == "jax":
    from keras_gan_zoo.backend.jax import accelerator
    from keras_gan_zoo.backend.jax import batch_norm_training
    from keras_gan_zoo.backend.jax import conv
    from keras_gan_zoo.backend.jax import conv_transpose
    from keras_gan_zoo.backend.jax import differentiable_gradients
    from keras_gan_zoo.backend.jax import input_gradient
    from keras_gan_zoo.backend.jax import minimize
    from keras_gan_zoo.backend.jax import moments
    from keras_gan_zoo.backend.jax import train_step
elif _BACKEND == "torch":
    from keras_gan_zoo.backend.torch import accelerator
    from keras_gan_zoo.backend.torch import batch_norm_training
    from keras_gan_zoo.backend.torch import conv
    from keras_gan_zoo.backend.torch import conv_transpose
    from keras_gan_zoo.backend.torch import differentiable_gradients
    from keras_gan_zoo.backend.torch import input_gradient
    from keras_gan_zoo.backend.torch import minimize
    from keras_gan_zoo.backend.torch import moments
    from keras_gan_zoo.backend.torch import train_step
else:
    raise ImportError(
        f"keras_gan_zoo supports the tensorflow, jax and torch backends; "
        f"KERAS_BACKEND is {_BACKEND!r}."
    )

__all__ = [
    "accelerator",
    "batch_norm_training",
    "conv",
    "conv_transpose",
    "differentiable_gradients",
    "input_gradient",
    "minimize",
    "moments",
    "train_step",
]
