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

A run killed midway continues from its newest checkpoint in `--out`. With
`--preset-out` (IDX data only: the score needs the labels) the trained GAN is
scored with `keras_gan_zoo.metrics.DigitJudge` and written as a preset; this is
how the built-in `dcgan_mnist` preset was made.

    KERAS_BACKEND=jax python recipes/dcgan_mnist.py --data ../shared/data/mnist --epochs 30
"""

import argparse

import keras

import keras_gan_zoo
from keras_gan_zoo.callbacks import GANCheckpoint
from keras_gan_zoo.metrics import DigitJudge
from keras_gan_zoo.metrics import digit_recognition

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="mnist")
parser.add_argument("--epochs", type=int, default=30)
parser.add_argument("--out", default="runs/dcgan_mnist")
parser.add_argument("--preset-out", default=None, help="write the trained GAN as a preset here")
args = parser.parse_args()

checkpoints = f"{args.out}/checkpoints"
if GANCheckpoint.latest(checkpoints):
    gan, initial_epoch = GANCheckpoint.restore(checkpoints)
else:
    # The paper: minibatch 128, Adam(2e-4, beta_1=0.5), z ~ 100-d.
    gan, initial_epoch = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), latent_dim=100, seed=0), 0
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss="non_saturating",
    )
if initial_epoch < args.epochs:
    dataset = keras_gan_zoo.datasets.load(
        args.data, batch_size=128, seed=0, initial_epoch=initial_epoch
    )
    gan.fit(
        dataset,
        epochs=args.epochs,
        initial_epoch=initial_epoch,
        callbacks=[
            keras_gan_zoo.callbacks.SampleGrid(f"{args.out}/samples"),
            GANCheckpoint(checkpoints),
        ],
    )
gan.save_generator(f"{args.out}/generator.keras")

if args.preset_out:
    judge = DigitJudge(*keras_gan_zoo.datasets.idx_arrays(args.data))
    score = judge.score(gan.generate(10_000, seed=0))
    print(f"Recognized digits: {score['recognized']:.3f}, per class {score['class_counts']}")
    gan.save_to_preset(
        args.preset_out,
        description=f"DCGAN, 28x28 MNIST digits ({100 * score['recognized']:.0f}% recognized)",
        dataset="MNIST test set (10,000 images of ../shared/data/mnist), not the 60,000 "
        "training images: nothing else could be downloaded where it was trained",
        license="Apache-2.0 (weights); MNIST: Creative Commons Attribution-Share Alike 3.0",
        metrics={
            "recognized_digits": {
                "value": round(score["recognized"], 4),
                "protocol": digit_recognition.PROTOCOL.format(n="10,000"),
            },
            "digits_present": {
                "value": score["digits_present"],
                "protocol": "digits predicted for at least 1% of the same 10,000 samples",
            },
        },
        command=f"KERAS_BACKEND={keras.config.backend()} python recipes/dcgan_mnist.py "
        f"--data {args.data} --epochs {args.epochs} --out {args.out} "
        f"--preset-out {args.preset_out}",
        epochs=args.epochs,
        overwrite=True,
    )
    print(f"Preset written to {args.preset_out}")
