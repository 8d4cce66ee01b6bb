"""The distributions a latent vector z can follow, each defined once for the step and the host.

A GAN's z is standard normal; BiGAN's is uniform in [-1, 1] (Donahue et al.);
an adversarial autoencoder matches its codes to any prior it can sample,
and Makhzani et al. show a mixture of ten Gaussians and a swiss roll in 2-d.
Each distribution draws inside the train step (`sample`, `keras.random`,
seeded) and on the host (`sample_numpy`, NumPy: the same numbers on every
backend for a seed), from the same formulas.
"""

import math

import keras
import numpy as np
from keras import ops


class Noise:
    """A distribution of latent vectors, by name (see `NOISES`)."""

    name = None
    # The code sizes the distribution is defined for (None: any).
    dims = None

    def check_dim(self, latent_dim):
        if self.dims is not None and latent_dim not in self.dims:
            raise ValueError(
                f"The {self.name!r} latent distribution is defined for codes of size "
                f"{' or '.join(map(str, self.dims))}; got latent_dim={latent_dim}."
            )

    def sample(self, shape, seed_generator):
        """A (batch, latent_dim) draw inside the step."""
        raise NotImplementedError

    def sample_numpy(self, rng, n, latent_dim):
        """A float32 (n, latent_dim) draw on the host from `rng`."""
        raise NotImplementedError


class Normal(Noise):
    """Standard normal: the GAN default."""

    name = "normal"

    def sample(self, shape, seed_generator):
        return keras.random.normal(shape, seed=seed_generator)

    def sample_numpy(self, rng, n, latent_dim):
        return rng.standard_normal((n, latent_dim)).astype("float32")


class Uniform(Noise):
    """Uniform in [-1, 1] in each component: BiGAN's z."""

    name = "uniform"

    def sample(self, shape, seed_generator):
        return keras.random.uniform(shape, -1.0, 1.0, seed=seed_generator)

    def sample_numpy(self, rng, n, latent_dim):
        return rng.uniform(-1.0, 1.0, (n, latent_dim)).astype("float32")


class GaussianMixture(Noise):
    """Ten 2-d Gaussians evenly spaced on a circle, each stretched along its radius.

    The adversarial autoencoder paper's second prior (its Figure 2): component
    k is centred at angle 2*pi*k/10, radius `RADIUS`, with standard deviation
    `RADIAL_STD` along the radius and `TANGENTIAL_STD` across it.
    """

    name = "gaussian_mixture"
    dims = (2,)
    COMPONENTS = 10
    RADIUS = 2.0
    RADIAL_STD = 0.5
    TANGENTIAL_STD = 0.1

    def _place(self, component, normal, xp):
        angle = component * (2.0 * math.pi / self.COMPONENTS)
        radial = self.RADIUS + self.RADIAL_STD * normal[:, 0]
        tangential = self.TANGENTIAL_STD * normal[:, 1]
        cos, sin = xp.cos(angle), xp.sin(angle)
        return xp.stack([radial * cos - tangential * sin, radial * sin + tangential * cos], axis=1)

    def sample(self, shape, seed_generator):
        component = keras.random.randint(
            shape[:1], 0, self.COMPONENTS, seed=seed_generator, dtype="int32"
        )
        normal = keras.random.normal(shape, seed=seed_generator)
        return self._place(ops.cast(component, normal.dtype), normal, ops)

    def sample_numpy(self, rng, n, latent_dim):
        component = rng.integers(0, self.COMPONENTS, n).astype("float32")
        normal = rng.standard_normal((n, latent_dim)).astype("float32")
        return self._place(component, normal, np).astype("float32")


class SwissRoll(Noise):
    """A 2-d swiss roll: a spiral of 1.5 turns, points uniform along it, with a little noise.

    The paper's third prior (its Figure 2). Position t = sqrt(u) for u uniform
    in [0, 1] makes points equally dense per unit of spiral length; the point
    sits at angle 3*pi*t and radius `RADIUS` * t.
    """

    name = "swiss_roll"
    dims = (2,)
    RADIUS = 3.0
    NOISE_STD = 0.05

    def _place(self, position, normal, xp):
        angle = 3.0 * math.pi * position
        radius = self.RADIUS * position
        point = xp.stack([radius * xp.cos(angle), radius * xp.sin(angle)], axis=1)
        return point + self.NOISE_STD * normal

    def sample(self, shape, seed_generator):
        position = ops.sqrt(keras.random.uniform(shape[:1], 0.0, 1.0, seed=seed_generator))
        normal = keras.random.normal(shape, seed=seed_generator)
        return self._place(position, normal, ops)

    def sample_numpy(self, rng, n, latent_dim):
        position = np.sqrt(rng.uniform(0.0, 1.0, n)).astype("float32")
        normal = rng.standard_normal((n, latent_dim)).astype("float32")
        return self._place(position, normal, np).astype("float32")


NOISES = {noise.name: noise for noise in (Normal(), Uniform(), GaussianMixture(), SwissRoll())}


def get_noise(name):
    """The `Noise` registered as `name`; a ValueError lists the names."""
    if isinstance(name, Noise):
        return name
    try:
        return NOISES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown latent distribution {name!r}; the distributions are {sorted(NOISES)}."
        ) from None
