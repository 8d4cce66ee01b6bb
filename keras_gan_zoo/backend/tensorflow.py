"""TensorFlow primitives: `tf.GradientTape`, variables mutate in place."""

import functools

import tensorflow as tf
from keras import ops

from keras_gan_zoo.backend import common

conv = ops.conv
conv_transpose = ops.conv_transpose


def accelerator():
    """'GPU' when TensorFlow places work on a GPU, else 'CPU'."""
    return "GPU" if tf.config.list_logical_devices("GPU") else "CPU"


def moments(x, axes, keepdims=False):
    """Mean and biased variance of `x` over `axes`, exact to the second derivative.

    `tf.nn.moments` (behind `keras.ops.moments` on TensorFlow) stops the
    mean's gradient inside the variance. That leaves first derivatives
    exact (the variance's derivative with respect to its mean is zero) but
    not second ones, which gradient penalties and Unrolled GAN take through
    normalization layers: WGAN-GP's steps drifted 2e-4 from JAX's and torch's.
    """
    dtype = x.dtype
    if dtype in (tf.float16, tf.bfloat16):  # too little range for statistics
        x = tf.cast(x, tf.float32)
    mean = tf.reduce_mean(x, axes, keepdims=True)
    variance = tf.reduce_mean(tf.square(x - mean), axes, keepdims=True)
    if not keepdims:
        mean, variance = tf.squeeze(mean, axes), tf.squeeze(variance, axes)
    return tf.cast(mean, dtype), tf.cast(variance, dtype)


batch_norm_training = functools.partial(common.batch_norm_training, moments=moments)


def train_step(model, data):
    return model.adversarial_step(data)


def minimize(loss_fn, variables, optimizer):
    with tf.GradientTape() as tape:
        loss, logs = loss_fn()
    grads = tape.gradient(loss, variables)
    # An embedding's gradient is an IndexedSlices, and Keras's optimizers
    # update only its looked-up rows on TensorFlow (moments of the other rows
    # neither decay nor move the weights), while JAX and torch update every
    # row. Dense gradients give the same step on every backend (found by the
    # parity test of CGAN's label embeddings).
    grads = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in grads]
    optimizer.apply(grads, variables)
    return loss, logs


def input_gradient(fn, inputs):
    inputs = tf.convert_to_tensor(inputs)
    # The inner tape is recorded by any outer tape, so the result can be
    # differentiated again (gradient penalties need the second derivative).
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        outputs = fn(inputs)
        total = tf.reduce_sum(outputs)
    return outputs, tape.gradient(total, inputs)


def differentiable_gradients(fn, values):
    values = [tf.convert_to_tensor(value) for value in values]
    # Recorded by any enclosing tape: the gradients can be differentiated again.
    with tf.GradientTape() as tape:
        for value in values:
            tape.watch(value)
        output = fn(values)
    return output, tape.gradient(output, values)
