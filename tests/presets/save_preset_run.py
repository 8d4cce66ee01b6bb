"""Saves a small DCGAN preset and its samples with this process's backend.

    KERAS_BACKEND=jax python tests/presets/save_preset_run.py FOLDER

Writes FOLDER (the preset) and FOLDER/../samples.npy (16 samples, seed 7),
for the cross-backend preset test.
"""

import sys
from pathlib import Path

import keras
import numpy as np

import keras_gan_zoo

folder = Path(sys.argv[1])
keras.utils.set_random_seed(0)
gan = keras_gan_zoo.DCGAN(image_shape=(16, 16, 1), filters=4, latent_dim=8, seed=0)
# Move BatchNorm statistics away from their initial values, so that they are
# part of what must survive the trip between backends.
gan.compile()
gan.fit(np.random.default_rng(0).uniform(-1, 1, (64, 16, 16, 1)), batch_size=32, verbose=0)
keras_gan_zoo.save_to_preset(
    gan,
    folder,
    description="cross-backend test",
    dataset="uniform noise",
    license="Apache-2.0",
    metrics={},
)
np.save(folder.parent / "samples.npy", gan.generate(16, seed=7))
