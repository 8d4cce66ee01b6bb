"""BEGAN: boundary equilibrium GAN (Berthelot, Schumm and Metz, 2017).

Like EBGAN, D is an autoencoder and L(v) = |v - D(v)| its per-example L1
reconstruction loss. BEGAN matches the *distributions* of reconstruction
losses of real and generated data instead of the data itself:

    L_D = L(x) - k_t L(G(z)),    L_G = L(G(z))                       (Eq. 4)
    k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z))), 0, 1)

k_t is a proportional controller that keeps E L(G(z)) = gamma E L(x): the
diversity ratio gamma trades diversity (high) for quality (low). The
convergence measure M = L(x) + |gamma L(x) - L(G(z))| (Section 3.4.1) falls
as training converges; it is logged as `d_convergence`, with `d_k`.

Default networks: EBGAN's autoencoder
(`keras_gan_zoo.networks.autoencoder_discriminator`: for vectors an MLP; for
images strided convolutions), ELU activations as in the paper; DCGAN's
generator for images. Adam with learning rate 1e-4 and beta_1 0.5; gamma 0.5,
lambda_k 0.001, k_0 = 0 (Section 4).

Reference: Berthelot et al., "BEGAN: Boundary Equilibrium Generative
Adversarial Networks", 2017, https://arxiv.org/abs/1703.10717.
"""

import keras
from keras import ops

from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.models.gan import pack
from keras_gan_zoo.networks import DCGANNetworks
from keras_gan_zoo.networks import autoencoder_discriminator


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class BEGAN(DCGANNetworks, GAN):
    """Boundary equilibrium GAN.

    Args:
        gamma: the diversity ratio E L(G(z)) / E L(x) aimed at. Default 0.5.
        k_learning_rate: lambda_k, the gain of k's update. Default 0.001.
        **kwargs: the `GAN` arguments. A `discriminator` you pass must map a
            batch to `[reconstruction, code]` (or `[reconstruction]`... the
            first output is used).
    """

    def __init__(self, *, gamma=0.5, k_learning_rate=1e-3, **kwargs):
        if not 0.0 < gamma <= 1.0:
            raise ValueError(f"gamma must be in (0, 1], got {gamma}.")
        self.gamma = float(gamma)
        self.k_learning_rate = float(k_learning_rate)
        super().__init__(**kwargs)
        # The controller's state: saved with the model, threaded through the JAX step.
        self.k = self.add_weight(shape=(), initializer="zeros", trainable=False, name="k")

    def build_discriminator(self, input_shape):
        return autoencoder_discriminator(input_shape, activation="elu")

    def default_optimizer(self, prefix):
        return keras.optimizers.Adam(learning_rate=1e-4, beta_1=0.5)

    def discriminator_log_names(self):
        return ("k", "convergence")

    def reconstruction_loss(self, data, training=True):
        """L(v): per-example mean absolute reconstruction error."""
        outputs = self.discriminator(pack(data, self.packing), training=training)
        reconstruction = outputs[0] if isinstance(outputs, (list, tuple)) else outputs
        error = ops.abs(reconstruction - pack(data, self.packing))
        return ops.mean(ops.reshape(error, (ops.shape(error)[0], -1)), axis=1)

    def discriminate(self, data, batch=None, training=True):
        return self.reconstruction_loss(data, training)[:, None]

    def discriminator_objective(self, real_inputs, fake_inputs, batch):
        real_loss = ops.mean(self.reconstruction_loss(real_inputs))
        fake_loss = ops.mean(self.reconstruction_loss(fake_inputs))
        # A copy: torch must not see k change in place while the graph still needs it.
        k = ops.copy(self.k.value)
        loss = real_loss - k * fake_loss  # Eq. 4
        # The controller steps with this update's losses; no gradient through it.
        balance = ops.stop_gradient(self.gamma * real_loss - fake_loss)
        self.k.assign(ops.clip(k + self.k_learning_rate * balance, 0.0, 1.0))
        return loss, {"k": k, "convergence": ops.stop_gradient(real_loss) + ops.abs(balance)}

    def generator_objective(self, real_inputs, fake_inputs, batch):
        return ops.mean(self.reconstruction_loss(fake_inputs)), {}

    def get_config(self):
        config = super().get_config()
        config.update(gamma=self.gamma, k_learning_rate=self.k_learning_rate)
        return config
