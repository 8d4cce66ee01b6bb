"""Conditional networks: class labels into G and D (CGAN, Mirza and Osindero, 2014).

Every network here takes the labels as a second input, an int32 tensor of
shape (n,) named "labels": G maps `[latents, labels]` to examples and D maps
`[examples, labels]` to one logit per example.

- `cgan_mlp_generator` and `cgan_mlp_discriminator`: the paper's MNIST MLPs
  (Section 4.1), where z (or x) and the one-hot label each go through their
  own hidden layer before a joined one.
- `cgan_conv_generator` and `cgan_conv_discriminator`: DCGAN's networks
  (`keras_gan_zoo.networks.dcgan`) with a label embedding joined to z in G,
  and in D either a projection head (Miyato and Koyama, 2018) or one-hot class
  maps concatenated to the image's channels.

Reference: Mirza and Osindero, "Conditional Generative Adversarial Nets",
2014, https://arxiv.org/abs/1411.1784.
"""

import math

import keras
from keras import layers

from keras_gan_zoo.layers import Maxout
from keras_gan_zoo.layers import OneHot
from keras_gan_zoo.layers import SpatialBroadcast
from keras_gan_zoo.networks.dcgan import dcgan_discriminator
from keras_gan_zoo.networks.dcgan import dcgan_generator
from keras_gan_zoo.networks.mlp import output_activation
from keras_gan_zoo.utils.arguments import check_int

_CONDITIONINGS = ("projection", "concat")


def _check_rate(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1); got {value!r}.")
    return float(value)


def _labels_input():
    return keras.Input(shape=(), dtype="int32", name="labels")


def cgan_mlp_generator(
    latent_dim,
    data_shape,
    num_classes,
    latent_units=200,
    label_units=1000,
    joint_units=1200,
    dropout=0.5,
    data_range=(-1.0, 1.0),
):
    """G of the CGAN paper's MNIST model: z and y through their own layers, then joined.

    The paper (Section 4.1): z (100-d) to a ReLU layer of 200 units and the
    one-hot label y to a ReLU layer of 1000 units, both into a joined ReLU
    layer of 1200 units, then a sigmoid output of 784 units; dropout 0.5 in G.

    Deviations: z is standard normal, not uniform on the unit hypercube (the
    zoo's latent prior); the output matches `data_range` (tanh for the zoo's
    images in [-1, 1], sigmoid for (0, 1) as in the paper); dropout is applied
    to the joined hidden layer (the paper does not say which).

    Args:
        latent_dim: size of z.
        data_shape: shape of one example, e.g. (28, 28, 1) or (784,).
        num_classes: number of classes of the labels.
        latent_units: ReLU units of z's layer.
        label_units: ReLU units of the label's layer.
        joint_units: ReLU units of the joined layer.
        dropout: dropout rate on the joined layer (0 for none).
        data_range: (-1, 1), (0, 1) or None (linear output).

    Returns:
        A `keras.Model` with inputs `[latents (n, latent_dim), labels (n,) int32]`
        and output (n, *data_shape).
    """
    latent_dim = check_int(latent_dim, "latent_dim", minimum=1)
    num_classes = check_int(num_classes, "num_classes", minimum=1)
    dropout = _check_rate(dropout, "dropout")
    activation = output_activation(data_range)
    latents = keras.Input((latent_dim,), name="latents")
    labels = _labels_input()
    z = layers.Dense(latent_units, activation="relu", name="latent_hidden")(latents)
    y = OneHot(num_classes, name="one_hot")(labels)
    y = layers.Dense(label_units, activation="relu", name="label_hidden")(y)
    x = layers.Concatenate(name="join")([z, y])
    x = layers.Dense(joint_units, activation="relu", name="joint_hidden")(x)
    if dropout:
        x = layers.Dropout(dropout)(x)
    x = layers.Dense(math.prod(data_shape), activation=activation, name="output")(x)
    outputs = layers.Reshape(tuple(data_shape))(x)
    return keras.Model([latents, labels], outputs, name="generator")


def cgan_mlp_discriminator(
    data_shape,
    num_classes,
    data_units=240,
    data_pieces=5,
    label_units=50,
    label_pieces=5,
    joint_units=240,
    joint_pieces=4,
    dropout=0.5,
):
    """D of the CGAN paper's MNIST model: maxout layers for x and y, a joined maxout, one logit.

    The paper (Section 4.1): x to a maxout layer of 240 units and 5 pieces,
    the one-hot y to a maxout layer of 50 units and 5 pieces, both into a
    joined maxout layer of 240 units and 4 pieces, then the output; dropout
    0.5 in D. Here dropout is applied to the hidden layers (the two branches,
    joined, and the joined maxout's output), not to the inputs: dropping
    entries of a one-hot label would hide the label. The output is a logit
    (the sigmoid is in the loss).

    Args:
        data_shape: shape of one example.
        num_classes: number of classes of the labels.
        data_units, data_pieces: maxout layer of x.
        label_units, label_pieces: maxout layer of y.
        joint_units, joint_pieces: the joined maxout layer.
        dropout: dropout rate on the hidden layers (0 for none).

    Returns:
        A `keras.Model` with inputs `[data (n, *data_shape), labels (n,) int32]`
        and output (n, 1), a logit.
    """
    num_classes = check_int(num_classes, "num_classes", minimum=1)
    dropout = _check_rate(dropout, "dropout")
    data = keras.Input(tuple(data_shape), name="data")
    labels = _labels_input()
    x = layers.Flatten()(data)
    x = Maxout(data_units, data_pieces, name="data_maxout")(x)
    y = OneHot(num_classes, name="one_hot")(labels)
    y = Maxout(label_units, label_pieces, name="label_maxout")(y)
    joined = layers.Concatenate(name="join")([x, y])
    if dropout:
        joined = layers.Dropout(dropout)(joined)
    joined = Maxout(joint_units, joint_pieces, name="joint_maxout")(joined)
    if dropout:
        joined = layers.Dropout(dropout)(joined)
    logits = layers.Dense(1, name="logit")(joined)
    return keras.Model([data, labels], logits, name="discriminator")


def cgan_conv_generator(latent_dim, image_shape, num_classes, embedding_dim=50, filters=64):
    """DCGAN's G conditioned on a label embedding joined to z.

    The label's learned embedding is concatenated to z; the joined vector
    goes through `dcgan_generator` (projection, transposed convolutions with
    BatchNorm and ReLU, tanh out: images in [-1, 1]).

    Args:
        latent_dim: size of z.
        image_shape: (side, side, channels), a side DCGAN supports (e.g. 28, 32, 64).
        num_classes: number of classes of the labels.
        embedding_dim: size of the label embedding.
        filters: width of DCGAN's last hidden layer (doubling towards the input).

    Returns:
        A `keras.Model` with inputs `[latents (n, latent_dim), labels (n,) int32]`
        and output (n, *image_shape).
    """
    latent_dim = check_int(latent_dim, "latent_dim", minimum=1)
    num_classes = check_int(num_classes, "num_classes", minimum=1)
    embedding_dim = check_int(embedding_dim, "embedding_dim", minimum=1)
    body = dcgan_generator(latent_dim + embedding_dim, image_shape, filters=filters)
    latents = keras.Input((latent_dim,), name="latents")
    labels = _labels_input()
    embedding = layers.Embedding(num_classes, embedding_dim, name="label_embedding")(labels)
    joined = layers.Concatenate(name="join")([latents, embedding])
    return keras.Model([latents, labels], body(joined), name="generator")


def cgan_conv_discriminator(
    image_shape, num_classes, conditioning="projection", filters=64, normalization="batch"
):
    """DCGAN's D conditioned on the label, by projection or by concatenated class maps.

    - "projection" (Miyato and Koyama, "cGANs with Projection Discriminator",
      ICLR 2018, https://arxiv.org/abs/1802.05637): with phi(x) the flattened
      last convolution's features, logit = psi(phi(x)) + <embed(y), phi(x)>,
      psi being DCGAN's output layer and embed a learned class embedding of
      phi's size.
    - "concat": the one-hot label, as constant maps, is concatenated to the
      image's channels before DCGAN's first convolution.

    Args:
        image_shape: (side, side, channels), a side DCGAN supports.
        num_classes: number of classes of the labels.
        conditioning: "projection" (default) or "concat".
        filters: width of D's first convolution (doubling per layer).
        normalization: "batch", "layer" or None; see `dcgan_discriminator`.

    Returns:
        A `keras.Model` with inputs `[images (n, *image_shape), labels (n,) int32]`
        and output (n, 1), a logit.
    """
    num_classes = check_int(num_classes, "num_classes", minimum=1)
    if conditioning not in _CONDITIONINGS:
        raise ValueError(f"conditioning must be one of {_CONDITIONINGS}; got {conditioning!r}.")
    if len(image_shape) != 3:
        raise ValueError(
            "cgan_conv_discriminator expects image_shape (side, side, channels); got "
            f"{image_shape}."
        )
    height, width, channels = image_shape
    labels = _labels_input()
    if conditioning == "concat":
        body = dcgan_discriminator(
            (height, width, channels + num_classes), filters=filters, normalization=normalization
        )
        images = keras.Input(tuple(image_shape), name="images")
        maps = SpatialBroadcast(height, width, name="class_maps")(
            OneHot(num_classes, name="one_hot")(labels)
        )
        joined = layers.Concatenate(axis=-1, name="join")([images, maps])
        return keras.Model([images, labels], body(joined), name="discriminator")
    # Projection: DCGAN's D up to its features, rewired with a second term.
    body = dcgan_discriminator(image_shape, filters=filters, normalization=normalization)
    output_layer = body.get_layer("logit")
    features = output_layer.input
    embedding = layers.Embedding(num_classes, features.shape[-1], name="class_embedding")(labels)
    projection = layers.Dot(axes=1, name="projection")([embedding, features])
    logits = layers.Add(name="conditional_logit")([output_layer.output, projection])
    return keras.Model([body.input, labels], logits, name="discriminator")
