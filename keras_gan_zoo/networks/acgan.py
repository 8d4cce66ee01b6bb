"""AC-GAN's discriminator: one trunk, two heads (Odena et al., 2017).

D sees only the example (not its label) and answers two questions: is it
real (one logit, the source head) and which class is it (`num_classes`
logits, the class head). Both heads read the same features, so what D learns
to classify shapes what it judges, and G, asked for class c, is pushed
towards examples D recognizes as c.

Reference: Odena, Olah and Shlens, "Conditional Image Synthesis with
Auxiliary Classifier GANs", ICML 2017, https://arxiv.org/abs/1610.09585.
"""

import keras
from keras import layers

from keras_gan_zoo.networks.dcgan import dcgan_discriminator
from keras_gan_zoo.networks.initializers import normal_initializer
from keras_gan_zoo.utils.arguments import check_int


def add_class_head(discriminator, num_classes):
    """`discriminator` with a class head beside its source logit.

    Args:
        discriminator: a functional D whose output layer is named "logit"
            (every D of `keras_gan_zoo.networks` is); the class head reads the
            same features as that layer.
        num_classes: number of classes the class head scores.

    Returns:
        A `keras.Model` from D's input to `[source logits (n, 1), class logits
        (n, num_classes)]`. The class logits are not normalized: the class
        loss applies the one softmax.
    """
    num_classes = check_int(num_classes, "num_classes", minimum=2)
    source = discriminator.get_layer("logit")
    class_logits = layers.Dense(
        num_classes, kernel_initializer=normal_initializer(), name="class_logits"
    )(source.input)
    return keras.Model(discriminator.input, [source.output, class_logits], name="discriminator")


def acgan_discriminator(image_shape, num_classes, filters=64, normalization="batch"):
    """DCGAN's D with a class head beside its source logit (`add_class_head`).

    Args:
        image_shape: (side, side, channels), a side DCGAN supports.
        num_classes: number of classes the class head scores.
        filters: width of the first convolution (doubling per layer).
        normalization: "batch", "layer" or None; see `dcgan_discriminator`.
    """
    trunk = dcgan_discriminator(image_shape, filters=filters, normalization=normalization)
    return add_class_head(trunk, num_classes)
