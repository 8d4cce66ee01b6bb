"""
Title: the MNIST and Fashion-MNIST classifiers behind the class metrics, the digit FID and the
Stacked-MNIST mode count
Description: trains `keras_gan_zoo.metrics.mnist_classifier` (a small CNN) on the
60,000 MNIST training images and scores it on the 10,000 test images, which it
never sees while training. `--dataset fashion_mnist` trains the same network on
Fashion-MNIST (`fashion_mnist_classifier`), from ../shared/data/fashion_mnist,
which holds both splits.

Training: Adam with a cosine-decayed learning rate from 1e-3, batch 64, 6 epochs
(360,000 images seen), random translations of up to 10% (the augmentation wraps
the classifier only while training; the saved model has none). Seeded with
`keras.utils.set_random_seed(0)`. 3 to 9 minutes on one CPU core with the
TensorFlow backend (30 to 90 s an epoch, depending on the load).

The weights go to `--out` (default: the file shipped in the package); the recipe
prints their sha256 and test accuracy, which are pinned in
keras_gan_zoo/metrics/mnist_cnn.py (WEIGHTS_SHA256, TEST_ACCURACY; for Fashion-MNIST
FASHION_WEIGHTS_SHA256, FASHION_TEST_ACCURACY).

    KERAS_BACKEND=tensorflow python recipes/mnist_classifier.py \\
        --data ../shared/data/mnist_train --test-data ../shared/data/mnist
    KERAS_BACKEND=tensorflow python recipes/mnist_classifier.py --dataset fashion_mnist
"""

import argparse
import os

import keras
import numpy as np

import keras_gan_zoo
from keras_gan_zoo.metrics import mnist_cnn
from keras_gan_zoo.utils.downloads import sha256_of

# Per dataset: the network, its default training and test folders, its shipped weights.
DATASETS = {
    "mnist": (
        mnist_cnn.mnist_classifier,
        "../shared/data/mnist_train",
        "../shared/data/mnist",
        mnist_cnn.WEIGHTS_PATH,
    ),
    "fashion_mnist": (
        mnist_cnn.fashion_mnist_classifier,
        "../shared/data/fashion_mnist",
        "../shared/data/fashion_mnist",
        mnist_cnn.FASHION_WEIGHTS_PATH,
    ),
}

parser = argparse.ArgumentParser()
parser.add_argument("--dataset", default="mnist", choices=sorted(DATASETS))
parser.add_argument("--data", default=None, help="folder of IDX files to train on")
parser.add_argument("--split", default="train", choices=["train", "test"], help="split to train on")
parser.add_argument("--test-data", default=None, help="folder of IDX files to score on")
parser.add_argument("--test-split", default="test", choices=["train", "test"])
parser.add_argument("--epochs", type=int, default=6)
parser.add_argument("--out", default=None, help="weights file (default: the shipped one)")
args = parser.parse_args()
network, default_data, default_test_data, shipped = DATASETS[args.dataset]
args.data = args.data or default_data
args.test_data = args.test_data or default_test_data
args.out = args.out or shipped


def scaled(images):
    return images[..., None].astype("float32") / 127.5 - 1.0  # [-1, 1], like generated digits


keras.utils.set_random_seed(0)
train_images, train_labels = keras_gan_zoo.datasets.idx_arrays(args.data, split=args.split)
test_images, test_labels = keras_gan_zoo.datasets.idx_arrays(args.test_data, split=args.test_split)
train_images, test_images = scaled(train_images), scaled(test_images)

classifier = network(weights=None)
logits_only = keras.Model(classifier.input, classifier.get_layer("logits").output)
trainer = keras.Sequential(
    [
        keras.Input((28, 28, 1)),
        # The background is -1, so shifted-in pixels are background too.
        keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant", fill_value=-1.0),
        logits_only,
    ]
)
batch_size = 64
steps = args.epochs * (len(train_images) // batch_size)
trainer.compile(
    optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, steps)),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
trainer.fit(train_images, train_labels, batch_size=batch_size, epochs=args.epochs, verbose=2)

predicted = classifier.predict(test_images, batch_size=500, verbose=0)["logits"]
accuracy = float(np.mean(np.argmax(predicted, axis=1) == test_labels))
os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
classifier.save_weights(args.out)
print(f"Trained on {len(train_images)} images of {args.data} ({args.split} split)")
print(f"Test accuracy: {accuracy:.4f} on {len(test_images)} images of {args.test_data}")
print(f"Weights: {args.out} ({os.path.getsize(args.out)} bytes)")
print(f"sha256: {sha256_of(args.out)}")
