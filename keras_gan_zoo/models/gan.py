"""GAN: the original generative adversarial network (Goodfellow et al., 2014).

Networks: MLPs. G has ReLU hidden layers; D has maxout hidden layers with
dropout, as in the paper's MNIST model. The output of G matches the data
range (tanh for [-1, 1]; linear when the data is unbounded, e.g. 2D points).

Step (Algorithm 1): `d_steps` discriminator updates, then one generator
update, each on freshly sampled latent vectors.
Deviation: the paper draws a new real minibatch for each of the k D updates;
here they share the batch `fit()` provides, as in keras-io's WGAN-GP example.

Reference: Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014,
https://arxiv.org/abs/1406.2661.
"""

import math

import keras
from keras import layers
from keras import ops

from keras_gan_zoo import sampling
from keras_gan_zoo.engine import AdversarialModel
from keras_gan_zoo.engine import Player
from keras_gan_zoo.layers import Maxout
from keras_gan_zoo.losses import get_adversarial_loss

_OUTPUT_ACTIVATIONS = {(-1.0, 1.0): "tanh", (0.0, 1.0): "sigmoid", None: None}


def _output_activation(data_range):
    key = None if data_range is None else tuple(float(v) for v in data_range)
    if key not in _OUTPUT_ACTIVATIONS:
        raise ValueError(f"data_range must be (-1, 1), (0, 1) or None, got {data_range}.")
    return _OUTPUT_ACTIVATIONS[key]


def mlp_generator(latent_dim, data_shape, units=(1200, 1200), data_range=(-1.0, 1.0)):
    """G of the GAN paper: ReLU MLP whose output matches `data_range`."""
    latents = keras.Input((latent_dim,), name="latents")
    x = latents
    for width in units:
        x = layers.Dense(width, activation="relu")(x)
    x = layers.Dense(math.prod(data_shape), activation=_output_activation(data_range))(x)
    outputs = layers.Reshape(tuple(data_shape))(x)
    return keras.Model(latents, outputs, name="generator")


def mlp_discriminator(data_shape, units=(240, 240), pieces=5, dropout=0.5):
    """D of the GAN paper: maxout MLP with dropout, one logit out."""
    data = keras.Input(tuple(data_shape), name="data")
    x = layers.Flatten()(data)
    for width in units:
        if dropout:
            x = layers.Dropout(dropout)(x)
        x = Maxout(width, pieces)(x)
    logits = layers.Dense(1, name="logit")(x)
    return keras.Model(data, logits, name="discriminator")


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class GAN(AdversarialModel):
    """The original GAN: a generator and a discriminator trained under `fit()`.

    Args:
        generator: a `keras.Model` from latent vectors to examples, or None
            for the paper's MLP.
        discriminator: a `keras.Model` from examples to one logit per example
            (or to a probability, with `compile(loss=keras.losses.BinaryCrossentropy())`),
            or None for the paper's maxout MLP.
        latent_dim: int, size of the latent vectors (read from `generator`
            when given). Default 100.
        data_shape: shape of one example, used to build default networks
            (read from `generator` when given). Default (28, 28, 1).
        data_range: (low, high) of the data, checked before training, or None
            for unbounded data. Default (-1, 1).
        d_steps: discriminator updates per generator update (k in Algorithm 1).
        label_smoothing: one-sided label smoothing for D's real targets.
        seed: seeds the latent vectors drawn during training.

    Example:

    ```python
    gan = keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=8)
    gan.compile(d_optimizer="adam", g_optimizer="adam")
    gan.fit(points, batch_size=256, epochs=10)
    samples = gan.generate(1000, seed=0)
    ```
    """

    def __init__(
        self,
        *,
        generator=None,
        discriminator=None,
        latent_dim=None,
        data_shape=None,
        data_range=(-1.0, 1.0),
        d_steps=1,
        label_smoothing=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        if d_steps < 1:
            raise ValueError(f"d_steps must be at least 1, got {d_steps}.")
        if not 0.0 <= label_smoothing < 1.0:
            raise ValueError(f"label_smoothing must be in [0, 1), got {label_smoothing}.")
        # === Config ===
        self.d_steps = int(d_steps)
        self.label_smoothing = float(label_smoothing)
        self._data_range = None if data_range is None else tuple(float(v) for v in data_range)
        # === Networks ===
        if generator is not None:
            latent_dim = latent_dim or sampling.latent_dim_of(generator)
        self.latent_dim = int(latent_dim or 100)
        if generator is None:
            generator = self.build_generator(self.latent_dim, tuple(data_shape or (28, 28, 1)))
        probe = generator(ops.zeros((1, self.latent_dim)), training=False)
        self._data_shape = tuple(int(d) for d in probe.shape[1:])
        if data_shape is not None and tuple(data_shape) != self._data_shape:
            raise ValueError(
                f"data_shape is {tuple(data_shape)} but the generator makes examples "
                f"of shape {self._data_shape}."
            )
        if discriminator is None:
            discriminator = self.build_discriminator(self._data_shape)
        discriminator(probe, training=False)
        self.generator = generator
        self.discriminator = discriminator
        self.built = True

    # === Networks (overridden by model families) ===

    def build_generator(self, latent_dim, data_shape):
        return mlp_generator(latent_dim, data_shape, data_range=self._data_range)

    def build_discriminator(self, data_shape):
        return mlp_discriminator(data_shape)

    # === The game ===

    @property
    def data_shape(self):
        return self._data_shape

    @property
    def data_range(self):
        return self._data_range

    def default_optimizer(self, prefix):
        # Goodfellow et al. trained with SGD and momentum; Adam with the DCGAN
        # settings is what works out of the box for these networks today.
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)

    def resolve_loss(self, loss):
        return get_adversarial_loss(loss or "non_saturating")

    def players(self):
        return [
            Player(
                "d",
                self.discriminator,
                self.discriminator_loss,
                steps=self.d_steps,
                log_names=("real_accuracy", "fake_accuracy"),
            ),
            Player("g", self.generator, self.generator_loss),
        ]

    def sample_latents(self, batch_size):
        """Latent vectors for one update: standard normal, from the step's seed."""
        return keras.random.normal((batch_size, self.latent_dim), seed=self.seed_generator)

    def discriminator_loss(self, real_data):
        # Sample fakes; D's update must not reach into G.
        batch_size = ops.shape(real_data)[0]
        fake_data = ops.stop_gradient(
            self.generator(self.sample_latents(batch_size), training=True)
        )
        # Real and fake go through D as separate batches (separate BatchNorm
        # statistics, as in the DCGAN reference code).
        real_outputs = self.discriminator(real_data, training=True)
        fake_outputs = self.discriminator(fake_data, training=True)
        loss = self.adversarial_loss.discriminator_loss(
            real_outputs, fake_outputs, self.label_smoothing
        )
        threshold = self.adversarial_loss.decision_threshold
        logs = {
            "real_accuracy": ops.mean(ops.cast(real_outputs > threshold, "float32")),
            "fake_accuracy": ops.mean(ops.cast(fake_outputs <= threshold, "float32")),
        }
        return loss, logs

    def generator_loss(self, real_data):
        # Fresh latents; the gradient flows through D (whose weights stay fixed) into G.
        batch_size = ops.shape(real_data)[0]
        fake_data = self.generator(self.sample_latents(batch_size), training=True)
        fake_outputs = self.discriminator(fake_data, training=True)
        return self.adversarial_loss.generator_loss(fake_outputs), {}

    # === Sampling ===

    def generate(self, n, seed=None, batch_size=256, truncation=None):
        """`n` examples as a NumPy array in the data range; see `keras_gan_zoo.generate`."""
        return sampling.generate(
            self.generator,
            n,
            seed=seed,
            batch_size=batch_size,
            latent_dim=self.latent_dim,
            truncation=truncation,
        )

    def save_generator(self, filepath):
        """Writes the generator alone as a `.keras` file, for sampling without the GAN."""
        self.generator.save(filepath)

    # === Config ===

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "latent_dim": self.latent_dim,
                "data_range": self._data_range,
                "d_steps": self.d_steps,
                "label_smoothing": self.label_smoothing,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
