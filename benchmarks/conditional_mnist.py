"""The class-conditional MNIST table: our presets beside the papers' numbers.

What is measured, each through `keras-gan-zoo evaluate` (so the numbers are
what a user gets) with the protocol it prints:
- class fidelity, CAS (with the same classifier trained on real digits
  beside it) and intra-class FID of the conditional presets (`cgan_mnist`,
  `acgan_mnist`): 10,000 samples, 1,000 per class, seed 0; CAS and intra-FID
  against the 10,000 test images;
- the Parzen-window log-likelihood of the test images under 10,000 samples
  of every MNIST preset, sigma chosen on 1,000 training images (MNIST
  50,000-50,999, as in the GAN paper's code), for the GAN and CGAN papers'
  table (GAN 225 +- 2, CGAN 132 +- 1.8; a weak metric: docs/evaluation.md);
- InfoGAN's categorical-code accuracy comes from its recipe
  (recipes/infogan_mnist.py writes it, with Q, on the test images), read from
  the `--infogan` JSON files given.

Every preset was trained on the 60,000 training images (the 1,000 Parzen
validation images among them); only the test images score. One JSON line per
preset is appended to benchmarks/results/conditional_mnist.jsonl. With
several `--infogan` files (one per seed) their mean and standard deviation
are printed too.

`--dataset fashion_mnist` measures Fashion-MNIST models the same way, against
its test images, with the bundled Fashion-MNIST classifier for fidelity and
intra-FID (rows in benchmarks/results/conditional_fashion_mnist.jsonl; the
published rows are MNIST's and are not printed).

    KERAS_BACKEND=tensorflow python benchmarks/conditional_mnist.py \
        --train-data ../shared/data/mnist_train --test-data ../shared/data/mnist \
        --presets cgan_mnist acgan_mnist dcgan_mnist
    KERAS_BACKEND=tensorflow python benchmarks/conditional_mnist.py --dataset fashion_mnist \
        --presets cgan_fashion_mnist
"""

import argparse
import glob
import json
import os
import tempfile
import time

import keras
import numpy as np

from keras_gan_zoo import cli
from keras_gan_zoo.datasets import LABELLED_IMAGES

PUBLISHED = {
    "parzen": "GAN 225 +- 2 (Goodfellow et al. 2014), CGAN 132 +- 1.8 (Mirza and Osindero "
    "2014): Gaussian Parzen window on 10,000 samples, MNIST test set, pixels in [0, 1]",
    "code_accuracy": "InfoGAN 95% (5% error; Chen et al. 2016, c1 matched to the digits)",
}

parser = argparse.ArgumentParser()
parser.add_argument("--dataset", choices=sorted(LABELLED_IMAGES), default="mnist")
parser.add_argument("--train-data", default=None, help="default: the dataset's training folder")
parser.add_argument("--test-data", default=None, help="default: the dataset's test folder")
parser.add_argument(
    "--presets",
    nargs="*",
    default=["cgan_mnist", "acgan_mnist", "dcgan_mnist"],
    help="presets, run folders or checkpoint folders",
)
parser.add_argument("--infogan", nargs="*", default=[], help="code_accuracy.json files")
parser.add_argument("--n", type=int, default=10_000)
args = parser.parse_args()
facts = LABELLED_IMAGES[args.dataset]
train_data, test_data = args.train_data or facts.folder, args.test_data or facts.test_folder
results = os.path.join(os.path.dirname(__file__), "results", f"conditional_{args.dataset}.jsonl")

rows = []
with tempfile.TemporaryDirectory() as both:
    # One folder with both splits, as `evaluate` reads them (links, no copies).
    for folder in dict.fromkeys(os.path.abspath(path) for path in (train_data, test_data)):
        for path in glob.glob(os.path.join(folder, "*-ubyte*")):
            os.symlink(path, os.path.join(both, os.path.basename(path)))
    for preset in args.presets:
        # A preset, a run folder or a checkpoint folder, as `evaluate` takes them.
        conditional = cli._load_sampler(preset).num_classes is not None
        metrics = ["fidelity", "cas", "intra_fid", "parzen"] if conditional else ["parzen"]
        out = os.path.join(both, f"{preset}.json")
        started = time.time()
        command = ["evaluate", preset, "--reference", both, "--n", str(args.n), "--json", out,
                   "--classifier", facts.classifier]  # fmt: skip
        cli.main(command + [flag for metric in metrics for flag in ("--metric", metric)])
        with open(out) as file:
            result = json.load(file)
        row = {"preset": preset, "seconds": round(time.time() - started)}
        for metric in metrics:
            row[metric] = result[metric]
            row[f"{metric}_protocol"] = result[f"{metric}_protocol"]
        details = result.get("cas_details", {})
        if "real_data_accuracy" in details:
            row["cas_real_data"] = details["real_data_accuracy"]
        if "parzen_details" in result:
            row["parzen_standard_error"] = result["parzen_details"]["standard_error"]
        rows.append(row)
for path in args.infogan:
    with open(path) as file:
        record = json.load(file)
    rows.append({"preset": f"infogan (recipe, seed {record['seed']})", **record})

stamp = {"backend": keras.config.backend(), "date": time.strftime("%Y-%m-%d")}
os.makedirs(os.path.dirname(results), exist_ok=True)
with open(results, "a") as file:
    for row in rows:
        file.write(json.dumps({**stamp, **row}) + "\n")


def cell(row, key, digits=3):
    value = row.get(key)
    return "" if value is None else f"{value:.{digits}f}"


print("| model | class fidelity | CAS (real-data clf.) | intra-FID | Parzen (nats) | c1 acc. |")
print("|---|---|---|---|---|---|")
for row in rows:
    cas = f"{cell(row, 'cas')} ({cell(row, 'cas_real_data')})" if "cas" in row else ""
    parzen = f"{row['parzen']:.1f} +- {row['parzen_standard_error']:.1f}" if "parzen" in row else ""
    print(
        f"| {row['preset']} | {cell(row, 'fidelity')} | {cas} | {cell(row, 'intra_fid', 1)} "
        f"| {parzen} | {cell(row, 'c1_accuracy')} |"
    )
accuracies = [row["c1_accuracy"] for row in rows if "c1_accuracy" in row]
if len(accuracies) > 1:
    print(
        f"InfoGAN c1 accuracy over {len(accuracies)} seeds: mean {np.mean(accuracies):.3f}, "
        f"standard deviation {np.std(accuracies, ddof=1):.3f}, range {min(accuracies):.3f} to "
        f"{max(accuracies):.3f}"
    )
if args.dataset == "mnist":
    for name, text in PUBLISHED.items():
        print(f"published {name}: {text}")
