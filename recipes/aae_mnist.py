"""
Title: Adversarial autoencoders on MNIST
Paper: Makhzani, Shlens, Jaitly, Goodfellow and Frey, "Adversarial
       Autoencoders", 2016, https://arxiv.org/abs/1511.05644.
Description: an autoencoder whose codes a discriminator matches to a prior,
in the paper's MNIST uses:
- `--variant unsupervised`: 8-d Gaussian codes; the decoder samples digits
  (Parzen log-likelihood, paper 340 +- 2) and the codes are features
  (1-NN and logistic-regression accuracy, reconstruction error);
- `--variant semi_supervised --labels 100` (or 1000): a 10-way categorical
  code trained on that many labelled training images (10 per class), with
  `--labelled-per-batch` of them in every batch; test error (paper 1.90 +-
  0.10% and 1.60 +- 0.08%);
- `--variant clustering --clusters 16` (or 30): an unsupervised categorical
  code; each cluster takes its training members' majority class; test error
  (paper 9.55 +- 2.05% and 4.10 +- 1.13%);
- `--variant dim_reduction`: a 2-d code made of cluster heads plus style
  (with `--labels 1000`: 10 clusters, semi-supervised, the paper's Figure
  9a; with `--labels 0`: 20 clusters, unsupervised); writes `scatter.png`,
  the test set's codes coloured by digit.
The paper trains with SGD and momentum for thousands of epochs; this recipe
uses Adam (1e-3 for the reconstruction and the supervised phase,
`--adversarial-lr`, default 2e-4, with beta_1 0.5 for the adversarial
phases) for `--epochs`, far fewer: numbers from it are from runs shorter
than the paper's.

Data: `--data` (../shared/data/mnist_train, the 60,000 training images) and
`--test-data` (../shared/data/mnist, the 10,000 test images). Results go to
`--out`: `model.keras`, `results.json` (the numbers and their protocols) and
the printed table.

    KERAS_BACKEND=jax python recipes/aae_mnist.py --variant semi_supervised --labels 100 \
        --epochs 20 --out runs/aae_semi_100
"""

import argparse
import json
import os
import time

import keras
import numpy as np

import keras_gan_zoo
from keras_gan_zoo.metrics import parzen
from keras_gan_zoo.metrics import representation

VARIANTS = ("unsupervised", "semi_supervised", "clustering", "dim_reduction")

parser = argparse.ArgumentParser()
parser.add_argument("--variant", choices=VARIANTS, default="unsupervised")
parser.add_argument("--data", default="../shared/data/mnist_train")
parser.add_argument("--test-data", default="../shared/data/mnist")
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--batch-size", type=int, default=100)
parser.add_argument("--labels", type=int, default=100, help="labelled images (semi_supervised)")
parser.add_argument("--labelled-per-batch", type=int, default=10)
parser.add_argument("--clusters", type=int, default=16, help="categories (clustering)")
parser.add_argument("--latent-dim", type=int, default=None)
parser.add_argument(
    "--units", type=int, default=1000, help="width of the MLPs' two hidden layers (paper: 1000)"
)
parser.add_argument("--preset-out", default=None, help="write the trained model as a preset here")
parser.add_argument(
    "--adversarial-lr", type=float, default=2e-4, help="Adam rate of the d and g phases"
)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--out", default="runs/aae_mnist")
args = parser.parse_args()
keras.utils.set_random_seed(args.seed)
os.makedirs(args.out, exist_ok=True)


train_images, train_labels = keras_gan_zoo.datasets.idx_images(args.data, split="train")
test_images, test_labels = keras_gan_zoo.datasets.idx_images(args.test_data, split="test")

units = (args.units, args.units)
if args.variant == "unsupervised":
    model = keras_gan_zoo.AdversarialAutoencoder(
        latent_dim=args.latent_dim or 8, units=units, seed=args.seed
    )
elif args.variant == "semi_supervised":
    model = keras_gan_zoo.CategoricalAdversarialAutoencoder(
        categories=10,
        semi_supervised=True,
        latent_dim=args.latent_dim or 10,
        units=units,
        seed=args.seed,
    )
elif args.variant == "clustering":
    model = keras_gan_zoo.CategoricalAdversarialAutoencoder(
        categories=args.clusters, latent_dim=args.latent_dim or 5, units=units, seed=args.seed
    )
else:
    # With --labels, the paper's semi-supervised version (10 clusters, one per digit);
    # with --labels 0, its unsupervised one (20 clusters).
    model = keras_gan_zoo.CategoricalAdversarialAutoencoder(
        categories=10 if args.labels else 20,
        semi_supervised=bool(args.labels),
        cluster_heads=True,
        latent_dim=2,
        units=units,
        seed=args.seed,
    )
# The phases' own Adam rates: reconstruction (and the supervised phase) 1e-3, the
# adversarial phases --adversarial-lr with beta_1 0.5.
model.compile(
    d_optimizer=keras.optimizers.Adam(args.adversarial_lr, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(args.adversarial_lr, beta_1=0.5),
)

started = time.time()
kept = None
if args.variant == "semi_supervised" or (args.variant == "dim_reduction" and args.labels):
    kept = keras_gan_zoo.datasets.keep_labels(train_labels, args.labels, seed=args.seed)
for epoch in range(args.epochs):
    if kept is not None:
        # Every batch holds some of the few labelled images (see semi_supervised_epoch).
        x, y = keras_gan_zoo.datasets.semi_supervised_epoch(
            train_images, kept, args.batch_size, args.labelled_per_batch, seed=args.seed + epoch
        )
        data = {"x": x, "y": y, "shuffle": False}
    else:
        data = {"x": train_images, "shuffle": True}
    history = model.fit(
        **data, batch_size=args.batch_size, epochs=epoch + 1, initial_epoch=epoch, verbose=0
    )
    logs = {name: round(values[-1], 4) for name, values in history.history.items()}
    print(f"epoch {epoch + 1}/{args.epochs} ({time.time() - started:.0f} s): {logs}", flush=True)
seconds = time.time() - started
model.save(f"{args.out}/model.keras")

backend = keras.config.backend()
results = {
    "variant": args.variant,
    "epochs": args.epochs,
    "train_seconds": round(seconds),
    "backend": backend,
    "seed": args.seed,
    "command": f"KERAS_BACKEND={backend} python recipes/aae_mnist.py "
    + " ".join(f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if v is not None),
}
sizes = {"train": len(train_images), "test": len(test_images)}
if kept is not None:
    predicted = model.classify(test_images)
    results["labels"] = args.labels
    results["test_error"] = float(np.mean(predicted != test_labels))
    results.setdefault("protocols", {})["test_error"] = (
        f"test error of the categorical code's argmax on the {len(test_images):,} MNIST test "
        f"images; {args.labels} labelled training images ({args.labels // 10} per class, seed "
        f"{args.seed}), the other {len(train_images) - args.labels:,} unlabelled"
    )
if args.variant in ("clustering", "dim_reduction"):
    error, assignment = representation.cluster_error(
        model.classify(train_images), train_labels, model.classify(test_images), test_labels
    )
    results["clusters"] = model.categories
    results["clusters_used"] = len(assignment)
    results["cluster_error"] = error
    results.setdefault("protocols", {})["cluster_error"] = representation.PROTOCOLS[
        "cluster_error"
    ].format(clusters=model.categories, **sizes)
if args.variant in ("unsupervised", "dim_reduction"):
    table = representation.encoder_table(
        model.encode,
        (train_images, train_labels),
        (test_images, test_labels),
        reconstruct=model.reconstruct if args.variant == "unsupervised" else None,
    )
    results.setdefault("protocols", {}).update(table.pop("protocols"))
    results.update(table)
if args.variant == "unsupervised":
    samples = model.generate(10_000, seed=0)
    # Goodfellow et al.'s protocol: sigma chosen on training images 50,000-50,999.
    score = parzen.parzen_log_likelihood(samples, test_images, train_images[50_000:51_000])
    results["parzen"] = score["log_likelihood"]
    results["parzen_standard_error"] = score["standard_error"]
    results["protocols"]["parzen"] = score["protocol"]
if args.variant == "dim_reduction":
    from keras_gan_zoo.utils.plots import save_scatter

    save_scatter(f"{args.out}/scatter.png", model.encode(test_images), test_labels)
    results["scatter"] = f"{args.out}/scatter.png"

with open(f"{args.out}/results.json", "w") as file:
    json.dump(results, file, indent=2)
print(json.dumps(results, indent=2))

if args.preset_out:
    description = {
        "unsupervised": f"adversarial autoencoder, {model.latent_dim}-d Gaussian codes",
        "semi_supervised": f"semi-supervised adversarial autoencoder ({args.labels} labels)",
        "clustering": f"adversarial autoencoder clustering into {model.categories}",
        "dim_reduction": "adversarial autoencoder, 2-d codes (cluster heads + style)",
    }[args.variant]
    measured = [name for name in ("test_error", "cluster_error", "parzen") if name in results]
    model.save_to_preset(
        args.preset_out,
        description=f"{description}, MNIST 28x28, trained on the 60,000 training images for "
        f"{args.epochs} epochs (the paper: thousands); encoder and decoder",
        dataset="MNIST training set (60,000 images of ../shared/data/mnist_train, split "
        "'train'); the 10,000 test images were not used",
        license="Apache-2.0 (weights); MNIST: Creative Commons Attribution-Share Alike 3.0",
        metrics={
            name: {"value": results[name], "protocol": results["protocols"][name]}
            for name in measured
        },
        command=results["command"],
    )
