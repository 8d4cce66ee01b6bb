"""
Title: AC-GAN on MNIST
Paper: Odena, Olah and Shlens, "Conditional Image Synthesis with Auxiliary
       Classifier GANs", ICML 2017, https://arxiv.org/abs/1610.09585.
Description: G draws a digit of the asked class; D never sees the label: it
judges real or fake and classifies, and both players maximize the class's
log-likelihood (the paper's L_C) besides the adversarial game. The networks
are DCGAN's at `--filters` (a label embedding joined to z in G; D with a class
head beside its source logit), Adam 2e-4 with beta_1 0.5. The paper's own
MNIST networks are not published in detail (its appendix covers ImageNet and
CIFAR-10). `--real-class-loss-only` trains D's class head on real digits only.

Data: `--data` is a folder of MNIST-format IDX files with labels
(../shared/data/mnist_train: the 60,000 training images). The test images are
not used. `--dataset fashion_mnist` trains on Fashion-MNIST's 60,000 training
images (../shared/data/fashion_mnist) and scores with its bundled classifier.
Measured: class fidelity, the fraction of samples of class c that the
dataset's bundled classifier labels c (10,000 samples, 1,000 per class, seed 0), written
into the preset's metadata with `--preset-out`.

    KERAS_BACKEND=jax python recipes/acgan_mnist.py --data ../shared/data/mnist_train \
        --epochs 2 --filters 32 --preset-out keras_gan_zoo/presets/acgan_mnist
"""

import argparse

import keras

import keras_gan_zoo
from keras_gan_zoo.callbacks import GANCheckpoint
from keras_gan_zoo.metrics import class_fidelity
from keras_gan_zoo.metrics.mnist_cnn import bundled_classifier

parser = argparse.ArgumentParser()
parser.add_argument(
    "--dataset", choices=sorted(keras_gan_zoo.datasets.LABELLED_IMAGES), default="mnist"
)
parser.add_argument("--data", default=None, help="IDX folder (default: the dataset's)")
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--batch-size", type=int, default=64)
parser.add_argument("--filters", type=int, default=32, help="width of the DCGAN networks")
parser.add_argument("--real-class-loss-only", action="store_true")
parser.add_argument("--out", default="runs/acgan_mnist")
parser.add_argument("--preset-out", default=None, help="write the trained GAN as a preset here")
args = parser.parse_args()
facts = keras_gan_zoo.datasets.LABELLED_IMAGES[args.dataset]
args.data = args.data or facts.folder
CLASS_NAMES = facts.class_names

checkpoints = f"{args.out}/checkpoints"
if GANCheckpoint.latest(checkpoints):
    gan, initial_epoch = GANCheckpoint.restore(checkpoints)
else:
    networks = keras_gan_zoo.networks
    gan = keras_gan_zoo.ACGAN(
        num_classes=len(CLASS_NAMES),
        fake_class_loss=not args.real_class_loss_only,
        generator=networks.cgan_conv_generator(100, (28, 28, 1), 10, filters=args.filters),
        discriminator=networks.acgan_discriminator((28, 28, 1), 10, filters=args.filters),
        seed=0,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    initial_epoch = 0
if initial_epoch < args.epochs:
    dataset = keras_gan_zoo.datasets.from_idx(
        args.data, split="train", labels=True, batch_size=args.batch_size, seed=0,
        initial_epoch=initial_epoch,
    )  # fmt: skip
    gan.fit(
        dataset,
        epochs=args.epochs,
        initial_epoch=initial_epoch,
        callbacks=[
            keras_gan_zoo.callbacks.SampleGrid(f"{args.out}/samples", num_images=100),
            GANCheckpoint(checkpoints),
        ],
        verbose=2,
    )

classifier, classifier_protocol = bundled_classifier(facts.classifier)
score = class_fidelity(
    gan.sampler(), classifier=classifier, samples_per_class=1000, seed=0,
    classifier_description=classifier_protocol,
)  # fmt: skip
per_class = dict(zip(CLASS_NAMES, (round(value, 4) for value in score["per_class"])))
print(f"Class fidelity: {score['fidelity']:.4f}; per class {per_class}")
if args.preset_out:
    gan.save_to_preset(
        args.preset_out,
        description=f"AC-GAN, 28x28 {facts.title} images of a chosen class "
        f"({100 * score['fidelity']:.1f}% class fidelity)",
        dataset=facts.training_set(args.data),
        license=f"Apache-2.0 (weights); {facts.license}",
        metrics={
            "class_fidelity": {
                "value": round(score["fidelity"], 4),
                "per_class": per_class,
                "protocol": score["protocol"],
            },
        },
        command=f"KERAS_BACKEND={keras.config.backend()} python recipes/acgan_mnist.py "
        f"--dataset {args.dataset} --data {args.data} --epochs {args.epochs} "
        f"--batch-size {args.batch_size} "
        f"--filters {args.filters}{' --real-class-loss-only' if args.real_class_loss_only else ''}"
        f" --out {args.out} --preset-out {args.preset_out}",
        class_names=list(CLASS_NAMES),
        classifier=facts.classifier,
        data_split="train",
        filters=args.filters,
        epochs=args.epochs,
        overwrite=True,
    )
    print(f"Preset written to {args.preset_out}")
