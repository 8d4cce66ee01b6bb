"""A model with every stateful trick round-trips its config and its `.keras` file.

Each registered model's own config and `.keras` round trips (weights, BatchNorm
statistics, BEGAN's k, optimizer state) are the contract test's
(tests/models/test_model_contracts.py); what it does not cover is here: the
tricks' configs and state, training that continues from a loaded file, and
constructor arguments away from their defaults (a `from_config` that dropped
one would give the default back, which the tiny configs would not notice).
"""

import keras
import numpy as np
import pytest

import keras_gan_zoo
from keras_gan_zoo import tricks

# Each model with its own arguments away from their defaults.
NON_DEFAULT = {
    "WGAN": lambda **kw: keras_gan_zoo.WGAN(clip_value=0.02, **kw),
    "WGANGP": lambda **kw: keras_gan_zoo.WGANGP(gp_weight=5.0, **kw),
    "DRAGAN": lambda **kw: keras_gan_zoo.DRAGAN(penalty_weight=3.0, **kw),
    "LSGAN": lambda **kw: keras_gan_zoo.LSGAN(a=-1.0, b=1.0, c=0.0, **kw),
    "FGAN": lambda **kw: keras_gan_zoo.FGAN(divergence="reverse_kl", **kw),
    "EBGAN": lambda **kw: keras_gan_zoo.EBGAN(margin=2.0, **kw),
    "BEGAN": lambda **kw: keras_gan_zoo.BEGAN(gamma=0.7, **kw),
    "UnrolledGAN": lambda **kw: keras_gan_zoo.UnrolledGAN(unrolling_steps=2, **kw),
    "PacGAN": lambda **kw: keras_gan_zoo.PacGAN(packing=3, **kw),
}


# Configs are Python dicts: the same on every backend.
@pytest.mark.neutral
@pytest.mark.parametrize("name", sorted(NON_DEFAULT))
def test_non_default_arguments_survive_the_config_round_trip(name):
    model = NON_DEFAULT[name](data_shape=(2,), data_range=None, latent_dim=4)
    config = model.get_config()
    restored = type(model).from_config(config)
    own = {k: v for k, v in config.items() if k not in ("generator", "discriminator")}
    assert {k: restored.get_config()[k] for k in own} == own


def _gan_with_tricks():
    # Small vector data: the default MLP networks.
    return keras_gan_zoo.GAN(
        data_shape=(2,),
        data_range=None,
        latent_dim=4,
        tricks=[
            tricks.R1Penalty(2.0),
            tricks.NoisyLabels(0.1, flip_probability=0.05),
            tricks.HistoricalAveraging(1e-3),
            tricks.InstanceNoise(0.1, decay_steps=100),
            tricks.ExperienceReplay(pool_size=48),
        ],
    )


@pytest.mark.carried
def test_model_with_tricks_saves_and_loads(tmp_path):
    keras.config.disable_interactive_logging()
    keras.utils.set_random_seed(0)
    model = _gan_with_tricks()
    model.compile()
    points = np.random.default_rng(0).normal(size=(96, 2)).astype("float32")
    model.fit(points, batch_size=48, epochs=1, verbose=0)

    path = tmp_path / "model.keras"
    model.save(path)
    restored = keras.saving.load_model(path)
    assert type(restored) is type(model)
    # The networks' and tricks' configs differ only in auto-generated layer names.
    own = {k: v for k, v in model.get_config().items() if k not in ("generator", "discriminator")}
    loaded = restored.get_config()
    for config in (own, loaded):
        for trick in config["tricks"]:
            trick["config"].pop("name")
    assert {k: loaded[k] for k in own} == own
    np.testing.assert_allclose(restored.generate(8, seed=3), model.generate(8, seed=3), atol=1e-6)
    # State (trick pools and averages) survives; Keras does not save the
    # layers' dropout seed generators.
    for saved, loaded in zip(model.non_trainable_variables, restored.non_trainable_variables):
        if "seed_generator" not in saved.path:
            np.testing.assert_array_equal(np.asarray(saved.value), np.asarray(loaded.value))
    # Training continues from the restored optimizers.
    assert int(restored.g_optimizer.iterations) == int(model.g_optimizer.iterations) == 2
    restored.fit(points, batch_size=48, epochs=1, verbose=0)
