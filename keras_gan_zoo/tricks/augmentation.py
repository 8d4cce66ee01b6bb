"""DiffAugment: the same differentiable augmentation of real and fake images before D."""

import keras
from keras import ops

from keras_gan_zoo.tricks.trick import Trick

POLICIES = ("color", "translation", "cutout")


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class DiffAugment(Trick):
    """Differentiable augmentation of everything D sees, in both players' updates.

    D overfits small datasets; augmenting only the real images would teach G
    to produce augmented images. DiffAugment augments real and fake images
    alike, in D's and G's updates, with transformations G's gradient passes
    through. Policies (on images in [-1, 1], as in the paper's code):

    - "color": brightness + U[-0.5, 0.5], saturation x U[0, 2] (3 channels
      only), contrast x U[0.5, 1.5], each per image;
    - "translation": shifts of up to 1/8 of the image size, zero padding
      (Keras core's `RandomTranslation`, nearest neighbour, whose gradient
      reaches the input on every backend);
    - "cutout": a square of half the image size, at a random place, set to 0.

    # Deviation: the colour changes are written with `keras.ops` rather than
    # Keras's `RandomBrightness`/`RandomContrast`/`RandomSaturation`, which
    # clip to the value range: clipping cuts G's gradient at saturated pixels
    # and is not what DiffAugment does.

    Args:
        policy: the subset of ("color", "translation", "cutout"), applied in
            that order.

    Reference: Zhao et al., "Differentiable Augmentation for Data-Efficient
    GAN Training", NeurIPS 2020, https://arxiv.org/abs/2006.10738.
    """

    def __init__(self, policy=POLICIES, seed=None, **kwargs):
        super().__init__(**kwargs)
        unknown = sorted(set(policy) - set(POLICIES))
        if unknown:
            raise ValueError(f"Unknown DiffAugment policies {unknown}; known: {list(POLICIES)}.")
        self.policy = tuple(p for p in POLICIES if p in policy)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.translation = keras.layers.RandomTranslation(
            0.125, 0.125, fill_mode="constant", fill_value=0.0, interpolation="nearest", seed=seed
        )

    def attach(self, model):
        if len(model.data_shape) != 3:
            raise ValueError(
                f"DiffAugment augments images (height, width, channels); this model's "
                f"examples have shape {model.data_shape}."
            )
        self.channels = model.data_shape[-1]
        # Built here: fit() refuses a model with an unbuilt layer inside, and
        # this one would otherwise be built only by the first augmentation.
        self.translation.build((None, *model.data_shape))
        super().attach(model)

    def _uniform(self, batch_size, low, high):
        draws = keras.random.uniform((batch_size, 1, 1, 1), low, high, seed=self.seed_generator)
        return draws

    def augment(self, images):
        """One random augmentation per image; differentiable with respect to `images`."""
        images = ops.convert_to_tensor(images)
        batch_size = ops.shape(images)[0]
        if "color" in self.policy:
            images = images + self._uniform(batch_size, -0.5, 0.5)
            if self.channels == 3:
                mean = ops.mean(images, axis=-1, keepdims=True)
                images = (images - mean) * self._uniform(batch_size, 0.0, 2.0) + mean
            mean = ops.mean(images, axis=(1, 2, 3), keepdims=True)
            images = (images - mean) * self._uniform(batch_size, 0.5, 1.5) + mean
        if "translation" in self.policy:
            images = self.translation(images, training=True)
        if "cutout" in self.policy:
            images = images * self._cutout_mask(images)
        return images

    def _cutout_mask(self, images):
        batch_size, height, width = ops.shape(images)[0], images.shape[1], images.shape[2]
        # The square's centre is anywhere in the image, so it may be cut by the border.
        centre = keras.random.uniform((batch_size, 2), seed=self.seed_generator)
        rows = ops.arange(height, dtype="float32")[None, :, None] + 0.5
        cols = ops.arange(width, dtype="float32")[None, None, :] + 0.5
        inside_rows = ops.abs(rows - centre[:, 0, None, None] * height) < height / 4
        inside_cols = ops.abs(cols - centre[:, 1, None, None] * width) < width / 4
        keep = ops.logical_not(ops.logical_and(inside_rows, inside_cols))
        return ops.cast(keep, images.dtype)[..., None]

    def inputs(self, model, role, real_inputs, fake_inputs, batch=None):
        return self.augment(real_inputs), self.augment(fake_inputs)

    def get_config(self):
        config = super().get_config()
        config.update(policy=list(self.policy), seed=self.seed)
        return config
