"""GAN: the original generative adversarial network (Goodfellow et al., 2014).

Networks: MLPs (`keras_gan_zoo.networks.mlp_generator` and
`mlp_discriminator`). G has ReLU hidden layers; D has maxout hidden layers
with dropout, as in the paper's MNIST model. The output of G matches the data
range (tanh for [-1, 1]; linear when the data is unbounded, e.g. 2D points).

Step (Algorithm 1): `d_steps` discriminator updates, then one generator
update, each on freshly sampled latent vectors.
Deviation: the paper draws a new real minibatch for each of the k D updates;
here they share the batch `fit()` provides, as in keras-io's WGAN-GP example.

Reference: Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014,
https://arxiv.org/abs/1406.2661.
"""

import keras
from keras import ops

from keras_gan_zoo import sampling
from keras_gan_zoo.engine import DISCRIMINATOR
from keras_gan_zoo.engine import GENERATOR
from keras_gan_zoo.engine import AdversarialModel
from keras_gan_zoo.engine import Batch
from keras_gan_zoo.engine import BatchSpec
from keras_gan_zoo.engine import LatentPrior
from keras_gan_zoo.engine import NetworkAverage
from keras_gan_zoo.engine import Player
from keras_gan_zoo.engine.adversarial_model import example_shape_of
from keras_gan_zoo.generator import Generator
from keras_gan_zoo.losses import get_adversarial_loss
from keras_gan_zoo.networks import mlp_discriminator
from keras_gan_zoo.networks import mlp_generator
from keras_gan_zoo.tricks.trick import Trick
from keras_gan_zoo.utils.arguments import check_int


def resolve_tricks(tricks):
    """`Trick` instances from a list of tricks or their serialized configs."""
    return [
        trick if isinstance(trick, Trick) else keras.saving.deserialize_keras_object(trick)
        for trick in tricks
    ]


def packed_shape(example_shape, packing):
    """Shape of one D input when `packing` examples are concatenated on the last axis."""
    return tuple(example_shape[:-1]) + (example_shape[-1] * packing,)


def pack(data, packing):
    """(batch, ..., c) -> (batch / packing, ..., packing * c): PacGAN's packing.

    Consecutive examples are grouped; their last axes (features, or channels
    of images) are concatenated, as in Lin et al. (2018), Section 3.
    """
    if packing == 1:
        return data
    shape = tuple(data.shape[1:])
    grouped = ops.reshape(data, (-1, packing) + shape)
    # Move the group axis next to the last axis, then merge the two.
    grouped = ops.moveaxis(grouped, 1, -2)
    return ops.reshape(grouped, (-1,) + packed_shape(shape, packing))


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
        packing: PacGAN's packing degree m: D judges m examples at once,
            concatenated along their last axis (see `PacGAN`). Batch sizes must
            be multiples of m. Default 1 (no packing).
        tricks: list of `keras_gan_zoo.tricks.Trick` to switch on (gradient
            penalties, noisy labels, feature matching, ...).
        generator_ema: None, or the decay (e.g. 0.999) of an exponential
            moving average of G's weights, updated after each G update,
            saved with the model, and used by `generate()` and `sampler()`.
        seed: seeds the latent vectors drawn during training.

    A conditional subclass (`CGAN`) sets `num_classes` before calling this
    constructor; its G then takes `[latents, labels]` and `discriminate` sees
    the batch's labels.

    Example:

    ```python
    gan = keras_gan_zoo.GAN(data_shape=(2,), data_range=None, latent_dim=8)
    gan.compile(d_optimizer="adam", g_optimizer="adam")
    gan.fit(points, batch_size=256, epochs=10)
    samples = gan.generate(1000, seed=0)
    ```
    """

    # The class count of a conditional model (set by CGAN and its kin), and
    # the latent codes G takes besides the noise (set by InfoGAN).
    num_classes = None
    categorical_codes = ()
    continuous_codes = 0
    # The distribution of z, by name (`keras_gan_zoo.engine.noise`); BiGAN's is uniform.
    latent_noise = "normal"

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
        packing=1,
        tricks=(),
        generator_ema=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(seed=seed, **kwargs)
        if not 0.0 <= label_smoothing < 1.0:
            raise ValueError(f"label_smoothing must be in [0, 1), got {label_smoothing}.")
        if latent_dim is not None:
            latent_dim = check_int(latent_dim, "latent_dim", minimum=1)
        # === Config ===
        self.d_steps = check_int(d_steps, "d_steps", minimum=1)
        self.label_smoothing = float(label_smoothing)
        self.packing = check_int(packing, "packing", minimum=1)
        self._data_range = None if data_range is None else tuple(float(v) for v in data_range)
        # === Networks ===
        codes = sum(self.categorical_codes) + self.continuous_codes  # G's input besides z
        if generator is not None:
            latent_dim = latent_dim or sampling.latent_dim_of(generator) - codes
        self.latent_dim = int(latent_dim or 100)
        self.latent_prior = LatentPrior(
            self.latent_dim,
            self.num_classes,
            self.categorical_codes,
            self.continuous_codes,
            self.latent_noise,
        )
        if generator is None:
            generator = self.build_generator(
                self.latent_prior.input_dim, tuple(data_shape or (28, 28, 1))
            )
        inputs = self.latent_prior.network_inputs(self.latent_prior.sample_numpy(self.packing, 0))
        probe = generator(inputs, training=False)
        probe_labels = inputs[1] if self.num_classes is not None else None
        self._data_shape = example_shape_of(probe, data_shape, "generator")
        if discriminator is None:
            discriminator = self.build_discriminator(packed_shape(self._data_shape, self.packing))
        self.generator = generator
        self.discriminator = discriminator
        self.check_discriminator(probe, Batch(probe, labels=probe_labels))
        self.generator_ema = None if generator_ema is None else float(generator_ema)
        self.generator_average = None
        if self.generator_ema is not None:
            self.generator_average = NetworkAverage(generator, self.generator_ema)
        # === Tricks ===
        self.tricks = resolve_tricks(tricks)
        for trick in self.tricks:
            trick.attach(self)
        self.built = True

    # === Networks (overridden by model families) ===

    def build_generator(self, latent_dim, data_shape):
        """G from latent inputs of size `latent_dim` (the noise, and the codes
        of a model that has them) to examples of `data_shape`."""
        return mlp_generator(latent_dim, data_shape, data_range=self._data_range)

    def build_discriminator(self, input_shape):
        """D for inputs of `input_shape` (the example shape, widened by packing)."""
        return mlp_discriminator(input_shape)

    def check_discriminator(self, probe, batch):
        """Runs D once on G's `probe` examples, so a D that does not fit G fails at construction."""
        self.discriminate(probe, batch, training=False)

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

    @property
    def batch_spec(self):
        # A conditional model (num_classes set) trains on (example, label) pairs.
        if self.num_classes is None:
            return super().batch_spec
        return BatchSpec(
            tuple(self.data_shape), self.data_range, num_classes=self.num_classes, y_field="labels"
        )

    def discriminator_log_names(self):
        """Scalars `discriminator_loss` logs besides the loss (tricks add theirs)."""
        loss = getattr(self, "adversarial_loss", None)
        if loss is not None and loss.decision_threshold is not None:
            return ("real_accuracy", "fake_accuracy")
        return ()

    def generator_log_names(self):
        """Scalars `generator_loss` logs besides the loss (tricks add theirs)."""
        return ()

    def players(self):
        return [
            Player(
                "d",
                self.discriminator,
                self.discriminator_loss,
                role=DISCRIMINATOR,
                steps=self.d_steps,
                log_names=self.discriminator_log_names() + self.trick_log_names(DISCRIMINATOR),
                after_update=lambda: self.after_update(DISCRIMINATOR),
            ),
            Player(
                "g",
                self.generator,
                self.generator_loss,
                role=GENERATOR,
                log_names=self.generator_log_names() + self.trick_log_names(GENERATOR),
                after_update=lambda: self.after_update(GENERATOR),
                averages=() if self.generator_average is None else (self.generator_average,),
            ),
        ]

    # === The game: what a model changes to change its objective ===

    def make_fakes(self, batch, training=True):
        """Generated examples for one update, one per real example of `batch`.

        The latents come from the step's seed; a conditional model conditions
        its fakes on the batch's own labels. The draw (noise, labels, codes)
        is kept on `batch.latents` for the objectives (InfoGAN's Q).
        """
        labels = batch.labels if self.num_classes is not None else None
        draw = self.latent_prior.sample(batch.size, self.seed_generator, labels=labels)
        batch.latents = draw
        return self.generator(self.latent_prior.network_inputs(draw), training=training)

    def discriminator_outputs(self, data, batch=None, training=True):
        """Everything D says about a batch of examples (packed first when `packing` > 1).

        One tensor (the source logits), or a list: the source logits first,
        then D's other heads (AC-GAN's class logits, InfoGAN's Q). `batch` is
        the step's `Batch`, for a D that also sees its labels.
        """
        return self.discriminator(pack(data, self.packing), training=training)

    def discriminate_with_heads(self, data, batch=None, training=True):
        """(source logits, [the other heads' outputs]), from one call of D."""
        outputs = self.discriminator_outputs(data, batch, training)
        if isinstance(outputs, (list, tuple)):
            return outputs[0], list(outputs[1:])
        return outputs, []

    def discriminate(self, data, batch=None, training=True):
        """D's source logits: what the adversarial loss, tricks and penalties judge."""
        return self.discriminate_with_heads(data, batch, training)[0]

    def head_objective(self, role, real_heads, fake_heads, batch):
        """The loss and logs of D's other heads in the update of the player with `role`.

        `real_heads` and `fake_heads` are the heads' outputs on what D sees
        of the real and fake examples (`real_heads` is None in G's update);
        the fakes' latents, codes included, are on `batch.latents`. A
        one-head D has none: (None, {}).
        """
        return None, {}

    def discriminator_objective(self, real_inputs, fake_inputs, batch):
        """D's loss and logs, given what D sees of real and fake examples."""
        # Real and fake go through D as separate batches (separate BatchNorm
        # statistics, as in the DCGAN reference code).
        real_outputs, real_heads = self.discriminate_with_heads(real_inputs, batch)
        fake_outputs, fake_heads = self.discriminate_with_heads(fake_inputs, batch)
        real_target, fake_target = self.label_targets(ops.shape(real_outputs)[0])
        loss = self.adversarial_loss.discriminator_loss(
            real_outputs, fake_outputs, real_target, fake_target
        )
        logs = self.source_accuracies(real_outputs, fake_outputs)
        return self._with_heads(DISCRIMINATOR, loss, logs, real_heads, fake_heads, batch)

    def _with_heads(self, role, loss, logs, real_heads, fake_heads, batch):
        head_loss, head_logs = self.head_objective(role, real_heads, fake_heads, batch)
        if head_loss is not None:
            loss = loss + head_loss
        return loss, {**logs, **head_logs}

    def source_accuracies(self, real_outputs, fake_outputs):
        """D's real and fake accuracy logs, where the loss has a decision threshold."""
        threshold = self.adversarial_loss.decision_threshold
        if threshold is None:
            return {}
        return {
            "real_accuracy": ops.mean(ops.cast(real_outputs > threshold, "float32")),
            "fake_accuracy": ops.mean(ops.cast(fake_outputs <= threshold, "float32")),
        }

    def generator_objective(self, real_inputs, fake_inputs, batch):
        """G's loss and logs; the gradient flows through D into G."""
        fake_outputs, fake_heads = self.discriminate_with_heads(fake_inputs, batch)
        real_outputs = None
        if self.adversarial_loss.generator_uses_real:
            real_outputs = self.discriminate(real_inputs, batch)
        loss = self.adversarial_loss.generator_loss(fake_outputs, real_outputs)
        return self._with_heads(GENERATOR, loss, {}, None, fake_heads, batch)

    # === The game: the two players' losses, written once ===

    def discriminator_loss(self, batch):
        # D's update must not reach into G.
        fake_data = ops.stop_gradient(self.make_fakes(batch))
        real_inputs, fake_inputs = self.trick_inputs(DISCRIMINATOR, batch.real, fake_data, batch)
        loss, logs = self.discriminator_objective(real_inputs, fake_inputs, batch)
        return self.add_trick_penalties(DISCRIMINATOR, loss, logs, real_inputs, fake_inputs, batch)

    def generator_loss(self, batch):
        # Fresh latents; D's weights stay fixed in this update.
        fake_data = self.make_fakes(batch)
        real_inputs, fake_inputs = self.trick_inputs(GENERATOR, batch.real, fake_data, batch)
        loss, logs = self.generator_objective(real_inputs, fake_inputs, batch)
        for trick in self.tricks:
            loss = trick.generator_loss(self, real_inputs, fake_inputs, loss, batch=batch)
        return self.add_trick_penalties(GENERATOR, loss, logs, real_inputs, fake_inputs, batch)

    # === Tricks ===

    def trick_log_names(self, role):
        return tuple(name for trick in self.tricks for name in trick.log_names(role))

    def trick_inputs(self, role, real_data, fake_data, batch=None):
        """The real and fake examples D sees in an update of `role`, after the tricks."""
        for trick in self.tricks:
            real_data, fake_data = trick.inputs(self, role, real_data, fake_data, batch=batch)
        return real_data, fake_data

    def label_targets(self, batch_size):
        """Real and fake targets of a cross-entropy D loss, after the tricks."""
        real_target, fake_target = 1.0 - self.label_smoothing, 0.0
        for trick in self.tricks:
            real_target, fake_target = trick.targets(self, real_target, fake_target, batch_size)
        return real_target, fake_target

    def add_trick_penalties(self, role, loss, logs, real_inputs, fake_inputs, batch=None):
        """Adds the tricks' penalty terms to the loss of `role` and logs each one."""
        for trick in self.tricks:
            terms = trick.penalty(self, role, real_inputs, fake_inputs, batch=batch)
            for name, term in terms.items():
                loss = loss + term
                logs[name] = term
        return loss, logs

    def after_update(self, role):
        """Runs after each optimizer update of the player with `role`."""
        for trick in self.tricks:
            trick.after_update(self, role)

    def fit(self, x=None, *args, batch_size=None, **kwargs):
        if self.packing > 1 and batch_size is not None and batch_size % self.packing:
            raise ValueError(
                f"batch_size {batch_size} is not a multiple of the packing degree "
                f"{self.packing}: D judges {self.packing} examples at a time."
            )
        if self.packing > 1 and hasattr(x, "shape") and x.shape[0] % self.packing:
            # The last batch must hold whole packs too: drop the (< m) examples over.
            x = x[: x.shape[0] - x.shape[0] % self.packing]
        return super().fit(x, *args, batch_size=batch_size, **kwargs)

    # === Sampling ===

    def sampler(self):
        """A `keras_gan_zoo.Generator` over this GAN's generator (its moving average when kept).

        Shares the network's weights: it samples what the GAN has learned so far.
        """
        network = (
            self.generator if self.generator_average is None else self.generator_average.average
        )
        return Generator(
            network,
            latent_dim=self.latent_dim,
            num_classes=self.num_classes,
            data_range=self.data_range,
            categorical_codes=self.categorical_codes,
            continuous_codes=self.continuous_codes,
            noise=self.latent_noise,
            name=f"{type(self).__name__.lower()}_generator",
        )

    def generate(
        self, n, seed=None, batch_size=256, labels=None, truncation=None, out=None, codes=None
    ):
        """`n` examples as a NumPy array in the data range; see `keras_gan_zoo.generate`.

        Args:
            labels: class labels for a conditional model (an int, or one per
                example; random classes when None).
            codes: latent codes to fix, for a model with codes (InfoGAN); see
                `keras_gan_zoo.Generator.generate`.

        Raises:
            ValueError: for a bad argument (naming it), or a result too large
                for memory (pass `out=` an array on disk, or ask for fewer).
        """
        return self.sampler().generate(
            n,
            seed=seed,
            batch_size=batch_size,
            labels=labels,
            truncation=truncation,
            out=out,
            codes=codes,
        )

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
                "packing": self.packing,
                "tricks": [keras.saving.serialize_keras_object(t) for t in self.tricks],
                "generator_ema": self.generator_ema,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
