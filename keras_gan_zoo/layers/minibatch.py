"""Layers that let D look at the whole minibatch, against mode collapse.

- `MinibatchDiscrimination`: Salimans et al., "Improved Techniques for
  Training GANs", NeurIPS 2016, https://arxiv.org/abs/1606.03498 (Section 3.2).
- `MinibatchStandardDeviation`: Karras et al., "Progressive Growing of GANs
  for Improved Quality, Stability, and Variation", ICLR 2018,
  https://arxiv.org/abs/1710.10196 (Section 3).

A generator that collapses to a few modes produces batches whose examples are
too alike; these layers hand D a statistic of the batch so that it can tell.
Both make each output depend on the other examples of its batch: call D on
real and fake batches separately, as the zoo's models do.
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class MinibatchDiscrimination(keras.layers.Layer):
    """Appends each example's closeness to the rest of its batch.

    For inputs x of shape (batch, features), with a learned tensor T of
    shape (features, num_kernels * kernel_dim):

        M = reshape(x T, (batch, num_kernels, kernel_dim))
        c_b(x_i, x_j) = exp(-||M[i, b] - M[j, b]||_1)
        o(x_i)_b = sum_j c_b(x_i, x_j)

    and the output is concat([x, o(x)]), shape (batch, features + num_kernels).

    The sum runs over all j, i included, as in the paper's formula: every
    o(x_i)_b therefore counts 1 for x_i itself (the paper's reference code
    masks j = i instead, which changes each feature by exactly this constant
    1, absorbed by the next layer's bias).

    Args:
        num_kernels: int, B, the number of appended features.
        kernel_dim: int, C, the dimension of each kernel's projection.
        kernel_initializer: initializer of T.
    """

    def __init__(self, num_kernels, kernel_dim, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.num_kernels = int(num_kernels)
        self.kernel_dim = int(kernel_dim)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(
                "MinibatchDiscrimination expects inputs of shape (batch, features) with "
                f"a known number of features; got {tuple(input_shape)}. Flatten them first."
            )
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.num_kernels * self.kernel_dim),
            initializer=self.kernel_initializer,
            name="kernel",
        )

    def call(self, inputs):
        projections = ops.reshape(
            ops.matmul(inputs, self.kernel), (-1, self.num_kernels, self.kernel_dim)
        )
        # (batch, 1, B, C) - (1, batch, B, C): all pairs at once, O(batch^2 B C).
        differences = ops.expand_dims(projections, 1) - ops.expand_dims(projections, 0)
        closeness = ops.exp(-ops.sum(ops.abs(differences), axis=-1))
        return ops.concatenate([inputs, ops.sum(closeness, axis=1)], axis=-1)

    def compute_output_shape(self, input_shape):
        features = None if input_shape[-1] is None else input_shape[-1] + self.num_kernels
        return (input_shape[0], features)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_kernels": self.num_kernels,
                "kernel_dim": self.kernel_dim,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            }
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class MinibatchStandardDeviation(keras.layers.Layer):
    """Appends the batch's average standard deviation as constant feature(s).

    The batch is split into groups of `min(group_size, batch)` examples. For
    each group the standard deviation of every feature over the group's
    examples is computed (population std, sqrt(var + 1e-8)), then averaged
    over all features of each of `num_features` channel groups (and over
    height and width for images). Each example gets its group's
    `num_features` values as extra constant feature(s): channels-last
    inputs (batch, H, W, C) become (batch, H, W, C + num_features), inputs
    (batch, features) become (batch, features + num_features).

    Groups are strided as in the reference implementation: with
    M = batch / group_size groups, example i belongs to group i % M. The
    batch must be divisible by the group size.

    Args:
        group_size: int, examples per group (4 in the paper).
        num_features: int, number of appended features; the channels are
            split into this many contiguous groups, which must divide them.
    """

    def __init__(self, group_size=4, num_features=1, **kwargs):
        super().__init__(**kwargs)
        if group_size < 1 or num_features < 1:
            raise ValueError(
                "`group_size` and `num_features` must be positive, got "
                f"group_size={group_size}, num_features={num_features}."
            )
        self.group_size = int(group_size)
        self.num_features = int(num_features)

    def build(self, input_shape):
        if len(input_shape) not in (2, 4):
            raise ValueError(
                "MinibatchStandardDeviation expects inputs of rank 2 (batch, features) or "
                f"4 (batch, height, width, channels); got shape {tuple(input_shape)}."
            )
        channels = input_shape[-1]
        if channels is None or channels % self.num_features:
            raise ValueError(
                f"MinibatchStandardDeviation: num_features={self.num_features} must divide "
                f"the number of channels; got input shape {tuple(input_shape)}."
            )

    def _group_size(self, inputs):
        batch = inputs.shape[0]
        if batch is None:
            # Symbolic batch (keras.Input, TF graphs): checked by the reshape.
            return ops.minimum(self.group_size, ops.shape(inputs)[0])
        group_size = min(self.group_size, batch)
        if batch % group_size:
            raise ValueError(
                f"MinibatchStandardDeviation: the batch size ({batch}) must be divisible "
                f"by group_size={group_size} (or smaller than {self.group_size})."
            )
        return group_size

    def call(self, inputs):
        group_size = self._group_size(inputs)
        spatial = tuple(inputs.shape[1:-1])
        channels = inputs.shape[-1]
        # (G, M, *spatial, n, C / n): the group axis first, so x[g * M + m] is in group m.
        grouped = ops.reshape(
            inputs,
            (group_size, -1) + spatial + (self.num_features, channels // self.num_features),
        )
        deviations = grouped - ops.mean(grouped, axis=0, keepdims=True)
        std = ops.sqrt(ops.mean(ops.square(deviations), axis=0) + 1e-8)
        # Average over everything but the group and the new-feature axes.
        averaged_axes = tuple(range(1, len(spatial) + 1)) + (len(spatial) + 2,)
        std = ops.mean(std, axis=averaged_axes)  # (M, n)
        std = ops.reshape(std, (-1,) + (1,) * len(spatial) + (self.num_features,))
        std = ops.tile(std, (group_size,) + spatial + (1,))
        return ops.concatenate([inputs, ops.cast(std, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        channels = input_shape[-1]
        channels = None if channels is None else channels + self.num_features
        return tuple(input_shape[:-1]) + (channels,)

    def get_config(self):
        config = super().get_config()
        config.update({"group_size": self.group_size, "num_features": self.num_features})
        return config
