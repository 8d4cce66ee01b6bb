"""The class loss of models that classify: AC-GAN's discriminator, a semi-supervised encoder.

Computed from logits through one log-softmax: a classifier head that ends in
a softmax and a loss that applies another (a known bug of public AC-GAN
code) trains on a flattened distribution and stalls.
"""

from keras import ops


def _mean(values, weights):
    if weights is None:
        return ops.mean(values)
    weights = ops.cast(ops.reshape(weights, (-1,)), values.dtype)
    # A batch without a labelled example contributes 0, not 0 / 0.
    return ops.sum(values * weights) / ops.maximum(ops.sum(weights), 1.0)


def class_cross_entropy(labels, logits, weights=None):
    """Mean of -log softmax(logits)[label] over the batch.

    Args:
        labels: (n,) int class labels.
        logits: (n, num_classes) unnormalized scores, not probabilities.
        weights: None, or (n,) per-example weights (a semi-supervised
            batch's mask: 1 for a labelled example, 0 otherwise); the mean is
            then weighted, and 0 when every weight is 0.

    Returns:
        A scalar.
    """
    log_probabilities = ops.log_softmax(logits, axis=-1)
    chosen = ops.take_along_axis(
        log_probabilities, ops.expand_dims(ops.cast(labels, "int32"), -1), axis=-1
    )
    return -_mean(ops.reshape(chosen, (-1,)), weights)


def class_accuracy(labels, logits, weights=None):
    """Fraction of the batch whose highest logit is its label (weights as in the cross-entropy)."""
    predicted = ops.argmax(logits, axis=-1)
    correct = ops.cast(ops.equal(predicted, ops.cast(labels, predicted.dtype)), "float32")
    return _mean(correct, weights)
