"""The latent prior: what a generator's random input is, defined once.

A draw is a dict with
- `z`: noise, (n, latent_dim), standard normal unless the prior names another
  distribution (`keras_gan_zoo.engine.noise`: uniform, a mixture of Gaussians,
  a swiss roll);
- `labels`: class labels, (n,) int32, uniform over the classes (conditional
  models);
- `categorical`: one (n,) int32 code per categorical code size (InfoGAN's
  discrete codes), uniform;
- `continuous`: (n, continuous_codes) uniform in [-1, 1] (InfoGAN's
  continuous codes).

The same prior draws inside the train step (`sample`, with `keras.random`
and the model's seed generator, traced and jitted) and on the host (`sample_numpy`,
with NumPy, so that a seed gives the same latents, hence the same images,
on TensorFlow, JAX and PyTorch). `network_inputs` turns a draw into what the
generator network takes: z, with the one-hot categorical and the continuous
codes appended, and `[that, labels]` for a conditional network.
"""

import keras
from keras import ops

from keras_gan_zoo import sampling
from keras_gan_zoo.engine.noise import get_noise
from keras_gan_zoo.utils.arguments import check_int


class LatentPrior:
    """Noise plus optional class labels and InfoGAN codes.

    Args:
        latent_dim: size of the noise vector z.
        num_classes: class count of a conditional generator, or None.
        categorical_codes: sizes of the categorical codes, e.g. (10,).
        continuous_codes: number of continuous codes, each uniform in [-1, 1].
        noise: the distribution of z, by name: "normal" (default), "uniform",
            "gaussian_mixture" or "swiss_roll" (the last two 2-d only).
    """

    def __init__(
        self, latent_dim, num_classes=None, categorical_codes=(), continuous_codes=0, noise="normal"
    ):
        self.latent_dim = check_int(latent_dim, "latent_dim", minimum=1)
        self.noise = get_noise(noise)
        self.noise.check_dim(self.latent_dim)
        self.num_classes = None if num_classes is None else check_int(num_classes, "num_classes", 2)
        self.categorical_codes = tuple(
            check_int(size, "categorical code size", minimum=2) for size in categorical_codes
        )
        self.continuous_codes = check_int(continuous_codes, "continuous_codes", minimum=0)

    @property
    def code_dim(self):
        """Size of the codes appended to z (one-hot categorical + continuous)."""
        return sum(self.categorical_codes) + self.continuous_codes

    @property
    def input_dim(self):
        """Size of the generator's latent input: z plus the codes."""
        return self.latent_dim + self.code_dim

    def sample(self, batch_size, seed_generator, labels=None):
        """A draw inside the step (`keras.random`, seeded by `seed_generator`).

        `labels` given (the batch's own labels) are used instead of drawing them.
        The noise is drawn first, so a prior without labels or codes draws
        exactly what `keras.random.normal((batch_size, latent_dim))` would.
        """
        draw = {"z": self.noise.sample((batch_size, self.latent_dim), seed_generator)}
        if self.num_classes is not None:
            if labels is None:
                labels = keras.random.randint(
                    (batch_size,), 0, self.num_classes, seed=seed_generator, dtype="int32"
                )
            draw["labels"] = labels
        draw["categorical"] = [
            keras.random.randint((batch_size,), 0, size, seed=seed_generator, dtype="int32")
            for size in self.categorical_codes
        ]
        if self.continuous_codes:
            draw["continuous"] = keras.random.uniform(
                (batch_size, self.continuous_codes), -1.0, 1.0, seed=seed_generator
            )
        return draw

    def sample_numpy(self, n, seed=None, labels=None, truncation=None):
        """A host draw with NumPy: the same numbers on every backend for a seed.

        Args:
            n: number of draws.
            seed: None, an int >= 0 or a `numpy.random.Generator` (advanced).
            labels: an int, `n` ints, or None for random classes (conditional
                priors only).
            truncation: bound of the truncated normal for z, or None (normal z only).
        """
        rng = sampling.random_generator(seed)
        draw = {"z": self.sample_noise_numpy(n, rng, truncation)}
        if self.num_classes is not None or labels is not None:
            draw["labels"] = sampling.class_labels(n, self.num_classes, labels, rng)
        draw["categorical"] = [
            rng.integers(size, size=n).astype("int32") for size in self.categorical_codes
        ]
        if self.continuous_codes:
            draw["continuous"] = rng.uniform(-1.0, 1.0, (n, self.continuous_codes)).astype(
                "float32"
            )
        return draw

    def sample_noise_numpy(self, n, seed=None, truncation=None):
        """z alone for `n` host draws: the first thing `sample_numpy` draws."""
        rng = sampling.random_generator(seed)
        if self.noise.name == "normal":
            return sampling.sample_latents(n, self.latent_dim, rng, truncation=truncation)
        if truncation is not None:
            raise ValueError(
                f"truncation bounds a normal z; this prior's z is {self.noise.name!r}."
            )
        return self.noise.sample_numpy(rng, sampling.check_int(n, "n"), self.latent_dim)

    @property
    def is_standard(self):
        """Whether a draw is z ~ N(0, I) and labels alone, as `sampling.generate` draws them."""
        return self.noise.name == "normal" and not self.code_dim

    def network_inputs(self, draw):
        """What the generator network is called with, for a draw (as tensors)."""
        latent = ops.convert_to_tensor(draw["z"])
        codes = [
            ops.one_hot(code, size, dtype=latent.dtype)
            for code, size in zip(draw.get("categorical", ()), self.categorical_codes)
        ]
        if self.continuous_codes:
            codes.append(ops.cast(draw["continuous"], latent.dtype))
        if codes:
            latent = ops.concatenate([latent, *codes], axis=-1)
        if self.num_classes is not None:
            return [latent, ops.convert_to_tensor(draw["labels"])]
        return latent

    @staticmethod
    def rows(draw, start, stop):
        """Examples `start` to `stop` of a host draw (a dict like `sample_numpy`'s)."""
        return {
            key: [code[start:stop] for code in value]
            if isinstance(value, list)
            else value[start:stop]
            for key, value in draw.items()
        }

    def get_config(self):
        return {
            "latent_dim": self.latent_dim,
            "num_classes": self.num_classes,
            "categorical_codes": list(self.categorical_codes),
            "continuous_codes": self.continuous_codes,
            "noise": self.noise.name,
        }

    def __repr__(self):
        parts = [f"latent_dim={self.latent_dim}"]
        if self.num_classes is not None:
            parts.append(f"num_classes={self.num_classes}")
        if self.categorical_codes:
            parts.append(f"categorical_codes={self.categorical_codes}")
        if self.continuous_codes:
            parts.append(f"continuous_codes={self.continuous_codes}")
        if self.noise.name != "normal":
            parts.append(f"noise={self.noise.name!r}")
        return f"LatentPrior({', '.join(parts)})"
