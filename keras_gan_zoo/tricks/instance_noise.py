"""Instance noise: blur the supports of the real and generated distributions."""

import keras
from keras import ops

from keras_gan_zoo.tricks.trick import Trick


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class InstanceNoise(Trick):
    """Adds N(0, sigma_t^2) noise to everything D sees, real and fake, in both updates.

    Early in training the data and model distributions have (nearly)
    disjoint supports, where a perfect D gives G no useful gradient; noise
    makes the supports overlap. sigma_t decays linearly from `stddev` to 0
    over `decay_steps` train steps, so the final game is the noiseless one.

    Args:
        stddev: initial noise standard deviation.
        decay_steps: train steps (generator updates) over which sigma
            decays to 0; None keeps it constant.

    References: Sønderby et al., "Amortised MAP Inference for Image
    Super-resolution", ICLR 2017, https://arxiv.org/abs/1610.04490
    (Section 3.2); Arjovsky and Bottou, "Towards Principled Methods for
    Training Generative Adversarial Networks", ICLR 2017,
    https://arxiv.org/abs/1701.04862.
    """

    def __init__(self, stddev=0.1, decay_steps=None, **kwargs):
        super().__init__(**kwargs)
        if stddev <= 0:
            raise ValueError(f"stddev must be positive, got {stddev}.")
        if decay_steps is not None and decay_steps < 1:
            raise ValueError(f"decay_steps must be a positive number of steps, got {decay_steps}.")
        self.stddev = float(stddev)
        self.decay_steps = decay_steps

    def current_stddev(self, model):
        """sigma_t at the model's current train step."""
        if self.decay_steps is None:
            return ops.convert_to_tensor(self.stddev)
        step = ops.cast(model.optimizer.iterations, "float32")
        return self.stddev * ops.maximum(1.0 - step / float(self.decay_steps), 0.0)

    def inputs(self, model, role, real_inputs, fake_inputs, batch=None):
        stddev = self.current_stddev(model)

        def noisy(x):
            x = ops.convert_to_tensor(x)
            return x + stddev * keras.random.normal(ops.shape(x), seed=model.seed_generator)

        return noisy(real_inputs), noisy(fake_inputs)

    def get_config(self):
        config = super().get_config()
        config.update(stddev=self.stddev, decay_steps=self.decay_steps)
        return config
