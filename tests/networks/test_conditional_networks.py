"""The conditional networks (keras_gan_zoo.networks.conditional) and their label layers.

Each network takes int32 labels (n,) as its second input; the label must
change the output, gradients must reach the label's layers through a compiled
training step (XLA on JAX, a graph on TensorFlow), and a `.keras` file must
give back the same function. The networks are small versions of the defaults, so that
each test takes seconds.
"""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gan_zoo import layers as zoo_layers
from keras_gan_zoo import networks

# The parity tests carry this file's checks to the other backends.
pytestmark = pytest.mark.carried

LATENT_DIM = 8
NUM_CLASSES = 4
IMAGE_SHAPE = (16, 16, 1)
VECTOR_SHAPE = (6,)

# name: (builder, whether it is a generator, the shape of one example it takes or makes)
NETWORKS = {
    "mlp_generator": (
        lambda: networks.cgan_mlp_generator(
            LATENT_DIM, VECTOR_SHAPE, NUM_CLASSES, latent_units=8, label_units=8, joint_units=16
        ),
        True,
        VECTOR_SHAPE,
    ),
    "mlp_discriminator": (
        lambda: networks.cgan_mlp_discriminator(
            VECTOR_SHAPE, NUM_CLASSES, data_units=8, label_units=4, joint_units=8
        ),
        False,
        VECTOR_SHAPE,
    ),
    "conv_generator": (
        lambda: networks.cgan_conv_generator(
            LATENT_DIM, IMAGE_SHAPE, NUM_CLASSES, embedding_dim=3, filters=4
        ),
        True,
        IMAGE_SHAPE,
    ),
    "conv_discriminator_projection": (
        lambda: networks.cgan_conv_discriminator(IMAGE_SHAPE, NUM_CLASSES, filters=4),
        False,
        IMAGE_SHAPE,
    ),
    "conv_discriminator_concat": (
        lambda: networks.cgan_conv_discriminator(
            IMAGE_SHAPE, NUM_CLASSES, conditioning="concat", filters=4
        ),
        False,
        IMAGE_SHAPE,
    ),
}
# The layers that see only the label: training must move them.
LABEL_LAYERS = {
    "mlp_generator": "label_hidden",
    "mlp_discriminator": "label_maxout",
    "conv_generator": "label_embedding",
    "conv_discriminator_projection": "class_embedding",
}


def _inputs(name):
    """The same latent vector (or example) once per class, with labels 0..NUM_CLASSES-1.

    Every call uses this batch size, so that JAX compiles each op once.
    """
    _, is_generator, example_shape = NETWORKS[name]
    rng = np.random.default_rng(0)
    first_shape = (1, LATENT_DIM) if is_generator else (1, *example_shape)
    first = rng.uniform(-1, 1, size=first_shape).astype("float32")
    return [np.repeat(first, NUM_CLASSES, axis=0), np.arange(NUM_CLASSES, dtype="int32")]


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_the_label_changes_the_output_and_a_keras_file_keeps_it(name, tmp_path):
    build, is_generator, example_shape = NETWORKS[name]
    network = build()
    assert [tensor.name for tensor in network.inputs][1] == "labels"
    assert network.inputs[1].dtype == "int32" and tuple(network.inputs[1].shape) == (None,)
    inputs = _inputs(name)
    outputs = ops.convert_to_numpy(network(inputs, training=False))
    assert outputs.shape == ((NUM_CLASSES, *example_shape) if is_generator else (NUM_CLASSES, 1))
    assert np.all(np.isfinite(outputs))
    # The same latents (or examples), every label: as many different outputs.
    flat = outputs.reshape(NUM_CLASSES, -1)
    for a in range(NUM_CLASSES):
        for b in range(a + 1, NUM_CLASSES):
            assert np.max(np.abs(flat[a] - flat[b])) > 1e-6, (name, a, b)

    path = tmp_path / f"{name}.keras"
    network.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.inputs[1].dtype == "int32"
    reloaded = ops.convert_to_numpy(loaded(inputs, training=False))
    np.testing.assert_allclose(reloaded, outputs, atol=1e-6)


def test_a_compiled_training_step_reaches_every_label_layer():
    # All five networks in one graph (both generators' images summed, the
    # three critics' logits summed), so that it compiles once.
    built = {name: NETWORKS[name][0]() for name in NETWORKS if name.startswith("conv")}
    # The MLPs, for images here.
    built["mlp_generator"] = networks.cgan_mlp_generator(
        LATENT_DIM, IMAGE_SHAPE, NUM_CLASSES, latent_units=8, label_units=8, joint_units=16
    )
    built["mlp_discriminator"] = networks.cgan_mlp_discriminator(
        IMAGE_SHAPE, NUM_CLASSES, data_units=8, label_units=4, joint_units=8
    )
    for name, network in built.items():
        network.name = name  # unique names within the graph
    latents = keras.Input((LATENT_DIM,))
    labels = keras.Input((), dtype="int32")
    images = keras.layers.Add()(
        [built[name]([latents, labels]) for name in ("mlp_generator", "conv_generator")]
    )
    critics = ("mlp_discriminator", "conv_discriminator_projection", "conv_discriminator_concat")
    logits = keras.layers.Add()([built[name]([images, labels]) for name in critics])
    chain = keras.Model([latents, labels], logits)
    inputs = _inputs("mlp_generator")
    # Weight paths repeat across the networks (e.g. "logit/kernel"): keyed by id.
    before = {id(w): np.array(w) for w in chain.trainable_weights}
    chain.compile(
        optimizer=keras.optimizers.SGD(0.1),
        loss="mse",
        # XLA on JAX; a tf.function graph on TensorFlow, where XLA compiling
        # this graph took 40 s on a loaded CI core (the CGAN model's contract
        # tests train with XLA on TensorFlow); eager on PyTorch.
        jit_compile=keras.config.backend() == "jax",
    )
    loss = chain.train_on_batch(inputs, np.ones((NUM_CLASSES, 1), "float32"))
    assert np.isfinite(loss)
    assert all(np.all(np.isfinite(np.array(w))) for w in chain.trainable_weights)
    moved = {id(w) for w in chain.trainable_weights if not np.allclose(np.array(w), before[id(w)])}
    for name, layer_name in LABEL_LAYERS.items():
        label_layer = built[name].get_layer(layer_name)
        assert any(id(w) in moved for w in label_layer.trainable_weights), name
    # concat: the class maps are the first convolution's input channels after the image's.
    body = built["conv_discriminator_concat"].layers[-1]
    kernel = next(layer for layer in body.layers if isinstance(layer, keras.layers.Conv2D)).kernel
    class_map_weights = np.array(kernel)[:, :, IMAGE_SHAPE[-1] :, :]
    assert class_map_weights.shape[2] == NUM_CLASSES
    assert not np.allclose(class_map_weights, before[id(kernel)][:, :, IMAGE_SHAPE[-1] :, :])


@pytest.mark.neutral
def test_mlp_networks_have_the_papers_sizes_by_default():
    generator = networks.cgan_mlp_generator(100, (28, 28, 1), 10)
    assert generator.get_layer("latent_hidden").units == 200
    assert generator.get_layer("label_hidden").units == 1000
    assert generator.get_layer("joint_hidden").units == 1200
    assert generator.get_layer("output").activation.__name__ == "tanh"
    discriminator = networks.cgan_mlp_discriminator((28, 28, 1), 10)
    sizes = {
        name: (discriminator.get_layer(name).units, discriminator.get_layer(name).pieces)
        for name in ("data_maxout", "label_maxout", "joint_maxout")
    }
    assert sizes == {"data_maxout": (240, 5), "label_maxout": (50, 5), "joint_maxout": (240, 4)}
    sigmoid = networks.cgan_mlp_generator(100, (784,), 10, data_range=(0, 1))
    assert sigmoid.get_layer("output").activation.__name__ == "sigmoid"


def test_mlp_generator_dropout_only_in_training():
    generator = NETWORKS["mlp_generator"][0]()
    inputs = _inputs("mlp_generator")
    inference = [ops.convert_to_numpy(generator(inputs, training=False)) for _ in range(2)]
    np.testing.assert_array_equal(inference[0], inference[1])
    training = ops.convert_to_numpy(generator(inputs, training=True))
    assert not np.allclose(training, inference[0])


@pytest.mark.neutral
@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: networks.cgan_mlp_generator(8, (6,), 0), "num_classes"),
        (lambda: networks.cgan_mlp_generator(8, (6,), 2.5), "num_classes"),
        (lambda: networks.cgan_mlp_generator(0, (6,), 3), "latent_dim"),
        (lambda: networks.cgan_mlp_generator(8, (6,), 3, dropout=1.0), "dropout"),
        (lambda: networks.cgan_mlp_generator(8, (6,), 3, data_range=(0, 2)), "data_range"),
        (lambda: networks.cgan_mlp_discriminator((6,), True), "num_classes"),
        (lambda: networks.cgan_conv_generator(8, (16, 16, 1), 3, embedding_dim=0), "embedding"),
        (lambda: networks.cgan_conv_generator(8, (15, 15, 1), 3), "image_shape"),
        (
            lambda: networks.cgan_conv_discriminator((16, 16, 1), 3, conditioning="add"),
            "conditioning",
        ),
        (lambda: networks.cgan_conv_discriminator((16, 16), 3), "image_shape"),
    ],
)
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_one_hot_and_spatial_broadcast_layers():
    labels = np.array([2, 0, 1], dtype="int32")
    one_hot = ops.convert_to_numpy(zoo_layers.OneHot(3)(labels))
    np.testing.assert_array_equal(one_hot, np.eye(3, dtype="float32")[labels])
    maps = ops.convert_to_numpy(zoo_layers.SpatialBroadcast(2, 5)(one_hot))
    assert maps.shape == (3, 2, 5, 3)
    np.testing.assert_array_equal(maps, np.broadcast_to(one_hot[:, None, None, :], maps.shape))
    for layer in (zoo_layers.OneHot(3), zoo_layers.SpatialBroadcast(2, 5)):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()
    with pytest.raises(ValueError, match="num_classes"):
        zoo_layers.OneHot(0)
    with pytest.raises(ValueError, match="width"):
        zoo_layers.SpatialBroadcast(2, -1)
