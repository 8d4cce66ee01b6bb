"""Trains DCGAN with checkpoints; optionally dies mid-epoch or resumes.

    python tests/resume_run.py DIR EPOCHS [--die-in-epoch K] [--resume]

Writes DIR/final.npz with every weight and optimizer variable at the end.
tests/test_saving.py runs it in subprocesses, since a killed process is the
point of the test.
"""

import argparse
import os

import keras
import numpy as np
from keras import ops

import keras_gan_zoo
from keras_gan_zoo.callbacks import GANCheckpoint


class DieMidEpoch(keras.callbacks.Callback):
    """Kills the process like a power cut: no cleanup, no exception handling."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch
        self.current = None

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.current + 1 == self.epoch and batch == 2:
            os._exit(17)


def dataset(initial_epoch):
    images = np.random.default_rng(0).integers(0, 256, (160, 28, 28), dtype=np.uint8)
    return keras_gan_zoo.datasets.from_arrays(
        images, batch_size=32, seed=5, initial_epoch=initial_epoch
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("epochs", type=int)
    parser.add_argument("--die-in-epoch", type=int)
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args()
    checkpoints = os.path.join(args.directory, "checkpoints")
    if args.resume:
        model, initial_epoch = GANCheckpoint.restore(checkpoints)
    else:
        keras.utils.set_random_seed(0)
        model = keras_gan_zoo.DCGAN(image_shape=(28, 28, 1), filters=8, latent_dim=16, seed=3)
        model.compile()
        initial_epoch = 0
    callbacks = [GANCheckpoint(checkpoints)]
    if args.die_in_epoch:
        callbacks.append(DieMidEpoch(args.die_in_epoch))
    model.fit(
        dataset(initial_epoch),
        epochs=args.epochs,
        initial_epoch=initial_epoch,
        callbacks=callbacks,
        verbose=0,
    )
    state = {v.path: ops.convert_to_numpy(v) for v in model.variables}
    for prefix in ("d", "g"):
        for i, v in enumerate(getattr(model, f"{prefix}_optimizer").variables):
            state[f"{prefix}_optimizer/{i}"] = ops.convert_to_numpy(v)
    np.savez(os.path.join(args.directory, "final.npz"), **state)


if __name__ == "__main__":
    main()
