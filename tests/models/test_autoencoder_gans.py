"""EBGAN and BEGAN: their losses, pulling-away term and k controller against NumPy."""

import numpy as np
import pytest
from keras import ops

import keras_gan_zoo
from keras_gan_zoo.engine import Batch
from keras_gan_zoo.models.ebgan import pulling_away_term

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried

POINTS = np.random.default_rng(0).normal(size=(256, 2)).astype("float32")


def _numpy(tensor):
    return ops.convert_to_numpy(ops.stop_gradient(ops.convert_to_tensor(tensor)))


def _fixed_latents(model, n=16):
    latents = np.random.default_rng(1).normal(size=(n, model.latent_dim)).astype("float32")
    # Every update of this test sees the same fakes, so NumPy can recompute them.
    model.latent_prior.sample = lambda batch_size, seed, labels=None: {
        "z": ops.convert_to_tensor(latents)
    }
    return _numpy(model.generator(latents))


def _reconstruction(model, data):
    return _numpy(model.discriminator(data)[0])


def test_pulling_away_term_is_the_mean_squared_cosine_of_distinct_pairs():
    codes = np.random.default_rng(0).normal(size=(6, 4)).astype("float32")
    unit = codes / np.linalg.norm(codes, axis=1, keepdims=True)
    cosine = unit @ unit.T
    expected = (np.sum(cosine**2) - 6) / (6 * 5)
    assert _numpy(pulling_away_term(codes)) == pytest.approx(expected, rel=1e-5)
    # Orthogonal codes do not pull; identical codes give the maximum, 1.
    assert _numpy(pulling_away_term(np.eye(4, dtype="float32"))) == pytest.approx(0.0, abs=1e-6)
    assert _numpy(pulling_away_term(np.ones((4, 3), "float32"))) == pytest.approx(1.0, rel=1e-5)


def test_ebgan_losses_follow_equations_1_and_2():
    ebgan = keras_gan_zoo.EBGAN(data_shape=(2,), data_range=None, latent_dim=2, margin=0.7)
    fakes = _fixed_latents(ebgan)
    real = ops.convert_to_tensor(POINTS[:16])

    def energy(x):
        x = _numpy(x)
        return np.mean((_reconstruction(ebgan, x) - x) ** 2, axis=1)

    d_loss, logs = ebgan.discriminator_loss(Batch(real))
    expected = energy(real).mean() + np.maximum(0.7 - energy(fakes), 0).mean()
    assert _numpy(d_loss) == pytest.approx(expected, rel=1e-4)
    assert _numpy(logs["fake_energy"]) == pytest.approx(energy(fakes).mean(), rel=1e-4)
    g_loss, logs = ebgan.generator_loss(Batch(real))
    codes = _numpy(ebgan.discriminator(fakes)[1])
    pulling_away = _numpy(pulling_away_term(codes))
    assert _numpy(g_loss) == pytest.approx(energy(fakes).mean() + 0.1 * pulling_away, rel=1e-4)


def test_began_k_follows_its_update_rule_and_stays_in_0_1():
    began = keras_gan_zoo.BEGAN(
        data_shape=(2,), data_range=None, latent_dim=2, gamma=0.5, k_learning_rate=0.1
    )
    fakes = _fixed_latents(began)
    real = ops.convert_to_tensor(POINTS[:16])

    def reconstruction_loss(x):
        x = _numpy(x)
        return np.mean(np.abs(_reconstruction(began, x) - x), axis=1).mean()

    k = 0.0
    for _ in range(3):
        d_loss, logs = began.discriminator_loss(Batch(real))
        real_loss, fake_loss = reconstruction_loss(real), reconstruction_loss(fakes)
        # L_D = L(x) - k_t L(G(z)); k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z))), 0, 1).
        assert _numpy(d_loss) == pytest.approx(real_loss - k * fake_loss, rel=1e-4, abs=1e-6)
        assert _numpy(logs["k"]) == pytest.approx(k, abs=1e-6)
        convergence = real_loss + abs(0.5 * real_loss - fake_loss)
        assert _numpy(logs["convergence"]) == pytest.approx(convergence, rel=1e-4)
        k = float(np.clip(k + 0.1 * (0.5 * real_loss - fake_loss), 0.0, 1.0))
        assert _numpy(began.k.value) == pytest.approx(k, abs=1e-6)


def test_began_and_ebgan_train_under_fit_and_save_k():
    began = keras_gan_zoo.BEGAN(
        data_shape=(2,), data_range=None, latent_dim=2, k_learning_rate=0.05
    )
    began.compile()
    history = began.fit(POINTS + 3.0, batch_size=32, epochs=2, verbose=0).history
    assert np.all(np.isfinite(history["d_convergence"]))
    assert 0.0 < float(_numpy(began.k.value)) <= 1.0  # the controller moved, on every backend
    ebgan = keras_gan_zoo.EBGAN(data_shape=(2,), data_range=None, latent_dim=2)
    ebgan.compile()
    assert np.isfinite(ebgan.fit(POINTS, batch_size=32, verbose=0).history["g_pulling_away"][0])


@pytest.mark.parametrize("data_shape", [(2,), (8, 8, 1)])
def test_autoencoder_minibatch_layer_makes_reconstructions_depend_on_the_batch(data_shape):
    from keras_gan_zoo.layers import MinibatchStandardDeviation
    from keras_gan_zoo.networks import autoencoder_discriminator

    batch = np.random.default_rng(2).normal(size=(4, *data_shape)).astype("float32")
    collapsed = np.repeat(batch[:1], 4, axis=0)
    plain = autoencoder_discriminator(data_shape, code_dim=3, units=(8,), filters=4)
    with_statistics = autoencoder_discriminator(
        data_shape,
        code_dim=3,
        units=(8,),
        filters=4,
        minibatch_layer=MinibatchStandardDeviation(group_size=4),
    )
    for model, depends in ((plain, False), (with_statistics, True)):
        alone = _numpy(model(batch)[0])[0]
        among_copies = _numpy(model(collapsed)[0])[0]
        assert (np.abs(alone - among_copies).max() > 1e-4) == depends
        # The code is still per example: the same input, the same code.
        codes = _numpy(model(batch)[1])[0], _numpy(model(collapsed)[1])[0]
        np.testing.assert_allclose(*codes, atol=1e-6)
