"""Checkpoints of the whole training state, written atomically, and resume."""

import glob
import math
import os
import re

import keras

from keras_gan_zoo.utils.files import atomic_write

_PATTERN = re.compile(r"epoch_(\d+)\.keras$")


class GANCheckpoint(keras.callbacks.Callback):
    """Saves the complete training state at the end of every N-th epoch.

    Each checkpoint is a `.keras` file holding both networks, every player's
    optimizer (moments and iteration counts), the compile arguments and the
    training seed's state. It is written to a temporary file and renamed into
    place, so a process killed mid-write leaves the previous checkpoint intact
    and never a partial file that looks complete.

    Resume with `GANCheckpoint.restore(directory)`, which returns the model
    and the epoch to pass to `fit(initial_epoch=...)`. With fixed seeds and a
    dataset whose epoch order depends only on the epoch (as
    `keras_gan_zoo.datasets` builds them, given `initial_epoch`), the resumed
    run ends with the same weights as an uninterrupted one.

    Args:
        directory: folder for `epoch_0001.keras`, `epoch_0002.keras`, ...
        every_n_epochs: save after every N-th epoch. Default 1.
        keep: how many of the newest checkpoints to keep (older ones are
            deleted after a new one is complete). None keeps all.
    """

    def __init__(self, directory, every_n_epochs=1, keep=2):
        super().__init__()
        if keep is not None and keep < 1:
            raise ValueError(f"keep must be at least 1 or None, got {keep}.")
        self.directory = os.fspath(directory)
        self.every_n_epochs = every_n_epochs
        self.keep = keep

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs:
            return
        for value in (logs or {}).values():
            if not math.isfinite(float(value)):
                # Never replace a good checkpoint with a diverged state.
                return
        self.save(epoch + 1)

    def save(self, epoch):
        """Writes the checkpoint of `epoch` (number of completed epochs)."""
        path = os.path.join(self.directory, f"epoch_{epoch:04d}.keras")
        with atomic_write(path, suffix=".keras") as temporary:
            self.model.save(temporary)
        if self.keep is not None:
            for old, _ in checkpoints(self.directory)[: -self.keep]:
                os.remove(old)
        return path

    @staticmethod
    def latest(directory):
        """(path, epoch) of the newest complete checkpoint, or None."""
        found = checkpoints(directory)
        return found[-1] if found else None

    @staticmethod
    def restore(directory):
        """Loads the newest checkpoint: returns (model, epoch), model compiled.

        Raises:
            FileNotFoundError: if the directory holds no checkpoint.
        """
        found = GANCheckpoint.latest(directory)
        if found is None:
            raise FileNotFoundError(f"No checkpoint (epoch_NNNN.keras) in {directory!r}.")
        path, epoch = found
        return keras.saving.load_model(path), epoch


def checkpoints(directory):
    """Complete checkpoints in `directory` as (path, epoch), oldest first."""
    found = []
    for path in glob.glob(os.path.join(os.fspath(directory), "epoch_*.keras")):
        match = _PATTERN.search(os.path.basename(path))
        if match:
            found.append((path, int(match.group(1))))
    return sorted(found, key=lambda item: item[1])
