"""
Title: BiGAN (and ALI) on MNIST
Paper: Donahue, Krahenbuhl and Darrell, "Adversarial Feature Learning", ICLR
       2017, https://arxiv.org/abs/1605.09782; Dumoulin et al., "Adversarially
       Learned Inference", ICLR 2017, https://arxiv.org/abs/1606.00704.
Description: a GAN with an encoder E learned alongside G, against a D on
(image, code) pairs. The paper's MNIST setup: 1024-unit MLPs for G, E and D,
z 50-d uniform in [-1, 1], Adam (2e-4, beta_1 0.5), batch 128, 400 epochs.
`--model ali` uses a stochastic encoder; `--variant conv` the convolutional
networks. After training, E's features of the 10,000 test images are
scored as in the paper's table: 1-nearest-neighbour (cosine) and
logistic-regression accuracy against features of the 60,000 training
images, and ||x - G(E(x))|| beside the distance to a random other test image.
The official code logs 97.35% (1-NN) and 79.48% (logistic regression) after
400 epochs, and a reconstruction error of 5.95 against 9.60; runs of this
recipe are shorter (`--epochs`), and say so.

Data: `--data` (../shared/data/mnist_train, the 60,000 training images) and
`--test-data` (../shared/data/mnist, the 10,000 test images). Results go to
`--out`: `model.keras`, `results.json` and `samples.png`. `--preset-out`
also writes the model as a preset with its numbers (how the built-in
`bigan_mnist` preset was made).

    KERAS_BACKEND=jax python recipes/bigan_mnist.py --epochs 20 --out runs/bigan_mnist
"""

import argparse
import json
import os
import time

import keras

import keras_gan_zoo
from keras_gan_zoo.metrics import representation

parser = argparse.ArgumentParser()
parser.add_argument("--model", choices=("bigan", "ali"), default="bigan")
parser.add_argument("--variant", choices=("mlp", "conv"), default="mlp")
parser.add_argument(
    "--noise",
    choices=("uniform", "normal"),
    default="uniform",
    help="z's distribution: the paper's uniform on [-1, 1], or N(0, I)",
)
parser.add_argument("--data", default="../shared/data/mnist_train")
parser.add_argument("--test-data", default="../shared/data/mnist")
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--out", default="runs/bigan_mnist")
parser.add_argument("--preset-out", default=None)
args = parser.parse_args()
keras.utils.set_random_seed(args.seed)
os.makedirs(args.out, exist_ok=True)


train_images, train_labels = keras_gan_zoo.datasets.idx_images(args.data, split="train")
test_images, test_labels = keras_gan_zoo.datasets.idx_images(args.test_data, split="test")
model_class = keras_gan_zoo.ALI if args.model == "ali" else keras_gan_zoo.BiGAN
model = model_class(data_shape=(28, 28, 1), variant=args.variant, noise=args.noise, seed=args.seed)
model.compile(
    d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
)
started = time.time()
for epoch in range(args.epochs):
    history = model.fit(
        train_images, batch_size=args.batch_size, epochs=epoch + 1, initial_epoch=epoch, verbose=0
    )
    logs = {name: round(values[-1], 4) for name, values in history.history.items()}
    print(f"epoch {epoch + 1}/{args.epochs} ({time.time() - started:.0f} s): {logs}", flush=True)
seconds = time.time() - started
model.save(f"{args.out}/model.keras")
model.sampler().save_image_grid(f"{args.out}/samples.png", n=100, seed=0)

backend = keras.config.backend()
results = {
    "model": args.model,
    "variant": args.variant,
    "noise": args.noise,
    "epochs": args.epochs,
    "train_seconds": round(seconds),
    "backend": backend,
    "seed": args.seed,
    "command": f"KERAS_BACKEND={backend} python recipes/bigan_mnist.py "
    + " ".join(f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if v is not None),
    **representation.encoder_table(
        model.encode,
        (train_images, train_labels),
        (test_images, test_labels),
        reconstruct=model.reconstruct,
    ),
}
with open(f"{args.out}/results.json", "w") as file:
    json.dump(results, file, indent=2)
print(json.dumps(results, indent=2))

if args.preset_out:
    protocols = results["protocols"]
    model.save_to_preset(
        args.preset_out,
        description=f"{model_class.__name__} ({args.variant} networks) trained on the 60,000 "
        f"MNIST training images for {args.epochs} epochs (the paper: 400)",
        dataset="MNIST (training split, 60,000 images)",
        license="Apache-2.0 (weights); MNIST: Creative Commons Attribution-Share Alike 3.0",
        metrics={
            name: {"value": results[name], "protocol": protocols[name]}
            for name in ("nearest_neighbour", "logistic_regression", "reconstruction")
        },
        command=results["command"],
    )
