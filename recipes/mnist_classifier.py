"""
Title: the MNIST classifier behind the digit FID and the Stacked-MNIST mode count
Description: trains `keras_gan_zoo.metrics.mnist_classifier` (a small CNN) on 8,000
of the 10,000 MNIST test images, the only MNIST images available where it was made,
and scores it on the other 2,000 (the fixed split of `held_out_split`).

Training: Adam with a cosine-decayed learning rate from 1e-3, batch 64, 40 epochs,
random translations of up to 10% (the augmentation wraps the classifier only while
training; the saved model has none). Seeded with `keras.utils.set_random_seed(0)`.
About 2 minutes on 2 CPU cores with the TensorFlow backend; a rerun there writes a
byte-identical file.

The weights go to `--out` (default: the file shipped in the package); the recipe
prints their sha256 and held-out accuracy, which are pinned in
keras_gan_zoo/metrics/mnist_cnn.py (WEIGHTS_SHA256, HELD_OUT_ACCURACY).

    KERAS_BACKEND=tensorflow python recipes/mnist_classifier.py --data ../shared/data/mnist
"""

import argparse
import os

import keras
import numpy as np

import keras_gan_zoo
from keras_gan_zoo.metrics.mnist_cnn import WEIGHTS_PATH
from keras_gan_zoo.metrics.mnist_cnn import held_out_split
from keras_gan_zoo.metrics.mnist_cnn import mnist_classifier
from keras_gan_zoo.utils.downloads import sha256_of

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="../shared/data/mnist", help="folder of MNIST IDX files")
parser.add_argument("--epochs", type=int, default=40)
parser.add_argument("--out", default=WEIGHTS_PATH)
args = parser.parse_args()

keras.utils.set_random_seed(0)
images, labels = keras_gan_zoo.datasets.idx_arrays(args.data, kind="t10k-images")
images = images[..., None].astype("float32") / 127.5 - 1.0  # [-1, 1], like generated digits
train, held_out = held_out_split(len(images))

classifier = mnist_classifier(weights=None)
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
steps = args.epochs * (len(train) // batch_size)
trainer.compile(
    optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, steps)),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
trainer.fit(images[train], labels[train], batch_size=batch_size, epochs=args.epochs, verbose=2)

predicted = classifier.predict(images[held_out], batch_size=500, verbose=0)["logits"]
accuracy = float(np.mean(np.argmax(predicted, axis=1) == labels[held_out]))
os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
classifier.save_weights(args.out)
print(f"Held-out accuracy: {accuracy:.4f} on {len(held_out)} images")
print(f"Weights: {args.out} ({os.path.getsize(args.out)} bytes)")
print(f"sha256: {sha256_of(args.out)}")
