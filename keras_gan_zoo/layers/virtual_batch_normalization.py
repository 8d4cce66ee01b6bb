"""Virtual batch normalization (Salimans et al., 2016).

Batch normalization makes a generated example depend on the other examples
of its batch. Virtual batch normalization normalizes each example with the
statistics of a fixed reference batch combined with the example itself, so
an example's output depends only on itself and the reference batch.

Reference: Salimans et al., "Improved Techniques for Training GANs",
NeurIPS 2016, https://arxiv.org/abs/1606.03498 (Section 3.4).
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class VirtualBatchNormalization(keras.layers.Layer):
    """Normalizes each example with a reference batch's statistics and its own.

    Convention: the first `reference_size` rows of the input are the
    reference batch (the caller prepends them, see `VirtualBatchNormGenerator`).
    With R = reference_size, and statistics taken per channel (the last axis)
    over all other axes:

    - reference rows are normalized with the reference batch's mean and
      (biased) variance, as batch normalization would;
    - each other example x_i is normalized with the statistics of the R + 1
      examples {reference, x_i}:
      mean_i = (R * mean_ref + mean(x_i)) / (R + 1), the same for the second
      moment E2_i, and var_i = E2_i - mean_i^2 (mean(x_i) averages over the
      example's own non-channel axes; it is x_i for rank-2 inputs).

    Outputs are gamma * (x - mean) / sqrt(var + epsilon) + beta. The
    reference statistics are recomputed in every call from the reference rows
    (they move with the network, as in the paper's reference code) and the
    gradient flows through them. Training and inference compute the same.

    Args:
        reference_size: int, number of leading reference rows.
        epsilon: float, added to the variance.
        center: bool, whether to learn the offset beta.
        scale: bool, whether to learn the scale gamma.
    """

    def __init__(self, reference_size, epsilon=1e-5, center=True, scale=True, **kwargs):
        super().__init__(**kwargs)
        if reference_size < 1:
            raise ValueError(f"`reference_size` must be positive, got {reference_size}.")
        self.reference_size = int(reference_size)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)

    def build(self, input_shape):
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(
                "VirtualBatchNormalization expects inputs (batch, ..., channels) with a known "
                f"number of channels; got {tuple(input_shape)}."
            )
        channels = input_shape[-1]
        self.gamma = (
            self.add_weight(shape=(channels,), initializer="ones", name="gamma")
            if self.scale
            else None
        )
        self.beta = (
            self.add_weight(shape=(channels,), initializer="zeros", name="beta")
            if self.center
            else None
        )

    def _normalize(self, x, mean, variance):
        outputs = (x - mean) * ops.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            outputs = outputs * ops.cast(self.gamma, outputs.dtype)
        if self.beta is not None:
            outputs = outputs + ops.cast(self.beta, outputs.dtype)
        return outputs

    def call(self, inputs):
        batch = inputs.shape[0]
        if batch is not None and batch < self.reference_size:
            raise ValueError(
                f"VirtualBatchNormalization: the batch ({batch} rows) is smaller than "
                f"reference_size={self.reference_size}; prepend the reference batch."
            )
        rank = len(inputs.shape)
        size = self.reference_size
        reference, examples = inputs[:size], inputs[size:]

        reference_axes = tuple(range(rank - 1))
        reference_mean = ops.mean(reference, axis=reference_axes, keepdims=True)
        reference_square = ops.mean(ops.square(reference), axis=reference_axes, keepdims=True)
        reference_variance = ops.maximum(reference_square - ops.square(reference_mean), 0.0)

        own_axes = tuple(range(1, rank - 1))
        if own_axes:
            own_mean = ops.mean(examples, axis=own_axes, keepdims=True)
            own_square = ops.mean(ops.square(examples), axis=own_axes, keepdims=True)
        else:
            own_mean, own_square = examples, ops.square(examples)
        # The statistics of the R + 1 examples {reference, x_i}, one set per i.
        mean = (size * reference_mean + own_mean) / (size + 1)
        square = (size * reference_square + own_square) / (size + 1)
        # E[x^2] - E[x]^2 can round below 0.
        variance = ops.maximum(square - ops.square(mean), 0.0)

        return ops.concatenate(
            [
                self._normalize(reference, reference_mean, reference_variance),
                self._normalize(examples, mean, variance),
            ],
            axis=0,
        )

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "reference_size": self.reference_size,
                "epsilon": self.epsilon,
                "center": self.center,
                "scale": self.scale,
            }
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class VirtualBatchNormGenerator(keras.Model):
    """Runs a generator with a fixed reference batch of latents prepended.

    `wrapper(latents)` computes `body(concat([reference_latents, latents]))`
    and returns the outputs of `latents` only. With the body's
    `VirtualBatchNormalization` layers built with the same `reference_size`,
    each generated example then depends only on its own latent and on the
    reference latents, which are drawn once (from `seed`) and kept in a
    non-trainable variable, saved with the weights.

    Args:
        body: the generator, a `keras.Model` from latents to samples.
        reference_size: int, number of reference latents, R.
        latent_shape: shape of one latent; defaults to the body's input
            shape without the batch axis.
        seed: int or None, seed of the reference latents' normal draw.
    """

    def __init__(self, body, reference_size, latent_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.body = body
        self.reference_size = int(reference_size)
        self.seed = seed
        if latent_shape is None:
            try:
                latent_shape = body.inputs[0].shape[1:]
            except (AttributeError, IndexError, TypeError, ValueError):
                raise ValueError(
                    "VirtualBatchNormGenerator: pass `latent_shape`, the body has no known "
                    "input shape."
                ) from None
        self.latent_shape = tuple(int(dim) for dim in latent_shape)
        for layer in body._flatten_layers(include_self=False):
            # A mismatch would silently mix real latents into the reference.
            if (
                isinstance(layer, VirtualBatchNormalization)
                and layer.reference_size != self.reference_size
            ):
                raise ValueError(
                    f"VirtualBatchNormGenerator: reference_size={self.reference_size}, but "
                    f"layer {layer.name!r} has reference_size={layer.reference_size}."
                )
        self.reference_latents = self.add_weight(
            shape=(self.reference_size, *self.latent_shape),
            initializer=keras.initializers.RandomNormal(stddev=1.0, seed=seed),
            trainable=False,
            name="reference_latents",
        )

    @property
    def input_shape(self):
        # Read by the GAN models to find the latent size.
        return (None, *self.latent_shape)

    def build(self, input_shape=None):
        if not self.body.built:
            self.body.build((None, *self.latent_shape))
        self.built = True

    def call(self, latents, training=None):
        latents = ops.convert_to_tensor(latents, dtype=self.reference_latents.dtype)
        batch = ops.concatenate([ops.convert_to_tensor(self.reference_latents), latents], axis=0)
        outputs = self.body(batch, training=training)
        return keras.tree.map_structure(lambda output: output[self.reference_size :], outputs)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "body": keras.saving.serialize_keras_object(self.body),
                "reference_size": self.reference_size,
                "latent_shape": list(self.latent_shape),
                "seed": self.seed,
            }
        )
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        body = keras.saving.deserialize_keras_object(config.pop("body"), custom_objects)
        return cls(body=body, **config)
