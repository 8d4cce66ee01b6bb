"""Stops training with a clear message instead of training on garbage."""

import math

import keras


class NonFiniteLossError(FloatingPointError):
    """A logged loss became NaN or infinite during `fit()`."""


class TrainingGuard(keras.callbacks.Callback):
    """Raises as soon as a logged value turns non-finite, or when no batch ran.

    `AdversarialModel.fit` puts it first in the callback list, so the error is
    raised before any later callback (a checkpoint, say) sees the bad step:
    the last checkpoint written stays the last good one.
    """

    def on_train_begin(self, logs=None):
        self._epoch = 0
        self._batches = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1
        for name, value in (logs or {}).items():
            if not math.isfinite(float(value)):
                self.model.stop_training = True
                raise NonFiniteLossError(
                    f"{name} became {value} at epoch {self._epoch + 1}, batch {batch + 1}: "
                    "training stopped. Checkpoints written before this batch are kept. "
                    "Common causes: a learning rate that is too high, or NaN in the data."
                )

    def on_train_end(self, logs=None):
        if self._batches == 0:
            raise ValueError(
                "fit() ran no training step: the dataset is empty, or holds fewer "
                "examples than one batch (GAN datasets drop the last partial batch)."
            )
