"""The FID Inception network in Keras: the 2015-12-05 TensorFlow graph that FID is defined on.

This is not `keras.applications.InceptionV3`. The FID network has other
weights, 1008 classes, average pools that exclude padding, and a max pool in
the pool branch of its last block. Its numbers compare with the papers;
`keras.applications` numbers compare with nothing.

The layout follows the PyTorch ports (pytorch-fid, torch-fidelity), so their
weight files convert one to one: every convolution is bias-free and followed
by BatchNorm (epsilon 1e-3) and ReLU. Layer names are the ports' module paths
with "." turned into "_" (`Mixed_5b.branch1x1.conv` is the layer
`Mixed_5b_branch1x1_conv`).

Input: (batch, 299, 299, 3) images already resized and scaled to [-1, 1]
(see the preprocessing module). Outputs: `pool3` (batch, 2048) features and
the 1008 `logits_unbiased` (pool3 times the final kernel, without its bias,
as the Inception Score uses them).
"""

import keras
from keras import layers

INPUT_SIZE = 299


def _conv(x, name, filters, kernel_size, strides=1, padding="valid"):
    x = layers.Conv2D(
        filters, kernel_size, strides=strides, padding=padding, use_bias=False, name=f"{name}_conv"
    )(x)
    x = layers.BatchNormalization(epsilon=1e-3, name=f"{name}_bn")(x)
    return layers.ReLU(name=f"{name}_relu")(x)


def _average_pool(x):
    # "same" average pooling in Keras divides by the number of real pixels,
    # like the TF graph's (and torch's count_include_pad=False).
    return layers.AveragePooling2D(3, strides=1, padding="same")(x)


def _block_a(x, name, pool_features):
    branch1x1 = _conv(x, f"{name}_branch1x1", 64, 1)
    branch5x5 = _conv(x, f"{name}_branch5x5_1", 48, 1)
    branch5x5 = _conv(branch5x5, f"{name}_branch5x5_2", 64, 5, padding="same")
    double3x3 = _conv(x, f"{name}_branch3x3dbl_1", 64, 1)
    double3x3 = _conv(double3x3, f"{name}_branch3x3dbl_2", 96, 3, padding="same")
    double3x3 = _conv(double3x3, f"{name}_branch3x3dbl_3", 96, 3, padding="same")
    pool = _conv(_average_pool(x), f"{name}_branch_pool", pool_features, 1)
    return layers.Concatenate(name=name)([branch1x1, branch5x5, double3x3, pool])


def _block_b(x, name):
    branch3x3 = _conv(x, f"{name}_branch3x3", 384, 3, strides=2)
    double3x3 = _conv(x, f"{name}_branch3x3dbl_1", 64, 1)
    double3x3 = _conv(double3x3, f"{name}_branch3x3dbl_2", 96, 3, padding="same")
    double3x3 = _conv(double3x3, f"{name}_branch3x3dbl_3", 96, 3, strides=2)
    pool = layers.MaxPooling2D(3, strides=2)(x)
    return layers.Concatenate(name=name)([branch3x3, double3x3, pool])


def _block_c(x, name, c7):
    branch1x1 = _conv(x, f"{name}_branch1x1", 192, 1)
    branch7x7 = _conv(x, f"{name}_branch7x7_1", c7, 1)
    branch7x7 = _conv(branch7x7, f"{name}_branch7x7_2", c7, (1, 7), padding="same")
    branch7x7 = _conv(branch7x7, f"{name}_branch7x7_3", 192, (7, 1), padding="same")
    double7x7 = _conv(x, f"{name}_branch7x7dbl_1", c7, 1)
    for index, (size, filters) in enumerate(
        [((7, 1), c7), ((1, 7), c7), ((7, 1), c7), ((1, 7), 192)], start=2
    ):
        double7x7 = _conv(double7x7, f"{name}_branch7x7dbl_{index}", filters, size, padding="same")
    pool = _conv(_average_pool(x), f"{name}_branch_pool", 192, 1)
    return layers.Concatenate(name=name)([branch1x1, branch7x7, double7x7, pool])


def _block_d(x, name):
    branch3x3 = _conv(x, f"{name}_branch3x3_1", 192, 1)
    branch3x3 = _conv(branch3x3, f"{name}_branch3x3_2", 320, 3, strides=2)
    branch7x7x3 = _conv(x, f"{name}_branch7x7x3_1", 192, 1)
    branch7x7x3 = _conv(branch7x7x3, f"{name}_branch7x7x3_2", 192, (1, 7), padding="same")
    branch7x7x3 = _conv(branch7x7x3, f"{name}_branch7x7x3_3", 192, (7, 1), padding="same")
    branch7x7x3 = _conv(branch7x7x3, f"{name}_branch7x7x3_4", 192, 3, strides=2)
    pool = layers.MaxPooling2D(3, strides=2)(x)
    return layers.Concatenate(name=name)([branch3x3, branch7x7x3, pool])


def _block_e(x, name, pool_type):
    def split(y, prefix):
        return layers.Concatenate()(
            [
                _conv(y, f"{prefix}a", 384, (1, 3), padding="same"),
                _conv(y, f"{prefix}b", 384, (3, 1), padding="same"),
            ]
        )

    branch1x1 = _conv(x, f"{name}_branch1x1", 320, 1)
    branch3x3 = split(_conv(x, f"{name}_branch3x3_1", 384, 1), f"{name}_branch3x3_2")
    double3x3 = _conv(x, f"{name}_branch3x3dbl_1", 448, 1)
    double3x3 = _conv(double3x3, f"{name}_branch3x3dbl_2", 384, 3, padding="same")
    double3x3 = split(double3x3, f"{name}_branch3x3dbl_3")
    if pool_type == "max":  # Mixed_7c: a max pool, a quirk of the TF graph
        pooled = layers.MaxPooling2D(3, strides=1, padding="same")(x)
    else:
        pooled = _average_pool(x)
    pool = _conv(pooled, f"{name}_branch_pool", 192, 1)
    return layers.Concatenate(name=name)([branch1x1, branch3x3, double3x3, pool])


def fid_inception(weights="fid"):
    """The FID Inception network.

    Args:
        weights: "fid" (default) for the pretrained weights FID is defined
            with (found, converted and cached by `fid_weights.weights_path`;
            refuses with instructions when they are not available), a path to
            a weights file (either public format, or a converted
            `.weights.h5`), or None for random weights (tests, benchmarks).
    """
    images = keras.Input((INPUT_SIZE, INPUT_SIZE, 3), name="images")
    x = _conv(images, "Conv2d_1a_3x3", 32, 3, strides=2)
    x = _conv(x, "Conv2d_2a_3x3", 32, 3)
    x = _conv(x, "Conv2d_2b_3x3", 64, 3, padding="same")
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = _conv(x, "Conv2d_3b_1x1", 80, 1)
    x = _conv(x, "Conv2d_4a_3x3", 192, 3)
    x = layers.MaxPooling2D(3, strides=2)(x)
    x = _block_a(x, "Mixed_5b", 32)
    x = _block_a(x, "Mixed_5c", 64)
    x = _block_a(x, "Mixed_5d", 64)
    x = _block_b(x, "Mixed_6a")
    for name, c7 in (("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160), ("Mixed_6e", 192)):
        x = _block_c(x, name, c7)
    x = _block_d(x, "Mixed_7a")
    x = _block_e(x, "Mixed_7b", "average")
    x = _block_e(x, "Mixed_7c", "max")
    pool3 = layers.GlobalAveragePooling2D(name="pool3")(x)
    # The classifier's bias is left out: the Inception Score uses unbiased logits.
    logits = layers.Dense(1008, use_bias=False, name="fc")(pool3)
    network = keras.Model(images, {"pool3": pool3, "logits_unbiased": logits}, name="fid_inception")
    if weights is not None:
        from keras_gan_zoo.metrics import fid_weights

        network.load_weights(fid_weights.weights_path(None if weights == "fid" else weights))
    return network


def load_torch_state_dict(model, state_dict):
    """Copies a pytorch-fid / torch-fidelity state dict (name -> NumPy array) into `model`.

    Convolutions go from (out, in, h, w) to (h, w, in, out); BatchNorm's
    weight/bias/running_mean/running_var to gamma/beta/moving_mean/
    moving_variance; `fc.weight` is transposed; `fc.bias` and BatchNorm's
    `num_batches_tracked` are not used.

    Raises:
        ValueError: naming the first missing, unexpected or misshapen array.
    """
    arrays = {
        key: value for key, value in state_dict.items() if not key.endswith("num_batches_tracked")
    }
    arrays.pop("fc.bias", None)
    expected = {}
    for layer in model.layers:
        if isinstance(layer, layers.Conv2D):
            expected[f"{_module(layer)}.weight"] = (layer.kernel, (2, 3, 1, 0))
        elif isinstance(layer, layers.BatchNormalization):
            module = _module(layer)
            expected[f"{module}.weight"] = (layer.gamma, None)
            expected[f"{module}.bias"] = (layer.beta, None)
            expected[f"{module}.running_mean"] = (layer.moving_mean, None)
            expected[f"{module}.running_var"] = (layer.moving_variance, None)
        elif isinstance(layer, layers.Dense):
            expected["fc.weight"] = (layer.kernel, (1, 0))
    missing = sorted(set(expected) - set(arrays))
    unexpected = sorted(set(arrays) - set(expected))
    if missing or unexpected:
        raise ValueError(
            f"Not a FID Inception state dict: {len(missing)} arrays missing (first: "
            f"{missing[:3]}), {len(unexpected)} unexpected (first: {unexpected[:3]})."
        )
    for key, (variable, axes) in expected.items():
        value = arrays[key] if axes is None else arrays[key].transpose(axes)
        if tuple(value.shape) != tuple(variable.shape):
            raise ValueError(
                f"{key} has shape {value.shape}; the network expects {variable.shape}."
            )
        variable.assign(value)
    return model


def _module(layer):
    """The PyTorch port's module path of a Keras layer: `Mixed_5b_branch1x1_conv` ->
    `Mixed_5b.branch1x1.conv`."""
    name = layer.name
    if name == "fc":
        return name
    stem, _, kind = name.rpartition("_")
    if stem.startswith("Mixed_"):
        block, _, branch = stem[len("Mixed_") :].partition("_")
        return f"Mixed_{block}.{branch}.{kind}"
    return f"{stem}.{kind}"
