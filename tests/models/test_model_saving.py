"""Every model round-trips its config and its `.keras` file, tricks and state included."""

import keras
import numpy as np
import pytest

import keras_gan_zoo
from keras_gan_zoo import tricks

MODELS = {
    "WGAN": lambda **kw: keras_gan_zoo.WGAN(clip_value=0.02, **kw),
    "WGANGP": lambda **kw: keras_gan_zoo.WGANGP(gp_weight=5.0, **kw),
    "DRAGAN": lambda **kw: keras_gan_zoo.DRAGAN(penalty_weight=3.0, **kw),
    "LSGAN": lambda **kw: keras_gan_zoo.LSGAN(a=-1.0, b=1.0, c=0.0, **kw),
    "FGAN": lambda **kw: keras_gan_zoo.FGAN(divergence="reverse_kl", **kw),
    "SNGAN": lambda **kw: keras_gan_zoo.SNGAN(**kw),
    "EBGAN": lambda **kw: keras_gan_zoo.EBGAN(margin=2.0, **kw),
    "BEGAN": lambda **kw: keras_gan_zoo.BEGAN(gamma=0.7, **kw),
    "UnrolledGAN": lambda **kw: keras_gan_zoo.UnrolledGAN(unrolling_steps=2, latent_dim=4, **kw),
    "PacGAN": lambda **kw: keras_gan_zoo.PacGAN(packing=3, **kw),
    "GAN+tricks": lambda **kw: keras_gan_zoo.GAN(
        **kw,
        tricks=[
            tricks.R1Penalty(2.0),
            tricks.NoisyLabels(0.1, flip_probability=0.05),
            tricks.HistoricalAveraging(1e-3),
            tricks.InstanceNoise(0.1, decay_steps=100),
            tricks.ExperienceReplay(pool_size=48),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_saves_and_loads(name, tmp_path):
    keras.config.disable_interactive_logging()
    keras.utils.set_random_seed(0)
    model = _build(name)
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
    # State (BatchNorm statistics, BEGAN's k, trick pools and averages) survives;
    # Keras does not save the layers' dropout seed generators.
    for saved, loaded in zip(model.non_trainable_variables, restored.non_trainable_variables):
        if "seed_generator" not in saved.path:
            np.testing.assert_array_equal(np.asarray(saved.value), np.asarray(loaded.value))
    # Training continues from the restored optimizers.
    assert int(restored.g_optimizer.iterations) == int(model.g_optimizer.iterations) == 2
    restored.fit(points, batch_size=48, epochs=1, verbose=0)


def _build(name):
    # Small vector data: each model builds its default MLP networks.
    kw = dict(data_shape=(2,), data_range=None)
    if name != "UnrolledGAN":
        kw["latent_dim"] = 4
    return MODELS[name](**kw)
