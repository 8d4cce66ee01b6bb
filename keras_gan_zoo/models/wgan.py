"""WGAN and WGAN-GP: GANs that minimize an estimate of the Wasserstein-1 distance.

The critic C scores examples with an unbounded number (no sigmoid) and
maximizes E C(x) - E C(G(z)); G maximizes E C(G(z)). The estimate is only a
distance if C is (K-)Lipschitz, which the two models enforce differently:
- `WGAN` clips every critic weight to [-c, c] after each critic update
  (Algorithm 1, line 7);
- `WGANGP` penalizes the critic's gradient norm on random interpolates of
  real and fake examples (`keras_gan_zoo.tricks.GradientPenalty`), and has no
  BatchNorm in the critic (the penalty is per example; layer norm instead).

Both update the critic n_critic = 5 times per generator update, on the same
real batch (see `GAN`'s deviation note).

Default networks: DCGAN's for images (the papers' main experiments), ReLU
MLPs for vectors (2D mixtures).

References:
- Arjovsky, Chintala and Bottou, "Wasserstein GAN", ICML 2017,
  https://arxiv.org/abs/1701.07875.
- Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017,
  https://arxiv.org/abs/1704.00028.
"""

import keras
from keras import ops

from keras_gan_zoo.engine import DISCRIMINATOR
from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.models.gan import resolve_tricks
from keras_gan_zoo.networks import dcgan_discriminator
from keras_gan_zoo.networks import dcgan_generator
from keras_gan_zoo.networks import dense_discriminator
from keras_gan_zoo.networks import mlp_generator
from keras_gan_zoo.tricks import GradientPenalty


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class WGAN(GAN):
    """Wasserstein GAN: a weight-clipped critic, RMSprop, five critic updates per G update.

    Args:
        clip_value: c; critic weights are clipped to [-c, c]. Default 0.01.
        d_steps: n_critic. Default 5.
        **kwargs: the `GAN` arguments (`generator`, `discriminator` (the
            critic), `latent_dim`, `data_shape`, `data_range`, `tricks`, ...).

    Compile defaults: `loss="wasserstein"`, RMSprop with learning rate 5e-5
    for both players (Algorithm 1; the paper found momentum-based optimizers
    unstable with clipping). Logs `d_loss`, whose negative is the critic's
    estimate of the distance (up to the Lipschitz constant).

    Example:

    ```python
    wgan = keras_gan_zoo.WGAN(data_shape=(2,), data_range=None, latent_dim=2)
    wgan.compile()
    wgan.fit(points, batch_size=64, epochs=10)
    ```
    """

    def __init__(self, *, clip_value=0.01, d_steps=5, **kwargs):
        if clip_value is not None and clip_value <= 0:
            raise ValueError(f"clip_value must be positive or None, got {clip_value}.")
        self.clip_value = None if clip_value is None else float(clip_value)
        super().__init__(d_steps=d_steps, **kwargs)

    def build_generator(self, latent_dim, data_shape):
        if len(data_shape) == 3:
            return dcgan_generator(latent_dim, data_shape)
        return mlp_generator(
            latent_dim, data_shape, units=(512, 512, 512), data_range=self.data_range
        )

    def build_discriminator(self, input_shape):
        if len(input_shape) == 3:
            return dcgan_discriminator(input_shape)
        return dense_discriminator(input_shape, units=(512, 512, 512))

    def default_optimizer(self, prefix):
        return keras.optimizers.RMSprop(learning_rate=5e-5)

    def resolve_loss(self, loss):
        return super().resolve_loss(loss or "wasserstein")

    def after_update(self, role):
        # Algorithm 1, line 7: clip the critic's weights after each update.
        if role == DISCRIMINATOR and self.clip_value is not None:
            for weight in self.discriminator.trainable_variables:
                weight.assign(ops.clip(weight, -self.clip_value, self.clip_value))
        super().after_update(role)

    def get_config(self):
        config = super().get_config()
        config.update(clip_value=self.clip_value)
        return config


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class WGANGP(WGAN):
    """WGAN with a gradient penalty instead of weight clipping.

    Args:
        gp_weight: lambda, the weight of the gradient penalty. Default 10.
        d_steps: n_critic. Default 5.
        **kwargs: the `GAN` arguments. Extra `tricks` are added after the
            gradient penalty.

    Compile defaults: `loss="wasserstein"`, Adam(1e-4, beta_1=0, beta_2=0.9)
    for both players (Algorithm 1). Logs `d_gp`, the penalty term.

    The penalty draws one interpolation weight per example, not per pixel,
    and the default image critic uses layer normalization instead of
    BatchNorm (Section 4 of the paper), so each example's penalty depends
    on that example only.
    """

    def __init__(self, *, gp_weight=10.0, tricks=(), **kwargs):
        kwargs.pop("clip_value", None)
        self.gp_weight = float(gp_weight)
        tricks = resolve_tricks(tricks)
        if not any(isinstance(t, GradientPenalty) for t in tricks):
            tricks.insert(0, GradientPenalty(weight=gp_weight))
        super().__init__(clip_value=None, tricks=tricks, **kwargs)

    def build_discriminator(self, input_shape):
        if len(input_shape) == 3:
            return dcgan_discriminator(input_shape, normalization="layer")
        return dense_discriminator(input_shape, units=(512, 512, 512))

    def default_optimizer(self, prefix):
        return keras.optimizers.Adam(learning_rate=1e-4, beta_1=0.0, beta_2=0.9)

    def get_config(self):
        config = super().get_config()
        config.pop("clip_value")
        config.update(gp_weight=self.gp_weight)
        return config
