"""TensorFlow primitives: `tf.GradientTape`, variables mutate in place."""

import tensorflow as tf
from keras import ops

from keras_gan_zoo.backend.common import batch_norm_training  # noqa: F401

conv = ops.conv
conv_transpose = ops.conv_transpose


def accelerator():
    """'GPU' when TensorFlow places work on a GPU, else 'CPU'."""
    return "GPU" if tf.config.list_logical_devices("GPU") else "CPU"


def train_step(model, data):
    return model.adversarial_step(data)


def minimize(loss_fn, variables, optimizer):
    with tf.GradientTape() as tape:
        loss, logs = loss_fn()
    grads = tape.gradient(loss, variables)
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
