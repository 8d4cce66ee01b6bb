"""keras_gan_zoo.backend.jax_conv: same numbers as keras.ops.conv_transpose + jax.grad."""

import keras
import numpy as np
import pytest

if keras.config.backend() != "jax":
    pytest.skip(
        "jax_conv is the JAX backend's transposed convolution; it is compared against "
        "keras.ops.conv_transpose on JAX (run with KERAS_BACKEND=jax)",
        allow_module_level=True,
    )

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

from keras_gan_zoo.backend import jax_conv  # noqa: E402

RTOL = 1e-5

# (input shape (channels last), kernel size, strides, padding, output_padding, out channels)
FAST_CASES = {
    "k4-s2-same-7to14": ((8, 7, 7, 6), 4, 2, "same", None, 3),
    "k4-s2-same-batch1": ((1, 7, 7, 6), 4, 2, "same", None, 3),
    "k5-s2-same": ((8, 7, 7, 4), 5, 2, "same", None, 6),
    "k5-s2-same-batch1": ((1, 6, 9, 4), 5, 2, "same", None, 6),
    "k3-s1-valid": ((8, 6, 6, 3), 3, 1, "valid", None, 5),
    "k3-s1-valid-batch1": ((1, 7, 5, 5), 3, 1, "valid", None, 3),
    "k3-s2-valid-odd": ((8, 7, 7, 4), 3, 2, "valid", None, 2),
    "k4-s2-same-outpad0": ((8, 5, 5, 4), 4, 2, "same", 0, 2),
    "k3-s2-same-outpad1": ((8, 5, 5, 4), 3, 2, "same", 1, 2),
    "k2x3-s2x1-valid": ((8, 5, 6, 4), (2, 3), (2, 1), "valid", None, 2),
    "dcgan-first": ((8, 7, 7, 128), 4, 2, "same", None, 64),
    "dcgan-last": ((8, 14, 14, 64), 4, 2, "same", None, 1),
}
# Configurations outside the fast path: they must still give Keras's numbers.
FALLBACK_CASES = {
    "stride-over-kernel-outpad": ((4, 5, 5, 4), 3, 3, "valid", 1, 2),
    "k2-s3-valid": ((4, 5, 5, 4), 2, 3, "valid", None, 2),
}


def _arrays(input_shape, kernel_size, out_channels, data_format, seed=0):
    rng = np.random.default_rng(seed)
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size,) * (len(input_shape) - 2)
    inputs = rng.standard_normal(input_shape).astype("float32")
    if data_format == "channels_first":
        inputs = np.ascontiguousarray(np.moveaxis(inputs, -1, 1))
    kernel = rng.standard_normal((*kernel_size, out_channels, input_shape[-1])).astype("float32")
    return jnp.asarray(inputs), jnp.asarray(kernel)


def _assert_close(actual, expected):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape
    scale = np.max(np.abs(expected))
    error = np.max(np.abs(actual - expected))
    assert error <= RTOL * scale, f"max error {error:.3g} vs max |expected| {scale:.3g}"


def _compare(case, data_format="channels_last", jit=False, dilation_rate=1):
    input_shape, kernel_size, strides, padding, output_padding, out_channels = case
    inputs, kernel = _arrays(input_shape, kernel_size, out_channels, data_format)
    args = dict(
        strides=strides,
        padding=padding,
        output_padding=output_padding,
        data_format=data_format,
        dilation_rate=dilation_rate,
    )

    def reference(x, k):
        return keras.ops.conv_transpose(x, k, **args)

    def ours(x, k):
        return jax_conv.conv_transpose(x, k, **args)

    expected = reference(inputs, kernel)
    cotangent = jnp.asarray(np.random.default_rng(1).standard_normal(expected.shape), "float32")

    def grads(fn):
        def loss(x, k):
            return jnp.sum(fn(x, k) * cotangent)

        grad_fn = jax.grad(loss, argnums=(0, 1))
        if jit:
            grad_fn = jax.jit(grad_fn)
        return grad_fn(inputs, kernel)

    forward = jax.jit(ours) if jit else ours
    _assert_close(forward(inputs, kernel), expected)
    expected_dx, expected_dk = grads(reference)
    dx, dk = grads(ours)
    _assert_close(dx, expected_dx)
    _assert_close(dk, expected_dk)
    return inputs, kernel, args


def _uses_fast_path(inputs, kernel, args):
    jaxpr = jax.make_jaxpr(lambda x, k: jax_conv.conv_transpose(x, k, **args))(inputs, kernel)
    return "custom_vjp" in str(jaxpr)


@pytest.mark.parametrize("name", sorted(FAST_CASES))
def test_matches_keras_channels_last_under_jit(name):
    inputs, kernel, args = _compare(FAST_CASES[name], jit=True)
    assert _uses_fast_path(inputs, kernel, args)


@pytest.mark.parametrize(
    "name", ["k4-s2-same-7to14", "k4-s2-same-batch1", "k5-s2-same", "k3-s1-valid"]
)
def test_matches_keras_channels_last_eagerly(name):
    inputs, kernel, args = _compare(FAST_CASES[name], jit=False)
    assert _uses_fast_path(inputs, kernel, args)


@pytest.mark.parametrize("name", ["k4-s2-same-7to14", "k5-s2-same-batch1", "k3-s1-valid"])
def test_matches_keras_channels_first(name):
    inputs, kernel, args = _compare(FAST_CASES[name], data_format="channels_first", jit=True)
    assert _uses_fast_path(inputs, kernel, args)


@pytest.mark.parametrize("name", sorted(FALLBACK_CASES))
def test_unsupported_configurations_fall_back_with_the_same_numbers(name):
    inputs, kernel, args = _compare(FALLBACK_CASES[name], jit=True)
    assert not _uses_fast_path(inputs, kernel, args)


def test_dilation_falls_back_with_the_same_numbers():
    inputs, kernel, args = _compare(((2, 5, 5, 3), 3, 1, "same", None, 2), dilation_rate=2)
    assert not _uses_fast_path(inputs, kernel, args)


@pytest.mark.parametrize(
    "case",
    [((4, 9, 3), 4, 2, "same", None, 5), ((2, 3, 4, 5, 3), 3, 2, "same", None, 2)],
    ids=["1d", "3d"],
)
def test_other_ranks(case):
    inputs, kernel, args = _compare(case, jit=True)
    assert _uses_fast_path(inputs, kernel, args)


def test_output_shapes_follow_keras():
    inputs, kernel = _arrays((2, 7, 7, 128), 4, 64, "channels_last")
    assert jax_conv.conv_transpose(inputs, kernel, 2, "same").shape == (2, 14, 14, 64)
    assert jax_conv.conv_transpose(inputs, kernel, 2, "valid").shape == (2, 16, 16, 64)
    assert jax_conv.conv_transpose(inputs, kernel, (2, 1), "SAME").shape == (2, 14, 7, 64)


def test_kernel_gradient_is_a_convolution_without_kernel_reversal():
    """The point of the module: XLA:CPU gets a plain strided-conv weight gradient."""
    inputs, kernel = _arrays((8, 7, 7, 16), 4, 8, "channels_last")
    cotangent = jnp.ones((8, 14, 14, 8), "float32")

    def kernel_grad(fn):
        def grad(x, k, g):
            _, vjp = jax.vjp(lambda k: fn(x, k, 2, "same", data_format="channels_last"), k)
            return vjp(g)[0]

        hlo = jax.jit(grad).lower(inputs, kernel, cotangent).compile().as_text()
        return [line for line in hlo.splitlines() if " convolution(" in line]

    ours = kernel_grad(jax_conv.conv_transpose)
    assert ours, "no convolution in the kernel gradient"
    for line in ours:
        assert "rhs_reversal" not in line and "lhs_dilate" not in line, line
    # The stock gradient is the slow form (if XLA changes this, the module may be obsolete).
    stock = kernel_grad(keras.ops.conv_transpose)
    assert any("rhs_reversal" in line or "lhs_dilate" in line for line in stock), stock


def test_second_order_reverse_mode():
    """grad of a gradient norm (a gradient penalty through the op) matches autodiff's."""
    inputs, kernel = _arrays((2, 5, 5, 4), 4, 3, "channels_last")

    def penalty(fn):
        def inner(x, k):
            return jnp.sum(jnp.sin(fn(x, k, 2, "same", data_format="channels_last")))

        def outer(x, k):
            return jnp.sum(jax.grad(inner)(x, k) ** 2)

        return jax.jit(jax.grad(outer, argnums=(0, 1)))(inputs, kernel)

    for actual, expected in zip(
        penalty(jax_conv.conv_transpose), penalty(keras.ops.conv_transpose)
    ):
        _assert_close(actual, expected)


def test_accepts_keras_variables_and_default_data_format():
    inputs, kernel = _arrays((2, 7, 7, 6), 4, 3, keras.config.image_data_format())
    variable = keras.Variable(kernel)
    expected = keras.ops.conv_transpose(inputs, kernel, 2, "same")
    _assert_close(jax_conv.conv_transpose(inputs, variable, 2, "same"), expected)


def test_rejects_bad_arguments_like_keras():
    inputs, kernel = _arrays((2, 7, 7, 6), 4, 3, "channels_last")
    with pytest.raises(ValueError, match="input channels"):
        jax_conv.conv_transpose(inputs, kernel[..., :5], 2, "same", data_format="channels_last")
    with pytest.raises(ValueError, match="padding"):
        jax_conv.conv_transpose(inputs, kernel, 2, "full", data_format="channels_last")
