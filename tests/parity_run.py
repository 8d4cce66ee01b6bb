"""A few DCGAN steps from fixed weights, batches and latents; dumps the state.

Run once per backend (`KERAS_BACKEND=... python tests/parity_run.py OUT.npz`);
tests/test_parity.py compares the dumps.
"""

import sys

import numpy as np
from keras import ops

import keras_gan_zoo
from keras_gan_zoo.utils.files import atomic_write

LATENT_DIM = 16
BATCH = 16
STEPS = 3


class FixedLatentDCGAN(keras_gan_zoo.DCGAN):
    """Same latents on every backend: the backends' RNG streams differ."""

    def sample_latents(self, batch_size):
        latents = np.random.default_rng(1).standard_normal((BATCH, LATENT_DIM))
        return ops.convert_to_tensor(latents.astype("float32"))


def run():
    model = FixedLatentDCGAN(image_shape=(28, 28, 1), latent_dim=LATENT_DIM, filters=8, seed=0)
    rng = np.random.default_rng(0)
    for variable in model.trainable_variables:
        scale = 0.0 if "beta" in variable.path else (1.0 if "gamma" in variable.path else 0.05)
        offset = 1.0 if "gamma" in variable.path else 0.0
        variable.assign(offset + scale * rng.standard_normal(variable.shape).astype("float32"))
    model.compile()
    images = np.random.default_rng(2).uniform(-1, 1, (BATCH * STEPS, 28, 28, 1))
    model.fit(images.astype("float32"), batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    state = {}
    for variable in model.variables:
        if "seed_generator" not in variable.path:
            state["model/" + variable.path] = ops.convert_to_numpy(variable)
    for prefix in ("d", "g"):
        optimizer = getattr(model, f"{prefix}_optimizer")
        for index, variable in enumerate(optimizer.variables):
            state[f"{prefix}_optimizer/{index}/{variable.name}"] = ops.convert_to_numpy(variable)
    return state


if __name__ == "__main__":
    # Atomically: the three backend runs of the suite may ask for it at once.
    with atomic_write(sys.argv[1], suffix=".npz") as temporary:
        np.savez(temporary, **run())
