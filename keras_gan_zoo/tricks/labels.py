"""Soft and noisy labels for a cross-entropy discriminator."""

import keras
from keras import ops

from keras_gan_zoo.tricks.trick import Trick


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class NoisyLabels(Trick):
    """One-sided label smoothing, label noise and occasional label flips.

    The real target becomes `1 - smoothing - noise * u` with u ~ U[0, 1) per
    example (one-sided: the fake target stays 0, because smoothing it too
    moves D's optimum where the data has no mass, Salimans et al. Section
    3.4); then with probability `flip_probability` an example's real and fake
    targets are swapped (the "occasionally flip the labels" trick).

    Only for losses that classify real against fake (`non_saturating`,
    `minimax`, a keras `Loss`); others have no targets to soften.

    Args:
        smoothing: subtracted from the real target (0.1 in Salimans et al.).
        noise: width of the uniform noise subtracted from the real target.
        flip_probability: chance to swap an example's targets.

    Reference: Salimans et al., "Improved Techniques for Training GANs",
    NeurIPS 2016, https://arxiv.org/abs/1606.03498 (Section 3.4).
    """

    def __init__(self, smoothing=0.1, noise=0.0, flip_probability=0.0, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= smoothing + noise < 1.0:
            raise ValueError(f"smoothing + noise must be in [0, 1), got {smoothing} + {noise}.")
        if not 0.0 <= flip_probability < 0.5:
            raise ValueError(f"flip_probability must be in [0, 0.5), got {flip_probability}.")
        self.smoothing = float(smoothing)
        self.noise = float(noise)
        self.flip_probability = float(flip_probability)

    def targets(self, model, real_target, fake_target, batch_size):
        if not model.adversarial_loss.uses_targets:
            raise ValueError(
                f"NoisyLabels needs a loss with real/fake targets; "
                f"{model.adversarial_loss.name!r} has none."
            )
        seed = model.seed_generator
        real_target = real_target - self.smoothing
        if self.noise:
            real_target = real_target - self.noise * keras.random.uniform((batch_size,), seed=seed)
        real_target = real_target * ops.ones((batch_size,))
        fake_target = fake_target * ops.ones((batch_size,))
        if self.flip_probability:
            flip = keras.random.uniform((batch_size,), seed=seed) < self.flip_probability
            real_target, fake_target = (
                ops.where(flip, fake_target, real_target),
                ops.where(flip, real_target, fake_target),
            )
        return real_target, fake_target

    def get_config(self):
        config = super().get_config()
        config.update(
            smoothing=self.smoothing, noise=self.noise, flip_probability=self.flip_probability
        )
        return config
