"""Writes a grid of samples from fixed latent vectors while training."""

import math
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
    gives the same latents on every backend. The images come from the
    model's `sampler()` (its generator's moving average, when it keeps one).
    For a conditional model each row is one class, in order: by default
    the grid has one row per class (`num_images / num_classes` columns);
    with `columns` given, rows wrap around the classes.

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
        self.labels = None
        self._grid_columns = columns
        self.written = []
        self._steps = 0
        self._writer = None

    def on_train_begin(self, logs=None):
        sampler = self.model.sampler()
        prior = getattr(sampler, "prior", None)
        if prior is not None:
            self.latents = prior.sample_noise_numpy(self.num_images, self.seed)
        else:
            self.latents = sampling.sample_latents(self.num_images, sampler.latent_dim, self.seed)
        self.labels = None
        self.codes = None
        self._grid_columns = self.columns
        # One row per class of a conditional model, per category of the first
        # code of a model with codes (InfoGAN's c1).
        code_sizes = sampler.prior.categorical_codes if getattr(sampler, "prior", None) else ()
        categories = sampler.num_classes or (code_sizes[0] if code_sizes else None)
        if categories is not None and self._grid_columns is None:
            self._grid_columns = math.ceil(self.num_images / categories)
        rows = np.arange(self.num_images) // (self._grid_columns or 1)
        if sampler.num_classes is not None:
            self.labels = (rows % sampler.num_classes).astype("int32")
        if getattr(sampler, "code_names", None):
            # The codes stay fixed from grid to grid, like the latents.
            self.codes = sampler.codes_of(sampler.draw(self.num_images, self.seed))
            if code_sizes and sampler.num_classes is None:
                self.codes["c1"] = (rows % categories).astype("int32")

    def on_train_batch_end(self, batch, logs=None):
        self._steps += 1
        if self.every_n_steps and self._steps % self.every_n_steps == 0:
            self.write(f"step_{self._steps:07d}.png", self._steps)

    def on_epoch_end(self, epoch, logs=None):
        if not self.every_n_steps and (epoch + 1) % self.every_n_epochs == 0:
            self.write(f"epoch_{epoch + 1:04d}.png", epoch + 1)

    def write(self, filename, step):
        """Generates the grid now and writes it; returns the PNG's path."""
        images = self.model.sampler().generate(
            latents=self.latents, labels=self.labels, codes=self.codes
        )
        grid = image_utils.make_grid(images, columns=self._grid_columns)
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
