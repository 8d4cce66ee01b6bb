"""A semi-supervised AAE learns digits from 50 labels, with codes shaped like its prior.

scikit-learn's 8x8 digits (1,797; a fixed split of 1,297 for training, 500
for testing), 50 training labels (5 per class), the rest unlabelled; 10 of
every batch of 64 are labelled (`datasets.semi_supervised_epoch`); 20
epochs. Scored by the test accuracy of the categorical code's argmax
(`classify`) and by how close the style codes of the test images are to the
N(0, I) prior (the largest |mean| and the range of the standard deviations
over the 5 code dimensions).

Measured on TensorFlow, one thread (`train_and_score(seed)`, run in a loop),
seeds 0-4: accuracy 0.846, 0.846, 0.854, 0.878, 0.834; largest |mean| 0.69,
1.04, 0.48, 0.39, 0.32; standard deviations within 1.12-1.76. Without the
adversarial phases (d and g at a zero rate; the reconstruction and the
supervised phase as before), seeds 0-1: accuracy 0.786 and 0.744, largest
|mean| 3.35 and 2.59, deviations 2.74-4.23. So the prior's discriminator
both shapes the codes and helps the classifier use the unlabelled images;
the code bars below separate the two with margin, the accuracy bar sits
clear under the model's spread. About 35 s.
"""

import keras
import numpy as np
import pytest

import keras_gan_zoo

pytestmark = pytest.mark.learning

EPOCHS, BATCH, LABELLED = 20, 64, 50
# (test accuracy above, largest |code mean| below, code deviations within).
BAR = (0.75, 1.6, (0.5, 2.3))


def _digits():
    images, labels = keras_gan_zoo.datasets.digits_arrays(image_size=8)
    images = images.astype("float32") / 127.5 - 1.0
    order = np.random.default_rng(0).permutation(len(images))
    train, test = order[:1297], order[1297:]
    return images[train], labels[train].astype("int32"), images[test], labels[test]


def train_and_score(seed=0, compile_arguments=None):
    """(test accuracy, mean |code mean|, code std range) of a semi-supervised AAE with
    LABELLED labels: how well it classifies, and how close its style codes of the test
    images are to the N(0, I) prior."""
    keras.utils.set_random_seed(seed)
    train_images, train_labels, test_images, test_labels = _digits()
    model = keras_gan_zoo.CategoricalAdversarialAutoencoder(
        categories=10,
        semi_supervised=True,
        data_shape=(8, 8, 1),
        latent_dim=5,
        units=(256, 256),
        seed=seed,
    )
    model.compile(**(compile_arguments or {}))
    kept = keras_gan_zoo.datasets.keep_labels(train_labels, LABELLED, seed=seed)
    for epoch in range(EPOCHS):
        x, y = keras_gan_zoo.datasets.semi_supervised_epoch(
            train_images, kept, BATCH, 10, seed=seed + epoch
        )
        model.fit(x, y, batch_size=BATCH, epochs=epoch + 1, initial_epoch=epoch, shuffle=False,
                  verbose=0)  # fmt: skip
    accuracy = float(np.mean(model.classify(test_images) == test_labels))
    codes = model.encode(test_images)
    stds = codes.std(axis=0)
    return accuracy, float(np.abs(codes.mean(axis=0)).max()), (float(stds.min()), float(stds.max()))


def test_semi_supervised_aae_classifies_digits_from_50_labels():
    accuracy, largest_mean, (lowest_std, highest_std) = train_and_score(0)
    assert accuracy > BAR[0], f"test accuracy {accuracy:.3f} with {LABELLED} labels (bar {BAR[0]})"
    assert largest_mean < BAR[1], f"a code dimension's mean is {largest_mean:.2f} (prior: 0)"
    low, high = BAR[2]
    assert low < lowest_std and highest_std < high, (
        f"code deviations {lowest_std:.2f}-{highest_std:.2f}, outside {low}-{high} (prior: 1)"
    )
