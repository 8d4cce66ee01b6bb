"""EBGAN: energy-based GAN with an autoencoder as discriminator (Zhao et al., 2017).

D is an autoencoder whose reconstruction error is an energy: low on real
data, high on fakes. D minimizes E(x) + max(0, m - E(G(z))) (Eq. 1), so it
only pushes fakes' energy up to the margin m; G minimizes E(G(z)) (Eq. 2)
plus the pulling-away term (Eq. 8), the mean squared cosine similarity
between the encoder's codes of different fakes in a batch, which keeps G's
samples apart (a cheap substitute for minibatch discrimination).

Default networks (`keras_gan_zoo.networks.autoencoder_discriminator`): for
vectors, an MLP encoder and decoder; for images, strided convolutions down to
a code and transposed convolutions back up (the shape of the paper's MNIST
autoencoder, Appendix C), with DCGAN's generator.
Adam with learning rate 1e-3 and beta_1 0.5 (the paper's MNIST grid
centre); margin 1 on mean squared errors (the paper's margins are on sums
over pixels; a mean makes the margin independent of the image size).

Reference: Zhao, Mathieu and LeCun, "Energy-based Generative Adversarial
Network", ICLR 2017, https://arxiv.org/abs/1609.03126.
"""

import keras
from keras import ops

from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.models.gan import pack
from keras_gan_zoo.networks import DCGANNetworks
from keras_gan_zoo.networks import autoencoder_discriminator


def pulling_away_term(codes):
    """f_PT (Eq. 8): mean squared cosine similarity over pairs of distinct codes."""
    codes = ops.reshape(codes, (ops.shape(codes)[0], -1))
    unit = codes / (ops.norm(codes, axis=1, keepdims=True) + 1e-8)
    similarity = ops.matmul(unit, ops.transpose(unit))
    n = ops.cast(ops.shape(codes)[0], similarity.dtype)
    # The diagonal (each code with itself) is 1: remove it from the sum.
    return (ops.sum(ops.square(similarity)) - n) / (n * (n - 1.0))


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class EBGAN(DCGANNetworks, GAN):
    """Energy-based GAN.

    Args:
        margin: m of Eq. 1, on D's per-example mean squared reconstruction
            error. Default 1.
        pt_weight: weight of the pulling-away term in G's loss (0.1 in the
            paper; 0 turns it off).
        **kwargs: the `GAN` arguments. A `discriminator` you pass must map a
            batch to `[reconstruction, code]`.

    Logs `d_real_energy`, `d_fake_energy` and `g_pulling_away`.
    """

    def __init__(self, *, margin=1.0, pt_weight=0.1, **kwargs):
        if margin <= 0:
            raise ValueError(f"margin must be positive, got {margin}.")
        self.margin = float(margin)
        self.pt_weight = float(pt_weight)
        super().__init__(**kwargs)

    def build_discriminator(self, input_shape):
        return autoencoder_discriminator(input_shape)

    def default_optimizer(self, prefix):
        return keras.optimizers.Adam(learning_rate=1e-3, beta_1=0.5)

    def discriminator_log_names(self):
        return ("real_energy", "fake_energy")

    def generator_log_names(self):
        return ("pulling_away",)

    def energy_and_code(self, data, training=True):
        """Per-example mean squared reconstruction error, and the codes."""
        reconstruction, code = self.discriminator(pack(data, self.packing), training=training)
        squared = ops.square(reconstruction - pack(data, self.packing))
        return ops.mean(ops.reshape(squared, (ops.shape(squared)[0], -1)), axis=1), code

    def discriminate(self, data, batch=None, training=True):
        # D's scalar output is the energy (penalties and tricks see this).
        return self.energy_and_code(data, training)[0][:, None]

    def discriminator_objective(self, real_inputs, fake_inputs, batch):
        real_energy, _ = self.energy_and_code(real_inputs)
        fake_energy, _ = self.energy_and_code(fake_inputs)
        # Eq. 1: pull real energies down, push fake ones up to the margin.
        loss = ops.mean(real_energy) + ops.mean(ops.relu(self.margin - fake_energy))
        return loss, {"real_energy": ops.mean(real_energy), "fake_energy": ops.mean(fake_energy)}

    def generator_objective(self, real_inputs, fake_inputs, batch):
        fake_energy, codes = self.energy_and_code(fake_inputs)
        pulling_away = pulling_away_term(codes)
        # Eq. 2, plus the pulling-away term of Section 2.4.
        loss = ops.mean(fake_energy) + self.pt_weight * pulling_away
        return loss, {"pulling_away": pulling_away}

    def get_config(self):
        config = super().get_config()
        config.update(margin=self.margin, pt_weight=self.pt_weight)
        return config
