"""AC-GAN: the auxiliary classifier GAN (Odena, Olah and Shlens, 2017).

G draws an example of a given class, as in the conditional GAN, but D never
sees the label: it judges the source (real or fake) and classifies the
example (`keras_gan_zoo.networks.acgan_discriminator`). With L_S the
source's log-likelihood and L_C the class's (Eqs. 2-3 of the paper),

    L_S = E[log P(S=real | x_real)] + E[log P(S=fake | x_fake)]
    L_C = E[log P(C=c | x_real)] + E[log P(C=c | x_fake)]

D maximizes L_S + L_C and G maximizes L_C - L_S. Here L_S is the model's
adversarial loss (the non-saturating one by default) and L_C the class cross
entropy, computed from D's class logits through one log-softmax. The fakes
are conditioned on the real batch's labels.

`fake_class_loss=False` drops the fake term from D's class loss: D's class
head then learns from real examples only, so it cannot learn to recognize a
class by the artifacts of G's attempts at it, a fix later work adopted.

Reference: Odena, Olah and Shlens, "Conditional Image Synthesis with
Auxiliary Classifier GANs", ICML 2017, https://arxiv.org/abs/1610.09585.
"""

import keras

from keras_gan_zoo.engine import GENERATOR
from keras_gan_zoo.losses import class_accuracy
from keras_gan_zoo.losses import class_cross_entropy
from keras_gan_zoo.models.gan import GAN
from keras_gan_zoo.networks import acgan_discriminator
from keras_gan_zoo.networks import cgan_conv_generator
from keras_gan_zoo.utils.arguments import check_int


@keras.saving.register_keras_serializable(package="keras_gan_zoo")
class ACGAN(GAN):
    """Auxiliary classifier GAN: labels into G, a class head in D.

    Trains on (images, labels), like `CGAN`.

    Args:
        num_classes: the number of classes. Default 10.
        class_loss_weight: the class loss's weight in both players'
            objectives (the paper: 1). Default 1.0.
        fake_class_loss: whether D's class head also learns from the fakes
            (the paper: yes). Default True.
        **kwargs: the `GAN` arguments. A `generator` you pass must take
            `[latents, labels]`; a `discriminator` must map examples to
            `[source logits (n, 1), class logits (n, num_classes)]`.

    Example:

    ```python
    acgan = keras_gan_zoo.ACGAN(num_classes=10)
    acgan.compile()
    acgan.fit((images, labels), batch_size=64, epochs=5)
    sevens = acgan.generate(16, labels=7)
    ```
    """

    def __init__(self, *, num_classes=10, class_loss_weight=1.0, fake_class_loss=True, **kwargs):
        self.num_classes = check_int(num_classes, "num_classes", minimum=2)
        if isinstance(class_loss_weight, bool) or not class_loss_weight >= 0:
            raise ValueError(f"class_loss_weight must be >= 0; got {class_loss_weight!r}.")
        self.class_loss_weight = float(class_loss_weight)
        self.fake_class_loss = bool(fake_class_loss)
        if kwargs.get("packing", 1) != 1:
            raise ValueError("ACGAN does not pack examples: D classifies each one.")
        super().__init__(**kwargs)

    def build_generator(self, latent_dim, data_shape):
        if len(data_shape) != 3:
            raise ValueError(
                "ACGAN's default networks are for images (side, side, channels); got data "
                f"of shape {data_shape}. Pass a generator and a discriminator for other data."
            )
        return cgan_conv_generator(latent_dim, data_shape, self.num_classes)

    def build_discriminator(self, input_shape):
        return acgan_discriminator(input_shape, self.num_classes)

    def discriminator_log_names(self):
        return super().discriminator_log_names() + ("class_loss", "real_class_accuracy")

    def generator_log_names(self):
        return ("class_loss",)

    def head_objective(self, role, real_heads, fake_heads, batch):
        """L_C for D (real, and fake unless `fake_class_loss` is off) and for G (fake)."""
        (fake_classes,) = fake_heads
        fake_loss = class_cross_entropy(batch.labels, fake_classes)
        if role == GENERATOR:
            return self.class_loss_weight * fake_loss, {"class_loss": fake_loss}
        (real_classes,) = real_heads
        class_loss = class_cross_entropy(batch.labels, real_classes)
        if self.fake_class_loss:
            class_loss = class_loss + fake_loss
        logs = {
            "class_loss": class_loss,
            "real_class_accuracy": class_accuracy(batch.labels, real_classes),
        }
        return self.class_loss_weight * class_loss, logs

    def get_config(self):
        config = super().get_config()
        config.update(
            num_classes=self.num_classes,
            class_loss_weight=self.class_loss_weight,
            fake_class_loss=self.fake_class_loss,
        )
        return config
