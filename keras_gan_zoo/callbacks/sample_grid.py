"""Writes a grid of samples from fixed latent vectors while training."""

import os

import keras
import numpy as np

from keras_gan_zoo import sampling
from keras_gan_zoo.utils import images as image_utils
from keras_gan_zoo.utils.arguments import check_int


class SampleGrid(keras.callbacks.Callback):
    """Saves a PNG grid of generated images every N epochs or every N steps.

    The latent vectors are drawn once (NumPy, seeded) and reused, so grids
    from successive epochs show the same "faces" improving; the same seed
    gives the same latents on every backend.

    Args:
        directory: folder for the PNG files (`epoch_0001.png`, or
            `step_0000500.png` with `every_n_steps`); created if missing.
        num_images: images in the grid. Default 64.
        every_n_epochs: write after every N-th epoch. Default 1.
        every_n_steps: if set, write every N train steps instead.
        seed: seed of the fixed latent vectors.
        columns: grid columns; default a square-ish grid.
        tensorboard_dir: if set, also log the grid as a TensorBoard image
            summary there (tag `samples`).
    """

    def __init__(
        self,
        directory,
        num_images=64,
        every_n_epochs=1,
        every_n_steps=None,
        seed=0,
        columns=None,
        tensorboard_dir=None,
    ):
        super().__init__()
        self.directory = os.fspath(directory)
        self.num_images = check_int(num_images, "num_images", minimum=1)
        self.every_n_epochs = check_int(every_n_epochs, "every_n_epochs", minimum=1)
        self.every_n_steps = (
            None if every_n_steps is None else check_int(every_n_steps, "every_n_steps", minimum=1)
        )
        self.seed = seed
        self.columns = columns
        self.tensorboard_dir = tensorboard_dir
        self.latents = None
        self.written = []
        self._steps = 0
        self._writer = None

    def on_train_begin(self, logs=None):
        generator = self.model.generator
        latent_dim = getattr(self.model, "latent_dim", None) or sampling.latent_dim_of(generator)
        self.latents = sampling.sample_latents(self.num_images, latent_dim, self.seed)

    def on_train_batch_end(self, batch, logs=None):
        self._steps += 1
        if self.every_n_steps and self._steps % self.every_n_steps == 0:
            self.write(f"step_{self._steps:07d}.png", self._steps)

    def on_epoch_end(self, epoch, logs=None):
        if not self.every_n_steps and (epoch + 1) % self.every_n_epochs == 0:
            self.write(f"epoch_{epoch + 1:04d}.png", epoch + 1)

    def write(self, filename, step):
        """Generates the grid now and writes it; returns the PNG's path."""
        images = sampling.generate(self.model.generator, len(self.latents), latents=self.latents)
        grid = image_utils.make_grid(images, columns=self.columns)
        path = os.path.join(self.directory, filename)
        image_utils.write_png(path, grid)
        self.written.append(path)
        if self.tensorboard_dir:
            self._log_to_tensorboard(grid, step)
        return path

    def _log_to_tensorboard(self, grid, step):
        # tf.summary is used as a file-format library; it works whatever the
        # Keras backend is.
        import tensorflow as tf

        if self._writer is None:
            self._writer = tf.summary.create_file_writer(self.tensorboard_dir)
        with self._writer.as_default():
            tf.summary.image("samples", np.asarray(grid)[None], step=step)
        self._writer.flush()
