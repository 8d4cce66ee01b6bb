"""The class loss of models whose discriminator also classifies (AC-GAN).

Computed from logits through one log-softmax: a classifier head that ends in
a softmax and a loss that applies another (a known bug of public AC-GAN
code) trains on a flattened distribution and stalls.
"""

from keras import ops


def class_cross_entropy(labels, logits):
    """Mean of -log softmax(logits)[label] over the batch.

    Args:
        labels: (n,) int class labels.
        logits: (n, num_classes) unnormalized scores, not probabilities.

    Returns:
        A scalar.
    """
    log_probabilities = ops.log_softmax(logits, axis=-1)
    chosen = ops.take_along_axis(
        log_probabilities, ops.expand_dims(ops.cast(labels, "int32"), -1), axis=-1
    )
    return -ops.mean(chosen)


def class_accuracy(labels, logits):
    """Fraction of the batch whose highest logit is its label."""
    predicted = ops.argmax(logits, axis=-1)
    return ops.mean(ops.cast(ops.equal(predicted, ops.cast(labels, predicted.dtype)), "float32"))
