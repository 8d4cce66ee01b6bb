"""Adversarial autoencoders (Makhzani et al., 2016): an autoencoder whose codes a GAN shapes.

An encoder maps images to codes and a decoder maps codes back. Each batch
plays three phases, in order:
1. reconstruction ("ae"): the encoder and decoder minimize ||x - dec(enc(x))||^2;
2. regularization, D's turn ("d"): a discriminator tells codes drawn from the
   prior (real) from the encoder's codes of the batch (fake);
3. regularization, the encoder's turn ("g"): the encoder, as a generator,
   makes its codes pass for the prior's.
So the codes of real images fill the prior, and the decoder turns any prior
draw into an image: it samples like a GAN's generator (`generate`).

The paper's variants:
- `AdversarialAutoencoder()`: unsupervised. The prior is `prior=`: a normal
  ("normal"), a mixture of ten 2-d Gaussians ("gaussian_mixture"), a 2-d
  swiss roll ("swiss_roll") or a uniform.
- `AdversarialAutoencoder(num_classes=10)`: supervised. The one-hot label
  goes into the decoder, so the code keeps only the style.
- `CategoricalAdversarialAutoencoder`: the encoder also outputs a category y
  (softmax), which a second discriminator matches to a categorical prior,
  and the decoder reads [z, y]. With `semi_supervised=True` (its labels
  are the classes) a fourth phase ("c") trains y by cross-entropy on the
  labelled examples of each batch only: label -1 (or mask 0) marks the
  others. Without labels, the categories are clusters (16 or 30 for MNIST in
  the paper). With `cluster_heads=True` each category has a learned head,
  and the decoder reads head(y) + z: the paper's dimensionality reduction.

Reference: Makhzani, Shlens, Jaitly, Goodfellow and Frey, "Adversarial
Autoencoders", https://arxiv.org/abs/1511.05644.
"""

import keras
import numpy as np
from keras import ops

from keras_gan_zoo import sampling
from keras_gan_zoo.encoder import Encoder
from keras_gan_zoo.engine import AUXILIARY
from keras_gan_zoo.engine import DISCRIMINATOR
from keras_gan_zoo.engine import GENERATOR
from keras_gan_zoo.engine import AdversarialModel
from keras_gan_zoo.engine import BatchSpec
from keras_gan_zoo.engine import LatentPrior
from keras_gan_zoo.engine import Player
from keras_gan_zoo.engine.adversarial_model import example_shape_of
from keras_gan_zoo.generator import Generator
from keras_gan_zoo.losses import get_adversarial_loss
from keras_gan_zoo.losses.classification import class_accuracy
from keras_gan_zoo.losses.classification import class_cross_entropy
from keras_gan_zoo.networks.aae import aae_code_discriminator
from keras_gan_zoo.networks.aae import aae_decoder
from keras_gan_zoo.networks.aae import aae_encoder
from keras_gan_zoo.utils.arguments import check_int


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class AdversarialAutoencoder(AdversarialModel):
    """An autoencoder whose codes are matched to a prior by a discriminator.

    Args:
        encoder: a `keras.Model` from examples to codes (latent_dim,), or None
            for the paper's MLP (`networks.aae_encoder`).
        decoder: a `keras.Model` from codes (and labels, when supervised:
            inputs `[codes, labels]`) to examples, or None for the paper's MLP.
        discriminator: a `keras.Model` from codes to one logit, or None for
            the paper's MLP.
        latent_dim: size of the code (read from `decoder` when given). Default 8.
        data_shape: shape of one example (read from `decoder` when given).
            Default (28, 28, 1).
        data_range: (low, high) of the examples. Default (-1, 1).
        prior: the distribution the codes are matched to: "normal"
            (default), "uniform", "gaussian_mixture" or "swiss_roll" (2-d).
        num_classes: the supervised variant's class count (labels into the
            decoder), or None.
        units: hidden widths of the default networks. Default (1000, 1000).
        seed: seeds the prior's draws during training.

    Trains on images (`fit(images)`), or (images, labels) when supervised.
    Optimizers: `ae_optimizer` (reconstruction), `d_optimizer` and
    `g_optimizer` (the encoder in the regularization phase).

    Example:

    ```python
    aae = keras_gan_zoo.AdversarialAutoencoder(latent_dim=2, prior="gaussian_mixture")
    aae.compile()
    aae.fit(images, batch_size=100, epochs=10)
    codes = aae.encode(images)            # (n, 2), shaped like the prior
    digits = aae.generate(16, seed=0)     # the decoder on prior draws
    ```
    """

    # The categorical code of the categorical variants (0: none).
    categories = 0
    cluster_heads = False

    def __init__(
        self,
        *,
        encoder=None,
        decoder=None,
        discriminator=None,
        latent_dim=None,
        data_shape=None,
        data_range=(-1.0, 1.0),
        prior="normal",
        num_classes=None,
        units=(1000, 1000),
        seed=None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        if latent_dim is None:
            # A given decoder says its code size (besides a categorical code's one-hot).
            given = None if decoder is None else sampling.latent_dim_of(decoder) - self.categories
            latent_dim = given or 8
        self.latent_dim = check_int(latent_dim, "latent_dim", minimum=1)
        self.num_classes = None if num_classes is None else check_int(num_classes, "num_classes", 2)
        self.prior = prior
        self.units = tuple(int(width) for width in units)
        self._data_range = None if data_range is None else tuple(float(v) for v in data_range)
        self.latent_prior = LatentPrior(
            self.latent_dim,
            self.num_classes,
            categorical_codes=(self.categories,) if self.categories else (),
            noise=prior,
        )
        if decoder is None:
            decoder = aae_decoder(
                self.latent_dim,
                tuple(data_shape or (28, 28, 1)),
                self.units,
                self._data_range,
                num_classes=self.num_classes,
                categories=self.categories or None,
                cluster_heads=self.cluster_heads,
                # Heads start about as far apart as the separation penalty asks.
                head_spread=getattr(self, "head_distance", 1.0) * self.categories**0.5 / 2,
            )
        probe = decoder(
            self.latent_prior.network_inputs(self.latent_prior.sample_numpy(2, 0)), training=False
        )
        self._data_shape = example_shape_of(probe, data_shape, "decoder")
        if encoder is None:
            encoder = aae_encoder(
                self._data_shape, self.latent_dim, self.units, self.categories or None
            )
        if discriminator is None:
            discriminator = aae_code_discriminator(self.latent_dim, self.units)
        self.encoder = encoder
        self.decoder = decoder
        self.discriminator = discriminator
        self._check_encoder(probe)
        self.built = True

    def _check_encoder(self, probe):
        parts = self.encode_parts(probe, training=False)
        if tuple(parts["style"].shape[1:]) != (self.latent_dim,):
            raise ValueError(
                f"The encoder maps examples to codes of shape {tuple(parts['style'].shape[1:])}; "
                f"{type(self).__name__}'s codes have shape ({self.latent_dim},)."
            )
        for discriminator, codes in zip(self.code_discriminators(), self.encoder_codes(parts)):
            discriminator(codes, training=False)

    # === What the model consumes and makes ===

    @property
    def data_shape(self):
        return self._data_shape

    @property
    def data_range(self):
        return self._data_range

    @property
    def batch_spec(self):
        if self.num_classes is None:
            return super().batch_spec
        return BatchSpec(
            self._data_shape, self._data_range, num_classes=self.num_classes, y_field="labels"
        )

    def default_optimizer(self, prefix):
        if prefix in ("ae", "c"):
            return keras.optimizers.Adam(learning_rate=1e-3)
        return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)

    def resolve_loss(self, loss):
        return get_adversarial_loss(loss or "non_saturating")

    # === The phases ===

    def players(self):
        return [
            Player(
                "ae",
                (self.encoder, self.decoder),
                self.reconstruction_loss,
                role=AUXILIARY,
                log_names=("head_penalty",) if self.cluster_heads else (),
            ),
            Player(
                "d",
                self.code_discriminators(),
                self.discriminator_loss,
                role=DISCRIMINATOR,
                log_names=self._accuracy_names(),
            ),
            Player("g", self.encoder, self.encoder_loss, role=GENERATOR),
        ]

    def code_discriminators(self):
        """The discriminators on codes, one per code the prior shapes."""
        return (self.discriminator,)

    def _accuracy_names(self):
        loss = getattr(self, "adversarial_loss", None)
        if loss is None or loss.decision_threshold is None:
            return ()
        return ("real_accuracy", "fake_accuracy")

    def encode_parts(self, examples, training=True):
        """The encoder's outputs by name: "style" (the code z), and "category" (softmax)
        for the categorical variants."""
        return {"style": self.encoder(examples, training=training)}

    def decoder_inputs(self, parts, labels=None):
        """What the decoder reads for encoded `parts` (and the batch's labels, supervised)."""
        if self.num_classes is not None:
            return [parts["style"], labels]
        return parts["style"]

    def prior_codes(self, batch_size):
        """Draws of the prior, one batch per discriminator (the real codes)."""
        return [self.latent_prior.sample(batch_size, self.seed_generator)["z"]]

    def encoder_codes(self, parts):
        """The encoder's codes, one batch per discriminator (the fake codes)."""
        return [parts["style"]]

    def code_pairs(self, parts, batch_size):
        """(discriminator, prior draw, the encoder's codes) for each code the prior shapes."""
        return list(
            zip(self.code_discriminators(), self.prior_codes(batch_size), self.encoder_codes(parts))
        )

    def reconstruction_loss(self, batch):
        parts = self.encode_parts(batch.real)
        reconstruction = self.decoder(self.decoder_inputs(parts, batch.labels), training=True)
        return ops.mean(ops.square(batch.real - reconstruction)), {}

    def discriminator_loss(self, batch):
        parts = self.encode_parts(batch.real)
        loss, real_logits, fake_logits = 0.0, [], []
        for discriminator, real, fake in self.code_pairs(parts, batch.size):
            # D's update must not reach into the encoder.
            real_outputs = discriminator(real, training=True)
            fake_outputs = discriminator(ops.stop_gradient(fake), training=True)
            loss = loss + self.adversarial_loss.discriminator_loss(real_outputs, fake_outputs)
            real_logits.append(real_outputs)
            fake_logits.append(fake_outputs)
        logs = {}
        threshold = self.adversarial_loss.decision_threshold
        if threshold is not None:
            # Over every discriminator: the fraction of codes each tells right.
            real_logits = ops.concatenate(real_logits, axis=0)
            fake_logits = ops.concatenate(fake_logits, axis=0)
            logs["real_accuracy"] = ops.mean(ops.cast(real_logits > threshold, "float32"))
            logs["fake_accuracy"] = ops.mean(ops.cast(fake_logits <= threshold, "float32"))
        return loss, logs

    def encoder_loss(self, batch):
        parts = self.encode_parts(batch.real)
        loss = 0.0
        for discriminator, real, fake in self.code_pairs(parts, batch.size):
            loss = loss + self.adversarial_loss.generator_loss(
                discriminator(fake, training=True), discriminator(real, training=True)
            )
        return loss, {}

    # === Using the trained model ===

    def export_encoder(self):
        """A `keras_gan_zoo.Encoder` from images to `encode`'s codes, sharing the weights."""
        return Encoder(self.encoder, data_range=self._data_range, name="encoder")

    def encode(self, images, batch_size=256):
        """The codes of `images`, a NumPy array (n, latent_dim): the style z (the
        cluster-head representation for a `cluster_heads` model)."""
        return self.export_encoder().encode(images, batch_size)

    def reconstruct(self, images, batch_size=256, labels=None):
        """dec(enc(x)) for each image (the supervised variant needs `labels`)."""
        if self.num_classes is not None and labels is None:
            raise ValueError(f"{type(self).__name__} is supervised: pass the images' labels.")
        outputs = []
        for start in range(0, len(images), batch_size):
            chunk = ops.convert_to_tensor(np.asarray(images[start : start + batch_size]))
            parts = self.encode_parts(chunk, training=False)
            chunk_labels = None if labels is None else labels[start : start + batch_size]
            inputs = self.decoder_inputs(parts, chunk_labels)
            outputs.append(ops.convert_to_numpy(self.decoder(inputs, training=False)))
        return np.concatenate(outputs)

    def sampler(self):
        """A `keras_gan_zoo.Generator` over the decoder, drawing codes from the prior."""
        return Generator(
            self.decoder,
            latent_dim=self.latent_dim,
            num_classes=self.num_classes,
            data_range=self._data_range,
            categorical_codes=self.latent_prior.categorical_codes,
            noise=self.prior,
            name=f"{type(self).__name__.lower()}_decoder",
        )

    def generate(self, n, seed=None, batch_size=256, labels=None, codes=None, out=None):
        """`n` decoded prior draws as a NumPy array; see `keras_gan_zoo.Generator.generate`."""
        return self.sampler().generate(
            n, seed=seed, batch_size=batch_size, labels=labels, codes=codes, out=out
        )

    # === Config ===

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "encoder": keras.saving.serialize_keras_object(self.encoder),
                "decoder": keras.saving.serialize_keras_object(self.decoder),
                "discriminator": keras.saving.serialize_keras_object(self.discriminator),
                "latent_dim": self.latent_dim,
                "data_range": self._data_range,
                "prior": self.prior,
                "num_classes": self.num_classes,
                "units": list(self.units),
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in cls._network_names():
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)

    @staticmethod
    def _network_names():
        return ("encoder", "decoder", "discriminator")


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class CategoricalAdversarialAutoencoder(AdversarialAutoencoder):
    """An adversarial autoencoder with a categorical code beside the style z.

    The encoder outputs `[category logits, z]`; a second discriminator
    (`category_discriminator`) matches softmax(logits) to one-hot draws of a
    uniform categorical, the first matches z to `prior`; the decoder reads
    z and the category side by side. Semi-supervised, clustering and
    dimensionality reduction in one class:

    Args:
        categories: the size of the categorical code: the class count when
            semi-supervised, the cluster count otherwise. Default 10.
        semi_supervised: train the category on labels: `fit((images,
            labels))` with -1 for unlabelled images (or a mask, `(images,
            labels, mask)`); a fourth phase, "c", minimizes the cross-entropy
            of the labelled ones. Default False (clustering).
        cluster_heads: the decoder reads head(y) + z, with a learned head per
            category kept `head_distance` apart (dimensionality reduction;
            `encode` then returns that representation). Default False.
        head_distance: the distance below which two heads are penalized.
        category_discriminator: D on categories (categories,), or None for
            the paper's MLP.
        **kwargs: the `AdversarialAutoencoder` arguments, but `num_classes`.

    Example (the paper's semi-supervised MNIST, 100 labels):

    ```python
    aae = keras_gan_zoo.CategoricalAdversarialAutoencoder(
        categories=10, semi_supervised=True, latent_dim=10
    )
    aae.compile()
    labels = keras_gan_zoo.datasets.keep_labels(train_labels, 100, seed=0)  # others -1
    aae.fit((images, labels), batch_size=100, epochs=100)
    predicted = aae.classify(test_images)
    ```
    """

    def __init__(
        self,
        *,
        categories=10,
        semi_supervised=False,
        cluster_heads=False,
        head_distance=4.0,
        category_discriminator=None,
        **kwargs,
    ):
        if kwargs.get("num_classes") is not None:
            raise ValueError(
                "CategoricalAdversarialAutoencoder's classes are its categories: pass "
                "categories=... (and semi_supervised=True to learn them from labels)."
            )
        kwargs.pop("num_classes", None)
        self.categories = check_int(categories, "categories", minimum=2)
        self.semi_supervised = bool(semi_supervised)
        self.cluster_heads = bool(cluster_heads)
        self.head_distance = float(head_distance)
        # Held outside Keras's tracking until the base class has set the other
        # networks, so the weights keep one order however the model was made.
        self._given_category_discriminator = lambda: category_discriminator
        super().__init__(**kwargs)

    def _check_encoder(self, probe):
        category_discriminator = self._given_category_discriminator()
        if category_discriminator is None:
            category_discriminator = aae_code_discriminator(
                self.categories, self.units, name="category_discriminator"
            )
        self.category_discriminator = category_discriminator
        outputs = self.encoder(probe, training=False)
        # The encoder up to its category logits: what the "c" phase updates (the
        # style head has no gradient there). Not an attribute Keras tracks: its
        # weights are the encoder's, saved once with it.
        branch = keras.Model(self.encoder.inputs, self.encoder.outputs[0])
        self._category_branch = lambda: branch
        if not isinstance(outputs, (list, tuple)) or len(outputs) != 2:
            raise ValueError(
                "The encoder of a CategoricalAdversarialAutoencoder must output "
                "[category logits, style code]."
            )
        if tuple(outputs[0].shape[1:]) != (self.categories,):
            raise ValueError(
                f"The encoder's category logits have shape {tuple(outputs[0].shape[1:])}; "
                f"this model has {self.categories} categories."
            )
        super()._check_encoder(probe)

    @property
    def batch_spec(self):
        if not self.semi_supervised:
            return BatchSpec(self.data_shape, self.data_range)
        return BatchSpec(
            self.data_shape,
            self.data_range,
            num_classes=self.categories,
            y_field="labels",
            partial_labels=True,
        )

    def players(self):
        players = super().players()
        if self.semi_supervised:
            players.append(
                Player(
                    "c",
                    self._category_branch(),
                    self.classification_loss,
                    role=AUXILIARY,
                    log_names=("accuracy",),
                )
            )
        return players

    def code_discriminators(self):
        return (self.discriminator, self.category_discriminator)

    def encode_parts(self, examples, training=True):
        logits, style = self.encoder(examples, training=training)
        return {"style": style, "logits": logits, "category": ops.softmax(logits, axis=-1)}

    def decoder_inputs(self, parts, labels=None):
        return ops.concatenate([parts["style"], parts["category"]], axis=-1)

    def prior_codes(self, batch_size):
        draw = self.latent_prior.sample(batch_size, self.seed_generator)
        one_hot = ops.one_hot(draw["categorical"][0], self.categories, dtype=draw["z"].dtype)
        return [draw["z"], one_hot]

    def encoder_codes(self, parts):
        return [parts["style"], parts["category"]]

    def reconstruction_loss(self, batch):
        loss, logs = super().reconstruction_loss(batch)
        if self.cluster_heads:
            penalty = self.decoder.get_layer("cluster_heads").separation_penalty(self.head_distance)
            loss, logs = loss + penalty, {**logs, "head_penalty": penalty}
        return loss, logs

    def classification_loss(self, batch):
        """Cross-entropy of the category on the labelled examples of the batch only."""
        logits = self.encode_parts(batch.real)["logits"]
        return class_cross_entropy(batch.labels, logits, batch.mask), {
            "accuracy": class_accuracy(batch.labels, logits, batch.mask)
        }

    def export_encoder(self):
        """A `keras_gan_zoo.Encoder` from images to [code, category probabilities]; the code
        is the style z, or head(y) + z for a `cluster_heads` model."""
        images = keras.Input(self.data_shape, name="images")
        logits, style = self.encoder(images)
        category = keras.layers.Softmax(name="category")(logits)
        code = style
        if self.cluster_heads:
            joined = keras.layers.Concatenate()([style, category])
            code = self.decoder.get_layer("cluster_heads")(joined)
        network = keras.Model(images, [code, category], name="categorical_encoder")
        return Encoder(network, data_range=self.data_range, name="encoder")

    def classify(self, images, batch_size=256):
        """Each image's category (int32): its predicted class, or its cluster."""
        return self.export_encoder().classify(images, batch_size)

    def get_config(self):
        config = super().get_config()
        config.pop("num_classes")
        config.update(
            {
                "categories": self.categories,
                "semi_supervised": self.semi_supervised,
                "cluster_heads": self.cluster_heads,
                "head_distance": self.head_distance,
                "category_discriminator": keras.saving.serialize_keras_object(
                    self.category_discriminator
                ),
            }
        )
        return config

    @staticmethod
    def _network_names():
        return ("encoder", "decoder", "discriminator", "category_discriminator")
