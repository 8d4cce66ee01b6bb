"""`ClusterHeads`: the adversarial autoencoder's representation for dimensionality reduction."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class ClusterHeads(keras.layers.Layer):
    """`[style, category]` (side by side) to `style + category @ heads`.

    Makhzani et al. (2016, Section 7) reduce MNIST to 2-d by giving each of the
    categorical code's clusters a learned point, its head; an image's
    representation is its cluster's head plus its style code. The heads are
    pushed apart by `separation_penalty`, so the clusters do not overlap.

    Args:
        code_dim: size of the style code and of the representation.
        clusters: number of clusters (size of the one-hot or softmax category).
        spread: the standard deviation of the heads' random initial places;
            start them about as far apart as the penalty asks, since a head
            moves by about the learning rate per step.
    """

    def __init__(self, code_dim, clusters, spread=1.0, **kwargs):
        super().__init__(**kwargs)
        self.code_dim = int(code_dim)
        self.clusters = int(clusters)
        self.spread = float(spread)

    def build(self, input_shape):
        expected = self.code_dim + self.clusters
        if input_shape[-1] != expected:
            raise ValueError(
                f"ClusterHeads takes [style ({self.code_dim}), category ({self.clusters})] side "
                f"by side, {expected} values; got {input_shape[-1]}."
            )
        self.heads = self.add_weight(
            shape=(self.clusters, self.code_dim),
            initializer=keras.initializers.RandomNormal(stddev=self.spread),
            name="heads",
        )

    def call(self, inputs):
        style, category = inputs[:, : self.code_dim], inputs[:, self.code_dim :]
        return style + ops.matmul(category, self.heads)

    def separation_penalty(self, threshold):
        """The sum over pairs of heads closer than `threshold` of how much closer they are."""
        differences = ops.expand_dims(self.heads, 0) - ops.expand_dims(self.heads, 1)
        # The small constant keeps the square root differentiable at 0 (the diagonal).
        distances = ops.sqrt(ops.sum(ops.square(differences), axis=-1) + 1e-12)
        shortfall = ops.relu(threshold - distances)
        off_diagonal = 1.0 - ops.eye(self.clusters, dtype=shortfall.dtype)
        return 0.5 * ops.sum(shortfall * off_diagonal)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.code_dim,)

    def get_config(self):
        config = super().get_config()
        config.update(code_dim=self.code_dim, clusters=self.clusters, spread=self.spread)
        return config
