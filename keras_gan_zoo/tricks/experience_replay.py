"""Experience replay: D also sees fakes from earlier generators (an image pool)."""

import keras
from keras import ops

from keras_gan_zoo.engine.players import DISCRIMINATOR
from keras_gan_zoo.tricks.trick import Trick


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class ExperienceReplay(Trick):
    """Replaces part of D's fake batch with fakes stored from earlier steps.

    D keeps being reminded of the modes G visited before, so G cannot win by
    returning to a mode D has forgotten (Shrivastava et al.: half of the
    fakes from a history buffer; CycleGAN: a pool of 50 images, each slot
    replayed with probability 1/2).

    In each D update, the first `replay_fraction` of the fake batch is
    replaced by fakes drawn uniformly from the pool, once the pool holds any;
    then those fresh fakes are written to the pool, which is a ring buffer
    (the oldest entries are overwritten first). The pool is a layer variable:
    it is saved with the model and threaded through the jitted JAX step.

    Args:
        pool_size: fakes the pool holds.
        replay_fraction: fraction of each fake batch taken from the pool.

    References: Shrivastava et al., "Learning from Simulated and
    Unsupervised Images through Adversarial Training", CVPR 2017,
    https://arxiv.org/abs/1612.07828 (Section 2.3); Zhu et al., "Unpaired
    Image-to-Image Translation using Cycle-Consistent Adversarial
    Networks", ICCV 2017, https://arxiv.org/abs/1703.10593 (Section 4).
    """

    def __init__(self, pool_size=256, replay_fraction=0.5, **kwargs):
        super().__init__(**kwargs)
        if pool_size < 1:
            raise ValueError(f"pool_size must be positive, got {pool_size}.")
        if not 0.0 < replay_fraction <= 1.0:
            raise ValueError(f"replay_fraction must be in (0, 1], got {replay_fraction}.")
        self.pool_size = int(pool_size)
        self.replay_fraction = float(replay_fraction)

    def attach(self, model):
        self.pool = self.add_weight(
            shape=(self.pool_size, *model.data_shape),
            initializer="zeros",
            trainable=False,
            name="pool",
        )
        # An integer count: a float32 one would stop counting exactly after 2^24 fakes.
        self.stored = self.add_weight(
            shape=(), initializer="zeros", dtype="int32", trainable=False, name="stored"
        )
        super().attach(model)

    def inputs(self, model, role, real_inputs, fake_inputs, batch=None):
        if role != DISCRIMINATOR:
            return real_inputs, fake_inputs
        fake_inputs = ops.convert_to_tensor(fake_inputs)
        batch_size = fake_inputs.shape[0]
        if batch_size is None:
            raise ValueError("ExperienceReplay needs a static batch size (drop_remainder=True).")
        replayed = int(round(self.replay_fraction * batch_size))
        if replayed > self.pool_size:
            raise ValueError(
                f"ExperienceReplay would replay {replayed} fakes per batch from a pool of "
                f"{self.pool_size}; use a pool_size of at least {replayed}."
            )
        if replayed == 0:
            return real_inputs, fake_inputs
        fresh = fake_inputs[:replayed]
        # Draw from the filled part of the pool.
        filled = ops.cast(ops.minimum(self.stored, self.pool_size), "float32")
        draws = keras.random.uniform((replayed,), seed=model.seed_generator)
        indices = ops.minimum(
            ops.cast(ops.floor(draws * ops.maximum(filled, 1.0)), "int32"), self.pool_size - 1
        )
        from_pool = ops.take(self.pool, indices, axis=0)
        old = ops.where(self.stored > 0, from_pool, fresh)
        # Ring buffer: the fresh fakes overwrite the oldest entries.
        slots = ops.mod(self.stored + ops.arange(replayed, dtype="int32"), self.pool_size)
        self.pool.assign(ops.scatter_update(self.pool, slots[:, None], ops.stop_gradient(fresh)))
        self.stored.assign(self.stored + replayed)
        return real_inputs, ops.concatenate([old, fake_inputs[replayed:]], axis=0)

    def get_config(self):
        config = super().get_config()
        config.update(pool_size=self.pool_size, replay_fraction=self.replay_fraction)
        return config
