"""The MNIST table of the models that infer (BiGAN, ALI, AAEs), beside the papers.

Reads the `results.json` that `recipes/bigan_mnist.py` and
`recipes/aae_mnist.py` write into their run folders, and prints one
markdown table: semi-supervised test error, clustering error, encoder
features (1-NN, logistic regression), reconstruction error beside a random
pair, and the Parzen log-likelihood, each with our training length. Every
number is on the 10,000 MNIST test images, models trained on the 60,000
training images.

    python benchmarks/inference_mnist.py runs/aae_semi_100 runs/bigan_mnist ...
"""

import argparse
import json
from pathlib import Path

# What the papers report, by (model, measure).
PUBLISHED = {
    ("aae semi_supervised 100", "test_error"): "1.90 +- 0.10% (AAE paper, Table 2)",
    ("aae semi_supervised 1000", "test_error"): "1.60 +- 0.08% (AAE paper, Table 2)",
    ("aae clustering 16", "cluster_error"): "9.55 +- 2.05% (AAE paper, Table 3)",
    ("aae clustering 30", "cluster_error"): "4.10 +- 1.13% (AAE paper, Table 3)",
    ("aae unsupervised", "parzen"): "340 +- 2 (AAE paper, Table 1)",
    ("bigan (uniform z)", "nearest_neighbour"): "97.35% (official BiGAN code's log, 400 epochs)",
    ("bigan (uniform z)", "logistic_regression"): "79.48% (official BiGAN code's log, 400 epochs)",
    ("bigan (uniform z)", "reconstruction"): "5.95 vs 9.60 (official BiGAN code's log)",
}


def _name(result):
    if "model" in result:
        return f"{result['model']} ({result.get('noise', 'uniform')} z)"
    name = f"aae {result['variant']}"
    if result["variant"] == "semi_supervised" or (
        result["variant"] == "dim_reduction" and result.get("labels")
    ):
        name += f" {result['labels']}"
    if result["variant"] == "clustering":
        name += f" {result['clusters']}"
    return name


def _rows(result):
    name = _name(result)
    length = (
        f"{result['epochs']} epochs, {result['train_seconds'] / 60:.0f} min ({result['backend']})"
    )
    if "test_error" in result:
        yield (
            name,
            "semi-supervised test error",
            f"{100 * result['test_error']:.2f}%",
            length,
            (PUBLISHED.get((name, "test_error"), "")),
        )
    if "cluster_error" in result and "test_error" not in result:
        used = f" ({result['clusters_used']} clusters used)"
        yield (
            name,
            "clustering test error",
            f"{100 * result['cluster_error']:.2f}%{used}",
            (length),
            PUBLISHED.get((name, "cluster_error"), ""),
        )
    for key, label in (("nearest_neighbour", "1-NN accuracy (cosine)"),
                       ("logistic_regression", "logistic regression accuracy")):  # fmt: skip
        if key in result:
            yield name, label, f"{100 * result[key]:.2f}%", length, PUBLISHED.get((name, key), "")
    if "reconstruction" in result:
        # Pixels in [-1, 1]; halved, the same distances with pixels in [0, 1].
        value = (
            f"{result['reconstruction']:.2f} vs {result['random_pair']:.2f} (pixels in [0, 1]: "
            f"{result['reconstruction'] / 2:.2f} vs {result['random_pair'] / 2:.2f})"
        )
        yield (
            name,
            "L2 reconstruction error vs random pair",
            value,
            length,
            (PUBLISHED.get((name, "reconstruction"), "")),
        )
    if "parzen" in result:
        value = f"{result['parzen']:.1f} +- {result['parzen_standard_error']:.1f}"
        yield (
            name,
            "Parzen log-likelihood (nats)",
            value,
            length,
            (PUBLISHED.get((name, "parzen"), "")),
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", type=Path, help="run folders holding results.json")
    args = parser.parse_args()
    print("| model | measure | ours | our training | published |")
    print("|---|---|---|---|---|")
    for folder in args.runs:
        result = json.loads((folder / "results.json").read_text())
        for row in _rows(result):
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
