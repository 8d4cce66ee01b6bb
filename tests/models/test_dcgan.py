"""DCGAN (Radford et al. 2016): the architecture guidelines, and learning MNIST."""

import keras
import numpy as np
import pytest
from keras import layers

import keras_gan_zoo
from keras_gan_zoo import datasets


def _is_batchnorm(layer):
    return isinstance(layer, layers.BatchNormalization)


# The layer structure does not depend on the backend: the sweep runs once, and
# one shape on every backend (whose initializer draws the N(0, 0.02) weights).
SHAPES = [
    pytest.param(side, channels, marks=() if (side, channels) == (28, 1) else pytest.mark.neutral)
    for side in (28, 32, 64)
    for channels in (1, 3)
]


@pytest.mark.parametrize(("side", "channels"), SHAPES)
def test_architecture_follows_the_guidelines(side, channels):
    gan = keras_gan_zoo.DCGAN(image_shape=(side, side, channels), filters=8)
    generator, discriminator = gan.generator, gan.discriminator
    assert generator.output_shape == (None, side, side, channels)
    assert discriminator.output_shape == (None, 1)

    g_layers, d_layers = generator.layers, discriminator.layers
    all_layers = g_layers + d_layers
    # No pooling anywhere; strided convs in D, transposed convs in G.
    assert not any("Pooling" in type(layer).__name__ for layer in all_layers)
    assert all(layer.strides == (2, 2) for layer in d_layers if isinstance(layer, layers.Conv2D))
    g_convs = [layer for layer in g_layers if isinstance(layer, layers.Conv2DTranspose)]
    assert g_convs and all(layer.strides == (2, 2) for layer in g_convs)
    # Only G's projection and D's logit are dense.
    assert sum(isinstance(layer, layers.Dense) for layer in all_layers) == 2
    # G's output: no BatchNorm after the last conv, tanh output.
    assert g_convs[-1] is g_layers[-1]
    assert g_convs[-1].activation.__name__ == "tanh"
    # D's input conv is followed by LeakyReLU, not BatchNorm.
    first_conv = next(i for i, layer in enumerate(d_layers) if isinstance(layer, layers.Conv2D))
    assert isinstance(d_layers[first_conv + 1], layers.LeakyReLU)
    # Elsewhere every conv is followed by BatchNorm.
    for network in (generator, discriminator):
        convs = [
            i
            for i, layer in enumerate(network.layers)
            if isinstance(layer, (layers.Conv2D, layers.Conv2DTranspose))
        ]
        for i in convs:
            is_edge = network is generator and i == convs[-1]
            is_edge |= network is discriminator and i == convs[0]
            assert is_edge or _is_batchnorm(network.layers[i + 1])
    assert all(
        layer.negative_slope == pytest.approx(0.2)
        for layer in d_layers
        if isinstance(layer, layers.LeakyReLU)
    )
    assert any(isinstance(layer, layers.ReLU) for layer in g_layers)
    # Weights from N(0, 0.02).
    kernel = keras.ops.convert_to_numpy(g_convs[0].kernel)
    assert abs(kernel.std() - 0.02) < 0.004


@pytest.mark.neutral
def test_unsupported_image_shapes_are_named():
    with pytest.raises(ValueError, match=r"\(30, 30, 1\)"):
        keras_gan_zoo.DCGAN(image_shape=(30, 30, 1))
    with pytest.raises(ValueError, match="square"):
        keras_gan_zoo.DCGAN(image_shape=(32, 64, 3))
    with pytest.raises(ValueError, match="1 or 3 channels"):
        keras_gan_zoo.DCGAN(image_shape=(32, 32, 2))


# recognized: the fraction of 500 samples the judge takes for a digit;
# digits_seen: how many of the 10 digits it sees more than 10 times in them.
MNIST_BAR = {"recognized": 0.25, "digits_seen": 8}


def train_and_judge(images, judge, seed=0):
    """Trains a narrow DCGAN on MNIST for 3 epochs from `seed`; judges 500 samples.

    The seed sets Keras' global seed (initial weights), the model's seed, the
    data order and the judged samples' latents. The test runs seed 0;
    benchmarks/learning_margins.py runs several.

    Args:
        images: uint8 MNIST images, (n, 28, 28).
        judge: a fitted `keras_gan_zoo.metrics.DigitJudge`.
        seed: int.

    Returns:
        A dict: `before` and `recognized` (the fraction recognized before and
        after training), `digits_seen`, `class_counts` and `setting`.
    """
    keras.utils.clear_session()
    keras.utils.set_random_seed(seed)
    dataset = datasets.from_arrays(images, batch_size=64, seed=seed)
    gan = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), filters=16, latent_dim=64, seed=seed)
    gan.compile()
    before = judge.score(gan.generate(500, seed=seed))["recognized"]
    gan.fit(dataset, epochs=3, verbose=0)
    score = judge.score(gan.generate(500, seed=seed))
    counts = np.array(score["class_counts"])
    return {
        "before": before,
        "recognized": score["recognized"],
        "digits_seen": int((counts[:10] > 10).sum()),
        "class_counts": counts.tolist(),
        "setting": "3 epochs of 64, 16 filters, latent 64",
    }


@pytest.mark.learning
def test_dcgan_learns_mnist_digits(mnist, digit_judge):
    images, _ = mnist
    result = train_and_judge(images, digit_judge, seed=0)
    # Measured after 3 epochs (468 steps) at 16 filters: 0.38 recognized (JAX), 0.35 (TF),
    # 0.42 (torch), with 9-10 digits seen over 10 times; 32 filters gave 0.36-0.38.
    assert result["before"] < 0.05, result
    assert result["recognized"] >= MNIST_BAR["recognized"], result
    assert result["digits_seen"] >= MNIST_BAR["digits_seen"], result  # not collapsed
