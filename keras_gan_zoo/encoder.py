"""`Encoder`: a trained encoder network with what it takes to use it alone, images in, codes out."""

import keras
import numpy as np
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class Encoder(keras.Model):
    """The way back from examples to codes: BiGAN's and ALI's E, an AAE's encoder.

    `keras_gan_zoo.load_encoder(preset)` returns one, and so does
    `model.export_encoder()` of a model with an encoder. Calling it runs the
    network.

    Args:
        network: a `keras.Model` from examples to codes (n, code_dim), or to
            `[codes, category probabilities]` for a model with a categorical
            code (a semi-supervised or clustering adversarial autoencoder).
        data_range: (low, high) of the examples the encoder was trained on;
            `encode` refuses examples outside it (with a small tolerance).
        metadata: dict describing where the weights come from (a preset's
            `metadata.json`); informative only, not saved in the config.

    Example:

    ```python
    encoder = keras_gan_zoo.load_encoder("aae_mnist")
    codes = encoder.encode(test_images)          # (n, code_dim)
    digits = encoder.classify(test_images)       # its categorical code's argmax
    ```
    """

    def __init__(self, network, data_range=(-1.0, 1.0), **kwargs):
        metadata = kwargs.pop("metadata", None)
        super().__init__(**kwargs)
        self.network = network
        self.data_range = None if data_range is None else tuple(float(v) for v in data_range)
        self.metadata = dict(metadata or {})
        self.built = True

    @property
    def data_shape(self):
        """Shape of one example the encoder takes, without the batch axis."""
        return tuple(int(d) for d in self.network.inputs[0].shape[1:])

    @property
    def has_categories(self):
        """Whether the network also gives category probabilities (`classify`)."""
        return len(self.network.outputs) == 2

    def call(self, examples, training=False):
        return self.network(examples, training=training)

    def encode(self, examples, batch_size=256):
        """The codes of `examples` (n, *data_shape), as a float32 NumPy array (n, code_dim).

        Raises:
            ValueError: for examples of another shape, outside the data range,
                not finite, or an empty array.
        """
        return self.encode_all(examples, batch_size)[0]

    def classify(self, examples, batch_size=256):
        """Each example's category, int32 (n,): the argmax of the categorical code.

        Raises:
            ValueError: if the encoder has no categorical code, or for bad examples.
        """
        if not self.has_categories:
            raise ValueError(
                "This encoder has no categorical code to classify with; it gives codes only "
                "(use encode)."
            )
        return np.argmax(self.encode_all(examples, batch_size)[1], axis=-1).astype("int32")

    def encode_all(self, examples, batch_size=256):
        """(codes, category probabilities or None) of `examples`, in one pass."""
        examples = np.asarray(examples)
        if not np.issubdtype(examples.dtype, np.floating):
            raise ValueError(
                f"The examples have dtype {examples.dtype}; the encoder takes floats in "
                f"{list(self.data_range) if self.data_range else 'its data range'} (scale "
                "uint8 pixels first, e.g. images / 127.5 - 1)."
            )
        if examples.ndim < 2 or len(examples) == 0:
            raise ValueError(f"The examples must be a non-empty batch; got shape {examples.shape}.")
        if tuple(examples.shape[1:]) != self.data_shape:
            raise ValueError(
                f"The examples have shape {tuple(examples.shape[1:])} each; the encoder takes "
                f"examples of shape {self.data_shape}."
            )
        if not np.all(np.isfinite(examples)):
            raise ValueError("The examples hold NaN or infinite values.")
        if self.data_range is not None:
            low, high = self.data_range
            found = (float(examples.min()), float(examples.max()))
            if found[0] < low - 1e-3 or found[1] > high + 1e-3:
                raise ValueError(
                    f"The examples span [{found[0]:g}, {found[1]:g}]; the encoder was trained on "
                    f"examples in [{low:g}, {high:g}]."
                )
        batch_size = int(batch_size)
        chunks = []
        for start in range(0, len(examples), batch_size):
            chunk = ops.convert_to_tensor(examples[start : start + batch_size].astype("float32"))
            outputs = self.network(chunk, training=False)
            outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
            chunks.append([ops.convert_to_numpy(output) for output in outputs])
        results = [np.concatenate(parts).astype("float32") for parts in zip(*chunks)]
        return results[0], (results[1] if len(results) > 1 else None)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "network": keras.saving.serialize_keras_object(self.network),
                "data_range": self.data_range,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["network"] = keras.saving.deserialize_keras_object(config["network"])
        return cls(**config)
