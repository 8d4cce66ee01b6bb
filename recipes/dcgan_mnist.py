"""
Title: DCGAN on MNIST
Paper: Radford, Metz and Chintala, "Unsupervised Representation Learning with Deep
       Convolutional Generative Adversarial Networks", ICLR 2016.
Description: the paper's architecture and optimizer (Adam, lr 2e-4, beta_1 0.5,
batch 128, weights N(0, 0.02)) at MNIST's 28x28.

Data: `--data` points to a folder of MNIST-format IDX files (e.g.
../shared/data/mnist_train, the 60,000 training images; `--split` picks the split,
default "train"), or a tensorflow-datasets name ("mnist", needs a download).
Measured: 41% of samples recognized after 5 epochs (the built-in preset). On one CPU core a
60,000-image epoch (468 steps) took 11 to 15 minutes with the JAX backend, sharing
the machine with other jobs (see benchmarks/train_step.py for step times).

A run killed midway continues from its newest checkpoint in `--out`. With
`--preset-out` (IDX data only: the scores need the labels and the test split) the
trained GAN is scored on 10,000 samples (seed 0) with
`keras_gan_zoo.metrics.DigitJudge` fitted on the training split and with the FID on
the MNIST classifier's features against the 10,000 test images of `--test-data`,
and written as a preset; this is how the built-in `dcgan_mnist` preset was made.

    KERAS_BACKEND=jax python recipes/dcgan_mnist.py --data ../shared/data/mnist_train \
        --test-data ../shared/data/mnist --epochs EPOCHS --preset-out PRESET_FOLDER
"""

import argparse

import keras

import keras_gan_zoo
from keras_gan_zoo.callbacks import GANCheckpoint
from keras_gan_zoo.metrics import DigitJudge
from keras_gan_zoo.metrics import digit_recognition
from keras_gan_zoo.metrics import evaluation
from keras_gan_zoo.metrics import mnist_cnn

parser = argparse.ArgumentParser()
parser.add_argument(
    "--data",
    default="mnist",
    help="an MNIST IDX folder (e.g. ../shared/data/mnist_train) or a tfds name",
)
parser.add_argument("--split", default="train", choices=["train", "test"], help="split to train on")
parser.add_argument(
    "--test-data",
    default=None,
    help="MNIST IDX folder with the test split, for the preset's scores (default: --data)",
)
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--out", default="runs/dcgan_mnist")
parser.add_argument("--preset-out", default=None, help="write the trained GAN as a preset here")
args = parser.parse_args()
if args.preset_out and args.split != "train":
    parser.error(
        "--preset-out records scores whose protocol fits the judge on the training split "
        f"and measures against the test split; got --split {args.split}"
    )

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
        args.data, batch_size=128, seed=0, initial_epoch=initial_epoch, split=args.split
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
    test_data = args.test_data or args.data
    train_images, train_labels = keras_gan_zoo.datasets.idx_arrays(args.data, split="train")
    judge = DigitJudge(train_images, train_labels)
    samples = gan.generate(10_000, seed=0)
    score = judge.score(samples)
    print(f"Recognized digits: {score['recognized']:.4f}, per class {score['class_counts']}")
    test_images, _ = keras_gan_zoo.datasets.idx_arrays(test_data, split="test")
    fid = evaluation.evaluate(
        samples,
        test_images[..., None],
        metrics="fid",
        extractor=evaluation.feature_extractor("mnist"),
    )
    print(f"FID on MNIST-classifier features: {fid['fid']:.2f} ({fid['protocol']})")
    test_size = f"{len(test_images):,}"
    gan.save_to_preset(
        args.preset_out,
        description=f"DCGAN, 28x28 MNIST digits ({100 * score['recognized']:.0f}% recognized)",
        dataset=f"MNIST training set ({len(train_images):,} images of {args.data}); "
        f"scored against the {test_size} test images of {test_data}",
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
            "fid_mnist_classifier": {
                "value": round(fid["fid"], 2),
                "protocol": f"FID of the same 10,000 samples against the {test_size} MNIST "
                f"test images, on the 128-d features of {mnist_cnn.PROTOCOL}",
            },
        },
        command=f"KERAS_BACKEND={keras.config.backend()} python recipes/dcgan_mnist.py "
        f"--data {args.data} --split {args.split} --test-data {test_data} "
        f"--epochs {args.epochs} --out {args.out} --preset-out {args.preset_out}",
        epochs=args.epochs,
        overwrite=True,
    )
    print(f"Preset written to {args.preset_out}")
