"""BiGAN: a GAN that also learns the way back, an encoder (Donahue et al. 2017; ALI, 2017).

Beside G (z to x) there is an encoder E (x to z), and D judges pairs: the
real pair (x, E(x)) against the generated pair (G(z), z). G and E are one
player, updated together with one optimizer, and play D's game with the
labels swapped (the paper's "inverted labels"): G wants D to take (G(z), z)
for real, E wants it to take (x, E(x)) for generated. At the optimum the two
joint distributions match, so E inverts G, and E's features of real images
are the unsupervised representation the paper evaluates.

ALI is the same game with a stochastic encoder: E gives the mean and
log-variance of a Gaussian, and D sees a sample of it (`ALI`).

`encode(images)` returns E's codes; `reconstruct(images)` is G(E(x)).

Reference: Donahue, Krahenbuhl and Darrell, "Adversarial Feature Learning",
ICLR 2017, https://arxiv.org/abs/1605.09782; Dumoulin et al., "Adversarially
Learned Inference", ICLR 2017, https://arxiv.org/abs/1606.00704.
"""

import keras
import numpy as np
from keras import ops

from keras_gan_zoo.encoder import Encoder
from keras_gan_zoo.engine import GENERATOR
from keras_gan_zoo.engine import Player
from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.networks.bigan import bigan_conv_discriminator
from keras_gan_zoo.networks.bigan import bigan_conv_encoder
from keras_gan_zoo.networks.bigan import bigan_discriminator
from keras_gan_zoo.networks.bigan import bigan_encoder
from keras_gan_zoo.networks.dcgan import dcgan_generator
from keras_gan_zoo.networks.mlp import mlp_generator

VARIANTS = ("mlp", "conv")


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class BiGAN(GAN):
    """BiGAN: G, an encoder E, and a D on (example, latent) pairs.

    Args:
        encoder: E, a `keras.Model` from examples to latent vectors
            (latent_dim,). Default: the paper's MNIST MLP
            (`networks.bigan_encoder`).
        discriminator: D, a `keras.Model` with inputs `[examples, latents]`
            and one logit out. Default `networks.bigan_discriminator`.
        latent_dim: size of z. Default 50 (the paper's).
        noise: the distribution of z: "uniform" in [-1, 1] (the paper's,
            default) or "normal".
        variant: "mlp" (the paper's MNIST networks, default) or "conv"
            (images: DCGAN's G, convolutional E and D).
        **kwargs: the `GAN` arguments, but no `tricks` or `packing`: they act
            on examples alone, and D here judges pairs.
    """

    # ALI's encoder outputs a Gaussian (mean, log-variance) instead of a code.
    stochastic_encoder = False

    def __init__(
        self,
        *,
        encoder=None,
        latent_dim=None,
        noise="uniform",
        variant="mlp",
        tricks=(),
        packing=1,
        **kwargs,
    ):
        if tricks or packing != 1:
            raise ValueError(
                f"{type(self).__name__}'s D judges (example, latent) pairs; tricks and packing "
                "act on examples alone, so it takes neither."
            )
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}; got {variant!r}.")
        self.variant = variant
        self.latent_noise = noise
        if latent_dim is None and kwargs.get("generator") is None:
            latent_dim = 50
        super().__init__(latent_dim=latent_dim, **kwargs)
        if encoder is None:
            encoder = self.build_encoder(self.data_shape, self.latent_dim)
        self.encoder = encoder
        probe = ops.zeros((2, *self.data_shape))
        outputs = self.encoder(probe, training=False)
        outputs = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        count = 2 if self.stochastic_encoder else 1
        shapes = [tuple(output.shape[1:]) for output in outputs]
        if shapes != [(self.latent_dim,)] * count:
            what = "a mean and a log-variance" if self.stochastic_encoder else "a code"
            raise ValueError(
                f"The encoder maps examples to shapes {shapes}; {type(self).__name__}'s encoder "
                f"must give {what}, each of shape ({self.latent_dim},)."
            )
        self.discriminator([probe, outputs[0]], training=False)

    def build_generator(self, latent_dim, data_shape):
        if self.variant == "conv":
            return dcgan_generator(latent_dim, data_shape)
        return mlp_generator(
            latent_dim, data_shape, units=(1024, 1024), data_range=self.data_range, batch_norm=True
        )

    def build_discriminator(self, input_shape):
        if self.variant == "conv":
            return bigan_conv_discriminator(input_shape, self.latent_dim)
        return bigan_discriminator(input_shape, self.latent_dim)

    def build_encoder(self, data_shape, latent_dim):
        if self.variant == "conv":
            return bigan_conv_encoder(data_shape, latent_dim, stochastic=self.stochastic_encoder)
        return bigan_encoder(data_shape, latent_dim, stochastic=self.stochastic_encoder)

    def encoded(self, examples, training=True):
        """E(x) as D sees it: BiGAN's code (ALI: a sample of E's Gaussian)."""
        return self.encoder(examples, training=training)

    def check_discriminator(self, probe, batch):
        # D takes pairs; it is checked with the encoder's codes once E exists.
        pass

    def players(self):
        d, g = super().players()
        # G and E learn together, with one optimizer ("g_optimizer").
        return [d, Player(
            "g",
            (self.generator, self.encoder),
            self.generator_loss,
            role=GENERATOR,
            log_names=g.log_names,
            averages=g.averages,
        )]  # fmt: skip

    def pairs(self, batch, training=True):
        """(the real pair [x, E(x)], the generated pair [G(z), z])."""
        fakes = self.make_fakes(batch, training=training)
        latents = self.latent_prior.network_inputs(batch.latents)
        codes = self.encoded(batch.real, training=training)
        return [batch.real, codes], [fakes, latents]

    def discriminator_outputs(self, data, batch=None, training=True):
        return self.discriminator(data, training=training)

    def discriminator_loss(self, batch):
        real_pair, fake_pair = self.pairs(batch)
        # D's update must not reach into G or E.
        real_pair = [ops.stop_gradient(part) for part in real_pair]
        fake_pair = [ops.stop_gradient(part) for part in fake_pair]
        return self.discriminator_objective(real_pair, fake_pair, batch)

    def generator_loss(self, batch):
        real_pair, fake_pair = self.pairs(batch)
        real_outputs = self.discriminate(real_pair, batch)
        fake_outputs = self.discriminate(fake_pair, batch)
        # D's game with the labels swapped: G's pairs should pass for real, E's for generated.
        loss = self.adversarial_loss.discriminator_loss(fake_outputs, real_outputs, 1.0, 0.0)
        return loss, {}

    def export_encoder(self):
        """A `keras_gan_zoo.Encoder` over E (ALI: its means), sharing its weights."""
        network = self.encoder
        if self.stochastic_encoder:
            network = keras.Model(network.inputs, network.outputs[0], name="encoder_mean")
        return Encoder(network, data_range=self.data_range, name="encoder")

    def encode(self, images, batch_size=256):
        """E's latent codes of `images` (n, *data_shape), as a NumPy array (n, latent_dim).

        ALI's are the means of E's Gaussians.
        """
        return self.export_encoder().encode(images, batch_size)

    def reconstruct(self, images, batch_size=256):
        """G(E(x)): each image through the encoder and back."""
        codes = self.encode(images, batch_size)
        return np.asarray(self.generator.predict(codes, batch_size=batch_size, verbose=0))

    def get_config(self):
        config = super().get_config()
        config["encoder"] = keras.saving.serialize_keras_object(self.encoder)
        config.update(noise=self.latent_noise, variant=self.variant)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["encoder"] = keras.saving.deserialize_keras_object(config["encoder"])
        return super().from_config(config)


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class ALI(BiGAN):
    """ALI: BiGAN with a stochastic encoder (Dumoulin et al., 2017).

    E outputs the mean and the log-variance of a Gaussian over z (two
    outputs of shape (latent_dim,)); D sees a sample, mean + exp(log_variance / 2) * noise,
    drawn with the step's seed and differentiable in E's outputs (the
    reparameterization). `encode` returns the means. Same arguments as `BiGAN`;
    an `encoder` you pass must output `[mean, log_variance]`.
    """

    stochastic_encoder = True

    def encoded(self, examples, training=True):
        mean, log_variance = self.encoder(examples, training=training)
        noise = keras.random.normal(ops.shape(mean), seed=self.seed_generator)
        return mean + ops.exp(0.5 * log_variance) * noise
