"""Virtual batch normalization against NumPy, and its generator wrapper."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gan_zoo.layers import VirtualBatchNormalization
from keras_gan_zoo.layers import VirtualBatchNormGenerator

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried


def _numpy(tensor):
    return ops.convert_to_numpy(ops.stop_gradient(ops.convert_to_tensor(tensor)))


def _normal(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _virtual_batch_norm(x, reference_size, gamma, beta, epsilon=1e-5):
    """Statistics taken directly over {reference} and over {reference, x_i}."""
    axes = tuple(range(x.ndim - 1))
    reference = x[:reference_size]

    def normalize(rows, pool):
        return (rows - pool.mean(axes)) / np.sqrt(pool.var(axes) + epsilon) * gamma + beta

    outputs = [normalize(reference, reference)]
    for i in range(reference_size, len(x)):
        outputs.append(normalize(x[i : i + 1], np.concatenate([reference, x[i : i + 1]])))
    return np.concatenate(outputs)


@pytest.mark.parametrize("shape", [(5, 3), (5, 4, 4, 3)], ids=["rank2", "rank4"])
def test_virtual_batch_norm_matches_numpy_and_ignores_other_examples(shape):
    reference_size = 4
    layer = VirtualBatchNormalization(reference_size)
    reference = _normal(reference_size, *shape[1:]) * 2 + 1
    examples = _normal(*shape, seed=1) * 3 - 1
    batch = np.concatenate([reference, examples])
    layer.build(batch.shape)
    gamma, beta = _normal(3, seed=2), _normal(3, seed=3)
    layer.set_weights([gamma, beta])

    outputs = _numpy(layer(batch))
    expected = _virtual_batch_norm(batch.astype("float64"), reference_size, gamma, beta)
    np.testing.assert_allclose(outputs, expected, rtol=1e-4, atol=1e-5)
    for i in range(len(examples)):
        alone = _numpy(layer(np.concatenate([reference, examples[i : i + 1]])))
        np.testing.assert_allclose(alone[-1], outputs[reference_size + i], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(alone[:reference_size], outputs[:reference_size], atol=1e-6)

    # Batch normalization would differ: the examples' own statistics are not used.
    axes = tuple(range(len(shape) - 1))
    batch_norm = (examples - examples.mean(axes)) / np.sqrt(examples.var(axes) + 1e-5)
    assert not np.allclose(outputs[reference_size:], batch_norm * gamma + beta, atol=1e-2)

    config = layer.get_config()
    assert VirtualBatchNormalization.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="reference_size"):
        layer(batch[:3])


def _vbn_body(reference_size):
    inputs = keras.Input((4,))
    hidden = keras.layers.Dense(8)(inputs)
    hidden = VirtualBatchNormalization(reference_size)(hidden)
    hidden = keras.layers.ReLU()(hidden)
    return keras.Model(inputs, keras.layers.Dense(3)(hidden))


def test_virtual_batch_norm_generator(tmp_path):
    body = _vbn_body(5)
    generator = VirtualBatchNormGenerator(body, reference_size=5, seed=7)
    latents = _normal(6, 4)
    outputs = _numpy(generator(latents))
    assert outputs.shape == (6, 3)
    reference = _numpy(generator.reference_latents)
    assert reference.shape == (5, 4)
    assert not generator.reference_latents.trainable
    np.testing.assert_allclose(
        outputs, _numpy(body(np.concatenate([reference, latents])))[5:], rtol=1e-5, atol=1e-6
    )
    np.testing.assert_array_equal(_numpy(generator(latents)), outputs)
    for i in range(6):  # each sample depends only on its latent (and the reference)
        np.testing.assert_allclose(
            _numpy(generator(latents[i : i + 1]))[0], outputs[i], rtol=1e-5, atol=1e-5
        )

    # The seed fixes the reference latents.
    same_seed = VirtualBatchNormGenerator(_vbn_body(5), reference_size=5, seed=7)
    np.testing.assert_array_equal(_numpy(same_seed.reference_latents), reference)
    other_seed = VirtualBatchNormGenerator(_vbn_body(5), reference_size=5, seed=8)
    assert not np.allclose(_numpy(other_seed.reference_latents), reference)

    config = generator.get_config()
    clone = VirtualBatchNormGenerator.from_config(config)
    assert clone.reference_size == 5 and clone.latent_shape == (4,) and clone.seed == 7
    clone.set_weights(generator.get_weights())
    np.testing.assert_allclose(_numpy(clone(latents)), outputs, rtol=1e-6, atol=1e-6)

    # Saved with its reference latents, even unseeded ones.
    unseeded = VirtualBatchNormGenerator(_vbn_body(5), reference_size=5)
    unseeded.compile(optimizer="sgd", loss="mse")
    unseeded.train_on_batch(latents, np.zeros((6, 3)))
    unseeded.save(tmp_path / "generator.keras")
    restored = keras.saving.load_model(tmp_path / "generator.keras")
    np.testing.assert_array_equal(
        _numpy(restored.reference_latents), _numpy(unseeded.reference_latents)
    )
    np.testing.assert_allclose(
        _numpy(restored(latents)), _numpy(unseeded(latents)), rtol=1e-6, atol=1e-6
    )

    with pytest.raises(ValueError, match="reference_size"):
        VirtualBatchNormGenerator(_vbn_body(4), reference_size=5)
