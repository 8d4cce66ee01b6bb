"""Evaluates the MNIST generators with every metric, beside real-data floors and ceilings.

What is measured: the built-in `dcgan_mnist` preset, an untrained DCGAN of
the same architecture (the ceiling), and real MNIST digits (the floor),
against the 10,000 real MNIST test images in `--data` (the only MNIST images
on the machines this project is built on; `dcgan_mnist` was trained on them).

Features: the bundled MNIST classifier (`keras_gan_zoo.metrics.mnist_classifier()`,
128-d penultimate layer; its 10 logits for the Inception-Score analogue). The
FID Inception network's weights are not on these machines, so no Inception
FID is reported here; `keras-gan-zoo evaluate ... --features inception`
gives it where they are.

Protocol of each row: N generated (seed 0) against all 10,000 real test
images; FID and KID (100 subsets of 1,000; the classifier's features are
unnormalized ReLU outputs, so KID's scale is not Inception's), "IS" from the classifier's
logits (10 splits), precision/recall (k=3) and density/coverage (k=5) on the
same features, and DigitJudge's recognized fraction. The real row compares
the 5,000 test images with even indices against the 5,000 with odd indices:
the floor at that N (FID is biased upward as c/N, so it is not 0). Stacked MNIST: stacks of
three of the 2,000 digits the classifier did not train on, 26,000 samples
(VEEGAN's count), modes covered of 1,000 and KL to uniform.

    KERAS_BACKEND=tensorflow python benchmarks/mnist_evaluation.py --data ../shared/data/mnist
"""

import argparse
import os
import time

import keras
import numpy as np

import keras_gan_zoo
from keras_gan_zoo import datasets
from keras_gan_zoo.metrics import DigitJudge
from keras_gan_zoo.metrics import evaluation
from keras_gan_zoo.metrics import mnist_cnn

parser = argparse.ArgumentParser()
parser.add_argument("--data", default=os.path.join("..", "shared", "data", "mnist"))
parser.add_argument("--n", type=int, default=10_000, help="generated samples per model")
args = parser.parse_args()

if not datasets.has_idx_images(args.data):
    raise SystemExit(f"MNIST IDX files not found in {args.data}; pass --data")
real_uint8, labels = datasets.idx_arrays(args.data)
real = (real_uint8.astype("float32") / 127.5 - 1.0)[..., None]
extractor = evaluation.feature_extractor("mnist")
judge = DigitJudge(real_uint8, labels)
METRICS = ("fid", "kid", "is", "pr", "dc")


def row(name, samples, n, reference=real):
    start = time.perf_counter()
    result = evaluation.evaluate(samples, reference, metrics=METRICS, extractor=extractor, n=n)
    images = samples[:n] if isinstance(samples, np.ndarray) else samples.generate(n, seed=0)
    recognized = judge.score(images)["recognized"]
    seconds = time.perf_counter() - start
    return (
        f"| {name} | {result['n']:,} | {result['fid']:.2f} | {result['kid']:.2f} "
        f"+- {result['kid_std']:.2f} | {result['is']:.2f} +- {result['is_std']:.2f} "
        f"| {result['precision']:.3f} | {result['recall']:.3f} | {result['density']:.3f} "
        f"| {result['coverage']:.3f} | {recognized:.3f} | {seconds:.0f} s |"
    )


rows = [
    row("real test digits, even indices vs odd", real[::2], 5_000, reference=real[1::2]),
    row("`dcgan_mnist` preset", keras_gan_zoo.load_generator("dcgan_mnist"), args.n),
]
keras.utils.set_random_seed(0)
untrained = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), latent_dim=100, seed=0)
untrained_generator = keras_gan_zoo.Generator(untrained.generator)
rows.append(row("untrained DCGAN (same architecture)", untrained_generator, args.n))

_, held_out = mnist_cnn.held_out_split()
stacks, _ = datasets.stacked_mnist(real_uint8[held_out], labels[held_out], 26_000, seed=0)
stacked = mnist_cnn.stacked_mnist_modes(stacks)

print(f"keras {keras.__version__}, {keras.config.backend()} backend, {os.cpu_count()} CPUs")
print(f"features: {mnist_cnn.PROTOCOL}\n")
print(
    "| samples | N | FID | KID | IS (classifier) | precision | recall | density "
    "| coverage | DigitJudge recognized | time |"
)
print("|---|---|---|---|---|---|---|---|---|---|---|")
print("\n".join(rows))
print(
    f"\nStacked MNIST, real stacks of the 2,000 held-out digits, 26,000 samples: "
    f"{stacked['modes']} of 1000 modes, KL to uniform {stacked['kl_to_uniform']:.3f}"
)
