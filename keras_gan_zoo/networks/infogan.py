"""InfoGAN's networks (Chen et al., 2016): G, and D with the Q head on its trunk.

The MNIST networks of the paper's appendix (Table 1):
- G: FC 1024, BN, ReLU; FC 7x7x128, BN, ReLU; 4x4 up-convolution 64 with
  stride 2, BN, ReLU; 4x4 up-convolution to the channels with stride 2. The
  output is tanh (the zoo's images are in [-1, 1]; the paper's sigmoid is for
  [0, 1]).
- D: 4x4 convolution 64 with stride 2, leaky ReLU (0.1); 4x4 convolution 128
  with stride 2, BN, leaky ReLU; FC 1024, BN, leaky ReLU; FC to one logit.
- Q: on D's last hidden layer, FC 128, BN, leaky ReLU, then the codes'
  outputs (`add_code_head`).

Q shares all of D's trunk, so it costs almost nothing: the mutual-information
term trains D's features to carry the codes. Convolutions and batch norm are
`keras_gan_zoo.layers`' (the Keras layers' numbers, the backends' fastest
exact kernels), as in DCGAN.

Reference: Chen et al., "InfoGAN: Interpretable Representation Learning by
Information Maximizing Generative Adversarial Nets", NeurIPS 2016,
https://arxiv.org/abs/1606.03657.
"""

import keras
from keras import layers

from keras_gan_zoo import layers as zoo_layers
from keras_gan_zoo.networks.initializers import normal_initializer
from keras_gan_zoo.utils.arguments import check_int

_LEAK = 0.1


def infogan_generator(latent_dim, image_shape=(28, 28, 1), filters=64, dense_units=1024):
    """The paper's MNIST G, from latent inputs (noise and codes) to images.

    Args:
        latent_dim: size of G's input: the noise and the codes (74 for the
            paper's MNIST model: 62 + 10 + 2).
        image_shape: (side, side, channels) with a side divisible by 4.
        filters: channels of the last hidden layer (the paper: 64); the one
            before has twice as many.
        dense_units: width of the first layer (the paper: 1024).
    """
    side = _quarter_side(image_shape)
    latents = keras.Input((check_int(latent_dim, "latent_dim"),), name="latents")
    x = latents
    for units in (dense_units, side * side * 2 * filters):
        x = layers.Dense(units, use_bias=False, kernel_initializer=normal_initializer())(x)
        x = zoo_layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    x = layers.Reshape((side, side, 2 * filters))(x)
    x = zoo_layers.Conv2DTranspose(
        filters,
        4,
        strides=2,
        padding="same",
        use_bias=False,
        kernel_initializer=normal_initializer(),
    )(x)
    x = zoo_layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    images = zoo_layers.Conv2DTranspose(
        image_shape[-1],
        4,
        strides=2,
        padding="same",
        activation="tanh",
        kernel_initializer=normal_initializer(),
    )(x)
    return keras.Model(latents, images, name="generator")


def infogan_discriminator(
    image_shape,
    categorical_codes=(10,),
    continuous_codes=2,
    learned_variance=False,
    filters=64,
    dense_units=1024,
    q_units=128,
):
    """The paper's MNIST D with its Q head (`add_code_head`).

    Args:
        image_shape: (side, side, channels) with a side divisible by 4.
        categorical_codes, continuous_codes, learned_variance, q_units: see
            `add_code_head`.
        filters: channels of the first convolution (the paper: 64); the
            second has twice as many.
        dense_units: width of the last hidden layer (the paper: 1024).
    """
    _quarter_side(image_shape)
    images = keras.Input(tuple(image_shape), name="images")
    x = zoo_layers.Conv2D(
        filters, 4, strides=2, padding="same", kernel_initializer=normal_initializer()
    )(images)
    x = layers.LeakyReLU(_LEAK)(x)
    x = zoo_layers.Conv2D(
        2 * filters,
        4,
        strides=2,
        padding="same",
        use_bias=False,
        kernel_initializer=normal_initializer(),
    )(x)
    x = zoo_layers.BatchNormalization()(x)
    x = layers.LeakyReLU(_LEAK)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(dense_units, use_bias=False, kernel_initializer=normal_initializer())(x)
    x = zoo_layers.BatchNormalization()(x)
    x = layers.LeakyReLU(_LEAK)(x)
    logit = layers.Dense(1, kernel_initializer=normal_initializer(), name="logit")(x)
    trunk = keras.Model(images, logit, name="discriminator")
    return add_code_head(trunk, categorical_codes, continuous_codes, learned_variance, q_units)


def add_code_head(
    discriminator, categorical_codes=(10,), continuous_codes=2, learned_variance=False, q_units=128
):
    """`discriminator` with InfoGAN's Q head beside its source logit.

    Q reads the features D's "logit" layer reads (every D of
    `keras_gan_zoo.networks` names its output layer so), through FC
    `q_units`, BN and leaky ReLU, and outputs Q(c | x) for each code.

    Args:
        discriminator: a functional D whose output layer is named "logit".
        categorical_codes: sizes of the categorical codes.
        continuous_codes: number of continuous codes.
        learned_variance: whether Q also outputs the log standard deviation
            of each continuous code's Gaussian (else the standard deviation
            is 1, as in the official MNIST model).
        q_units: width of Q's hidden layer.

    Returns:
        A `keras.Model` from D's input to a list: the source logits (n, 1);
        then, when there are categorical codes, their logits side by side
        (n, sum of sizes; unnormalized: the loss applies the one softmax per
        code); then, when there are continuous codes, their means (n, k) and,
        with `learned_variance`, their log standard deviations (n, k).
    """
    sizes = tuple(check_int(size, "categorical code size", minimum=2) for size in categorical_codes)
    continuous_codes = check_int(continuous_codes, "continuous_codes", minimum=0)
    if not sizes and not continuous_codes:
        raise ValueError("add_code_head needs at least one categorical or continuous code.")
    source = discriminator.get_layer("logit")
    x = layers.Dense(
        q_units, use_bias=False, kernel_initializer=normal_initializer(), name="q_hidden"
    )(source.input)
    x = zoo_layers.BatchNormalization(name="q_batch_norm")(x)
    x = layers.LeakyReLU(_LEAK, name="q_activation")(x)
    outputs = [source.output]
    if sizes:
        outputs.append(layers.Dense(sum(sizes), name="q_categorical_logits")(x))
    if continuous_codes:
        outputs.append(layers.Dense(continuous_codes, name="q_continuous_means")(x))
        if learned_variance:
            outputs.append(layers.Dense(continuous_codes, name="q_continuous_log_stddevs")(x))
    return keras.Model(discriminator.input, outputs, name="discriminator")


def _quarter_side(image_shape):
    if len(image_shape) != 3 or image_shape[0] != image_shape[1] or image_shape[0] % 4:
        raise ValueError(
            "InfoGAN's networks take square images (side, side, channels) with a side "
            f"divisible by 4; got {tuple(image_shape)}."
        )
    return image_shape[0] // 4
