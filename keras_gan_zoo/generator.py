"""`Generator`: a generator network with its sampling tools, ready to use alone."""

import keras
import numpy as np
from keras import ops

from keras_gan_zoo import sampling
from keras_gan_zoo.engine.latent_prior import LatentPrior
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
        categorical_codes: sizes of the categorical codes the network takes
            after the noise (InfoGAN's, e.g. (10,)); empty for other models.
        continuous_codes: number of continuous codes after those.
        noise: the distribution of the latent vectors (see
            `keras_gan_zoo.engine.LatentPrior`); "normal" for most GANs.
        metadata: dict describing where the weights come from (a preset's
            `metadata.json`); informative only, not saved in the config.

    Example:

    ```python
    generator = keras_gan_zoo.load_generator("dcgan_mnist")
    digits = generator.generate(64, seed=0)          # (64, 28, 28, 1) in [-1, 1]
    generator.save_image_grid("digits.png", n=64, seed=0)
    frames = generator.interpolate(steps=10, seed=1) # from one sample to another
    ```

    A generator with latent codes (InfoGAN's) names them c1, c2, ... in the
    paper's order, categorical codes first:

    ```python
    generator = keras_gan_zoo.load_generator("infogan_mnist")
    threes = generator.generate(16, codes={"c1": 3}, seed=0)   # one category
    grid = generator.traverse("c2", rows=10, seed=0)          # c2 swept, the rest fixed
    ```
    """

    def __init__(
        self,
        network,
        latent_dim=None,
        num_classes=None,
        data_range=(-1.0, 1.0),
        categorical_codes=(),
        continuous_codes=0,
        noise="normal",
        **kwargs,
    ):
        metadata = kwargs.pop("metadata", None)
        super().__init__(**kwargs)
        self.network = network
        code_dim = sum(categorical_codes) + continuous_codes
        self.latent_dim = int(latent_dim or sampling.latent_dim_of(network) - code_dim)
        self.num_classes = None if num_classes is None else int(num_classes)
        self.prior = LatentPrior(
            self.latent_dim, self.num_classes, categorical_codes, continuous_codes, noise
        )
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
        codes=None,
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
            codes: for a generator with latent codes, `{name: value}` to fix
                some (see `code_names`): a category (an int, or one per
                example) for a categorical code, a float (or one per example)
                for a continuous one; the others are drawn.

        Raises:
            ValueError: for a bad argument, or a result too large for memory.
        """
        if not self.prior.is_standard or codes is not None:
            draw = self.draw(n, seed, labels, truncation, latents, codes)
            return self.generate_from_draw(draw, batch_size, out)
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

    # === Latent codes (InfoGAN) ===

    @property
    def code_names(self):
        """The codes' names, c1, c2, ...: categorical codes first, as in the InfoGAN paper."""
        count = len(self.prior.categorical_codes) + self.prior.continuous_codes
        return [f"c{index + 1}" for index in range(count)]

    def codes_of(self, draw):
        """{code name: values} of a host draw (`draw`, `LatentPrior.sample_numpy`)."""
        values = list(draw.get("categorical", ()))
        if self.prior.continuous_codes:
            values.extend(np.transpose(draw["continuous"]))
        return dict(zip(self.code_names, values))

    def code_kind(self, name):
        """Whether the code `name` is "categorical" or "continuous"."""
        return self._code_slot(name)[0]

    def _code_slot(self, name):
        """("categorical", index, size) or ("continuous", index, None) of a code's name."""
        if name not in self.code_names:
            known = ", ".join(self.code_names) or "none"
            raise ValueError(f"Unknown latent code {name!r}; this generator's codes: {known}.")
        index = self.code_names.index(name)
        sizes = self.prior.categorical_codes
        if index < len(sizes):
            return "categorical", index, sizes[index]
        return "continuous", index - len(sizes), None

    def draw(self, n=None, seed=None, labels=None, truncation=None, latents=None, codes=None):
        """The prior's host draw for `n` examples (a dict, see `LatentPrior`), with
        `latents` (the noise) and `codes` put in; what `generate` samples from.

        The same seed gives the same draw on every backend;
        `generate_from_draw` turns it into examples.
        """
        rng = sampling.random_generator(seed)
        if latents is not None:
            if truncation is not None:
                raise ValueError("truncation applies to drawn latents, not to latents=... given.")
            latents = sampling.checked_latents(latents, self.latent_dim)
            if n is not None and sampling.check_int(n, "n") != len(latents):
                raise ValueError(f"n={n} differs from the {len(latents)} latent vectors given.")
            n = len(latents)
        elif n is None:
            raise ValueError("Pass the number of examples n (or latents=...).")
        draw = self.prior.sample_numpy(sampling.check_int(n, "n"), rng, labels, truncation)
        if latents is not None:
            draw["z"] = latents
        if codes is not None and not isinstance(codes, dict):
            raise ValueError(f"codes must be a dict {{name: value}}; got {type(codes).__name__}.")
        for name, value in (codes or {}).items():
            kind, index, size = self._code_slot(name)
            if kind == "categorical":
                draw["categorical"][index] = _categories(value, n, size, name)
            else:
                draw["continuous"][:, index] = _continuous_values(value, n, name)
        return draw

    def generate_from_draw(self, draw, batch_size=256, out=None):
        """The examples of a draw (from `draw`, or a slice of one: `LatentPrior.rows`)."""
        inputs = self.prior.network_inputs(draw)
        latents = inputs[0] if isinstance(inputs, list) else inputs
        return sampling.generate(
            self.network,
            latents=ops.convert_to_numpy(latents),
            labels=draw.get("labels"),
            num_classes=self.num_classes,
            batch_size=batch_size,
            out=out,
        )

    def code_values(self, code, steps=None, span=(-2.0, 2.0)):
        """The values a traversal of `code` sweeps: every category, or `steps` over `span`.

        Args:
            code: the code's name (`code_names`).
            steps: values to sweep: a categorical code's size by default (its
                categories in order, repeating past it); 10 by default for a
                continuous code, evenly spaced over `span`.
            span: (low, high) of a continuous code's sweep. The prior draws it
                from [-1, 1]; the InfoGAN paper sweeps -2 to 2 to show the
                factor beyond its training range.
        """
        kind, _, size = self._code_slot(code)
        if kind == "categorical":
            steps = size if steps is None else sampling.check_int(steps, "steps")
            return np.arange(steps, dtype="int32") % size
        steps = 10 if steps is None else sampling.check_int(steps, "steps", minimum=2)
        low, high = _continuous_values(span, 2, "span")
        return np.linspace(low, high, steps, dtype="float32")

    def traverse(
        self, code, steps=None, rows=10, seed=None, span=(-2.0, 2.0), labels=None, codes=None
    ):
        """A latent traversal: `code` swept along each row, everything else fixed per row.

        Args:
            code: the swept code's name (`code_names`).
            steps, span: the swept values; see `code_values`.
            rows: rows, each with its own noise and other codes.
            seed: seeds the rows.
            labels: class labels for a conditional generator with codes.
            codes: `{name: value}` other codes fixed in every row (see `generate`).

        Returns:
            (rows * steps, *example_shape) examples, row by row.
        """
        kind, index, _ = self._code_slot(code)
        values = self.code_values(code, steps, span)
        rows = sampling.check_int(rows, "rows")
        row_draw = self.draw(rows, seed, labels, None, None, codes)
        draw = {
            key: [np.repeat(v, len(values), axis=0) for v in value]
            if isinstance(value, list)
            else np.repeat(value, len(values), axis=0)
            for key, value in row_draw.items()
        }
        if kind == "categorical":
            draw["categorical"][index] = np.tile(values, rows)
        else:
            draw["continuous"][:, index] = np.tile(values, rows)
        return self.generate_from_draw(draw, 256, None)

    def save_traversal_grid(self, path, code, steps=None, rows=10, seed=None, **kwargs):
        """`traverse(code, ...)` written as a PNG grid, one row per row; returns the path."""
        images = self.traverse(code, steps=steps, rows=rows, seed=seed, **kwargs)
        return image_utils.save_image_grid(images, path, columns=len(images) // rows)

    def arithmetic(self, terms, n=1, jitter=0.0, seed=None, labels=None, codes=None):
        """DCGAN's vector arithmetic: decodes a signed sum of mean latent vectors.

        Radford et al. (2016, Section 6.3) average the latents of a few
        samples showing a concept ("smiling woman"), add and subtract such
        averages ("- neutral woman + neutral man"), and decode the result:
        averages are steadier than single latents.

        Args:
            terms: (sign, latents) pairs: each `latents` ((k, latent_dim),
                e.g. the latents of samples you picked) is averaged, and the
                result is the sum of sign * average.
            n: images of the result.
            jitter: standard deviation of normal noise added to the result for
                each image after the first (the paper shows variations the
                same way); 0 makes `n` identical latents.
            seed: seeds the jitter (and codes or labels that are drawn).
            labels, codes: as for `generate`.

        Returns:
            (n, *example_shape) examples; the first decodes the sum itself.
        """
        total = np.zeros(self.latent_dim, dtype="float64")
        if not terms:
            raise ValueError("terms must hold at least one (sign, latents) pair.")
        for sign, latents in terms:
            total += float(sign) * sampling.checked_latents(latents, self.latent_dim).mean(axis=0)
        n = sampling.check_int(n, "n")
        if not (np.isfinite(jitter) and jitter >= 0):
            raise ValueError(f"jitter must be a finite number >= 0; got {jitter!r}.")
        rng = sampling.random_generator(seed)
        noise = jitter * rng.standard_normal((n, self.latent_dim))
        noise[0] = 0.0
        latents = (total + noise).astype("float32")
        return self.generate(latents=latents, labels=labels, codes=codes, seed=rng)

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
        ends = self.prior.sample_noise_numpy(2, rng)
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

    def interpolate_classes(self, start, end, steps=8, rows=1, seed=None, codes=None):
        """Rows that morph class `start` into class `end`, each row's latent fixed.

        A conditional network takes its labels through layers that look
        them up (a one-hot, an embedding); each step mixes those layers'
        outputs for the two classes, (1 - t) * start + t * end, which is what
        the layers give for a soft label between them, and runs the rest of
        the network from there. The two end columns are the classes' own
        samples: `generate` with the same latent and labels=start (or end).

        Args:
            start, end: classes of this conditional generator.
            steps: images per row, both ends included (>= 2).
            rows: how many latent vectors (one per row).
            seed: seeds the latents (and the codes not given).
            codes: fixed latent codes, as for `generate`.

        Returns:
            A float32 array (rows * steps, *example_shape), row by row.

        Raises:
            ValueError: an unconditional generator, a class out of range, or
                a network whose labels input feeds nothing.
        """
        if self.num_classes is None:
            raise ValueError(
                "interpolate_classes needs a conditional generator; this one takes no labels."
            )
        for name, value in (("start", start), ("end", end)):
            if sampling.check_int(value, name, minimum=0) >= self.num_classes:
                raise ValueError(
                    f"{name} must be a class, 0 to {self.num_classes - 1}; got {value}."
                )
        steps = sampling.check_int(steps, "steps", minimum=2)
        rows = sampling.check_int(rows, "rows")
        inputs = self.prior.network_inputs(self.draw(rows, seed, labels=start, codes=codes))
        latents = ops.convert_to_numpy(inputs[0] if isinstance(inputs, list) else inputs)
        latents = np.repeat(latents, steps, axis=0)
        after_labels, entries = _after_labels(self.network)
        fractions = np.tile(np.linspace(0.0, 1.0, steps, dtype="float32"), rows)[:, None]
        mixed = []
        for layer in entries:
            ends = [
                ops.convert_to_numpy(layer(np.full((1,), label, dtype="int32")))
                for label in (start, end)
            ]
            weights = fractions.reshape((-1,) + (1,) * (ends[0].ndim - 1))
            mixed.append(((1.0 - weights) * ends[0] + weights * ends[1]).astype("float32"))
        return np.asarray(after_labels.predict([latents, *mixed], verbose=0, batch_size=256))

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
                "categorical_codes": list(self.prior.categorical_codes),
                "continuous_codes": self.prior.continuous_codes,
                "noise": self.prior.noise.name,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["network"] = keras.saving.deserialize_keras_object(config["network"])
        return cls(**config)


def _after_labels(network):
    """(the network from [latents, each labels-reading layer's output] on, those layers).

    For a conditional network with inputs [latents, labels]: the layers that
    read the labels input directly are where a class enters the network.
    """
    labels = network.inputs[1]
    entries = [
        layer
        for layer in network.layers
        if any(
            tensor is labels
            for node in layer._inbound_nodes
            for tensor in keras.tree.flatten(node.arguments.args)
        )
    ]
    if not entries:
        raise ValueError(f"The labels input of {network.name} feeds no layer.")
    body = keras.Model([network.inputs[0], *(layer.output for layer in entries)], network.output)
    return body, entries


def _categories(value, n, size, name):
    """A categorical code's values for `n` examples: one int for all, or one each."""
    values = np.asarray(value)
    if values.dtype.kind not in "iu" or values.ndim > 1:
        raise ValueError(f"Code {name} is categorical: give an int or {n} ints; got {value!r}.")
    values = np.broadcast_to(values, (n,)) if values.ndim == 0 else values
    if len(values) != n:
        raise ValueError(f"Code {name}: {len(values)} values for {n} examples.")
    if values.min() < 0 or values.max() >= size:
        raise ValueError(f"Code {name} has {size} categories, 0 to {size - 1}; got {value!r}.")
    return values.astype("int32")


def _continuous_values(value, n, name):
    """A continuous code's values for `n` examples: one float for all, or one each."""
    try:
        values = np.asarray(value, dtype="float32")
    except (TypeError, ValueError):
        raise ValueError(f"Code {name} is continuous: give a number; got {value!r}.") from None
    if values.ndim > 1 or (values.ndim == 1 and len(values) != n):
        raise ValueError(f"Code {name}: give one number or {n}; got shape {values.shape}.")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"Code {name} must be finite; got {value!r}.")
    return np.broadcast_to(values, (n,))
