"""compile() and fit() refuse obviously bad arguments, naming them, instead of
training at a default or not at all. Backend-neutral: TensorFlow only."""

import numpy as np
import pytest

import keras_gan_zoo
from keras_gan_zoo.networks import mlp_discriminator
from keras_gan_zoo.networks import mlp_generator

pytestmark = pytest.mark.neutral

DATA = np.random.default_rng(0).uniform(-1, 1, (64, 4)).astype("float32")


def _tiny_gan():
    return keras_gan_zoo.GAN(
        generator=mlp_generator(2, (4,), units=(8,)),
        discriminator=mlp_discriminator((4,), units=(8,), pieces=2),
        seed=0,
    )


@pytest.fixture
def gan():
    model = _tiny_gan()
    model.compile()
    return model


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        # Keras trains at 32 for a batch_size of 0 (`batch_size or 32`).
        (dict(batch_size=0), "batch_size must be a positive integer; got 0"),
        (dict(batch_size=-3), "batch_size must be a positive integer; got -3"),
        (dict(batch_size=2.5), "batch_size must be a positive integer; got 2.5"),
        # These trained nothing and then blamed the data ("the dataset is empty").
        (dict(epochs=0), "epochs must be a positive integer; got 0"),
        (dict(epochs=2, initial_epoch=2), "initial_epoch=2 with epochs=2 trains nothing"),
        (dict(initial_epoch=-1), "initial_epoch must be a non-negative integer; got -1"),
        (dict(steps_per_epoch=0), r"steps_per_epoch \(or None\) must be a positive integer; got 0"),
        (dict(epochs=1.5), "epochs must be a positive integer; got 1.5"),
    ],
)
def test_fit_refuses_bad_counts(gan, arguments, message):
    with pytest.raises(ValueError, match=message):
        gan.fit(DATA, verbose=0, **{"batch_size": 32, **arguments})
    assert int(gan.g_optimizer.iterations) == 0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (dict(steps_per_execution=0), "steps_per_execution must be a positive integer; got 0"),
        (dict(jit_compile="yes"), "jit_compile must be True, False or 'auto'; got 'yes'"),
        (dict(run_eagerly="no"), "run_eagerly must be True or False; got 'no'"),
    ],
)
def test_compile_refuses_bad_settings(arguments, message):
    with pytest.raises(ValueError, match=message):
        _tiny_gan().compile(**arguments)


@pytest.mark.parametrize(
    "make, message",
    [
        # latent_dim=0 used to build a 100-d generator without a word.
        (lambda: keras_gan_zoo.GAN(data_shape=(2,), latent_dim=0), "latent_dim must be a positive"),
        (lambda: keras_gan_zoo.GAN(data_shape=(2,), d_steps=1.5), "d_steps must be a positive"),
        (lambda: keras_gan_zoo.GAN(data_shape=(2,), packing=0), "packing must be a positive"),
        # every_n_epochs=0 used to divide by zero at the end of the first epoch.
        (
            lambda: keras_gan_zoo.callbacks.SampleGrid("grids", every_n_epochs=0),
            "every_n_epochs must be a positive integer; got 0",
        ),
        (lambda: keras_gan_zoo.callbacks.SampleGrid("grids", num_images=2.5), "num_images must"),
    ],
)
def test_model_and_callback_arguments_are_checked(make, message):
    with pytest.raises(ValueError, match=message):
        make()
