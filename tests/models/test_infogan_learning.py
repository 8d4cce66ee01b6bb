"""InfoGAN's categorical code comes to pick the mode, with no labels.

The ring of 8 Gaussians (radius 2, std 0.05), unlabelled. InfoGAN with one
8-way code c1 (and 4-d noise) must learn to put each category of c1 on its
own mode: nothing but the information term ties them. Scored on 250 samples
per category: each sample's nearest mode, matched one to one to the
categories (`keras_gan_zoo.metrics.code_accuracy`), and the fraction within
0.5 of a mode (quality).

InfoGAN, 200 steps of 256 at 2e-3 on TensorFlow, one thread, seeds 0-4
(`train_infogan_and_score(seed)`, run in a loop): c1's code accuracy 1.000 on
every seed, 98.4-99.95% of samples near a mode. With the information term
weighted 0 nothing ties c1 to the modes: 15.3-17.4% (seeds 0-1), near the
1/8 of chance, which the control below checks stays under the bar.
"""

import keras
import numpy as np
import pytest
from ring import MEANS
from ring import compile_with_adam
from ring import ring_points

import keras_gan_zoo
from keras_gan_zoo.metrics import code_accuracy
from keras_gan_zoo.networks import add_code_head
from keras_gan_zoo.networks import dense_discriminator
from keras_gan_zoo.networks import mlp_generator

pytestmark = pytest.mark.learning

STEPS, BATCH, LEARNING_RATE = 200, 256, 2e-3
NOISE = 4


def train_infogan_and_score(seed=0, steps=STEPS, **arguments):
    """Trains InfoGAN on the ring; returns (code accuracy of c1, fraction near a mode)."""
    keras.utils.set_random_seed(seed)
    generator = mlp_generator(NOISE + 8, (2,), units=(64, 64), data_range=None)
    discriminator = add_code_head(dense_discriminator((2,), units=(64, 64)), (8,), 0, q_units=32)
    gan = keras_gan_zoo.InfoGAN(
        generator=generator,
        discriminator=discriminator,
        data_range=None,
        categorical_codes=(8,),
        continuous_codes=0,
        seed=seed,
        **arguments,
    )
    compile_with_adam(gan, LEARNING_RATE)
    rng = np.random.default_rng(seed)
    _, points = ring_points(rng, steps * BATCH)
    gan.fit(points, batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    categories = np.repeat(np.arange(8), 250)
    samples = gan.generate(len(categories), seed=seed + 1, codes={"c1": categories})
    distances = np.linalg.norm(samples[:, None] - MEANS[None], axis=2)
    accuracy = code_accuracy(categories, distances.argmin(axis=1), num_codes=8, num_classes=8)
    return accuracy["accuracy"], float(np.mean(distances.min(axis=1) < 0.5))


# (code accuracy of c1, fraction near a mode): bars well under the 1.000 and 0.984+ measured.
BAR = (0.8, 0.8)


def test_infogan_learns_a_code_that_picks_the_mode():
    accuracy, quality = train_infogan_and_score()
    assert accuracy >= BAR[0] and quality >= BAR[1], (accuracy, quality)


def test_without_its_information_term_the_code_means_nothing():
    accuracy, _ = train_infogan_and_score(categorical_weight=0.0)
    assert accuracy < BAR[0] / 2, accuracy
