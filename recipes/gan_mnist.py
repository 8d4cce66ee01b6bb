"""
Title: GAN on MNIST
Paper: Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
Description: the paper's MNIST networks: G an MLP with two ReLU layers of 1200 units,
D a maxout MLP (two layers of 240 units x 5 pieces) with dropout 0.5; k = 1 D step
per G step; non-saturating G loss (Section 3).
Deviation: the paper used SGD with momentum and a learning-rate decay schedule tuned
in pylearn2; we use Adam(2e-4, beta_1=0.5), which trains these nets reliably.

    KERAS_BACKEND=jax python recipes/gan_mnist.py --data ../shared/data/mnist_train --epochs 100

The Parzen row of docs/evaluation.md is this recipe with `--epochs 20`.
"""

import argparse

import keras

import keras_gan_zoo

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="mnist")
parser.add_argument("--epochs", type=int, default=100)
parser.add_argument("--out", default="runs/gan_mnist")
args = parser.parse_args()

dataset = keras_gan_zoo.datasets.load(args.data, batch_size=100, seed=0)
gan = keras_gan_zoo.GAN(data_shape=(28, 28, 1), latent_dim=100, d_steps=1, seed=0)
gan.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    loss="non_saturating",
)
gan.fit(
    dataset,
    epochs=args.epochs,
    callbacks=[
        keras_gan_zoo.callbacks.SampleGrid(f"{args.out}/samples", every_n_epochs=5),
        keras_gan_zoo.callbacks.GANCheckpoint(f"{args.out}/checkpoints", every_n_epochs=5),
    ],
)
gan.save_generator(f"{args.out}/generator.keras")
