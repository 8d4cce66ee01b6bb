"""keras_gan_zoo.layers: the same numbers as the Keras layers they stand in for.

Each zoo layer only changes which backend function computes it (see
keras_gan_zoo/backend/); its outputs, gradients and BatchNorm statistics must
equal the stock layer's, on the fast paths and on the cases handed back to
`keras.ops`. Both versions of a small network start from the same weights,
take two SGD steps with `train_on_batch` and are compared weight by weight.
"""

import keras
import numpy as np
import pytest
from keras import layers

from keras_gan_zoo import backend as zoo_backend
from keras_gan_zoo import layers as zoo_layers

# (input shape without batch, layer arguments): fast paths and fallbacks alike.
CONV_CASES = {
    "k4-s2-same": ((12, 12, 3), dict(filters=5, kernel_size=4, strides=2, padding="same")),
    "k3-s1-same": ((9, 9, 2), dict(filters=4, kernel_size=3, padding="same")),
    "k4-s1-same-uneven-pad": ((9, 9, 2), dict(filters=4, kernel_size=4, padding="same")),
    "k3-s2-valid": ((9, 9, 2), dict(filters=4, kernel_size=3, strides=2)),
    "k3-dilated-same": (
        (10, 10, 2),
        dict(filters=3, kernel_size=3, dilation_rate=2, padding="same"),
    ),
    "k3x1-s2x1-same": (
        (8, 7, 2),
        dict(filters=3, kernel_size=(3, 1), strides=(2, 1), padding="same"),
    ),
    "grouped": ((8, 8, 4), dict(filters=4, kernel_size=3, groups=2, padding="same")),
}
CONV_TRANSPOSE_CASES = {
    "k4-s2-same": ((6, 6, 3), dict(filters=5, kernel_size=4, strides=2, padding="same")),
    "k5-s1-same": ((6, 6, 3), dict(filters=2, kernel_size=5, padding="same")),
    "k2-s2-same": ((5, 5, 3), dict(filters=2, kernel_size=2, strides=2, padding="same")),
    "k3-s2-same-uneven-crop": (
        (5, 5, 3),
        dict(filters=2, kernel_size=3, strides=2, padding="same"),
    ),
    "k4-s2-valid": ((5, 5, 3), dict(filters=2, kernel_size=4, strides=2)),
    "k3-s2-output-padding": (
        (5, 5, 3),
        dict(filters=2, kernel_size=3, strides=2, padding="same", output_padding=1),
    ),
}


def _cases(cases, primitive):
    """Every case where this backend computes `primitive` with a function of the zoo's own.

    Where the zoo's primitive is `keras.ops`' own (conv on TensorFlow and JAX,
    conv_transpose on TensorFlow), the layers compute what the stock layers
    compute, and one case (with the zoo's BatchNormalization) is enough.
    """
    own = getattr(zoo_backend, primitive) is not getattr(keras.ops, primitive)
    skip = pytest.mark.skip(reason=f"{primitive} is keras.ops.{primitive} on this backend")
    return [
        pytest.param(name, marks=() if own or name == "k4-s2-same" else skip)
        for name in sorted(cases)
    ]


def _network(input_shape, conv, batch_norm, bn_kwargs=None):
    inputs = keras.Input(input_shape)
    x = batch_norm(**(bn_kwargs or {}))(conv(inputs))
    outputs = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model(inputs, outputs)


def _assert_same_training(make_stock, make_zoo, input_shape, batch=6):
    stock, zoo = make_stock(), make_zoo()
    zoo.set_weights(stock.get_weights())
    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch, *input_shape)).astype("float32")
    y = rng.normal(size=(batch, 1)).astype("float32")
    for model in (stock, zoo):
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
        for _ in range(2):
            model.train_on_batch(x, y)
    # Weights of order 1 after two updates whose gradients are summed in a
    # different order (and over a different thread count): float32 rounding
    # reaches a few 1e-6, as seen on one core on torch.
    for weight, expected, actual in zip(stock.weights, stock.get_weights(), zoo.get_weights()):
        np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-5, err_msg=weight.path)
    # Inference mode: BatchNorm with the moving statistics both versions kept.
    np.testing.assert_allclose(
        zoo.predict(x, verbose=0), stock.predict(x, verbose=0), rtol=1e-4, atol=2e-6
    )


@pytest.mark.parametrize("case", _cases(CONV_CASES, "conv"))
def test_conv2d_and_batch_norm_match_keras(case):
    input_shape, kwargs = CONV_CASES[case]
    _assert_same_training(
        lambda: _network(input_shape, layers.Conv2D(**kwargs), layers.BatchNormalization),
        lambda: _network(input_shape, zoo_layers.Conv2D(**kwargs), zoo_layers.BatchNormalization),
        input_shape,
    )


@pytest.mark.parametrize("case", _cases(CONV_TRANSPOSE_CASES, "conv_transpose"))
def test_conv2d_transpose_and_batch_norm_match_keras(case):
    input_shape, kwargs = CONV_TRANSPOSE_CASES[case]
    stock_conv, zoo_conv = layers.Conv2DTranspose, zoo_layers.Conv2DTranspose
    _assert_same_training(
        lambda: _network(input_shape, stock_conv(**kwargs), layers.BatchNormalization),
        lambda: _network(input_shape, zoo_conv(**kwargs), zoo_layers.BatchNormalization),
        input_shape,
    )


@pytest.mark.parametrize(
    "bn_kwargs",
    [dict(center=False, scale=False), dict(momentum=0.5, epsilon=1e-5)],
    ids=["no-center-no-scale", "momentum-epsilon"],
)
def test_batch_norm_options_match_keras(bn_kwargs):
    input_shape, kwargs = CONV_CASES["k4-s2-same"]
    _assert_same_training(
        lambda: _network(
            input_shape, layers.Conv2D(**kwargs), layers.BatchNormalization, bn_kwargs
        ),
        lambda: _network(
            input_shape, zoo_layers.Conv2D(**kwargs), zoo_layers.BatchNormalization, bn_kwargs
        ),
        input_shape,
    )


def test_batch_norm_on_features_and_on_one_pixel_batches():
    # 2D inputs and a batch of one 1x1 image (a single value per channel) take
    # the generic path; both must still match Keras.
    def features(batch_norm):
        inputs = keras.Input((5,))
        return keras.Model(inputs, layers.Dense(1)(batch_norm()(layers.Dense(4)(inputs))))

    _assert_same_training(
        lambda: features(layers.BatchNormalization),
        lambda: features(zoo_layers.BatchNormalization),
        (5,),
    )
    kwargs = dict(filters=3, kernel_size=1)
    _assert_same_training(
        lambda: _network((1, 1, 2), layers.Conv2D(**kwargs), layers.BatchNormalization),
        lambda: _network((1, 1, 2), zoo_layers.Conv2D(**kwargs), zoo_layers.BatchNormalization),
        (1, 1, 2),
        batch=1,
    )


def test_layers_round_trip_through_keras_files(tmp_path):
    input_shape, kwargs = CONV_CASES["k4-s2-same"]
    model = _network(input_shape, zoo_layers.Conv2D(**kwargs), zoo_layers.BatchNormalization)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.layers[1], zoo_layers.Conv2D)
    assert isinstance(loaded.layers[2], zoo_layers.BatchNormalization)
    x = np.random.default_rng(1).normal(size=(2, *input_shape)).astype("float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
