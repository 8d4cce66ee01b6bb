"""The minibatch layers against NumPy: minibatch discrimination and minibatch stddev."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gan_zoo.layers import MinibatchDiscrimination
from keras_gan_zoo.layers import MinibatchStandardDeviation

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried


def _numpy(tensor):
    return ops.convert_to_numpy(ops.stop_gradient(ops.convert_to_tensor(tensor)))


def _normal(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _minibatch_discrimination(x, kernel, num_kernels, kernel_dim):
    projections = (x @ kernel).reshape(len(x), num_kernels, kernel_dim)
    closeness = np.zeros((len(x), num_kernels))
    for i in range(len(x)):
        for j in range(len(x)):  # j = i included: the paper's formula
            for b in range(num_kernels):
                l1 = np.abs(projections[i, b] - projections[j, b]).sum()
                closeness[i, b] += np.exp(-l1)
    return np.concatenate([x, closeness], axis=1)


def test_minibatch_discrimination_matches_the_formula():
    layer = MinibatchDiscrimination(
        num_kernels=5, kernel_dim=3, kernel_initializer=keras.initializers.RandomNormal(0.1)
    )
    x = _normal(6, 4).astype("float64")
    outputs = _numpy(layer(x.astype("float32")))
    assert outputs.shape == (6, 9)
    expected = _minibatch_discrimination(x, _numpy(layer.kernel), 5, 3)
    np.testing.assert_allclose(outputs, expected, rtol=1e-5, atol=1e-6)
    # The other examples count, not only each example's own exp(0) = 1.
    assert (expected[:, 4:] - 1).max() > 0.05

    symbolic = MinibatchDiscrimination(5, 3)(keras.Input((4,)))
    assert tuple(symbolic.shape) == (None, 9)
    config = layer.get_config()
    assert MinibatchDiscrimination.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="batch, features"):
        MinibatchDiscrimination(5, 3)(_normal(2, 3, 4))


def _minibatch_stddev(x, group_size, num_features):
    batch = len(x)
    groups = batch // min(group_size, batch)
    outputs = []
    for i in range(batch):
        members = x[[j for j in range(batch) if j % groups == i % groups]]
        std = np.sqrt(members.var(axis=0) + 1e-8)  # population std, (..., C)
        # One value per contiguous group of channels.
        values = [part.mean() for part in np.split(std, num_features, axis=-1)]
        extra = np.broadcast_to(np.array(values), x.shape[1:-1] + (num_features,))
        outputs.append(np.concatenate([x[i], extra], axis=-1))
    return np.stack(outputs)


# The full sweep once; on every backend, one case per rank (the second with a
# group larger than the batch, which the layer clips to the batch).
EVERY_BACKEND = {("rank2", 4, 1), ("rank4", 16, 2)}
STDDEV_CASES = [
    pytest.param(
        shape,
        group_size,
        num_features,
        id=f"{num_features}-{group_size}-{rank}",
        marks=() if (rank, group_size, num_features) in EVERY_BACKEND else pytest.mark.neutral,
    )
    for rank, shape in (("rank2", (8, 6)), ("rank4", (8, 4, 5, 6)))
    for group_size in (2, 4, 16)
    for num_features in (1, 2)
]


@pytest.mark.parametrize(("shape", "group_size", "num_features"), STDDEV_CASES)
def test_minibatch_stddev_matches_numpy(shape, group_size, num_features):
    x = _normal(*shape) * np.linspace(0.5, 2, shape[-1], dtype="float32")
    layer = MinibatchStandardDeviation(group_size=group_size, num_features=num_features)
    outputs = _numpy(layer(x))
    assert outputs.shape == shape[:-1] + (shape[-1] + num_features,)
    expected = _minibatch_stddev(x.astype("float64"), group_size, num_features)
    np.testing.assert_allclose(outputs, expected, rtol=1e-5, atol=1e-6)


def test_minibatch_stddev_in_a_model_and_its_errors():
    inputs = keras.Input((4, 4, 6))
    model = keras.Model(inputs, MinibatchStandardDeviation(group_size=2, num_features=3)(inputs))
    assert tuple(model.output.shape) == (None, 4, 4, 9)
    x = _normal(6, 4, 4, 6)
    np.testing.assert_allclose(
        model.predict(x, batch_size=6, verbose=0),
        _minibatch_stddev(x.astype("float64"), 2, 3),
        rtol=1e-5,
        atol=1e-6,
    )
    config = model.layers[-1].get_config()
    assert MinibatchStandardDeviation.from_config(config).get_config() == config

    with pytest.raises(ValueError, match="divisible"):
        MinibatchStandardDeviation(group_size=4)(_normal(6, 3))
    with pytest.raises(ValueError, match="divide"):
        MinibatchStandardDeviation(num_features=2)(_normal(4, 3))
    with pytest.raises(ValueError, match="rank"):
        MinibatchStandardDeviation()(_normal(4, 3, 3))
