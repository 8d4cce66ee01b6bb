"""
Title: InfoGAN on MNIST
Paper: Chen et al., "InfoGAN: Interpretable Representation Learning by
       Information Maximizing Generative Adversarial Nets", NeurIPS 2016,
       https://arxiv.org/abs/1606.03657.
Description: the paper's MNIST model: 62-d noise, one 10-way categorical code
(c1) and two continuous codes uniform on [-1, 1] (c2, c3); the appendix's
networks, Q on D's trunk; Adam with beta_1 0.5, D and Q at 2e-4, G at 1e-3;
batch 128. The official launcher runs 5,000 updates; `--epochs 11` is 5,159
(469 batches an epoch). No labels are used in training.

Data: `--data` is a folder of MNIST-format IDX files
(../shared/data/mnist_train: the 60,000 training images). `--test-data` holds
the 10,000 test images and labels, used only to score c1. `--dataset
fashion_mnist` reads both splits from ../shared/data/fashion_mnist and scores
c1 against the garment classes.
Measured: c1 read by Q on the 10,000 test images, matched to the digits one
to one (Hungarian), is the paper's unsupervised accuracy (it reports 95%);
`--preset-out` writes the generator as a preset with that number, and
traversal grids of each code go to `--out`.

    KERAS_BACKEND=jax python recipes/infogan_mnist.py --data ../shared/data/mnist_train \
        --test-data ../shared/data/mnist --epochs 11 --seed 0 --out runs/infogan_mnist_0
"""

import argparse
import json
import time

import keras

import keras_gan_zoo
from keras_gan_zoo.callbacks import GANCheckpoint
from keras_gan_zoo.metrics import code_accuracy

parser = argparse.ArgumentParser()
parser.add_argument(
    "--dataset", choices=sorted(keras_gan_zoo.datasets.LABELLED_IMAGES), default="mnist"
)
parser.add_argument("--data", default=None, help="IDX folder (default: the dataset's)")
parser.add_argument("--test-data", default=None, help="IDX folder of the labelled test split")
parser.add_argument("--epochs", type=int, default=11)
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--filters", type=int, default=64, help="conv width (the paper's: 64)")
parser.add_argument("--dense-units", type=int, default=1024, help="FC width (the paper's: 1024)")
parser.add_argument("--out", default="runs/infogan_mnist")
parser.add_argument("--preset-out", default=None, help="write the trained GAN as a preset here")
args = parser.parse_args()
facts = keras_gan_zoo.datasets.LABELLED_IMAGES[args.dataset]
args.data = args.data or facts.folder
args.test_data = args.test_data or facts.test_folder

checkpoints = f"{args.out}/checkpoints"
if GANCheckpoint.latest(checkpoints):
    gan, initial_epoch = GANCheckpoint.restore(checkpoints)
else:
    keras.utils.set_random_seed(args.seed)
    networks = keras_gan_zoo.networks
    width = {"filters": args.filters, "dense_units": args.dense_units}
    gan = keras_gan_zoo.InfoGAN(
        generator=networks.infogan_generator(62 + 10 + 2, (28, 28, 1), **width),
        discriminator=networks.infogan_discriminator((28, 28, 1), (10,), 2, **width),
        seed=args.seed,
    )
    gan.compile()  # the paper's optimizers (InfoGAN.default_optimizer)
    initial_epoch = 0
started = time.time()
if initial_epoch < args.epochs:
    dataset = keras_gan_zoo.datasets.from_idx(
        args.data,
        split="train",
        batch_size=args.batch_size,
        seed=args.seed,
        initial_epoch=initial_epoch,
    )
    gan.fit(
        dataset,
        epochs=args.epochs,
        initial_epoch=initial_epoch,
        callbacks=[GANCheckpoint(checkpoints)],
        verbose=2,
    )
seconds = time.time() - started

# c1 on the test images, through Q, matched to the digits.
test_images, test_labels = keras_gan_zoo.datasets.idx_arrays(args.test_data, split="test")
test_images = (test_images.astype("float32") / 127.5 - 1.0).reshape(-1, 28, 28, 1)
score = code_accuracy(gan.predict_codes(test_images)["c1"], test_labels)
print(f"c1 accuracy on the {len(test_labels):,} test images: {score['accuracy']:.4f}")
print(f"c1 -> class: {score['assignment']}")

generator = gan.sampler()
for code in generator.code_names:
    generator.save_traversal_grid(f"{args.out}/traverse_{code}.png", code, rows=10, seed=0)
record = {
    "dataset": args.dataset,
    "seed": args.seed,
    "epochs": args.epochs,
    "filters": args.filters,
    "dense_units": args.dense_units,
    "updates": int(gan.d_optimizer.iterations.numpy()),
    "c1_accuracy": round(score["accuracy"], 4),
    "assignment": score["assignment"],
    "protocol": score["protocol"],
    "train_seconds": round(seconds),
    "backend": keras.config.backend(),
}
with open(f"{args.out}/code_accuracy.json", "w") as file:
    json.dump(record, file, indent=1)

if args.preset_out:
    gan.save_to_preset(
        args.preset_out,
        description=f"InfoGAN, 28x28 {facts.title} images; c1 (10 categories) picks the class "
        f"({100 * score['accuracy']:.1f}% of test images matched), c2 and c3 continuous",
        dataset=f"{facts.title} training set (60,000 images of {args.data}, split 'train', no "
        "labels); the 10,000 test images only score c1",
        license=f"Apache-2.0 (weights); {facts.license}",
        metrics={
            "code_accuracy": {
                "value": round(score["accuracy"], 4),
                "assignment": score["assignment"],
                "protocol": score["protocol"] + " (Q's argmax on the 10,000 test images)",
            }
        },
        command=f"KERAS_BACKEND={keras.config.backend()} python recipes/infogan_mnist.py "
        f"--dataset {args.dataset} --data {args.data} --test-data {args.test_data} "
        f"--epochs {args.epochs} --batch-size {args.batch_size} --seed {args.seed} "
        f"--filters {args.filters} --dense-units {args.dense_units} --out {args.out} "
        f"--preset-out {args.preset_out}",
        data_split="train",
        epochs=args.epochs,
        filters=args.filters,
        dense_units=args.dense_units,
        overwrite=True,
    )
    print(f"Preset written to {args.preset_out}")
