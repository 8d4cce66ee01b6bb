"""Evaluates the MNIST generators with every metric, beside real-data floors and ceilings.

What is measured: the built-in `dcgan_mnist` preset, an untrained DCGAN of
the same architecture (the ceiling), and real MNIST digits (the floors),
against the 10,000 real MNIST test images in `--test-data`. The preset, the
classifier and DigitJudge were all fitted on the 60,000 training images in
`--data`; none of them saw a test image.

Features: the bundled MNIST classifier (`keras_gan_zoo.metrics.mnist_classifier()`,
128-d penultimate layer; its 10 logits for the Inception-Score analogue). The
FID Inception network's weights are not on these machines, so no Inception
FID is reported here; `keras-gan-zoo evaluate ... --features inception`
gives it where they are.

Protocol of each row: N generated (seed 0) against all 10,000 real test
images; FID and KID (100 subsets of 1,000; the classifier's features are
unnormalized ReLU outputs, so KID's scale is not Inception's), "IS" from the classifier's
logits (10 splits), precision/recall (k=3) and density/coverage (k=5) on the
same features, and DigitJudge's recognized fraction (judge fitted on the
training images). Two real rows are the floors (FID is biased upward as c/N,
so it is not 0): the 5,000 test images with even indices against the 5,000
with odd indices, and the first 10,000 training images against the 10,000
test images (the preset's N; DigitJudge was fitted on those training images,
so its score is left out there). Stacked MNIST: stacks of three of the
10,000 test digits, 26,000 samples (VEEGAN's count) and 10,000, modes covered
of 1,000 and KL to uniform.

    KERAS_BACKEND=tensorflow python benchmarks/mnist_evaluation.py \
        --data ../shared/data/mnist_train --test-data ../shared/data/mnist
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
parser.add_argument(
    "--data",
    default=os.path.join("..", "shared", "data", "mnist_train"),
    help="folder of the MNIST training images (IDX), what the judge is fitted on",
)
parser.add_argument(
    "--test-data",
    default=os.path.join("..", "shared", "data", "mnist"),
    help="folder of the MNIST test images (IDX), the reference",
)
parser.add_argument("--n", type=int, default=10_000, help="generated samples per model")
args = parser.parse_args()

for folder, flag in ((args.data, "--data"), (args.test_data, "--test-data")):
    if not datasets.has_idx_images(folder):
        raise SystemExit(f"MNIST IDX files not found in {folder}; pass {flag}")


def scaled(images):
    return (images.astype("float32") / 127.5 - 1.0)[..., None]


train_uint8, train_labels = datasets.idx_arrays(args.data, split="train")
real_uint8, labels = datasets.idx_arrays(args.test_data, split="test")
real = scaled(real_uint8)
extractor = evaluation.feature_extractor("mnist")
start = time.perf_counter()
judge = DigitJudge(train_uint8, train_labels)
judge_seconds = time.perf_counter() - start
real_recognized = judge.score(real)["recognized"]
METRICS = ("fid", "kid", "is", "pr", "dc")


def row(name, samples, n, reference=real, judged=True):
    start = time.perf_counter()
    result = evaluation.evaluate(samples, reference, metrics=METRICS, extractor=extractor, n=n)
    images = samples[:n] if isinstance(samples, np.ndarray) else samples.generate(n, seed=0)
    recognized = f"{judge.score(images)['recognized']:.3f}" if judged else "(fitted on them)"
    seconds = time.perf_counter() - start
    return (
        f"| {name} | {result['n']:,} | {result['fid']:.2f} | {result['kid']:.2f} "
        f"+- {result['kid_std']:.2f} | {result['is']:.2f} +- {result['is_std']:.2f} "
        f"| {result['precision']:.3f} | {result['recall']:.3f} | {result['density']:.3f} "
        f"| {result['coverage']:.3f} | {recognized} | {seconds:.0f} s |"
    )


rows = [
    row("real test digits, even indices vs odd", real[::2], 5_000, reference=real[1::2]),
    row(
        "real training digits (first 10,000) vs test",
        scaled(train_uint8[:10_000]),
        10_000,
        judged=False,
    ),
    row("`dcgan_mnist` preset", keras_gan_zoo.load_generator("dcgan_mnist"), args.n),
]
keras.utils.set_random_seed(0)
untrained = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), latent_dim=100, seed=0)
untrained_generator = keras_gan_zoo.Generator(untrained.generator)
rows.append(row("untrained DCGAN (same architecture)", untrained_generator, args.n))

stacked = {}
for count in (10_000, 26_000):
    stacks, _ = datasets.stacked_mnist(real_uint8, labels, count, seed=0)
    stacked[count] = mnist_cnn.stacked_mnist_modes(stacks)

print(f"keras {keras.__version__}, {keras.config.backend()} backend, {os.cpu_count()} CPUs")
print(f"features: {mnist_cnn.PROTOCOL}")
print(
    f"DigitJudge fitted on the {len(train_uint8):,} training images in {judge_seconds:.0f} s; "
    f"it recognizes {real_recognized:.4f} of the {len(real):,} test images\n"
)
print(
    "| samples | N | FID | KID | IS (classifier) | precision | recall | density "
    "| coverage | DigitJudge recognized | time |"
)
print("|---|---|---|---|---|---|---|---|---|---|---|")
print("\n".join(rows))
for count, result in stacked.items():
    print(
        f"\nStacked MNIST, real stacks of the 10,000 test digits, {count:,} samples: "
        f"{result['modes']} of 1000 modes, KL to uniform {result['kl_to_uniform']:.3f}"
    )
