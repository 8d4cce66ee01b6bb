"""
Title: DCGAN on MNIST
Paper: Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep
       Convolutional Generative Adversarial Networks", ICLR 2016.
Description: the paper's architecture and optimizer (Adam, lr 2e-4, beta_1 0.5,
batch 128, weights N(0, 0.02)) at MNIST's 28x28.

Data: `--data` points to a folder of MNIST-format IDX files (e.g. ../shared/data/mnist,
the 10,000 test images), or a tensorflow-datasets name ("mnist", needs a download).
Expected: recognizable digits after ~5 epochs of 60,000 images; on the 10,000 test
images, after ~30 epochs. On 2 CPU cores a 10k-image epoch takes about 20-60 s
depending on the backend (see benchmarks/train_step.py).

    KERAS_BACKEND=jax python recipes/dcgan_mnist.py --data ../shared/data/mnist --epochs 30
"""

import argparse

import keras

import keras_gan_zoo

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="mnist")
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--out", default="runs/dcgan_mnist")
args = parser.parse_args()

# The paper: minibatch 128, Adam(2e-4, beta_1=0.5), z ~ 100-d.
dataset = keras_gan_zoo.datasets.load(args.data, batch_size=128, seed=0)
gan = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), latent_dim=100, seed=0)
gan.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    loss="non_saturating",
)
gan.fit(
    dataset,
    epochs=args.epochs,
    callbacks=[
        keras_gan_zoo.callbacks.SampleGrid(f"{args.out}/samples"),
        keras_gan_zoo.callbacks.GANCheckpoint(f"{args.out}/checkpoints"),
    ],
)
gan.save_generator(f"{args.out}/generator.keras")
