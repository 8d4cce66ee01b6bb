"""InfoGAN: codes in G's input that the images make readable (Chen et al., 2016).

G takes noise z and latent codes c: categorical (the paper's MNIST model: one
10-way code) and continuous (two, uniform on [-1, 1]). Nothing tells the codes
what to mean; a Q head on D's trunk estimates Q(c | x) from each fake, and G
and Q both maximize the mutual-information lower bound

    L_I = E[log Q(c | G(z, c))] + H(c)      (Eq. 4 of the paper)

besides the adversarial game: D (with Q) minimizes its loss - lambda L_I, G
minimizes its loss - lambda L_I (Eq. 5), with lambda_cat for categorical and
lambda_cont for continuous codes. So G must draw each code value differently
enough for Q to tell, and on MNIST the categorical code comes to pick the
digit and the continuous ones its slant and width, unsupervised.

Q's categorical output is one softmax per code; its continuous output is a
Gaussian mean with a fixed standard deviation of 1 (the official MNIST model),
or with a learned one (`learned_variance=True`). The codes are drawn from
their prior in the step (`LatentPrior`), and the objectives read the draw
behind the fakes from `batch.latents`.

Reference: Chen et al., "InfoGAN: Interpretable Representation Learning by
Information Maximizing Generative Adversarial Nets", NeurIPS 2016,
https://arxiv.org/abs/1606.03657.
"""

import keras

from keras_gan_zoo.losses import categorical_code_loss
from keras_gan_zoo.losses import categorical_entropy
from keras_gan_zoo.losses import continuous_code_loss
from keras_gan_zoo.losses import continuous_entropy
from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.networks import infogan_discriminator
from keras_gan_zoo.networks import infogan_generator
from keras_gan_zoo.utils.arguments import check_int


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class InfoGAN(GAN):
    """InfoGAN: a GAN whose G also takes codes, and a Q head that reads them back.

    Args:
        categorical_codes: sizes of the categorical codes. Default (10,).
        continuous_codes: number of continuous codes, uniform on [-1, 1].
            Default 2.
        categorical_weight: lambda_cat. Default 1.0 (the paper's value for
            discrete codes).
        continuous_weight: lambda_cont. Default 1.0 (the official MNIST
            launcher's; the paper suggests a smaller value when Q's
            continuous term outweighs the adversarial loss).
        learned_variance: whether Q learns the continuous codes' standard
            deviations (default: fixed at 1).
        latent_dim: size of the noise z, without the codes. Default 62.
        **kwargs: the `GAN` arguments. A `generator` you pass takes the noise
            and the codes (one-hot categorical, then continuous) side by side;
            a `discriminator` returns the source logits and Q's outputs
            (`keras_gan_zoo.networks.add_code_head` gives any zoo D a Q head).

    Example:

    ```python
    infogan = keras_gan_zoo.InfoGAN()          # the paper's MNIST model
    infogan.compile()
    infogan.fit(images, batch_size=128, epochs=10)
    threes = infogan.generate(16, codes={"c1": 3})
    ```
    """

    def __init__(
        self,
        *,
        categorical_codes=(10,),
        continuous_codes=2,
        categorical_weight=1.0,
        continuous_weight=1.0,
        learned_variance=False,
        latent_dim=None,
        **kwargs,
    ):
        self.categorical_codes = tuple(
            check_int(size, "categorical code size", minimum=2) for size in categorical_codes
        )
        self.continuous_codes = check_int(continuous_codes, "continuous_codes", minimum=0)
        if not self.categorical_codes and not self.continuous_codes:
            raise ValueError("InfoGAN needs at least one categorical or continuous code.")
        for name, weight in (
            ("categorical", categorical_weight),
            ("continuous", continuous_weight),
        ):
            if isinstance(weight, bool) or not weight >= 0:
                raise ValueError(f"{name}_weight must be a number >= 0; got {weight!r}.")
        self.categorical_weight = float(categorical_weight)
        self.continuous_weight = float(continuous_weight)
        self.learned_variance = bool(learned_variance)
        if kwargs.get("packing", 1) != 1:
            raise ValueError("InfoGAN does not pack examples: Q reads each one's codes.")
        if latent_dim is None and kwargs.get("generator") is None:
            latent_dim = 62
        super().__init__(latent_dim=latent_dim, **kwargs)

    def build_generator(self, latent_dim, data_shape):
        _check_images(data_shape)
        return infogan_generator(latent_dim, data_shape)

    def build_discriminator(self, input_shape):
        _check_images(input_shape)
        return infogan_discriminator(
            input_shape, self.categorical_codes, self.continuous_codes, self.learned_variance
        )

    def default_optimizer(self, prefix):
        # The paper's: Adam with beta_1 0.5; D (with Q) 2e-4, G 1e-3.
        learning_rate = 2e-4 if prefix == "d" else 1e-3
        return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=0.5)

    def _information_log_names(self):
        names = ("categorical_information",) if self.categorical_codes else ()
        return names + (("continuous_information",) if self.continuous_codes else ())

    def discriminator_log_names(self):
        return super().discriminator_log_names() + self._information_log_names()

    def generator_log_names(self):
        return self._information_log_names()

    def head_objective(self, role, real_heads, fake_heads, batch):
        """-lambda L_I on the fakes, for D's update (Q learns) and G's (G learns)."""
        draw, heads = batch.latents, list(fake_heads)
        loss, logs = 0.0, {}
        if self.categorical_codes:
            nll = categorical_code_loss(draw["categorical"], heads.pop(0), self.categorical_codes)
            loss = loss + self.categorical_weight * nll
            logs["categorical_information"] = categorical_entropy(self.categorical_codes) - nll
        if self.continuous_codes:
            means = heads.pop(0)
            log_stddevs = heads.pop(0) if self.learned_variance else None
            nll = continuous_code_loss(draw["continuous"], means, log_stddevs)
            loss = loss + self.continuous_weight * nll
            logs["continuous_information"] = continuous_entropy(self.continuous_codes) - nll
        return loss, logs

    def predict_codes(self, images, batch_size=500):
        """Q's reading of real or generated images: {code name: values}.

        Categorical codes (c1, ...) come as Q's most likely category (n,)
        ints, continuous ones as Q's mean (n,) floats; names as in
        `Generator.code_names`. On real images this is InfoGAN as an encoder:
        the categorical code of the 10,000 MNIST test images, matched to the
        digits (`keras_gan_zoo.metrics.code_accuracy`), is the paper's
        unsupervised classification accuracy.
        """
        outputs = self.discriminator.predict(images, batch_size=batch_size, verbose=0)
        heads = list(outputs[1:])
        values = []
        if self.categorical_codes:
            logits, start = heads.pop(0), 0
            for size in self.categorical_codes:
                values.append(logits[:, start : start + size].argmax(axis=-1).astype("int32"))
                start += size
        if self.continuous_codes:
            values.extend(heads.pop(0).T)
        return {f"c{index + 1}": value for index, value in enumerate(values)}

    def get_config(self):
        config = super().get_config()
        config.update(
            categorical_codes=list(self.categorical_codes),
            continuous_codes=self.continuous_codes,
            categorical_weight=self.categorical_weight,
            continuous_weight=self.continuous_weight,
            learned_variance=self.learned_variance,
        )
        return config


def _check_images(shape):
    if len(shape) != 3:
        raise ValueError(
            "InfoGAN's default networks are for images (side, side, channels); got data of "
            f"shape {tuple(shape)}. Pass a generator and a discriminator (with "
            "keras_gan_zoo.networks.add_code_head) for other data."
        )
