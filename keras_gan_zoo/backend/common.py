"""Primitives that are plain `keras.ops` on the backends with no faster path."""

from keras import ops

moments = ops.moments


def batch_norm_training(inputs, gamma, beta, epsilon, moments=moments):
    """Batch normalization with the batch's own statistics, channels last.

    Returns `(outputs, mean, variance)`, the variance biased (divided by N),
    as `keras.layers.BatchNormalization` computes it in training. `moments`
    computes the statistics (the backend's twice-differentiable one).
    """
    axes = list(range(len(inputs.shape) - 1))
    mean, variance = moments(inputs, axes)
    outputs = ops.batch_normalization(
        inputs, mean, variance, axis=-1, offset=beta, scale=gamma, epsilon=epsilon
    )
    return outputs, mean, variance
