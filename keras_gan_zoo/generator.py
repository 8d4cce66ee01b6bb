"""`Generator`: a generator network with its sampling tools, ready to use alone."""

import keras

from keras_gan_zoo import sampling
from keras_gan_zoo.utils import images as image_utils


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class Generator(keras.Model):
    """A trained generator network plus what it takes to sample from it.

    `keras_gan_zoo.load_generator(preset)` returns one; `Generator(gan.generator)`
    wraps the generator of a GAN you trained. Calling it runs the network.

    Args:
        network: a `keras.Model` from latent vectors (and class labels, for a
            conditional model: inputs `[latents, labels]`) to examples.
        latent_dim: size of the latent vectors; read from `network` if None.
        num_classes: class count of a conditional generator; None otherwise.
        data_range: (low, high) of the examples, e.g. (-1, 1) for images.
        metadata: dict describing where the weights come from (a preset's
            `metadata.json`); informative only, not saved in the config.

    Example:

    ```python
    generator = keras_gan_zoo.load_generator("dcgan_mnist")
    digits = generator.generate(64, seed=0)          # (64, 28, 28, 1) in [-1, 1]
    generator.save_image_grid("digits.png", n=64, seed=0)
    frames = generator.interpolate(steps=10, seed=1) # from one sample to another
    ```
    """

    def __init__(
        self, network, latent_dim=None, num_classes=None, data_range=(-1.0, 1.0), **kwargs
    ):
        metadata = kwargs.pop("metadata", None)
        super().__init__(**kwargs)
        self.network = network
        self.latent_dim = int(latent_dim or sampling.latent_dim_of(network))
        self.num_classes = None if num_classes is None else int(num_classes)
        self.data_range = None if data_range is None else tuple(float(v) for v in data_range)
        self.metadata = dict(metadata or {})
        self.built = True

    def call(self, inputs, training=False):
        return self.network(inputs, training=training)

    def generate(
        self,
        n=None,
        seed=None,
        batch_size=256,
        labels=None,
        truncation=None,
        latents=None,
        out=None,
    ):
        """`n` examples as a float32 NumPy array; see `keras_gan_zoo.generate`.

        Args:
            n: number of examples, an int >= 1.
            seed: None, a non-negative int or a `numpy.random.Generator`; the
                same seed gives the same examples on every backend.
            batch_size: examples per forward pass (bounds memory).
            labels: class labels, for a conditional generator (an int for one
                class, or one per example; random classes when None).
            truncation: the truncation trick: latent components are drawn from
                a normal truncated to [-truncation, truncation]; e.g. 0.5.
            latents: (n, latent_dim) latent vectors to use instead of random ones.
            out: optional (n, *example_shape) array to write into, e.g. a
                `numpy.lib.format.open_memmap` to stream to a `.npy` file.

        Raises:
            ValueError: for a bad argument, or a result too large for memory.
        """
        return sampling.generate(
            self.network,
            n,
            seed=seed,
            batch_size=batch_size,
            latent_dim=self.latent_dim,
            latents=latents,
            labels=labels,
            num_classes=self.num_classes,
            truncation=truncation,
            out=out,
        )

    def interpolate(self, steps=8, seed=None, method="slerp", start=None, end=None, labels=None):
        """Examples along a path in latent space, from one sample to another.

        Args:
            steps: number of examples on the path, both ends included (>= 2).
            seed: seeds the two end points (when not given) and the class.
            method: "slerp" (spherical, the default) or "lerp" (straight line).
            start, end: finite latent vectors of the end points; random if None.
            labels: class for a conditional generator (one class along the
                path; a random one, drawn after the end points, when None).

        Raises:
            ValueError: for a bad argument.
        """
        steps = sampling.check_int(steps, "steps", minimum=2)
        rng = sampling.random_generator(seed)
        ends = sampling.sample_latents(2, self.latent_dim, rng)
        start = ends[0] if start is None else start
        end = ends[1] if end is None else end
        latents = sampling.interpolate_latents(start, end, steps, method)
        if latents.shape[1] != self.latent_dim:
            raise ValueError(
                f"start and end must be latent vectors of size {self.latent_dim}; got size "
                f"{latents.shape[1]}."
            )
        if self.num_classes is not None and labels is None:
            labels = int(sampling.class_labels(1, self.num_classes, None, rng)[0])
        return self.generate(latents=latents, labels=labels)

    def save_image_grid(self, path, n=64, seed=None, columns=None, **generate_kwargs):
        """Generates `n` images and writes them as one PNG grid; returns the path.

        Raises:
            ValueError: for a bad argument, or `n` over `MAX_GRID_IMAGES`
                (10,000): write that many as an array (`generate`) instead.
        """
        n = sampling.check_int(n, "n")
        if n > sampling.MAX_GRID_IMAGES:
            raise ValueError(
                f"n={n} images are too many for one PNG grid (at most "
                f"{sampling.MAX_GRID_IMAGES}); generate them as an array instead."
            )
        images = self.generate(n, seed=seed, **generate_kwargs)
        return image_utils.save_image_grid(images, path, columns=columns)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "network": keras.saving.serialize_keras_object(self.network),
                "latent_dim": self.latent_dim,
                "num_classes": self.num_classes,
                "data_range": self.data_range,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["network"] = keras.saving.deserialize_keras_object(config["network"])
        return cls(**config)
